package io.eddy.lambda.runtime.java;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Java functions share the JVM's {@code System.out} and {@code System.err}, so both are replaced
 * (once) by streams that write to the output of the execution environment the current thread
 * works for, and to the original stream on every other thread. Threads a function starts inherit
 * its environment.
 */
final class OutputRouting {

    private static final InheritableThreadLocal<Output> CURRENT = new InheritableThreadLocal<>();
    private static boolean installed;

    private OutputRouting() {
    }

    /** What one environment's functions wrote, until taken. */
    static final class Output extends OutputStream {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            buffer.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }

        synchronized String take() {
            if (buffer.size() == 0) return "";
            String text = buffer.toString(StandardCharsets.UTF_8);
            buffer.reset();
            return text;
        }
    }

    static synchronized void install() {
        if (installed) return;
        System.setOut(new Routed(System.out));
        System.setErr(new Routed(System.err));
        installed = true;
    }

    /** Routes the calling thread (and threads it starts) to {@code output}. */
    static void bind(Output output) {
        CURRENT.set(output);
    }

    private static final class Routed extends PrintStream {
        private final PrintStream original;

        Routed(PrintStream original) {
            super(original, true, StandardCharsets.UTF_8);
            this.original = original;
        }

        @Override
        public void write(int b) {
            Output target = CURRENT.get();
            if (target == null) original.write(b);
            else target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Output target = CURRENT.get();
            if (target == null) original.write(b, off, len);
            else target.write(b, off, len);
        }

        @Override
        public void write(byte[] b) throws IOException {
            write(b, 0, b.length);
        }

        @Override
        public void flush() {
            if (CURRENT.get() == null) original.flush();
        }
    }
}
