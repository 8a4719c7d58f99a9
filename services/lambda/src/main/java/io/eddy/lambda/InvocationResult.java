package io.eddy.lambda;

/**
 * The result of a synchronous invocation, as Invoke reports it.
 *
 * @param statusCode      200 for a synchronous invocation (even when the function failed)
 * @param payload         the function's response, or its error document when {@code functionError} is set
 * @param functionError   {@code Unhandled} when the function failed, else null
 * @param executedVersion the version that ran ({@code $LATEST} or a number)
 * @param log             the invocation's log, START to REPORT
 * @param requestId       the invocation's request id
 * @param durationMillis  how long the handler ran (the REPORT line's Duration)
 */
public record InvocationResult(int statusCode, byte[] payload, String functionError, String executedVersion,
                               String log, String requestId, double durationMillis) {

    public boolean failed() {
        return functionError != null;
    }
}
