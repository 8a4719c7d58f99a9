package io.eddy.dynamodb.streams;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.eddy.store.Batch;
import io.eddy.store.LogReader;
import io.eddy.store.Store;

/**
 * The life of streams over time, on one virtual thread that sleeps until the next thing is due:
 * rotating shards (each open shard is closed and gets a child every {@code shardRotation}, even
 * when idle, as on AWS), trimming records older than the retention period, and forgetting ended
 * streams once their records have aged out.
 */
final class StreamMaintenance implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StreamMaintenance.class.getName());
    private static final int TRIM_CHUNK = 512;

    private final Store store;
    private final StreamRegistry registry;
    private final StreamsSettings settings;
    private final Clock clock;
    /** Per stream, the earliest time its oldest remaining record can age out. */
    private final Map<String, Long> nextTrim = new ConcurrentHashMap<>();
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wake = wakeLock.newCondition();
    private boolean woken;
    private volatile boolean running = true;
    private Thread thread;

    StreamMaintenance(Store store, StreamRegistry registry, StreamsSettings settings, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
    }

    void start() {
        thread = Thread.ofVirtual().name("ddb-streams-maintenance").start(this::run);
    }

    /** Something changed (a stream was created): recompute when to wake up next. */
    void wakeUp() {
        wakeLock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    private void run() {
        while (running) {
            long next;
            try {
                next = runDue(clock.millis());
            } catch (RuntimeException e) {
                if (!running) return;
                LOG.log(Level.WARNING, "DynamoDB Streams maintenance failed", e);
                next = clock.millis() + 1000;
            }
            wakeLock.lock();
            try {
                long wait = next - clock.millis();
                while (running && !woken && wait > 0) {
                    wake.await(wait, TimeUnit.MILLISECONDS);
                    wait = next - clock.millis();
                }
                woken = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                wakeLock.unlock();
            }
        }
    }

    /** Does whatever is due at {@code now}; returns when the next thing falls due. */
    long runDue(long now) {
        long next = Long.MAX_VALUE;
        long rotation = settings.shardRotation().toMillis();
        long retention = settings.retention().toMillis();
        for (StreamState stream : registry.all()) {
            if (!running) break;
            String arn = stream.arn();
            if (stream.enabled()) {
                long due = stream.current().startMillis() + rotation;
                if (now >= due) {
                    rotate(arn, now);
                    due = now + rotation;
                }
                next = Math.min(next, due);
            } else if (now >= stream.end().atMillis() + retention) {
                remove(arn);
                continue;
            } else {
                next = Math.min(next, stream.end().atMillis() + retention);
            }
            long trimDue = nextTrim.getOrDefault(arn, 0L);
            if (now >= trimDue) {
                trimDue = trim(arn, now);
                nextTrim.put(arn, trimDue);
            }
            next = Math.min(next, trimDue);
        }
        return next;
    }

    /** Closes the open generation of shards and opens its children. */
    void rotate(String arn, long now) {
        Lock lock = registry.lock(arn).writeLock();
        lock.lock();
        try {
            StreamState stream = registry.get(arn);
            if (stream == null || !stream.enabled()) return;
            StreamState.Generation current = stream.current();
            byte[] log = StreamRegistry.logPrefix(stream);
            StreamState.Generation next = new StreamState.Generation(current.index() + 1,
                    Math.max(now, current.startMillis() + 1), store.lastSequence(log), current.startMillis());
            Batch batch = new Batch();
            registry.stageGeneration(stream, next, batch);
            batch.append(log, ChangeRecords.marker(now));
            store.write(batch);
            registry.applyGeneration(arn, next);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes the records that arrived before {@code now - retention} and the generations that
     * aged out with them; returns when the oldest remaining record will age out.
     */
    long trim(String arn, long now) {
        StreamState stream = registry.get(arn);
        if (stream == null) return Long.MAX_VALUE;
        long retention = settings.retention().toMillis();
        long cutoff = now - retention;
        byte[] log = StreamRegistry.logPrefix(stream);
        long trimBefore = stream.trimBefore();
        long nextDue = now + retention;
        scan:
        while (true) {
            List<LogReader.Entry> entries = LogReader.readAfter(store, log, trimBefore - 1, TRIM_CHUNK);
            if (entries.isEmpty()) break;
            for (LogReader.Entry entry : entries) {
                long arrival = ChangeRecords.arrivalMillis(entry.value());
                if (arrival > cutoff) {
                    nextDue = arrival + retention;
                    break scan;
                }
                trimBefore = entry.sequence() + 1;
            }
        }
        List<StreamState.Generation> dropped = agedOut(stream, now, retention, trimBefore);
        if (trimBefore > stream.trimBefore() || !dropped.isEmpty()) {
            Batch batch = new Batch();
            LogReader.trimBefore(store, batch, log, trimBefore);
            registry.stageTrim(stream, trimBefore, dropped, batch);
            store.write(batch);
        }
        return nextDue;
    }

    /** The oldest generations that are closed and whose records have all aged out. */
    private static List<StreamState.Generation> agedOut(StreamState stream, long now, long retention, long trimBefore) {
        List<StreamState.Generation> dropped = new ArrayList<>();
        List<StreamState.Generation> generations = stream.generations();
        for (int g = 0; g + 1 < generations.size(); g++) {
            StreamState.Generation generation = generations.get(g);
            StreamState.Generation next = generations.get(g + 1);
            boolean agedOut = next.startMillis() <= now - retention
                    || (next.after() > generation.after() && next.after() < trimBefore);
            if (!agedOut) break;
            dropped.add(generation);
        }
        return dropped;
    }

    /** Forgets an ended stream whose records have all aged out. */
    void remove(String arn) {
        StreamState stream = registry.get(arn);
        if (stream == null) return;
        Batch batch = new Batch();
        LogReader.trimBefore(store, batch, StreamRegistry.logPrefix(stream), Long.MAX_VALUE);
        registry.stageRemove(stream, batch);
        store.write(batch);
        nextTrim.remove(arn);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
