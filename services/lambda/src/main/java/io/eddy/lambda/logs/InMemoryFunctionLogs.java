package io.eddy.lambda.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps the most recent events of each log group in memory, for when no log service is attached. */
public final class InMemoryFunctionLogs implements FunctionLogSink {

    /** An event with the stream it was written to. */
    public record StreamEvent(String logStream, long timestamp, String message) {
    }

    private final int maxEventsPerGroup;
    private final Map<String, Deque<StreamEvent>> groups = new ConcurrentHashMap<>();

    public InMemoryFunctionLogs(int maxEventsPerGroup) {
        this.maxEventsPerGroup = maxEventsPerGroup;
    }

    @Override
    public void publish(String account, String region, String logGroup, String logStream, List<LogEvent> events) {
        Deque<StreamEvent> group = groups.computeIfAbsent(key(account, region, logGroup), k -> new ArrayDeque<>());
        synchronized (group) {
            for (LogEvent e : events) {
                group.addLast(new StreamEvent(logStream, e.timestamp(), e.message()));
                if (group.size() > maxEventsPerGroup) group.removeFirst();
            }
        }
    }

    /** The retained events of a log group, oldest first. */
    public List<StreamEvent> events(String account, String region, String logGroup) {
        Deque<StreamEvent> group = groups.get(key(account, region, logGroup));
        if (group == null) return List.of();
        synchronized (group) {
            return new ArrayList<>(group);
        }
    }

    private static String key(String account, String region, String logGroup) {
        return account + "\u0000" + region + "\u0000" + logGroup;
    }
}
