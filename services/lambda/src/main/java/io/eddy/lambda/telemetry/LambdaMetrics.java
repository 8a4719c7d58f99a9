package io.eddy.lambda.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.eddy.cloudwatch.CloudWatchService;
import io.eddy.store.Drainable;

/**
 * Lambda's metrics in the {@code AWS/Lambda} namespace, published as Lambda does: each value under
 * every dimension set that applies (all functions; {@code FunctionName}; {@code FunctionName} and
 * {@code Resource} when a version or alias was invoked; plus {@code ExecutedVersion} for an alias),
 * stamped with when the invocation started. Values are written in the background, aggregated per
 * metric and minute (values with counts), so an invocation never waits for CloudWatch.
 */
public final class LambdaMetrics implements Drainable, AutoCloseable {

    public static final String NAMESPACE = "AWS/Lambda";
    private static final Pattern VERSION = Pattern.compile("[0-9]+");
    private static final long MINUTE = 60_000;

    /**
     * What a value is counted under: a function as it was invoked ({@code qualifier} null when
     * unqualified) and, for an alias, the version that ran.
     */
    public record Target(String account, String region, String functionName, String qualifier, String executedVersion) {

        String resource() {
            return functionName + ":" + qualifier;
        }

        boolean isAlias() {
            return qualifier != null && !qualifier.equals("$LATEST") && !VERSION.matcher(qualifier).matches();
        }
    }

    private record Value(String account, String region, String metric, Map<String, String> dimensions, String unit,
                         long minute, double value) {
    }

    private record Series(String account, String region, String metric, Map<String, String> dimensions, String unit,
                          long minute) {
    }

    private final CloudWatchService cloudWatch;
    private final TelemetryQueue<Value> queue;

    public LambdaMetrics(CloudWatchService cloudWatch) {
        this.cloudWatch = cloudWatch;
        this.queue = new TelemetryQueue<>("lambda-metrics", this::write);
    }

    /** One finished invocation: Invocations, Errors (0 or 1) and Duration. */
    public void invocation(Target target, long startedMillis, double durationMillis, boolean failed) {
        List<Value> values = new ArrayList<>(12);
        addAll(values, target, "Invocations", "Count", startedMillis, 1);
        addAll(values, target, "Errors", "Count", startedMillis, failed ? 1 : 0);
        addAll(values, target, "Duration", "Milliseconds", startedMillis, durationMillis);
        queue.addAll(values);
    }

    /**
     * Executions running when one started: per function (and version or alias when invoked as one)
     * and for the account, plus what functions without reserved concurrency were running.
     */
    public void concurrency(Target target, long atMillis, int functionExecutions, int resourceExecutions,
                            int accountExecutions, int unreservedExecutions) {
        List<Value> values = new ArrayList<>(4);
        long minute = Math.floorDiv(atMillis, MINUTE) * MINUTE;
        values.add(new Value(target.account(), target.region(), "ConcurrentExecutions", Map.of(), "Count", minute,
                accountExecutions));
        values.add(new Value(target.account(), target.region(), "UnreservedConcurrentExecutions", Map.of(), "Count",
                minute, unreservedExecutions));
        values.add(new Value(target.account(), target.region(), "ConcurrentExecutions",
                Map.of("FunctionName", target.functionName()), "Count", minute, functionExecutions));
        if (target.qualifier() != null) {
            values.add(new Value(target.account(), target.region(), "ConcurrentExecutions",
                    Map.of("FunctionName", target.functionName(), "Resource", target.resource()), "Count", minute,
                    resourceExecutions));
        }
        queue.addAll(values);
    }

    /** A count of 1 of {@code metric} (Throttles, DeadLetterErrors, AsyncEventsReceived ...). */
    public void count(Target target, String metric, long atMillis) {
        List<Value> values = new ArrayList<>(4);
        addAll(values, target, metric, "Count", atMillis, 1);
        queue.addAll(values);
    }

    /** A time in milliseconds (AsyncEventAge). */
    public void milliseconds(Target target, String metric, long atMillis, double millis) {
        List<Value> values = new ArrayList<>(4);
        addAll(values, target, metric, "Milliseconds", atMillis, millis);
        queue.addAll(values);
    }

    /**
     * One value of any AWS/Lambda metric under the given dimensions, for event sources that publish their own
     * (IteratorAge, the EventCount group): queued like the rest, so no invocation waits for a metric write.
     */
    public void value(String account, String region, String metric, Map<String, String> dimensions, String unit,
                      long atMillis, double value) {
        queue.add(new Value(account, region, metric, Map.copyOf(dimensions), unit, Math.floorDiv(atMillis, MINUTE) * MINUTE,
                value));
    }

    private static void addAll(List<Value> into, Target target, String metric, String unit, long atMillis, double value) {
        long minute = Math.floorDiv(atMillis, MINUTE) * MINUTE;
        String account = target.account();
        String region = target.region();
        into.add(new Value(account, region, metric, Map.of(), unit, minute, value));
        into.add(new Value(account, region, metric, Map.of("FunctionName", target.functionName()), unit, minute, value));
        if (target.qualifier() == null) return;
        String resource = target.resource();
        into.add(new Value(account, region, metric, Map.of("FunctionName", target.functionName(), "Resource", resource),
                unit, minute, value));
        if (target.isAlias() && target.executedVersion() != null) {
            into.add(new Value(account, region, metric, Map.of("FunctionName", target.functionName(), "Resource", resource,
                    "ExecutedVersion", target.executedVersion()), unit, minute, value));
        }
    }

    private void write(List<Value> batch) {
        Map<Series, Map<Double, Double>> series = new LinkedHashMap<>();
        for (Value v : batch) {
            series.computeIfAbsent(new Series(v.account(), v.region(), v.metric(), v.dimensions(), v.unit(), v.minute()),
                    k -> new LinkedHashMap<>()).merge(v.value(), 1.0, Double::sum);
        }
        List<CloudWatchService.MetricDatum> data = new ArrayList<>(series.size());
        series.forEach((s, counts) -> {
            double[] values = new double[counts.size()];
            double[] occurrences = new double[counts.size()];
            int i = 0;
            for (Map.Entry<Double, Double> e : counts.entrySet()) {
                values[i] = e.getKey();
                occurrences[i++] = e.getValue();
            }
            data.add(new CloudWatchService.MetricDatum(s.account(), s.region(), NAMESPACE, s.metric(), s.dimensions(),
                    values, occurrences, s.unit(), Instant.ofEpochMilli(s.minute())));
        });
        cloudWatch.putAll(data);
    }

    @Override
    public boolean isIdle() {
        return queue.isIdle();
    }

    @Override
    public String describe() {
        return queue.describe();
    }

    @Override
    public void close() {
        queue.close();
    }
}
