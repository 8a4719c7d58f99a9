package io.eddy.logs;

import static io.eddy.logs.LogsErrors.enumConstraint;
import static io.eddy.logs.LogsErrors.invalidParameter;
import static io.eddy.logs.LogsErrors.missing;
import static io.eddy.logs.LogsErrors.quote;
import static io.eddy.logs.LogsErrors.validation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.logs.filter.FilterPattern;
import io.eddy.logs.filter.InvalidFilterPatternException;
import io.eddy.protocol.AwsException;
import io.eddy.protocol.json.JsonService;
import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * Amazon CloudWatch Logs (AWS JSON 1.1, target prefix {@code Logs_20140328}): log groups, log
 * streams, events, retention and tags. Other services write logs through {@link #append}.
 */
public final class LogsService implements JsonService {

    public static final String TARGET_PREFIX = "Logs_20140328";

    static final List<Integer> RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    private static final Pattern GROUP_NAME = Pattern.compile("[\\.\\-_/#A-Za-z0-9]+");
    private static final Pattern STREAM_NAME = Pattern.compile("[^:*]*");
    private static final Pattern GROUP_ARN = Pattern.compile("arn:[^:]+:logs:([^:]*):([^:]*):log-group:([^:]+)(:\\*)?");
    private static final Pattern POSITION_TOKEN = Pattern.compile("([fb])/(\\d{28})(\\d{28})");

    private static final long DAY_MILLIS = 24L * 60 * 60 * 1000;
    private static final long MAX_FUTURE_MILLIS = 2L * 60 * 60 * 1000;
    private static final long MAX_AGE_MILLIS = 14 * DAY_MILLIS;
    private static final int MAX_BATCH_EVENTS = 10_000;
    private static final int MAX_BATCH_BYTES = 1_048_576;
    private static final int EVENT_OVERHEAD_BYTES = 26;
    private static final int MAX_PAGE_EVENTS = 10_000;
    private static final int MAX_PAGE_BYTES = 1_048_576;
    /** FilterLogEvents examines at most this many events per call, then hands back a token, as AWS may. */
    private static final int MAX_EXAMINED_PER_PAGE = 200_000;
    private static final int MAX_TAGS = 50;

    private final Store store;
    private final Clock clock;
    private final ReentrantLock[] groupLocks = new ReentrantLock[64];

    public LogsService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (int i = 0; i < groupLocks.length; i++) groupLocks[i] = new ReentrantLock();
    }

    @Override
    public ObjectNode invoke(String operation, JsonNode input, RequestContext context) {
        Scope scope = new Scope(context.accountId(), context.region());
        return switch (operation) {
            case "CreateLogGroup" -> createLogGroup(scope, input);
            case "DeleteLogGroup" -> deleteLogGroup(scope, input);
            case "DescribeLogGroups" -> describeLogGroups(scope, input);
            case "CreateLogStream" -> createLogStream(scope, input);
            case "DeleteLogStream" -> deleteLogStream(scope, input);
            case "DescribeLogStreams" -> describeLogStreams(scope, input);
            case "PutLogEvents" -> putLogEvents(scope, input);
            case "GetLogEvents" -> getLogEvents(scope, input);
            case "FilterLogEvents" -> filterLogEvents(scope, input);
            case "PutRetentionPolicy" -> putRetentionPolicy(scope, input);
            case "DeleteRetentionPolicy" -> deleteRetentionPolicy(scope, input);
            case "TagLogGroup" -> tagLogGroup(scope, input);
            case "UntagLogGroup" -> untagLogGroup(scope, input);
            case "ListTagsLogGroup" -> listTagsLogGroup(scope, input);
            case "TagResource" -> tagResource(scope, input);
            case "UntagResource" -> untagResource(scope, input);
            case "ListTagsForResource" -> listTagsForResource(scope, input);
            default -> throw LogsErrors.unknownOperation(operation);
        };
    }

    /**
     * Appends events to {@code group}/{@code stream}, creating both when missing (as Lambda's log
     * delivery does). Events outside AWS's accepted window (older than 14 days or the group's
     * retention, more than 2 hours ahead) are dropped; the rest are stored in timestamp order.
     * Returns how many events were stored.
     */
    public int append(String account, String region, String group, String stream, List<LogEvent> events) {
        Scope scope = new Scope(account, region);
        List<LogEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(LogEvent::timestamp));
        ReentrantLock lock = lockFor(scope, group);
        lock.lock();
        try {
            long now = clock.millis();
            Batch batch = new Batch();
            ObjectNode groupRecord = LogStorage.read(store, LogStorage.groupKey(account, region, group));
            if (groupRecord == null) {
                groupRecord = newGroupRecord(group, now);
            }
            byte[] streamKey = LogStorage.streamKey(account, region, group, stream);
            ObjectNode streamRecord = LogStorage.read(store, streamKey);
            if (streamRecord == null) streamRecord = newStreamRecord(stream, now);
            long oldest = oldestAccepted(groupRecord, now);
            List<LogEvent> accepted = sorted.stream()
                    .filter(e -> e.timestamp() >= oldest && e.timestamp() <= now + MAX_FUTURE_MILLIS)
                    .toList();
            store(scope, group, groupRecord, streamRecord, accepted, now, batch);
            store.write(batch);
            return accepted.size();
        } finally {
            lock.unlock();
        }
    }

    private record Scope(String account, String region) {
        String groupArn(String group) {
            return "arn:aws:logs:" + region + ":" + account + ":log-group:" + group;
        }
    }

    // ---- log groups ----

    private ObjectNode createLogGroup(Scope scope, JsonNode input) {
        String name = groupName(input, "logGroupName");
        if (name.startsWith("aws/")) throw invalidParameter("Log group names can't start with the string aws/");
        Map<String, String> tags = tags(input.get("tags"), "tags");
        String logGroupClass = text(input, "logGroupClass");
        if (logGroupClass != null && !List.of("STANDARD", "INFREQUENT_ACCESS", "DELIVERY").contains(logGroupClass)) {
            throw validation(quote(logGroupClass), "logGroupClass",
                    enumConstraint(List.of("STANDARD", "INFREQUENT_ACCESS", "DELIVERY")));
        }
        ReentrantLock lock = lockFor(scope, name);
        lock.lock();
        try {
            byte[] key = LogStorage.groupKey(scope.account(), scope.region(), name);
            if (store.get(key) != null) throw LogsErrors.groupExists();
            ObjectNode record = newGroupRecord(name, clock.millis());
            if (logGroupClass != null) record.put("logGroupClass", logGroupClass);
            String kmsKeyId = text(input, "kmsKeyId");
            if (kmsKeyId != null) record.put("kmsKeyId", kmsKeyId);
            ObjectNode tagNode = record.putObject("tags");
            tags.forEach(tagNode::put);
            store.write(new Batch().put(key, LogStorage.bytes(record)));
        } finally {
            lock.unlock();
        }
        return empty();
    }

    private ObjectNode deleteLogGroup(Scope scope, JsonNode input) {
        String name = groupName(input, "logGroupName");
        ReentrantLock lock = lockFor(scope, name);
        lock.lock();
        try {
            byte[] key = LogStorage.groupKey(scope.account(), scope.region(), name);
            if (store.get(key) == null) throw LogsErrors.groupNotFound();
            Batch batch = new Batch().delete(key);
            LogStorage.deletePrefix(store, LogStorage.streamsPrefix(scope.account(), scope.region(), name), batch);
            LogStorage.deletePrefix(store, LogStorage.eventsOfGroupPrefix(scope.account(), scope.region(), name), batch);
            store.write(batch);
        } finally {
            lock.unlock();
        }
        return empty();
    }

    private ObjectNode describeLogGroups(Scope scope, JsonNode input) {
        String prefix = text(input, "logGroupNamePrefix");
        String pattern = text(input, "logGroupNamePattern");
        if (prefix != null && pattern != null) {
            throw invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        if (prefix != null) checkGroupName(prefix, "logGroupNamePrefix");
        List<String> identifiers = new ArrayList<>();
        if (input.has("logGroupIdentifiers")) {
            for (JsonNode id : input.get("logGroupIdentifiers")) identifiers.add(groupFromIdentifier(scope, id.asText()));
        }
        String logGroupClass = text(input, "logGroupClass");
        int limit = limit(input, 50);
        String after = decodeNameToken(text(input, "nextToken"));
        byte[] groupsPrefix = LogStorage.groupsPrefix(scope.account(), scope.region());
        byte[] from = prefix == null ? groupsPrefix : Keys.of().raw(groupsPrefix).raw(prefix.getBytes(StandardCharsets.UTF_8)).build();
        if (after != null) {
            byte[] afterKey = Keys.prefixEnd(LogStorage.groupKey(scope.account(), scope.region(), after));
            if (java.util.Arrays.compare(afterKey, from) > 0) from = afterKey;
        }
        ObjectNode out = empty();
        ArrayNode groups = out.putArray("logGroups");
        String last = null;
        boolean more = false;
        try (Cursor cursor = store.scan(from, Keys.prefixEnd(groupsPrefix))) {
            while (cursor.next()) {
                ObjectNode record = (ObjectNode) parse(cursor.value());
                String name = record.path("name").asText();
                if (prefix != null && !name.startsWith(prefix)) break;
                if (pattern != null && !name.contains(pattern)) continue;
                if (!identifiers.isEmpty() && !identifiers.contains(name)) continue;
                if (logGroupClass != null && !logGroupClass.equals(record.path("logGroupClass").asText())) continue;
                if (groups.size() == limit) {
                    more = true;
                    break;
                }
                groups.add(describeGroup(scope, record, pattern != null));
                last = name;
            }
        }
        if (more) out.put("nextToken", encodeNameToken(last));
        return out;
    }

    private ObjectNode describeGroup(Scope scope, ObjectNode record, boolean brief) {
        ObjectNode group = empty();
        String name = record.path("name").asText();
        group.put("logGroupName", name);
        group.put("creationTime", record.path("creationTime").asLong());
        if (!brief) {
            if (record.has("retentionInDays")) group.put("retentionInDays", record.get("retentionInDays").asInt());
            group.put("metricFilterCount", 0);
        }
        group.put("arn", scope.groupArn(name) + ":*");
        if (!brief) {
            group.put("storedBytes", record.path("storedBytes").asLong());
            if (record.has("kmsKeyId")) group.put("kmsKeyId", record.get("kmsKeyId").asText());
            group.put("logGroupClass", record.path("logGroupClass").asText("STANDARD"));
            group.put("logGroupArn", scope.groupArn(name));
            group.put("deletionProtectionEnabled", false);
        }
        return group;
    }

    private static ObjectNode newGroupRecord(String name, long now) {
        ObjectNode record = empty();
        record.put("name", name);
        record.put("creationTime", now);
        record.put("nextSeq", 1L);
        record.put("storedBytes", 0L);
        record.put("logGroupClass", "STANDARD");
        record.putObject("tags");
        return record;
    }

    private ObjectNode requireGroup(Scope scope, String name) {
        ObjectNode record = LogStorage.read(store, LogStorage.groupKey(scope.account(), scope.region(), name));
        if (record == null) throw LogsErrors.groupNotFound();
        return record;
    }

    // ---- log streams ----

    private ObjectNode createLogStream(Scope scope, JsonNode input) {
        String group = groupName(input, "logGroupName");
        String stream = streamName(input, "logStreamName");
        ReentrantLock lock = lockFor(scope, group);
        lock.lock();
        try {
            requireGroup(scope, group);
            byte[] key = LogStorage.streamKey(scope.account(), scope.region(), group, stream);
            if (store.get(key) != null) throw LogsErrors.streamExists();
            store.write(new Batch().put(key, LogStorage.bytes(newStreamRecord(stream, clock.millis()))));
        } finally {
            lock.unlock();
        }
        return empty();
    }

    private static ObjectNode newStreamRecord(String name, long now) {
        ObjectNode record = empty();
        record.put("name", name);
        record.put("creationTime", now);
        return record;
    }

    private ObjectNode deleteLogStream(Scope scope, JsonNode input) {
        String group = groupName(input, "logGroupName");
        String stream = streamName(input, "logStreamName");
        ReentrantLock lock = lockFor(scope, group);
        lock.lock();
        try {
            ObjectNode groupRecord = requireGroup(scope, group);
            byte[] key = LogStorage.streamKey(scope.account(), scope.region(), group, stream);
            ObjectNode streamRecord = LogStorage.read(store, key);
            if (streamRecord == null) throw LogsErrors.streamNotFound();
            Batch batch = new Batch().delete(key);
            LogStorage.deletePrefix(store, LogStorage.eventsPrefix(scope.account(), scope.region(), group, stream), batch);
            groupRecord.put("storedBytes", Math.max(0, groupRecord.path("storedBytes").asLong()
                    - streamRecord.path("storedBytes").asLong()));
            batch.put(LogStorage.groupKey(scope.account(), scope.region(), group), LogStorage.bytes(groupRecord));
            store.write(batch);
        } finally {
            lock.unlock();
        }
        return empty();
    }

    private ObjectNode describeLogStreams(Scope scope, JsonNode input) {
        String group = groupFrom(scope, input);
        String prefix = text(input, "logStreamNamePrefix");
        String orderBy = text(input, "orderBy");
        if (orderBy == null) orderBy = "LogStreamName";
        if (!orderBy.equals("LogStreamName") && !orderBy.equals("LastEventTime")) {
            throw validation(quote(orderBy), "orderBy", enumConstraint(List.of("LogStreamName", "LastEventTime")));
        }
        if (prefix != null && orderBy.equals("LastEventTime")) {
            throw invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        boolean descending = input.path("descending").asBoolean(false);
        int limit = limit(input, 50);
        String token = decodeNameToken(text(input, "nextToken"));
        requireGroup(scope, group);
        byte[] streamsPrefix = LogStorage.streamsPrefix(scope.account(), scope.region(), group);
        List<ObjectNode> streams = LogStorage.readAll(store, streamsPrefix);
        boolean byTime = orderBy.equals("LastEventTime");
        Comparator<String> order = descending ? Comparator.<String>reverseOrder() : Comparator.<String>naturalOrder();
        List<Map.Entry<String, ObjectNode>> sorted = new ArrayList<>();
        for (ObjectNode stream : streams) {
            String name = stream.path("name").asText();
            if (prefix != null && !name.startsWith(prefix)) continue;
            String sortKey = byTime ? String.format("%020d", stream.path("lastEventTimestamp").asLong(0)) + "\u0000" + name : name;
            sorted.add(Map.entry(sortKey, stream));
        }
        sorted.sort(Map.Entry.comparingByKey(order));
        ObjectNode out = empty();
        ArrayNode page = out.putArray("logStreams");
        String last = null;
        for (Map.Entry<String, ObjectNode> entry : sorted) {
            if (token != null && order.compare(entry.getKey(), token) <= 0) continue;
            if (page.size() == limit) {
                out.put("nextToken", encodeNameToken(last));
                break;
            }
            page.add(describeStream(scope, group, entry.getValue()));
            last = entry.getKey();
        }
        return out;
    }

    private static ObjectNode describeStream(Scope scope, String group, ObjectNode record) {
        ObjectNode stream = empty();
        String name = record.path("name").asText();
        stream.put("logStreamName", name);
        stream.put("creationTime", record.path("creationTime").asLong());
        for (String field : List.of("firstEventTimestamp", "lastEventTimestamp", "lastIngestionTime")) {
            if (record.has(field)) stream.put(field, record.get(field).asLong());
        }
        if (record.has("uploadSequenceToken")) stream.put("uploadSequenceToken", record.get("uploadSequenceToken").asText());
        stream.put("arn", scope.groupArn(group) + ":log-stream:" + name);
        // AWS stopped reporting per-stream stored bytes in 2019; the field is always zero
        stream.put("storedBytes", 0);
        return stream;
    }

    // ---- events ----

    private ObjectNode putLogEvents(Scope scope, JsonNode input) {
        String group = groupName(input, "logGroupName");
        String stream = streamName(input, "logStreamName");
        JsonNode events = input.get("logEvents");
        if (events == null || events.isNull()) throw missing("logEvents");
        if (events.size() < 1) {
            throw validation("'[]'", "logEvents", "Member must have length greater than or equal to 1");
        }
        if (events.size() > MAX_BATCH_EVENTS) {
            throw validation("'" + events.size() + " events'", "logEvents",
                    "Member must have length less than or equal to " + MAX_BATCH_EVENTS);
        }
        List<LogEvent> batchEvents = new ArrayList<>(events.size());
        long bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            if (!event.hasNonNull("timestamp")) throw missing("logEvents." + (i + 1) + ".member.timestamp");
            if (!event.hasNonNull("message")) throw missing("logEvents." + (i + 1) + ".member.message");
            String message = event.get("message").asText();
            if (message.isEmpty()) {
                throw validation("''", "logEvents." + (i + 1) + ".member.message",
                        "Member must have length greater than or equal to 1");
            }
            bytes += message.getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD_BYTES;
            batchEvents.add(new LogEvent(event.get("timestamp").asLong(), message));
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw invalidParameter("Upload too large: " + bytes + " bytes exceeds limit of " + MAX_BATCH_BYTES);
        }
        for (int i = 1; i < batchEvents.size(); i++) {
            if (batchEvents.get(i).timestamp() < batchEvents.get(i - 1).timestamp()) {
                throw invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
            }
        }
        ReentrantLock lock = lockFor(scope, group);
        lock.lock();
        try {
            long now = clock.millis();
            ObjectNode groupRecord = requireGroup(scope, group);
            byte[] streamKey = LogStorage.streamKey(scope.account(), scope.region(), group, stream);
            ObjectNode streamRecord = LogStorage.read(store, streamKey);
            if (streamRecord == null) throw LogsErrors.streamNotFound();

            int tooOldEnd = 0;
            int expiredEnd = 0;
            int tooNewStart = batchEvents.size();
            long retentionStart = retentionStart(groupRecord, now);
            while (tooNewStart > 0 && batchEvents.get(tooNewStart - 1).timestamp() > now + MAX_FUTURE_MILLIS) tooNewStart--;
            for (int i = 0; i < tooNewStart; i++) {
                long ts = batchEvents.get(i).timestamp();
                if (ts < now - MAX_AGE_MILLIS) tooOldEnd = i + 1;
                if (ts < retentionStart) expiredEnd = i + 1;
            }
            int firstValid = Math.max(tooOldEnd, expiredEnd);
            List<LogEvent> accepted = batchEvents.subList(Math.min(firstValid, tooNewStart), tooNewStart);
            if (!accepted.isEmpty()
                    && accepted.get(accepted.size() - 1).timestamp() - accepted.get(0).timestamp() > DAY_MILLIS) {
                throw invalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
            }
            Batch batch = new Batch();
            String sequenceToken = store(scope, group, groupRecord, streamRecord, accepted, now, batch);
            store.write(batch);

            ObjectNode out = empty();
            out.put("nextSequenceToken", sequenceToken);
            if (tooOldEnd > 0 || expiredEnd > 0 || tooNewStart < batchEvents.size()) {
                ObjectNode rejected = out.putObject("rejectedLogEventsInfo");
                if (tooNewStart < batchEvents.size()) rejected.put("tooNewLogEventStartIndex", tooNewStart);
                if (tooOldEnd > 0) rejected.put("tooOldLogEventEndIndex", tooOldEnd);
                if (expiredEnd > 0) rejected.put("expiredLogEventEndIndex", expiredEnd);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Adds accepted events and the updated group and stream records to {@code batch}; returns the sequence token. */
    private String store(Scope scope, String group, ObjectNode groupRecord, ObjectNode streamRecord,
                         List<LogEvent> accepted, long now, Batch batch) {
        long seq = groupRecord.path("nextSeq").asLong(1);
        String stream = streamRecord.path("name").asText();
        byte[] eventsPrefix = LogStorage.eventsPrefix(scope.account(), scope.region(), group, stream);
        long addedBytes = 0;
        for (LogEvent event : accepted) {
            batch.put(LogStorage.eventKey(eventsPrefix, event.timestamp(), seq++),
                    LogStorage.eventValue(now, event.message()));
            addedBytes += event.message().getBytes(StandardCharsets.UTF_8).length;
        }
        String sequenceToken = String.format("%056d", seq);
        if (!accepted.isEmpty()) {
            long first = accepted.get(0).timestamp();
            long last = accepted.get(accepted.size() - 1).timestamp();
            if (!streamRecord.has("firstEventTimestamp") || first < streamRecord.get("firstEventTimestamp").asLong()) {
                streamRecord.put("firstEventTimestamp", first);
            }
            if (!streamRecord.has("lastEventTimestamp") || last > streamRecord.get("lastEventTimestamp").asLong()) {
                streamRecord.put("lastEventTimestamp", last);
            }
            streamRecord.put("lastIngestionTime", now);
            streamRecord.put("storedBytes", streamRecord.path("storedBytes").asLong() + addedBytes);
        }
        streamRecord.put("uploadSequenceToken", sequenceToken);
        groupRecord.put("nextSeq", seq);
        groupRecord.put("storedBytes", groupRecord.path("storedBytes").asLong() + addedBytes);
        batch.put(LogStorage.streamKey(scope.account(), scope.region(), group, stream), LogStorage.bytes(streamRecord));
        batch.put(LogStorage.groupKey(scope.account(), scope.region(), group), LogStorage.bytes(groupRecord));
        return sequenceToken;
    }

    private ObjectNode getLogEvents(Scope scope, JsonNode input) {
        String group = groupFrom(scope, input);
        String stream = streamName(input, "logStreamName");
        long now = clock.millis();
        ObjectNode groupRecord = requireGroup(scope, group);
        if (store.get(LogStorage.streamKey(scope.account(), scope.region(), group, stream)) == null) {
            throw LogsErrors.streamNotFound();
        }
        long lower = Math.max(Math.max(0, longOr(input, "startTime", 0)), retentionStart(groupRecord, now));
        Long endTime = input.hasNonNull("endTime") ? input.get("endTime").asLong() : null;
        int limit = limit(input, MAX_PAGE_EVENTS, MAX_PAGE_EVENTS);
        String token = text(input, "nextToken");
        Position position = token == null ? null : Position.parse(token);

        byte[] prefix = LogStorage.eventsPrefix(scope.account(), scope.region(), group, stream);
        byte[] lowerKey = LogStorage.eventKey(prefix, lower, 0);
        byte[] upperKey = endTime == null ? Keys.prefixEnd(prefix) : LogStorage.eventKey(prefix, endTime, 0);
        boolean forward = position != null ? position.forward() : input.path("startFromHead").asBoolean(false);
        List<byte[][]> page = new ArrayList<>();
        if (forward) {
            byte[] from = lowerKey;
            if (position != null) {
                byte[] after = LogStorage.eventKey(prefix, position.timestamp(), position.seq() + 1);
                if (java.util.Arrays.compare(after, from) > 0) from = after;
            }
            readPage(store.scan(from, upperKey), limit, page);
        } else {
            byte[] to = upperKey;
            if (position != null) {
                byte[] before = LogStorage.eventKey(prefix, position.timestamp(), position.seq());
                if (java.util.Arrays.compare(before, to) < 0) to = before;
            }
            readPage(store.scanReverse(lowerKey, to), limit, page);
            java.util.Collections.reverse(page);
        }

        ObjectNode out = empty();
        ArrayNode events = out.putArray("events");
        for (byte[][] entry : page) {
            ObjectNode event = events.addObject();
            event.put("timestamp", LogStorage.timestampOf(entry[0]));
            event.put("message", LogStorage.messageOf(entry[1]));
            event.put("ingestionTime", LogStorage.ingestionTimeOf(entry[1]));
        }
        if (page.isEmpty() && position != null) {
            // at the end in the token's direction: the same token comes back, so pagers stop
            out.put("nextForwardToken", position.forward() ? token : position.as(true).token());
            out.put("nextBackwardToken", position.forward() ? position.as(false).token() : token);
        } else if (page.isEmpty()) {
            long upper = endTime == null ? now + MAX_FUTURE_MILLIS : endTime;
            out.put("nextForwardToken", new Position(true, lower, 0).token());
            out.put("nextBackwardToken", new Position(false, upper, 0).token());
        } else {
            byte[] first = page.get(0)[0];
            byte[] last = page.get(page.size() - 1)[0];
            out.put("nextForwardToken", new Position(true, LogStorage.timestampOf(last), LogStorage.seqOf(last)).token());
            out.put("nextBackwardToken", new Position(false, LogStorage.timestampOf(first), LogStorage.seqOf(first)).token());
        }
        return out;
    }

    private static void readPage(Cursor cursor, int limit, List<byte[][]> page) {
        long bytes = 0;
        try (cursor) {
            while (page.size() < limit && cursor.next()) {
                byte[] value = cursor.value();
                bytes += value.length - 8 + EVENT_OVERHEAD_BYTES;
                if (bytes > MAX_PAGE_BYTES && !page.isEmpty()) break;
                page.add(new byte[][] {cursor.key(), value});
            }
        }
    }

    /**
     * A place between two events of a stream, as GetLogEvents tokens carry it: {@code f/} reads the
     * events after (timestamp, seq), {@code b/} the events before it.
     */
    private record Position(boolean forward, long timestamp, long seq) {
        static Position parse(String token) {
            Matcher m = POSITION_TOKEN.matcher(token);
            if (!m.matches()) throw LogsErrors.invalidToken();
            try {
                return new Position(m.group(1).equals("f"), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
            } catch (NumberFormatException e) {
                throw LogsErrors.invalidToken();
            }
        }

        Position as(boolean direction) {
            return new Position(direction, timestamp, seq);
        }

        String token() {
            return (forward ? "f/" : "b/") + String.format("%028d%028d", timestamp, seq);
        }
    }

    private ObjectNode filterLogEvents(Scope scope, JsonNode input) {
        String group = groupFrom(scope, input);
        JsonNode names = input.get("logStreamNames");
        String prefix = text(input, "logStreamNamePrefix");
        if (names != null && !names.isNull() && prefix != null) {
            throw invalidParameter("Cannot specify both logStreamNames and logStreamNamePrefix.");
        }
        String patternText = text(input, "filterPattern");
        if (patternText != null && patternText.length() > 1024) {
            throw validation(quote(patternText), "filterPattern", "Member must have length less than or equal to 1024");
        }
        FilterPattern pattern;
        try {
            pattern = FilterPattern.parse(patternText);
        } catch (InvalidFilterPatternException e) {
            throw invalidParameter("Invalid filter pattern");
        }
        int limit = limit(input, MAX_PAGE_EVENTS, MAX_PAGE_EVENTS);
        long now = clock.millis();
        ObjectNode groupRecord = requireGroup(scope, group);
        long lower = Math.max(Math.max(0, longOr(input, "startTime", 0)), retentionStart(groupRecord, now));
        Long endTime = input.hasNonNull("endTime") ? input.get("endTime").asLong() : null;
        String token = text(input, "nextToken");
        long[] resume = token == null ? null : decodeFilterToken(token);

        List<String> streams = new ArrayList<>();
        if (names != null && !names.isNull()) {
            for (JsonNode name : names) {
                if (store.get(LogStorage.streamKey(scope.account(), scope.region(), group, name.asText())) != null) {
                    streams.add(name.asText());
                }
            }
        } else {
            for (ObjectNode stream : LogStorage.readAll(store, LogStorage.streamsPrefix(scope.account(), scope.region(), group))) {
                String name = stream.path("name").asText();
                if (prefix == null || name.startsWith(prefix)) streams.add(name);
            }
        }

        PriorityQueue<StreamCursor> heap = new PriorityQueue<>(Comparator
                .comparingLong((StreamCursor c) -> LogStorage.timestampOf(c.key))
                .thenComparingLong(c -> LogStorage.seqOf(c.key)));
        ObjectNode out = empty();
        ArrayNode events = out.putArray("events");
        try {
            for (String stream : streams) {
                byte[] streamPrefix = LogStorage.eventsPrefix(scope.account(), scope.region(), group, stream);
                byte[] from = LogStorage.eventKey(streamPrefix, lower, 0);
                if (resume != null) {
                    byte[] after = LogStorage.eventKey(streamPrefix, resume[0], resume[1] + 1);
                    if (java.util.Arrays.compare(after, from) > 0) from = after;
                }
                byte[] to = endTime == null ? Keys.prefixEnd(streamPrefix) : LogStorage.eventKey(streamPrefix, endTime + 1, 0);
                StreamCursor cursor = new StreamCursor(stream, store.scan(from, to));
                if (cursor.advance()) heap.add(cursor);
                else cursor.close();
            }
            long bytes = 0;
            int examined = 0;
            byte[] lastKey = null;
            while (!heap.isEmpty() && events.size() < limit && examined < MAX_EXAMINED_PER_PAGE) {
                StreamCursor cursor = heap.poll();
                byte[] key = cursor.key;
                byte[] value = cursor.value;
                String message = LogStorage.messageOf(value);
                examined++;
                if (pattern.matches(message)) {
                    bytes += value.length - 8 + EVENT_OVERHEAD_BYTES;
                    if (bytes > MAX_PAGE_BYTES && !events.isEmpty()) {
                        heap.add(cursor);
                        break;
                    }
                    long timestamp = LogStorage.timestampOf(key);
                    long seq = LogStorage.seqOf(key);
                    ObjectNode event = events.addObject();
                    event.put("logStreamName", cursor.stream);
                    event.put("timestamp", timestamp);
                    event.put("message", message);
                    event.put("ingestionTime", LogStorage.ingestionTimeOf(value));
                    event.put("eventId", String.format("%028d%028d", timestamp, seq));
                }
                lastKey = key;
                if (cursor.advance()) heap.add(cursor);
                else cursor.close();
            }
            if (!heap.isEmpty() && lastKey != null) {
                out.put("nextToken", encodeFilterToken(LogStorage.timestampOf(lastKey), LogStorage.seqOf(lastKey)));
            }
        } finally {
            for (StreamCursor cursor : heap) cursor.close();
        }
        out.putArray("searchedLogStreams");
        return out;
    }

    private static final class StreamCursor implements AutoCloseable {
        final String stream;
        final Cursor cursor;
        byte[] key;
        byte[] value;

        StreamCursor(String stream, Cursor cursor) {
            this.stream = stream;
            this.cursor = cursor;
        }

        boolean advance() {
            if (!cursor.next()) return false;
            key = cursor.key();
            value = cursor.value();
            return true;
        }

        @Override
        public void close() {
            cursor.close();
        }
    }

    private static String encodeFilterToken(long timestamp, long seq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + timestamp + ":" + seq).getBytes(StandardCharsets.UTF_8));
    }

    private static long[] decodeFilterToken(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !parts[0].equals("v1")) throw LogsErrors.invalidToken();
            return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
        } catch (IllegalArgumentException e) {
            throw LogsErrors.invalidToken();
        }
    }

    // ---- retention ----

    private ObjectNode putRetentionPolicy(Scope scope, JsonNode input) {
        String group = groupName(input, "logGroupName");
        if (!input.hasNonNull("retentionInDays")) throw missing("retentionInDays");
        int days = input.get("retentionInDays").asInt();
        if (!RETENTION_DAYS.contains(days) || !input.get("retentionInDays").canConvertToInt()) {
            throw validation(quote(input.get("retentionInDays").asText()), "retentionInDays", enumConstraint(RETENTION_DAYS));
        }
        updateGroup(scope, group, record -> record.put("retentionInDays", days));
        return empty();
    }

    private ObjectNode deleteRetentionPolicy(Scope scope, JsonNode input) {
        String group = groupName(input, "logGroupName");
        updateGroup(scope, group, record -> record.remove("retentionInDays"));
        return empty();
    }

    /** Events before this instant are past the group's retention and no longer visible. */
    private static long retentionStart(ObjectNode groupRecord, long now) {
        if (!groupRecord.has("retentionInDays")) return 0;
        return now - groupRecord.get("retentionInDays").asLong() * DAY_MILLIS;
    }

    private static long oldestAccepted(ObjectNode groupRecord, long now) {
        return Math.max(now - MAX_AGE_MILLIS, retentionStart(groupRecord, now));
    }

    // ---- tags ----

    private ObjectNode tagLogGroup(Scope scope, JsonNode input) {
        String group = groupName(input, "logGroupName");
        Map<String, String> tags = tags(input.get("tags"), "tags");
        if (tags.isEmpty()) throw missing("tags");
        updateGroup(scope, group, record -> addTags(record, tags));
        return empty();
    }

    private ObjectNode untagLogGroup(Scope scope, JsonNode input) {
        String group = groupName(input, "logGroupName");
        JsonNode keys = input.get("tags");
        if (keys == null || !keys.isArray()) throw missing("tags");
        updateGroup(scope, group, record -> keys.forEach(k -> record.with("tags").remove(k.asText())));
        return empty();
    }

    private ObjectNode listTagsLogGroup(Scope scope, JsonNode input) {
        String group = groupName(input, "logGroupName");
        ObjectNode out = empty();
        out.set("tags", requireGroup(scope, group).path("tags").deepCopy());
        return out;
    }

    private ObjectNode tagResource(Scope scope, JsonNode input) {
        String group = groupFromArn(scope, requiredText(input, "resourceArn"));
        Map<String, String> tags = tags(input.get("tags"), "tags");
        if (tags.isEmpty()) throw missing("tags");
        updateGroup(scope, group, record -> addTags(record, tags));
        return empty();
    }

    private ObjectNode untagResource(Scope scope, JsonNode input) {
        String group = groupFromArn(scope, requiredText(input, "resourceArn"));
        JsonNode keys = input.get("tagKeys");
        if (keys == null || !keys.isArray()) throw missing("tagKeys");
        updateGroup(scope, group, record -> keys.forEach(k -> record.with("tags").remove(k.asText())));
        return empty();
    }

    private ObjectNode listTagsForResource(Scope scope, JsonNode input) {
        String group = groupFromArn(scope, requiredText(input, "resourceArn"));
        ObjectNode out = empty();
        out.set("tags", requireGroup(scope, group).path("tags").deepCopy());
        return out;
    }

    private static void addTags(ObjectNode record, Map<String, String> tags) {
        ObjectNode existing = record.with("tags");
        tags.forEach(existing::put);
        if (existing.size() > MAX_TAGS) {
            throw new AwsException(400, "TooManyTagsException", "A resource can have no more than 50 tags.");
        }
    }

    private void updateGroup(Scope scope, String group, java.util.function.Consumer<ObjectNode> change) {
        ReentrantLock lock = lockFor(scope, group);
        lock.lock();
        try {
            ObjectNode record = requireGroup(scope, group);
            change.accept(record);
            store.write(new Batch().put(LogStorage.groupKey(scope.account(), scope.region(), group), LogStorage.bytes(record)));
        } finally {
            lock.unlock();
        }
    }

    private static Map<String, String> tags(JsonNode node, String member) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        if (node == null || node.isNull()) return tags;
        if (!node.isObject()) throw LogsErrors.serialization("Expected a map for " + member);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> tag = it.next();
            if (tag.getKey().isEmpty() || tag.getKey().length() > 128) {
                throw validation(quote(tag.getKey()), member, "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]");
            }
            if (tag.getValue().asText().length() > 256) {
                throw validation(quote(tag.getValue().asText()), member, "Map value must satisfy constraint: [Member must have length less than or equal to 256]");
            }
            tags.put(tag.getKey(), tag.getValue().asText());
        }
        if (tags.size() > MAX_TAGS) {
            throw validation("'" + tags + "'", member, "Member must have length less than or equal to 50");
        }
        return tags;
    }

    // ---- input helpers ----

    private String groupFrom(Scope scope, JsonNode input) {
        String name = text(input, "logGroupName");
        String identifier = text(input, "logGroupIdentifier");
        if (name != null && identifier != null) {
            throw LogsErrors.validationException("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (identifier != null) return groupFromIdentifier(scope, identifier);
        return groupName(input, "logGroupName");
    }

    private String groupFromIdentifier(Scope scope, String identifier) {
        return identifier.startsWith("arn:") ? groupFromArn(scope, identifier) : identifier;
    }

    private static String groupFromArn(Scope scope, String arn) {
        Matcher m = GROUP_ARN.matcher(arn);
        if (!m.matches()) throw invalidParameter("Invalid ARN: " + arn);
        if (!m.group(1).equals(scope.region()) || !m.group(2).equals(scope.account())) throw LogsErrors.groupNotFound();
        return m.group(3);
    }

    private static String groupName(JsonNode input, String member) {
        String name = requiredText(input, member);
        checkGroupName(name, member);
        return name;
    }

    private static void checkGroupName(String name, String member) {
        if (name.isEmpty() || name.length() > 512) {
            throw validation(quote(name), member, name.isEmpty() ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 512");
        }
        if (!GROUP_NAME.matcher(name).matches()) {
            throw validation(quote(name), member, "Member must satisfy regular expression pattern: " + GROUP_NAME.pattern());
        }
    }

    private static String streamName(JsonNode input, String member) {
        String name = requiredText(input, member);
        if (name.isEmpty() || name.length() > 512) {
            throw validation(quote(name), member, name.isEmpty() ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 512");
        }
        if (!STREAM_NAME.matcher(name).matches()) {
            throw validation(quote(name), member, "Member must satisfy regular expression pattern: " + STREAM_NAME.pattern());
        }
        return name;
    }

    private static String requiredText(JsonNode input, String member) {
        String value = text(input, member);
        if (value == null) throw missing(member);
        return value;
    }

    private static String text(JsonNode input, String member) {
        JsonNode node = input.get(member);
        if (node == null || node.isNull()) return null;
        if (!node.isValueNode()) throw LogsErrors.serialization("Expected a string for " + member);
        return node.asText();
    }

    private static long longOr(JsonNode input, String member, long fallback) {
        JsonNode node = input.get(member);
        if (node == null || node.isNull()) return fallback;
        long value = node.asLong();
        if (value < 0) throw validation(quote(value), member, "Member must have value greater than or equal to 0");
        return value;
    }

    private static int limit(JsonNode input, int max) {
        return limit(input, max, max);
    }

    private static int limit(JsonNode input, int fallback, int max) {
        JsonNode node = input.get("limit");
        if (node == null || node.isNull()) return fallback;
        int value = node.asInt();
        if (value < 1) throw validation(quote(value), "limit", "Member must have value greater than or equal to 1");
        if (value > max) throw validation(quote(value), "limit", "Member must have value less than or equal to " + max);
        return value;
    }

    private static String encodeNameToken(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeNameToken(String token) {
        if (token == null) return null;
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LogsErrors.invalidToken();
        }
    }

    private ReentrantLock lockFor(Scope scope, String group) {
        int hash = (scope.account() + "/" + scope.region() + "/" + group).hashCode();
        return groupLocks[Math.floorMod(hash, groupLocks.length)];
    }

    private static JsonNode parse(byte[] json) {
        try {
            return LogStorage.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode empty() {
        return LogStorage.JSON.createObjectNode();
    }
}
