package io.eddy.protocol.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;

/**
 * A service spoken to in the AWS Query protocol. It sees the same JSON trees the AWS JSON protocols
 * carry (member names as keys, numbers and booleans typed, blobs as base64 text, timestamps as epoch
 * seconds), so a service that speaks both implements this and {@code JsonService} with one method.
 */
@FunctionalInterface
public interface QueryService {
    /** Runs {@code action}; throws {@link io.eddy.protocol.AwsException} for every error the caller should see. */
    ObjectNode invoke(String action, JsonNode input, RequestContext context);
}
