package io.eddy.gateway;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an endpoint answers. {@code operation} names the AWS operation for the request log; it is
 * not sent.
 */
public final class GatewayResponse {

    private final int status;
    private final byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String operation;

    public GatewayResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body;
        if (contentType != null) headers.put("Content-Type", contentType);
    }

    public static GatewayResponse json(int status, String json) {
        return new GatewayResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public GatewayResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public GatewayResponse operation(String operation) {
        this.operation = operation;
        return this;
    }

    public int status() {
        return status;
    }

    public byte[] body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String operation() {
        return operation;
    }
}
