package io.eddy.lambda.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Warm execution environments waiting for their next event, by the code and configuration they run.
 * An environment is either idle here or checked out by one invocation. Idle ones are closed after
 * {@code idleTimeout}; retired ones (an update or delete made their key stale) are closed as soon as
 * they are idle.
 */
public final class EnvironmentPool implements AutoCloseable {

    private record Idle(ExecutionEnvironment environment, long idleSinceNanos) {
    }

    private final Map<EnvironmentKey, Deque<Idle>> idle = new ConcurrentHashMap<>();
    private final Set<ExecutionEnvironment> busy = ConcurrentHashMap.newKeySet();
    private final Set<ExecutionEnvironment> retired = ConcurrentHashMap.newKeySet();
    private final Duration idleTimeout;
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("lambda-environment-reaper").factory());

    public EnvironmentPool(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        long period = Math.max(100, Math.min(idleTimeout.toMillis() / 2, 30_000));
        reaper.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
    }

    /** A warm environment for {@code key}, checked out; null when none is idle. */
    public ExecutionEnvironment checkOutIdle(EnvironmentKey key) {
        Deque<Idle> queue = idle.get(key);
        if (queue == null) return null;
        while (true) {
            Idle entry;
            synchronized (queue) {
                entry = queue.pollLast();
            }
            if (entry == null) return null;
            if (entry.environment.isUsable()) {
                busy.add(entry.environment);
                return entry.environment;
            }
            entry.environment.close();
        }
    }

    /** Registers a new environment as checked out. */
    public void checkOutNew(ExecutionEnvironment environment) {
        busy.add(environment);
    }

    /** Returns an environment after its invocation; it is kept warm only if still usable and current. */
    public void checkIn(ExecutionEnvironment environment) {
        busy.remove(environment);
        if (!environment.isUsable() || retired.remove(environment)) {
            environment.close();
            return;
        }
        Deque<Idle> queue = idle.computeIfAbsent(environment.key(), k -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addLast(new Idle(environment, System.nanoTime()));
        }
    }

    /** Closes idle environments whose key matches, and closes busy matching ones when they come back. */
    public void retire(Predicate<EnvironmentKey> stale) {
        for (ExecutionEnvironment environment : busy) {
            if (stale.test(environment.key())) retired.add(environment);
        }
        for (Map.Entry<EnvironmentKey, Deque<Idle>> entry : idle.entrySet()) {
            if (!stale.test(entry.getKey())) continue;
            List<Idle> closing;
            synchronized (entry.getValue()) {
                closing = new ArrayList<>(entry.getValue());
                entry.getValue().clear();
            }
            closing.forEach(i -> i.environment.close());
        }
    }

    private void reap() {
        long now = System.nanoTime();
        for (Deque<Idle> queue : idle.values()) {
            List<Idle> expired = new ArrayList<>();
            synchronized (queue) {
                queue.removeIf(i -> {
                    boolean old = now - i.idleSinceNanos > idleTimeout.toNanos() || !i.environment.isUsable();
                    if (old) expired.add(i);
                    return old;
                });
            }
            expired.forEach(i -> i.environment.close());
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        retire(k -> true);
        busy.forEach(ExecutionEnvironment::close);
    }
}
