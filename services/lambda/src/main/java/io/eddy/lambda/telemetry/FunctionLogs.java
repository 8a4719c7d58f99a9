package io.eddy.lambda.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eddy.logs.LogEvent;
import io.eddy.logs.LogsService;
import io.eddy.store.Drainable;

/**
 * Delivers function logs to CloudWatch Logs ({@code /aws/lambda/<function>}, one stream per
 * execution environment) in the background, as Lambda's log delivery does: an invocation hands its
 * events over and returns; they reach the log group moments later.
 */
public final class FunctionLogs implements Drainable, AutoCloseable {

    private record Batch(String account, String region, String group, String stream, List<LogEvent> events) {
    }

    private record Stream(String account, String region, String group, String stream) {
    }

    private final LogsService logs;
    private final TelemetryQueue<Batch> queue;

    public FunctionLogs(LogsService logs) {
        this.logs = logs;
        this.queue = new TelemetryQueue<>("lambda-function-logs", this::write);
    }

    /** Queues events one environment wrote, in order. */
    public void publish(String account, String region, String group, String stream, List<LogEvent> events) {
        if (!events.isEmpty()) queue.add(new Batch(account, region, group, stream, events));
    }

    private void write(List<Batch> batches) {
        Map<Stream, List<LogEvent>> byStream = new LinkedHashMap<>();
        for (Batch b : batches) {
            byStream.computeIfAbsent(new Stream(b.account(), b.region(), b.group(), b.stream()), k -> new ArrayList<>())
                    .addAll(b.events());
        }
        byStream.forEach((s, events) -> logs.append(s.account(), s.region(), s.group(), s.stream(), events));
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
