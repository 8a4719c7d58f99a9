package io.eddy.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;

/** A service spoken to in AWS JSON 1.0/1.1: one operation name, one JSON object in, one out. */
@FunctionalInterface
public interface JsonService {
    /**
     * Runs {@code operation} on {@code input} (always a JSON object). Throws
     * {@link io.eddy.protocol.AwsException} for every error the caller should see.
     */
    ObjectNode invoke(String operation, JsonNode input, RequestContext context);
}
