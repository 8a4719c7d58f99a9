package io.eddy.lambda.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.channel.Channel;

/**
 * An execution environment backed by a local process (python3, node, or a custom runtime's
 * {@code bootstrap}) that talks to Eddy through its own Runtime API listener. Init ends when the
 * runtime first asks for an event; every event then waits for that runtime's response or error.
 */
final class ProcessEnvironment implements ExecutionEnvironment, RuntimeApi {

    private static final String INVALID_REQUEST_ID =
            "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}";
    private static final String ACCEPTED = "{\"status\":\"OK\"}";

    private final EnvironmentKey key;
    private final String logStream;
    private final List<String> command;
    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final RuntimeApiServer server;
    /** Where a runtime started ahead of need can come from; null when this runtime always starts its own. */
    private final SpareProcesses spares;
    private final List<String> spareCommand;
    private long memoryCheckedAtNanos;
    private long maxMemoryMb;

    private Channel listener;
    private Process process;
    private OutputCapture output;

    private final CompletableFuture<Outcome> initDone = new CompletableFuture<>();
    private RuntimeExchange parkedNext;
    private Invocation waitingForRuntime;
    private Invocation running;
    private CompletableFuture<Outcome> invocationDone;
    private volatile boolean usable = true;

    ProcessEnvironment(EnvironmentKey key, String logStream, List<String> command, Path workingDirectory,
                       Map<String, String> environment, RuntimeApiServer server, SpareProcesses spares,
                       List<String> spareCommand) {
        this.spares = spares;
        this.spareCommand = spareCommand;
        this.key = key;
        this.logStream = logStream;
        this.command = command;
        this.workingDirectory = workingDirectory;
        this.environment = environment;
        this.server = server;
    }

    @Override
    public EnvironmentKey key() {
        return key;
    }

    @Override
    public String logStream() {
        return logStream;
    }

    @Override
    public Outcome init(Duration limit) {
        listener = server.bind(this);
        Map<String, String> variables = new java.util.LinkedHashMap<>(environment);
        variables.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + RuntimeApiServer.port(listener));
        process = spares == null ? null : spares.take(spareCommand, variables, workingDirectory);
        if (process == null) {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().clear();
            builder.environment().putAll(variables);
            try {
                process = builder.start();
            } catch (IOException e) {
                usable = false;
                return Outcome.runtimeExit("fork/exec " + command.get(0) + ": " + startFailure(e), "Runtime.InvalidEntrypoint");
            }
        }
        output = new OutputCapture(process.getInputStream(), "lambda-output-" + process.pid());
        process.onExit().thenRun(this::exited);
        Outcome outcome = await(initDone, limit.toNanos());
        if (!outcome.isSuccess()) usable = false;
        return outcome;
    }

    private static String startFailure(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.matches("(?s).*error[=:] ?13\\b.*")) return "permission denied";
        if (message.matches("(?s).*error[=:] ?2\\b.*")) return "no such file or directory";
        return message;
    }

    @Override
    public Outcome invoke(Invocation invocation) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        synchronized (this) {
            if (!usable) return Outcome.runtimeExit("Runtime exited " + exitDescription(), "Runtime.ExitError");
            invocationDone = done;
            if (parkedNext != null && parkedNext.isOpen()) {
                running = invocation;
                RuntimeExchange next = parkedNext;
                parkedNext = null;
                next.deliver(invocation);
            } else {
                waitingForRuntime = invocation;
            }
        }
        long remainingNanos = TimeUnit.MILLISECONDS.toNanos(invocation.deadlineEpochMillis() - System.currentTimeMillis());
        Outcome outcome = await(done, remainingNanos);
        synchronized (this) {
            running = null;
            waitingForRuntime = null;
            invocationDone = null;
        }
        return outcome;
    }

    private Outcome await(CompletableFuture<Outcome> future, long nanos) {
        try {
            return future.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            usable = false;
            kill();
            return Outcome.timeout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            usable = false;
            kill();
            return Outcome.timeout();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private String exitDescription() {
        if (process == null || process.isAlive()) return "without providing a reason";
        int code = process.exitValue();
        if (code > 128) return "with error: signal: " + signalName(code - 128);
        return code == 0 ? "without providing a reason" : "with error: exit status " + code;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> "killed";
            case 15 -> "terminated";
            case 11 -> "segmentation fault";
            case 6 -> "aborted";
            default -> "signal " + signal;
        };
    }

    static byte[] platformError(String type, String message) {
        return ("{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private void exited() {
        usable = false;
        CompletableFuture<Outcome> done;
        synchronized (this) {
            done = invocationDone;
        }
        Outcome exit = Outcome.runtimeExit("Runtime exited " + exitDescription(), "Runtime.ExitError");
        initDone.complete(exit);
        if (done != null) done.complete(exit);
    }

    // ---- Runtime API, on the event loop ----

    @Override
    public void next(RuntimeExchange exchange) {
        initDone.complete(Outcome.success(null));
        Invocation deliver;
        synchronized (this) {
            if (waitingForRuntime == null) {
                parkedNext = exchange;
                return;
            }
            deliver = waitingForRuntime;
            waitingForRuntime = null;
            running = deliver;
        }
        exchange.deliver(deliver);
    }

    @Override
    public void response(String requestId, byte[] body, RuntimeExchange exchange) {
        CompletableFuture<Outcome> done = finish(requestId);
        if (done == null) {
            exchange.replyJson(400, INVALID_REQUEST_ID);
            return;
        }
        exchange.replyJson(202, ACCEPTED);
        done.complete(Outcome.success(body));
    }

    @Override
    public void error(String requestId, String errorType, byte[] body, RuntimeExchange exchange) {
        CompletableFuture<Outcome> done = finish(requestId);
        if (done == null) {
            exchange.replyJson(400, INVALID_REQUEST_ID);
            return;
        }
        exchange.replyJson(202, ACCEPTED);
        done.complete(Outcome.functionError(body, errorType == null ? "Runtime.Unknown" : errorType));
    }

    @Override
    public void initError(String errorType, byte[] body, RuntimeExchange exchange) {
        if (initDone.isDone()) {
            exchange.replyJson(403, "{\"errorMessage\":\"Invalid state transition\",\"errorType\":\"InvalidStateTransition\"}");
            return;
        }
        exchange.replyJson(202, ACCEPTED);
        usable = false;
        initDone.complete(Outcome.functionError(body, errorType == null ? "Runtime.Unknown" : errorType));
    }

    @Override
    public void responseTooLarge(String requestId, RuntimeExchange exchange) {
        CompletableFuture<Outcome> done = finish(requestId);
        exchange.replyJson(413, "{\"errorMessage\":\"Exceeded maximum allowed payload size ("
                + RuntimeApiServer.MAX_RESPONSE_BYTES + " bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
        if (done != null) {
            done.complete(Outcome.functionError(platformError("Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed payload size (" + RuntimeApiServer.MAX_RESPONSE_BYTES
                            + " bytes)."), "Function.ResponseSizeTooLarge"));
        }
    }

    private synchronized CompletableFuture<Outcome> finish(String requestId) {
        if (running == null || !running.requestId().equals(requestId)) return null;
        running = null;
        return invocationDone;
    }

    // ---- lifecycle ----

    @Override
    public String takeOutput() {
        return output == null ? "" : output.take();
    }

    /** The process's peak resident memory, read from /proc at most every 250 ms (it only grows). */
    @Override
    public long maxMemoryUsedMb() {
        if (process == null) return 0;
        long now = System.nanoTime();
        if (maxMemoryMb > 0 && now - memoryCheckedAtNanos < 250_000_000L) return maxMemoryMb;
        memoryCheckedAtNanos = now;
        maxMemoryMb = Math.max(maxMemoryMb, readMaxMemoryMb());
        return maxMemoryMb;
    }

    private long readMaxMemoryMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return (kb + 1023) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    @Override
    public boolean isUsable() {
        return usable && process != null && process.isAlive();
    }

    private void kill() {
        if (process == null) return;
        // the REPORT of a timed-out invocation still gives the peak, which /proc forgets with the process
        maxMemoryMb = Math.max(maxMemoryMb, readMaxMemoryMb());
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        usable = false;
        kill();
        if (output != null) output.close();
        if (listener != null) listener.close();
    }
}
