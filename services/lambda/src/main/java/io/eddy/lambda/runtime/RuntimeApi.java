package io.eddy.lambda.runtime;

/**
 * The calls of the Lambda Runtime API ({@code /2018-06-01/runtime/...}) as one execution environment
 * receives them. Called on a Netty event loop: implementations must not block.
 */
interface RuntimeApi {

    /** {@code GET /runtime/invocation/next}: answer when an event is available (long poll). */
    void next(RuntimeExchange exchange);

    /** {@code POST /runtime/invocation/{id}/response}. */
    void response(String requestId, byte[] body, RuntimeExchange exchange);

    /** {@code POST /runtime/invocation/{id}/error}. */
    void error(String requestId, String errorType, byte[] body, RuntimeExchange exchange);

    /** {@code POST /runtime/init/error}. */
    void initError(String errorType, byte[] body, RuntimeExchange exchange);

    /** A response body for {@code requestId} was larger than the runtime API accepts. */
    void responseTooLarge(String requestId, RuntimeExchange exchange);
}
