package io.eddy.protocol.restjson;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** What an operation answers: status, headers and a JSON document or raw bytes. */
public final class RestJsonResponse {

    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private RestJsonResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    public static RestJsonResponse json(int status, JsonNode document) {
        try {
            return new RestJsonResponse(status, "application/json", RestJson.MAPPER.writeValueAsBytes(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
    }

    public static RestJsonResponse raw(int status, String contentType, byte[] body) {
        return new RestJsonResponse(status, contentType, body);
    }

    /** No body at all (e.g. 204 of DeleteFunction). */
    public static RestJsonResponse empty(int status) {
        return new RestJsonResponse(status, null, EMPTY);
    }

    public RestJsonResponse header(String name, String value) {
        if (value != null) headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public byte[] body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
