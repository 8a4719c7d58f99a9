package io.eddy.lambda.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runtime processes started ahead of need, one per command, so a cold start does not wait for an
 * interpreter to start and import its runtime: a spare waits for its function's environment and
 * directory (one JSON line on stdin), then behaves exactly as a runtime started for that function.
 * A spare is made after the first cold start of its command and replaced whenever one is taken.
 */
final class SpareProcesses implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<List<String>, Process> spares = new ConcurrentHashMap<>();
    private final Map<String, String> baseEnvironment;
    private volatile boolean closed;

    /** @param baseEnvironment what every spare starts with (PATH, LANG, TZ ...), before its function's own */
    SpareProcesses(Map<String, String> baseEnvironment) {
        this.baseEnvironment = Map.copyOf(baseEnvironment);
    }

    /**
     * A running spare for {@code command}, now assigned {@code environment} and {@code directory};
     * null when none was ready (the caller starts its own). A replacement starts in the background.
     */
    Process take(List<String> command, Map<String, String> environment, Path directory) {
        Process spare = spares.remove(command);
        Thread.ofVirtual().name("lambda-spare-runtime").start(() -> replenish(command));
        if (spare == null || !spare.isAlive()) return null;
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

    private void replenish(List<String> command) {
        if (closed || spares.containsKey(command)) return;
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(baseEnvironment);
        try {
            Process process = builder.start();
            if (closed || spares.putIfAbsent(command, process) != null) process.destroyForcibly();
        } catch (IOException e) {
            // no spare: cold starts start their own process
        }
    }

    @Override
    public void close() {
        closed = true;
        spares.values().forEach(Process::destroyForcibly);
        spares.clear();
    }
}
