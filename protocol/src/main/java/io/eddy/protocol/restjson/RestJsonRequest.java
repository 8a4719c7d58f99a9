package io.eddy.protocol.restjson;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;

/**
 * One request matched to an operation: its path labels, query, headers and body. The body is parsed
 * as JSON only when the operation asks for it, since some operations (Invoke) take a raw blob.
 */
public final class RestJsonRequest {

    private final String operation;
    private final Map<String, String> labels;
    private final GatewayRequest http;
    private final String serializationErrorType;
    private JsonNode json;

    RestJsonRequest(String operation, Map<String, String> labels, GatewayRequest http, String serializationErrorType) {
        this.operation = operation;
        this.labels = labels;
        this.http = http;
        this.serializationErrorType = serializationErrorType;
    }

    public String operation() {
        return operation;
    }

    /** A path label's value, e.g. {@code label("FunctionName")}. */
    public String label(String name) {
        return labels.get(name);
    }

    public String query(String name) {
        return http.queryParameter(name);
    }

    public String header(String name) {
        return http.header(name);
    }

    public byte[] body() {
        return http.body();
    }

    public RequestContext context() {
        return http.context();
    }

    public GatewayRequest http() {
        return http;
    }

    /** The body as a JSON object; an empty body is an empty object. */
    public JsonNode json() {
        if (json != null) return json;
        byte[] body = http.body();
        if (body.length == 0) return json = RestJson.MAPPER.createObjectNode();
        try (JsonParser parser = RestJson.MAPPER.createParser(body)) {
            JsonNode node = RestJson.MAPPER.readTree(parser);
            if (parser.nextToken() != null || node == null || !node.isObject()) {
                throw new AwsException(400, serializationErrorType, "Could not parse request body into json: "
                        + "Unexpected content; the body must be one JSON object");
            }
            return json = node;
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage() == null ? "unreadable body" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new AwsException(400, serializationErrorType, "Could not parse request body into json: " + message);
        } catch (IOException e) {
            throw new AwsException(400, serializationErrorType, e.getMessage());
        }
    }
}
