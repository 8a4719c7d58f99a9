package io.eddy.gateway;

/**
 * Answers requests for one service in one wire protocol. Runs on a virtual thread, so it may block;
 * anything it throws becomes a 500 InternalFailure.
 */
@FunctionalInterface
public interface Endpoint {
    GatewayResponse handle(GatewayRequest request) throws Exception;
}
