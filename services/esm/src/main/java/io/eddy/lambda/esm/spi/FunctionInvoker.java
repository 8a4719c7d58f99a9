package io.eddy.lambda.esm.spi;

import io.eddy.protocol.AwsException;

/** What event source mappings need from Lambda: resolving a function and invoking it synchronously. */
public interface FunctionInvoker {

    /**
     * Resolves {@code functionName} (a name, a partial or full ARN, optionally with a version or alias
     * qualifier) in the given account and region.
     *
     * @throws AwsException Lambda's own error when the function (or its qualifier) does not exist
     */
    FunctionTarget resolve(String account, String region, String functionName);

    /**
     * Runs the function with {@code payload} as a {@code RequestResponse} invocation.
     *
     * @throws InvocationRejected when the function did not run (throttled, being updated, deleted)
     */
    InvokeResult invoke(FunctionTarget target, byte[] payload) throws InvocationRejected;

    /**
     * A resolved function.
     *
     * @param functionArn    the ARN the mapping reports: qualified when a qualifier was given
     * @param name           the function's name
     * @param qualifier      the version or alias, or null for {@code $LATEST}
     * @param timeoutSeconds the function's configured timeout
     */
    record FunctionTarget(String account, String region, String functionArn, String name, String qualifier,
                          int timeoutSeconds) {
    }

    /**
     * The outcome of an invocation that ran.
     *
     * @param payload         the response, or the error document when {@code functionError} is set
     * @param functionError   {@code Unhandled} (or {@code Handled}) when the function failed, else null
     * @param executedVersion the version that ran
     * @param requestId       the invocation's request id
     */
    record InvokeResult(byte[] payload, String functionError, String executedVersion, String requestId) {
        public boolean failed() {
            return functionError != null;
        }
    }

    /** The function did not run; the records are retried without counting an attempt. */
    final class InvocationRejected extends Exception {
        public InvocationRejected(String message) {
            super(message, null, false, false);
        }
    }
}
