package io.eddy.lambda.runtime.java;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.lambda.runtime.EnvironmentKey;
import io.eddy.lambda.runtime.ExecutionEnvironment;
import io.eddy.lambda.runtime.Invocation;
import io.eddy.lambda.runtime.Outcome;

/**
 * A Java function run inside Eddy's JVM: its own class loader (see {@link FunctionClassLoader}),
 * its own handler thread, its own output. Init and every event run on that thread, which the
 * invoking thread waits for up to the deadline; a handler that overruns is abandoned with its class
 * loader (the thread is interrupted; the JVM cannot stop it), and the environment is not used again.
 */
public final class JavaEnvironment implements ExecutionEnvironment {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXIT = FunctionSystem.Exit.class.getName();

    private final EnvironmentKey key;
    private final String logStream;
    private final String handlerName;
    private final Path taskRoot;
    private final Map<String, String> environment;
    private final OutputRouting.Output output = new OutputRouting.Output();
    private final LinkedBlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
    private final Thread thread;

    private FunctionClassLoader loader;
    private JavaHandler handler;
    private LambdaContexts contexts;
    private EventMapper mapper;
    private volatile boolean usable = true;

    public JavaEnvironment(EnvironmentKey key, String logStream, String handler, Path taskRoot,
                           Map<String, String> environment) {
        OutputRouting.install();
        this.key = key;
        this.logStream = logStream;
        this.handlerName = handler;
        this.taskRoot = taskRoot;
        this.environment = Map.copyOf(environment);
        this.thread = Thread.ofPlatform().daemon().name("lambda-java-" + key.functionName()).unstarted(this::serve);
    }

    private void serve() {
        OutputRouting.bind(output);
        while (usable) {
            try {
                work.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
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
        loader = new FunctionClassLoader(taskRoot, "lambda:" + key.functionName() + ":" + key.version());
        thread.setContextClassLoader(loader);
        thread.start();
        return onHandlerThread(this::initialise, System.nanoTime() + limit.toNanos());
    }

    private Outcome initialise() {
        try {
            Class<?> system = Class.forName(FunctionSystem.class.getName(), true, loader);
            system.getField("environment").set(null, environment);
            mapper = new EventMapper();
            handler = JavaHandler.load(handlerName, loader);
            if (handler.takesContext()) contexts = new LambdaContexts(loader, environment, output);
            return Outcome.success(null);
        } catch (JavaHandler.InitFailure e) {
            usable = false;
            return failed(error(e.errorType, e.getMessage()), e.errorType);
        } catch (Throwable e) {
            usable = false;
            if (e.getClass().getName().equals(EXIT)) return exited(e);
            return failed(error(e), e.getClass().getName());
        }
    }

    @Override
    public Outcome invoke(Invocation invocation) {
        if (!usable) return Outcome.runtimeExit("Runtime exited without providing a reason", "Runtime.ExitError");
        return onHandlerThread(() -> handle(invocation),
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(invocation.deadlineEpochMillis() - System.currentTimeMillis()));
    }

    private Outcome handle(Invocation invocation) {
        try {
            Object context = contexts == null ? null : contexts.context(invocation);
            return Outcome.success(handler.invoke(invocation.payload(), context, mapper));
        } catch (JavaHandler.EventParseFailure | JavaHandler.ResultSerializationFailure e) {
            ObjectNode document = error("java.lang.RuntimeException", e.getMessage());
            ObjectNode cause = document.putObject("cause");
            cause.put("errorMessage", String.valueOf(e.getCause().getMessage()));
            cause.put("errorType", "java.io.UncheckedIOException");
            cause.putArray("stackTrace");
            return failed(document, "java.lang.RuntimeException");
        } catch (Throwable e) {
            if (e.getClass().getName().equals(EXIT)) {
                usable = false;
                return exited(e);
            }
            return failed(error(e), e.getClass().getName());
        }
    }

    private Outcome failed(ObjectNode document, String errorType) {
        byte[] body = document.toString().getBytes(StandardCharsets.UTF_8);
        output.write(body, 0, body.length);
        output.write('\n');
        return Outcome.functionError(body, errorType);
    }

    private static Outcome exited(Throwable exit) {
        return Outcome.runtimeExit(exit.getMessage(), "Runtime.ExitError");
    }

    /** Runs {@code task} on the handler thread; gives up on it (and this environment) at the deadline. */
    private Outcome onHandlerThread(java.util.function.Supplier<Outcome> task, long deadlineNanos) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        work.add(() -> done.complete(task.get()));
        try {
            return done.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            abandon();
            return Outcome.timeout();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void abandon() {
        usable = false;
        thread.interrupt();
    }

    /** The Lambda Java runtime's error document: message, type, stack frames, cause. */
    static ObjectNode error(Throwable e) {
        ObjectNode document = error(e.getClass().getName(), e.getMessage());
        ArrayNode frames = document.putArray("stackTrace");
        for (StackTraceElement frame : e.getStackTrace()) {
            String className = frame.getClassName();
            if (className.startsWith("io.eddy.") || className.startsWith("jdk.internal.reflect.")
                    || className.startsWith("java.lang.reflect.Method")) {
                break;
            }
            frames.add(className + "." + frame.getMethodName() + "(" + frame.getFileName() + ":" + frame.getLineNumber() + ")");
        }
        if (e.getCause() != null && e.getCause() != e) document.set("cause", error(e.getCause()));
        return document;
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode document = JSON.createObjectNode();
        if (message != null) document.put("errorMessage", message);
        document.put("errorType", type);
        document.putArray("stackTrace");
        return document;
    }

    @Override
    public String takeOutput() {
        return output.take();
    }

    /** The JVM's heap in use: Java functions share it, so this is an upper bound for one. */
    @Override
    public long maxMemoryUsedMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    @Override
    public boolean isUsable() {
        return usable;
    }

    @Override
    public void close() {
        usable = false;
        thread.interrupt();
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException e) {
                // the jars are only read; nothing is lost
            }
        }
    }
}
