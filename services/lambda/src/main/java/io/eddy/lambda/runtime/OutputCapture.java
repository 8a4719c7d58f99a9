package io.eddy.lambda.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a runtime process's combined stdout/stderr. A background pump keeps the pipe from filling;
 * {@link #take()} first reads whatever the pipe already holds, so output the runtime wrote before
 * posting its response is always attributed to that invocation. The pump never blocks in read()
 * (it reads only what is available), which is what lets {@code take()} see a consistent pipe.
 */
final class OutputCapture {

    private static final long MAX_IDLE_SLEEP_MILLIS = 20;

    private final InputStream in;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final byte[] chunk = new byte[16 * 1024];
    private volatile boolean closed;

    OutputCapture(InputStream in, String name) {
        this.in = in;
        Thread.ofVirtual().name(name).start(this::pump);
    }

    private void pump() {
        long sleep = 1;
        while (!closed) {
            int read;
            synchronized (this) {
                read = drainAvailable();
            }
            if (read < 0) return;
            if (read > 0) {
                sleep = 1;
                continue;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                return;
            }
            sleep = Math.min(sleep * 2, MAX_IDLE_SLEEP_MILLIS);
        }
    }

    /** Bytes read, 0 when none were waiting, -1 once the pipe is gone. */
    private int drainAvailable() {
        try {
            int total = 0;
            int available;
            while ((available = in.available()) > 0) {
                int n = in.read(chunk, 0, Math.min(available, chunk.length));
                if (n < 0) return total > 0 ? total : -1;
                buffer.write(chunk, 0, n);
                total += n;
            }
            return total;
        } catch (IOException e) {
            return -1;
        }
    }

    synchronized String take() {
        if (!closed) drainAvailable();
        if (buffer.size() == 0) return "";
        String text = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        return text;
    }

    void close() {
        closed = true;
    }
}
