package io.eddy.gateway;

/** Receives one call per answered request, after the response was handed to the connection. */
@FunctionalInterface
public interface RequestLog {
    RequestLog NONE = (request, response, nanos) -> { };

    void log(GatewayRequest request, GatewayResponse response, long elapsedNanos);
}
