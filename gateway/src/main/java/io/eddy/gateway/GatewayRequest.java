package io.eddy.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaders;

/** One fully received HTTP request, with the caller's account and region already resolved. */
public record GatewayRequest(
        String method,
        String uri,
        String path,
        Map<String, List<String>> queryParameters,
        HttpHeaders headers,
        byte[] body,
        CredentialScope scope,
        RequestContext context) {

    public String header(String name) {
        return headers.get(name);
    }

    public String queryParameter(String name) {
        List<String> values = queryParameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
