package io.eddy.protocol.restjson;

import java.util.LinkedHashMap;
import java.util.Map;

import io.eddy.protocol.AwsException;

/** An error whose response also carries HTTP headers, e.g. {@code Retry-After} on a throttle. */
public class AwsExceptionWithHeaders extends AwsException {

    private final Map<String, String> headers = new LinkedHashMap<>();

    public AwsExceptionWithHeaders(int status, String type, String message) {
        super(status, type, message);
    }

    public AwsExceptionWithHeaders header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
