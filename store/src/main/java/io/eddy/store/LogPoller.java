package io.eddy.store;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drains one durable log in order on a virtual thread, at least once: hands each batch of new
 * records to a handler and stores the checkpoint after the handler returns, so a crash resumes with
 * the first unfinished record. A handler that throws sees the same batch again after a backoff.
 */
public final class LogPoller implements Drainable, AutoCloseable {

    /** Processes records in order; returns normally only when every record is done. */
    @FunctionalInterface
    public interface Handler {
        void handle(List<LogReader.Entry> entries) throws Exception;
    }

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Store store;
    private final byte[] logPrefix;
    private final byte[] checkpointKey;
    private final int batchSize;
    private final Handler handler;
    private final Consumer<Exception> onFailure;
    private final Thread thread;
    private volatile long checkpoint;
    private volatile boolean handling;
    private volatile boolean closed;

    /**
     * @param checkpointKey where this consumer's position is kept; one key per consumer, so several
     *                      consumers can drain the same log independently
     */
    public LogPoller(Store store, byte[] logPrefix, byte[] checkpointKey, int batchSize, Handler handler,
                     Consumer<Exception> onFailure, String name) {
        this.store = store;
        this.logPrefix = logPrefix;
        this.checkpointKey = checkpointKey;
        this.batchSize = batchSize;
        this.handler = handler;
        this.onFailure = onFailure;
        byte[] stored = store.get(checkpointKey);
        this.checkpoint = stored == null ? -1 : Keys.readU64(stored, 0);
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    private void run() {
        Duration backoff = Duration.ofMillis(50);
        while (!closed) {
            try {
                List<LogReader.Entry> entries = LogReader.readAfter(store, logPrefix, checkpoint, batchSize);
                if (entries.isEmpty()) {
                    store.awaitAppend(logPrefix, checkpoint, Duration.ofSeconds(1));
                    continue;
                }
                handling = true;
                try {
                    handler.handle(entries);
                } finally {
                    handling = false;
                }
                long last = entries.get(entries.size() - 1).sequence();
                store.write(new Batch().put(checkpointKey, Keys.of().u64(last).build()));
                checkpoint = last;
                backoff = Duration.ofMillis(50);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) return;
                onFailure.accept(e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    @Override
    public boolean isIdle() {
        return !handling && checkpoint >= store.lastSequence(logPrefix);
    }

    @Override
    public String describe() {
        return thread.getName() + " at " + checkpoint + " of " + store.lastSequence(logPrefix);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
