package io.eddy.lambda;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.eddy.lambda.telemetry.FunctionLogs;
import io.eddy.lambda.runtime.EnvironmentKey;
import io.eddy.lambda.runtime.EnvironmentPool;
import io.eddy.lambda.runtime.ExecutionEnvironment;
import io.eddy.lambda.runtime.Invocation;
import io.eddy.lambda.runtime.LogRecords;
import io.eddy.lambda.runtime.Outcome;
import io.eddy.lambda.runtime.Runtimes;
import io.eddy.logs.LogEvent;

/**
 * Runs one event on a warm environment of the right deployment, or on a new one (cold start), and
 * writes the invocation's log as Lambda does: init output, START, the handler's output, END, REPORT.
 */
final class Invoker {

    /** Lambda's limit on the init phase of an on-demand environment. */
    private static final Duration INIT_LIMIT = Duration.ofSeconds(10);
    private static final int TAIL_BYTES = 4096;
    private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");
    /** Lambda stamps its timeout line with a UTC time in milliseconds ({@code 2024-05-01T10:00:03.052Z}). */
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final LambdaConfig config;
    private final Runtimes runtimes;
    private final EnvironmentPool pool;
    private final FunctionLogs logs;

    Invoker(LambdaConfig config, Runtimes runtimes, EnvironmentPool pool, FunctionLogs logs) {
        this.config = config;
        this.runtimes = runtimes;
        this.pool = pool;
        this.logs = logs;
    }

    static EnvironmentKey keyOf(FunctionVersion fn) {
        return new EnvironmentKey(fn.account, fn.region, fn.name, fn.version, fn.codeSha256, fn.lastModified);
    }

    InvocationResult invoke(FunctionVersion fn, Path taskRoot, String requestId, String invokedArn, byte[] payload,
                            String clientContext) {
        EnvironmentKey key = keyOf(fn);
        ExecutionEnvironment environment = pool.checkOutIdle(key);
        Outcome initOutcome = null;
        double initMillis = 0;
        List<LogEvent> before = new ArrayList<>();
        if (environment == null) {
            String stream = logStreamName(fn.version);
            environment = runtimes.create(key, fn.runtime, fn.handler, taskRoot, variables(fn, stream), stream);
            pool.checkOutNew(environment);
            long initStart = System.nanoTime();
            initOutcome = environment.init(INIT_LIMIT.compareTo(Duration.ofSeconds(fn.timeout)) > 0
                    ? INIT_LIMIT : Duration.ofSeconds(fn.timeout));
            initMillis = (System.nanoTime() - initStart) / 1e6;
            lines(environment.takeOutput(), before);
            if (!initOutcome.isSuccess()) {
                before.add(event(String.format("INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: %s\tError Type: %s%n",
                        initMillis, initOutcome.kind() == Outcome.Kind.TIMEOUT ? "timeout" : "error", initOutcome.errorType())));
            }
        } else {
            lines(environment.takeOutput(), before);
        }
        try {
            List<LogEvent> invocationLog = new ArrayList<>();
            invocationLog.add(event("START RequestId: " + requestId + " Version: " + fn.version + "\n"));
            long start = System.nanoTime();
            Outcome outcome;
            if (initOutcome != null && !initOutcome.isSuccess()) {
                outcome = initOutcome;
            } else {
                Invocation invocation = new Invocation(requestId, payload, invokedArn, traceId(), clientContext, null,
                        System.currentTimeMillis() + fn.timeout * 1000L);
                outcome = environment.invoke(invocation);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            boolean initFailed = initOutcome != null && !initOutcome.isSuccess();
            // a failed init is what the invocation spent its time on; Lambda then reports no Init Duration
            if (initFailed) millis = initMillis;
            lines(environment.takeOutput(), invocationLog);
            String timedOut = "Task timed out after " + twoDecimals(millis / 1000) + " seconds";
            if (outcome.kind() == Outcome.Kind.TIMEOUT) {
                invocationLog.add(event(LOG_TIME.format(Instant.now()) + " " + requestId + " " + timedOut + "\n"));
            }
            invocationLog.add(event("END RequestId: " + requestId + "\n"));
            invocationLog.add(event(report(requestId, millis, initOutcome == null || initFailed ? -1 : initMillis,
                    fn.memorySize, environment.maxMemoryUsedMb(), outcome, initFailed)));
            before.addAll(invocationLog);
            logs.publish(fn.account, fn.region, fn.logGroup, environment.logStream(), before);

            StringBuilder text = new StringBuilder();
            // a record framed without a line end (a Python error report) still ends its line in the tail
            for (LogEvent e : invocationLog) {
                text.append(e.message());
                if (!e.message().endsWith("\n")) text.append('\n');
            }
            byte[] response = switch (outcome.kind()) {
                case SUCCESS, FUNCTION_ERROR -> outcome.payload();
                case TIMEOUT -> platformError("Sandbox.Timedout", "RequestId: " + requestId + " Error: " + timedOut);
                case RUNTIME_EXIT -> platformError(outcome.errorType(), "RequestId: " + requestId + " Error: "
                        + new String(outcome.payload(), StandardCharsets.UTF_8));
            };
            return new InvocationResult(200, response, outcome.isSuccess() ? null : "Unhandled", fn.version,
                    text.toString(), requestId, millis);
        } finally {
            pool.checkIn(environment);
        }
    }

    private static byte[] platformError(String type, String message) {
        com.fasterxml.jackson.databind.node.ObjectNode error = LambdaJson.MAPPER.createObjectNode();
        error.put("errorType", type);
        error.put("errorMessage", message);
        return error.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The last 4 KB of an invocation's log, as {@code X-Amz-Log-Result} carries it (before base64). */
    static byte[] tail(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= TAIL_BYTES) return bytes;
        return java.util.Arrays.copyOfRange(bytes, bytes.length - TAIL_BYTES, bytes.length);
    }

    private static String report(String requestId, double millis, double initMillis, int memorySize, long maxMemoryUsed,
                                 Outcome outcome, boolean initFailed) {
        StringBuilder r = new StringBuilder();
        long billed = (long) Math.ceil(millis + Math.max(0, initMillis));
        r.append("REPORT RequestId: ").append(requestId)
                .append("\tDuration: ").append(twoDecimals(millis)).append(" ms")
                .append("\tBilled Duration: ").append(Math.max(1, billed)).append(" ms")
                .append("\tMemory Size: ").append(memorySize).append(" MB")
                .append("\tMax Memory Used: ").append(Math.min(Math.max(1, maxMemoryUsed), memorySize)).append(" MB\t");
        if (initMillis >= 0) r.append("Init Duration: ").append(twoDecimals(initMillis)).append(" ms\t");
        if (outcome.kind() == Outcome.Kind.TIMEOUT) r.append("Status: timeout");
        else if (outcome.kind() == Outcome.Kind.RUNTIME_EXIT || initFailed) {
            r.append("Status: error\tError Type: ").append(outcome.errorType());
        }
        return r.append('\n').toString();
    }

    private static void lines(String output, List<LogEvent> into) {
        if (!output.isEmpty()) LogRecords.split(output, message -> into.add(event(message)));
    }

    private static LogEvent event(String message) {
        return new LogEvent(System.currentTimeMillis(), message);
    }

    /** The variables every function's runtime has whatever its configuration (Lambda's unreserved ones). */
    static Map<String, String> baseEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        String path = System.getenv("PATH");
        env.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        return env;
    }

    private Map<String, String> variables(FunctionVersion fn, String logStream) {
        Map<String, String> env = baseEnvironment();
        env.put("AWS_REGION", fn.region);
        env.put("AWS_DEFAULT_REGION", fn.region);
        env.put("AWS_LAMBDA_FUNCTION_NAME", fn.name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", fn.version);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(fn.memorySize));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", fn.logGroup);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        // The function's role credentials: an access key that is the account id keeps its SDK calls in this account.
        env.put("AWS_ACCESS_KEY_ID", fn.account);
        env.put("AWS_ACCESS_KEY", fn.account);
        env.put("AWS_SECRET_ACCESS_KEY", "eddy-lambda-role-secret");
        env.put("AWS_SESSION_TOKEN", "eddy-lambda-role-session");
        env.put("AWS_ENDPOINT_URL", config.endpoint().get().toString());
        if (fn.handler != null) env.put("_HANDLER", fn.handler);
        if (fn.environment != null) env.putAll(fn.environment);
        return env;
    }

    private static String logStreamName(String version) {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return LocalDate.now(ZoneOffset.UTC).format(STREAM_DATE) + "/[" + version + "]" + HexFormat.of().formatHex(id);
    }

    private static String traceId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String epoch = Long.toHexString(System.currentTimeMillis() / 1000);
        HexFormat hex = HexFormat.of();
        return "Root=1-" + epoch + "-" + hex.toHexDigits(r.nextLong()).substring(4) + hex.toHexDigits(r.nextLong()).substring(4)
                + ";Parent=" + hex.toHexDigits(r.nextLong()) + ";Sampled=0";
    }

    /** {@code value} with two decimals, as Lambda prints durations (String.format is slow on the invoke path). */
    static String twoDecimals(double value) {
        long hundredths = Math.round(value * 100);
        long cents = hundredths % 100;
        return (hundredths / 100) + (cents < 10 ? ".0" : ".") + cents;
    }
}
