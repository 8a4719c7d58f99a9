package io.eddy.lambda.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.eddy.store.Drainable;

/**
 * Hands what invocations emit (log events, metric values) to a background writer, so an invocation
 * never waits for a store write. The writer takes everything queued at once: one write per batch,
 * and batches grow by themselves under load. Idle (for {@code /_eddy/drain}) once all of it is written.
 */
final class TelemetryQueue<T> implements Drainable, AutoCloseable {

    private static final int MAX_BATCH = 10_000;

    private final String name;
    private final Consumer<List<T>> writer;
    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final AtomicLong unwritten = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    TelemetryQueue(String name, Consumer<List<T>> writer) {
        this.name = name;
        this.writer = writer;
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    void add(T item) {
        unwritten.incrementAndGet();
        queue.add(item);
    }

    void addAll(List<T> items) {
        unwritten.addAndGet(items.size());
        queue.addAll(items);
    }

    private void run() {
        List<T> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                T first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
            } catch (InterruptedException e) {
                if (closed) queue.drainTo(batch);
                else continue;
            }
            try {
                writer.accept(batch);
            } catch (RuntimeException e) {
                // telemetry must never stop invocations; a batch that cannot be stored is dropped
                System.err.println(name + ": dropped " + batch.size() + " records: " + e);
            } finally {
                unwritten.addAndGet(-batch.size());
                batch.clear();
            }
        }
    }

    @Override
    public boolean isIdle() {
        return unwritten.get() == 0;
    }

    @Override
    public String describe() {
        return name + ": " + unwritten.get() + " records not yet written";
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
