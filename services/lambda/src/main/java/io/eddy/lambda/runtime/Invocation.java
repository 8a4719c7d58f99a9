package io.eddy.lambda.runtime;

/**
 * One event handed to an execution environment. {@code deadlineEpochMillis} is set when the event
 * is dispatched, since the function's timeout counts from then.
 */
public record Invocation(
        String requestId,
        byte[] payload,
        String invokedFunctionArn,
        String traceId,
        String clientContext,
        String cognitoIdentity,
        long deadlineEpochMillis) {

    public Invocation withDeadline(long deadlineEpochMillis) {
        return new Invocation(requestId, payload, invokedFunctionArn, traceId, clientContext, cognitoIdentity,
                deadlineEpochMillis);
    }
}
