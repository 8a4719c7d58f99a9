package io.eddy.lambda.runtime.java;

import java.util.Map;
import java.util.Objects;

/**
 * Defined anew in every Java function's class loader (its bytes are copied there, never shared), so
 * its static state belongs to one execution environment. Calls of {@code System.getenv} in the
 * function's classes are rewritten to these methods, which answer with the function's own
 * environment; {@code System.exit} and {@code Runtime.exit/halt} end the function's runtime, not
 * the JVM that hosts every function. Uses nothing outside {@code java.base}.
 */
public final class FunctionSystem {

    /** Set once when the environment is created, before any function class runs. */
    public static volatile Map<String, String> environment = Map.of();

    private FunctionSystem() {
    }

    public static String getenv(String name) {
        return environment.get(Objects.requireNonNull(name));
    }

    public static Map<String, String> getenv() {
        return environment;
    }

    public static void exit(int status) {
        throw new Exit(status);
    }

    public static void exit(Runtime runtime, int status) {
        throw new Exit(status);
    }

    public static void halt(Runtime runtime, int status) {
        throw new Exit(status);
    }

    /** Thrown where the function's runtime process would have ended. */
    public static final class Exit extends Error {
        private final int status;

        public Exit(int status) {
            super("Runtime exited with error: exit status " + status, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
