package io.eddy.lambda.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runtime processes started ahead of need, so a cold start does not wait for an interpreter to start
 * and import its runtime: a spare waits for its function's environment and directory (one JSON
 * document on stdin, then end of input), then behaves exactly as a runtime started for that function.
 * Spares are kept per command (interpreter and bootstrap). Taking one starts its replacement at once;
 * cold starts that come in a burst raise the number kept for that command (up to
 * {@link #MAX_PER_COMMAND}), and once its cold starts stop for {@link #BURST_IDLE} it drops back to one.
 */
final class SpareProcesses implements AutoCloseable {

    static final int MAX_PER_COMMAND = 4;
    /** Cold starts of one command within this window count as one burst. */
    static final Duration BURST_WINDOW = Duration.ofSeconds(1);
    static final Duration BURST_IDLE = Duration.ofSeconds(30);
    /** How long a cold start waits for a spare whose process is being created before it starts its own. */
    private static final Duration SPAWN_WAIT = Duration.ofSeconds(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The spares of one command and how many of them to keep. */
    private static final class Pool {
        final List<String> command;
        final ReentrantLock lock = new ReentrantLock();
        /** Signalled whenever a spare that was starting is there or failed to start. */
        final Condition started = lock.newCondition();
        /** Oldest first: the oldest is the furthest along in starting. */
        final Deque<Process> waiting = new ArrayDeque<>();
        final Deque<Long> recentTakes = new ArrayDeque<>();
        int starting;
        int wanted = 1;
        long lastTakeNanos = System.nanoTime();

        Pool(List<String> command) {
            this.command = command;
        }
    }

    private final Map<List<String>, Pool> pools = new ConcurrentHashMap<>();
    private final Map<String, String> baseEnvironment;
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("lambda-spare-reaper").factory());
    private volatile boolean closed;

    /** @param baseEnvironment what every spare starts with (PATH, LANG, TZ ...), before its function's own */
    SpareProcesses(Map<String, String> baseEnvironment) {
        this.baseEnvironment = Map.copyOf(baseEnvironment);
        long period = Math.max(1, BURST_IDLE.toSeconds() / 3);
        reaper.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.SECONDS);
    }

    /** Starts a spare for {@code command} unless one is already there or starting. */
    void prepare(List<String> command) {
        replenish(pools.computeIfAbsent(command, Pool::new));
    }

    /**
     * A running spare for {@code command}, now assigned {@code environment} and {@code directory};
     * null when none was there (the caller starts its own). Its replacement starts at once.
     */
    Process take(List<String> command, Map<String, String> environment, Path directory) {
        Pool pool = pools.computeIfAbsent(command, Pool::new);
        Process spare = null;
        pool.lock.lock();
        try {
            long now = System.nanoTime();
            pool.lastTakeNanos = now;
            pool.recentTakes.addLast(now);
            while (now - pool.recentTakes.peekFirst() > BURST_WINDOW.toNanos()) pool.recentTakes.removeFirst();
            pool.wanted = Math.max(pool.wanted, Math.min(MAX_PER_COMMAND, pool.recentTakes.size()));
            long waitNanos = SPAWN_WAIT.toNanos();
            while (true) {
                Process next = pool.waiting.pollFirst();
                if (next != null) {
                    if (!next.isAlive()) continue;
                    spare = next;
                    break;
                }
                if (closed || pool.starting == 0 || waitNanos <= 0) break;
                // a process being created is there within milliseconds, sooner than one this cold start would create
                waitNanos = pool.started.awaitNanos(waitNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.lock.unlock();
        }
        replenish(pool);
        if (spare == null) return null;
        ObjectNode assignment = JSON.createObjectNode();
        ObjectNode env = assignment.putObject("environment");
        environment.forEach(env::put);
        assignment.put("directory", directory.toString());
        try (OutputStream in = spare.getOutputStream()) {
            in.write((assignment + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            spare.destroyForcibly();
            return null;
        }
        return spare;
    }

    /** Starts as many spares as {@code pool} lacks, each on its own thread so they start side by side. */
    private void replenish(Pool pool) {
        int missing;
        pool.lock.lock();
        try {
            if (closed) return;
            missing = pool.wanted - pool.waiting.size() - pool.starting;
            if (missing <= 0) return;
            pool.starting += missing;
        } finally {
            pool.lock.unlock();
        }
        for (int i = 0; i < missing; i++) Thread.ofVirtual().name("lambda-spare-runtime").start(() -> start(pool));
    }

    private void start(Pool pool) {
        ProcessBuilder builder = new ProcessBuilder(pool.command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(baseEnvironment);
        Process process = null;
        try {
            process = builder.start();
        } catch (IOException e) {
            // no spare: cold starts start their own process
        }
        pool.lock.lock();
        try {
            pool.starting--;
            pool.started.signalAll();
            if (process != null && !closed) {
                pool.waiting.addLast(process);
                return;
            }
        } finally {
            pool.lock.unlock();
        }
        if (process != null) process.destroyForcibly();
    }

    /** Drops spares that died, and after a burst has passed, the ones kept beyond one per command. */
    private void reap() {
        long now = System.nanoTime();
        for (Pool pool : pools.values()) {
            List<Process> surplus = new ArrayList<>();
            pool.lock.lock();
            try {
                pool.waiting.removeIf(p -> !p.isAlive());
                if (pool.wanted > 1 && now - pool.lastTakeNanos > BURST_IDLE.toNanos()) {
                    pool.wanted = 1;
                    while (pool.waiting.size() > 1) surplus.add(pool.waiting.pollLast());
                }
            } finally {
                pool.lock.unlock();
            }
            surplus.forEach(Process::destroyForcibly);
        }
    }

    @Override
    public void close() {
        closed = true;
        reaper.shutdownNow();
        for (Pool pool : pools.values()) {
            List<Process> all;
            pool.lock.lock();
            try {
                all = new ArrayList<>(pool.waiting);
                pool.waiting.clear();
                pool.started.signalAll();
            } finally {
                pool.lock.unlock();
            }
            all.forEach(Process::destroyForcibly);
        }
    }
}
