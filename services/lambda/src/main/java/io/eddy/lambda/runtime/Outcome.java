package io.eddy.lambda.runtime;

/**
 * How an init or an invocation ended. {@code payload} is the runtime's response or error document
 * (for {@link Kind#RUNTIME_EXIT}, the platform's description of the failure);
 * {@code errorType} names the failure for the log ({@code Runtime.ExitError}, a runtime's type, ...).
 */
public record Outcome(Kind kind, byte[] payload, String errorType) {

    public enum Kind {
        /** Init finished (runtime asked for its first event) or the handler returned. */
        SUCCESS,
        /** The handler (or init) reported an error through the Runtime API. */
        FUNCTION_ERROR,
        /** The runtime process exited, or could not start. */
        RUNTIME_EXIT,
        /** The deadline passed; the environment was stopped. */
        TIMEOUT
    }

    public static Outcome success(byte[] payload) {
        return new Outcome(Kind.SUCCESS, payload, null);
    }

    public static Outcome functionError(byte[] payload, String errorType) {
        return new Outcome(Kind.FUNCTION_ERROR, payload, errorType);
    }

    /** {@code detail} says what happened, e.g. {@code Runtime exited with error: exit status 1}. */
    public static Outcome runtimeExit(String detail, String errorType) {
        return new Outcome(Kind.RUNTIME_EXIT, detail.getBytes(java.nio.charset.StandardCharsets.UTF_8), errorType);
    }

    public static Outcome timeout() {
        return new Outcome(Kind.TIMEOUT, null, "Sandbox.Timedout");
    }

    public boolean isSuccess() {
        return kind == Kind.SUCCESS;
    }
}
