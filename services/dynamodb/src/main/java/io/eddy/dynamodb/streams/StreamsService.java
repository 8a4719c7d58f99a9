package io.eddy.dynamodb.streams;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.ItemChangeListener;
import io.eddy.dynamodb.TableChangeListener;
import io.eddy.dynamodb.TableInfo;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.protocol.json.JsonService;
import io.eddy.store.LogReader;
import io.eddy.store.Store;

/**
 * Amazon DynamoDB Streams (target prefix {@code DynamoDBStreams_20120810}, signed as {@code dynamodb}):
 * ListStreams, DescribeStream, GetShardIterator and GetRecords over the change records that DynamoDB
 * writes commit together with their items. Also the Java API Lambda event source mappings read
 * streams through: {@link #describe}, {@link #shards}, {@link #latestSequenceNumber}, {@link #read}
 * and {@link #awaitRecords}.
 *
 * <p>Wire it to DynamoDB with {@link #itemChangeListener()} and {@link #tableChangeListener()}.
 */
public final class StreamsService implements JsonService, AutoCloseable {

    /** Finds a DynamoDB table by account, region and name; null if there is none. */
    @FunctionalInterface
    public interface TableLookup {
        TableInfo find(String accountId, String region, String tableName);
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern STREAM_ARN =
            Pattern.compile("arn:aws[a-z-]*:dynamodb:([^:]+):([^:]+):table/([a-zA-Z0-9_.-]{3,255})/stream/(.+)");
    private static final List<String> ITERATOR_TYPES =
            List.of("TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER");
    private static final List<String> SHARD_FILTER_TYPES = List.of("CHILD_SHARDS");
    private static final DateTimeFormatter EXPIRY_TIME =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss 'UTC' yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Store store;
    private final Clock clock;
    private final StreamsSettings settings;
    private final TableLookup tables;
    private final StreamRegistry registry;
    private final StreamRecorder recorder;
    private final ShardReader reader;
    private final StreamMaintenance maintenance;

    public StreamsService(Store store, Clock clock, StreamsSettings settings, TableLookup tables) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.tables = tables;
        this.registry = new StreamRegistry(store);
        this.maintenance = new StreamMaintenance(store, registry, settings, clock);
        this.recorder = new StreamRecorder(store, registry, settings, clock, maintenance::wakeUp);
        this.reader = new ShardReader(store, registry, settings, clock);
    }

    /** Starts rotating shards and trimming old records in the background. */
    public StreamsService start() {
        maintenance.start();
        return this;
    }

    /** Register with {@code DynamoDbService.addItemChangeListener}: appends each write's record. */
    public ItemChangeListener itemChangeListener() {
        return recorder;
    }

    /** Register with {@code DynamoDbService.addTableChangeListener}: opens and ends streams. */
    public TableChangeListener tableChangeListener() {
        return recorder;
    }

    @Override
    public ObjectNode invoke(String operation, JsonNode input, RequestContext ctx) {
        return switch (operation) {
            case "ListStreams" -> listStreams(input, ctx);
            case "DescribeStream" -> describeStream(input, ctx);
            case "GetShardIterator" -> getShardIterator(input, ctx);
            case "GetRecords" -> getRecords(input, ctx);
            default -> throw DynamoDbErrors.unknownOperation();
        };
    }

    // ---- ListStreams

    private ObjectNode listStreams(JsonNode in, RequestContext ctx) {
        Requests r = new Requests(in);
        String tableName = r.string("TableName");
        Integer limit = r.integer("Limit");
        String startArn = r.string("ExclusiveStartStreamArn");
        r.tableName(tableName, "tableName").range(limit, "limit", 1, 100)
                .length(startArn, "exclusiveStartStreamArn", 37, 1024).check();
        Matcher start = null;
        if (startArn != null) {
            start = STREAM_ARN.matcher(startArn);
            if (!start.matches()) throw StreamsErrors.invalidStreamArn();
        }
        List<StreamState> streams = registry.list(ctx.accountId(), ctx.region(), tableName);
        if (tableName != null && streams.isEmpty() && tables.find(ctx.accountId(), ctx.region(), tableName) == null) {
            throw StreamsErrors.tableNotFound(tableName);
        }
        int max = limit == null ? 100 : limit;
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("Streams");
        StreamState last = null;
        boolean more = false;
        for (StreamState stream : streams) {
            if (start != null && compare(stream, start.group(3), start.group(4)) <= 0) continue;
            if (list.size() == max) {
                more = true;
                break;
            }
            ObjectNode node = list.addObject();
            node.put("StreamArn", stream.arn());
            node.put("TableName", stream.tableName());
            node.put("StreamLabel", stream.label());
            last = stream;
        }
        if (more) out.put("LastEvaluatedStreamArn", last.arn());
        return out;
    }

    private static int compare(StreamState stream, String tableName, String label) {
        int byTable = stream.tableName().compareTo(tableName);
        return byTable != 0 ? byTable : stream.label().compareTo(label);
    }

    // ---- DescribeStream

    private ObjectNode describeStream(JsonNode in, RequestContext ctx) {
        Requests r = new Requests(in);
        String arn = r.string("StreamArn");
        Integer limit = r.integer("Limit");
        String startShardId = r.string("ExclusiveStartShardId");
        JsonNode filter = r.object("ShardFilter");
        String filterType = r.string(filter, "Type");
        String filterShardId = r.string(filter, "ShardId");
        r.required(arn, "streamArn").length(arn, "streamArn", 37, 1024).range(limit, "limit", 1, 100)
                .length(startShardId, "exclusiveStartShardId", 28, 65);
        if (filter != null) {
            r.required(filterType, "shardFilter.type").oneOf(filterType, "shardFilter.type", SHARD_FILTER_TYPES)
                    .length(filterShardId, "shardFilter.shardId", 28, 65);
        }
        r.check();
        if (filter != null && filterShardId == null) {
            throw DynamoDbErrors.validation("ShardFilter.ShardId must be specified when ShardFilter.Type is CHILD_SHARDS");
        }
        StreamState stream = stream(arn, ctx);
        List<StreamState.ShardView> shards = stream.shards(clock.millis(), settings.retention().toMillis());
        int max = limit == null ? 100 : limit;
        ObjectNode description = JSON.objectNode();
        description.put("StreamArn", stream.arn());
        description.put("StreamLabel", stream.label());
        description.put("StreamStatus", stream.enabled() ? "ENABLED" : "DISABLED");
        description.put("StreamViewType", stream.viewType());
        description.put("CreationRequestDateTime", BigDecimal.valueOf(stream.createdMillis(), 3));
        description.put("TableName", stream.tableName());
        ArrayNode keySchema = description.putArray("KeySchema");
        keySchema.addObject().put("AttributeName", stream.hashKey().name()).put("KeyType", "HASH");
        if (stream.rangeKey() != null) {
            keySchema.addObject().put("AttributeName", stream.rangeKey().name()).put("KeyType", "RANGE");
        }
        ArrayNode list = description.putArray("Shards");
        String last = null;
        boolean more = false;
        for (StreamState.ShardView shard : shards) {
            if (startShardId != null && shard.shardId().compareTo(startShardId) <= 0) continue;
            if (filterShardId != null && !filterShardId.equals(shard.parentShardId())) continue;
            if (list.size() == max) {
                more = true;
                break;
            }
            ObjectNode node = list.addObject();
            node.put("ShardId", shard.shardId());
            ObjectNode range = node.putObject("SequenceNumberRange");
            range.put("StartingSequenceNumber", shard.startingSequenceNumber());
            if (!shard.open()) range.put("EndingSequenceNumber", shard.endingSequenceNumber());
            if (shard.parentShardId() != null) node.put("ParentShardId", shard.parentShardId());
            last = shard.shardId();
        }
        if (more) description.put("LastEvaluatedShardId", last);
        ObjectNode out = JSON.objectNode();
        out.set("StreamDescription", description);
        return out;
    }

    /** The stream named by a syntactically valid ARN of the caller's account and region. */
    private StreamState stream(String arn, RequestContext ctx) {
        Matcher m = STREAM_ARN.matcher(arn);
        if (!m.matches()) throw StreamsErrors.invalidStreamArn();
        StreamState stream = registry.get(arn);
        if (stream == null || !stream.accountId().equals(ctx.accountId()) || !stream.region().equals(ctx.region())) {
            throw StreamsErrors.streamNotFound(arn);
        }
        return stream;
    }

    // ---- GetShardIterator

    private ObjectNode getShardIterator(JsonNode in, RequestContext ctx) {
        Requests r = new Requests(in);
        String arn = r.string("StreamArn");
        String shardId = r.string("ShardId");
        String type = r.string("ShardIteratorType");
        String sequenceNumber = r.string("SequenceNumber");
        r.required(arn, "streamArn").length(arn, "streamArn", 37, 1024)
                .required(shardId, "shardId").length(shardId, "shardId", 28, 65)
                .required(type, "shardIteratorType").oneOf(type, "shardIteratorType", ITERATOR_TYPES)
                .length(sequenceNumber, "sequenceNumber", 21, 40).check();
        boolean needsSequence = type.equals("AT_SEQUENCE_NUMBER") || type.equals("AFTER_SEQUENCE_NUMBER");
        if (needsSequence && sequenceNumber == null) {
            throw DynamoDbErrors.validation("SequenceNumber must be specified when ShardIteratorType is " + type);
        }
        if (!needsSequence && sequenceNumber != null) {
            throw DynamoDbErrors.validation("SequenceNumber must not be specified when ShardIteratorType is " + type);
        }
        if (sequenceNumber != null && !SequenceNumbers.isDigits(sequenceNumber)) {
            throw DynamoDbErrors.validation("Invalid SequenceNumber: " + sequenceNumber);
        }
        stream(arn, ctx);
        ShardReader.Target target = reader.target(arn, shardId);
        if (target == null) throw StreamsErrors.streamNotFound(arn);
        if (target.shard() == null) throw StreamsErrors.shardNotFound();
        long position = switch (type) {
            case "TRIM_HORIZON" -> trimHorizon(target);
            case "LATEST" -> Math.max(target.upper(), trimHorizon(target));
            default -> sequencePosition(target, sequenceNumber, type.equals("AFTER_SEQUENCE_NUMBER"));
        };
        ObjectNode out = JSON.objectNode();
        out.put("ShardIterator", ShardIterators.encode(arn, target.shard().generation(), target.shard().index(),
                position, clock.millis()));
        return out;
    }

    private static long trimHorizon(ShardReader.Target target) {
        return Math.max(target.shard().after(), target.stream().trimBefore() - 1);
    }

    /** The position to read after for an AT/AFTER_SEQUENCE_NUMBER iterator. */
    private static long sequencePosition(ShardReader.Target target, String sequenceNumber, boolean after) {
        StreamState.ShardView shard = target.shard();
        long sequence = SequenceNumbers.parse(sequenceNumber);
        long first = shard.after() + 1;
        long last = shard.open() ? Long.MAX_VALUE : Math.max(shard.last(), first);
        if (sequence == Long.MIN_VALUE || sequence < first || sequence > last) {
            throw DynamoDbErrors.validation("Invalid SequenceNumber " + sequenceNumber + " for shard " + shard.shardId()
                    + ": it is not in the range of the shard");
        }
        long position = after ? sequence : sequence - 1;
        if (position + 1 < target.stream().trimBefore()) throw StreamsErrors.trimmed();
        return shard.open() ? position : Math.min(position, shard.last());
    }

    // ---- GetRecords

    private ObjectNode getRecords(JsonNode in, RequestContext ctx) {
        Requests r = new Requests(in);
        String iterator = r.string("ShardIterator");
        Integer limit = r.integer("Limit");
        r.required(iterator, "shardIterator").length(iterator, "shardIterator", 1, 2048)
                .range(limit, "limit", 1, 1000).check();
        ShardIterators.Decoded decoded = ShardIterators.decode(iterator);
        if (decoded == null || !STREAM_ARN.matcher(decoded.streamArn()).matches()) {
            throw StreamsErrors.invalidShardIterator();
        }
        long now = clock.millis();
        if (now - decoded.issuedMillis() > settings.iteratorLifetime().toMillis()) {
            throw StreamsErrors.expiredIterator("Iterator expired. The iterator was created at time "
                    + EXPIRY_TIME.format(Instant.ofEpochMilli(decoded.issuedMillis())) + " while right now it is "
                    + EXPIRY_TIME.format(Instant.ofEpochMilli(now)) + " which is further in the future than the "
                    + "tolerated delay of " + settings.iteratorLifetime().toMillis() + " milliseconds.");
        }
        String arn = decoded.streamArn();
        stream(arn, ctx);
        ShardReader.Target target = reader.target(arn, decoded.generation(), decoded.shardIndex());
        if (target == null) throw StreamsErrors.streamNotFound(arn);
        if (target.shard() == null) throw StreamsErrors.trimmed();
        if (decoded.position() + 1 < target.stream().trimBefore()) throw StreamsErrors.trimmed();
        ShardReader.Result result = reader.read(target, decoded.position(), limit == null ? 1000 : limit);
        ObjectNode out = JSON.objectNode();
        ArrayNode records = out.putArray("Records");
        for (LogReader.Entry entry : result.records()) {
            records.add(ChangeRecords.toJson(ChangeRecords.decode(entry.value()),
                    SequenceNumbers.format(entry.sequence()), ctx.region(), null));
        }
        if (!result.ended()) {
            out.put("NextShardIterator", ShardIterators.encode(arn, decoded.generation(), decoded.shardIndex(),
                    result.position(), now));
        }
        return out;
    }

    // ---- Java API for Lambda event source mappings

    /** The stream, or null if there is none under that ARN (never was, or aged out after it ended). */
    public StreamDescriptor describe(String streamArn) {
        StreamState stream = registry.get(streamArn);
        return stream == null ? null : new StreamDescriptor(stream.arn(), stream.tableName(), stream.label(),
                stream.viewType(), stream.enabled());
    }

    /**
     * The stream's readable shards, parents before children. Throws DynamoDB Streams'
     * ResourceNotFoundException if the stream does not exist.
     */
    public List<StreamShard> shards(String streamArn) {
        StreamState stream = registry.get(streamArn);
        if (stream == null) throw StreamsErrors.streamNotFound(streamArn);
        List<StreamShard> shards = new ArrayList<>();
        for (StreamState.ShardView shard : stream.shards(clock.millis(), settings.retention().toMillis())) {
            shards.add(new StreamShard(shard.shardId(), shard.parentShardId(), shard.startingSequenceNumber(),
                    shard.endingSequenceNumber()));
        }
        return shards;
    }

    /**
     * Where a consumer starting at LATEST begins: pass it as {@code afterSequenceNumber} to
     * {@link #read} to get only records written from now on.
     */
    public String latestSequenceNumber(String streamArn, String shardId) {
        ShardReader.Target target = requireTarget(streamArn, shardId);
        return SequenceNumbers.format(Math.max(target.upper(), trimHorizon(target)));
    }

    /**
     * Up to {@code maxRecords} records of the shard after {@code afterSequenceNumber} (null: from the
     * oldest retained record, TRIM_HORIZON), in order, as Lambda delivers them. A position that was
     * trimmed meanwhile continues at the oldest retained record. Throws ResourceNotFoundException if
     * the stream or shard no longer exists.
     */
    public ShardBatch read(String streamArn, String shardId, String afterSequenceNumber, int maxRecords) {
        if (maxRecords < 1) throw new IllegalArgumentException("maxRecords must be positive");
        ShardReader.Target target = requireTarget(streamArn, shardId);
        long position = startPosition(target, afterSequenceNumber);
        ShardReader.Result result = reader.read(target, position, maxRecords);
        List<ChangeRecord> records = new ArrayList<>(result.records().size());
        for (LogReader.Entry entry : result.records()) {
            ChangeRecords.Change change = ChangeRecords.decode(entry.value());
            String sequenceNumber = SequenceNumbers.format(entry.sequence());
            records.add(new ChangeRecord(sequenceNumber, Instant.ofEpochMilli(change.arrivalMillis()),
                    change.sizeBytes(), ChangeRecords.partitionHash(entry.value()),
                    ChangeRecords.toJson(change, sequenceNumber, target.stream().region(), streamArn)));
        }
        return new ShardBatch(records, SequenceNumbers.format(result.position()), result.ended());
    }

    /**
     * Blocks until the shard has a record after {@code afterSequenceNumber} or is closed and read to
     * its end (then {@link #read} has something to report), or until {@code timeout} passes. Wakes on
     * the commit of new records, shard rotation and the stream's end; never polls.
     */
    public boolean awaitRecords(String streamArn, String shardId, String afterSequenceNumber, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ShardReader.Target target = requireTarget(streamArn, shardId);
        long position = startPosition(target, afterSequenceNumber);
        byte[] log = StreamRegistry.logPrefix(target.stream());
        while (true) {
            ShardReader.Result result = reader.read(target, position, 1);
            if (!result.records().isEmpty() || result.ended()) return true;
            position = result.position();
            if (position < target.upper()) continue;
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) return false;
            store.awaitAppend(log, target.upper(), Duration.ofNanos(remaining));
            target = requireTarget(streamArn, shardId);
        }
    }

    private ShardReader.Target requireTarget(String streamArn, String shardId) {
        ShardReader.Target target = reader.target(streamArn, shardId);
        if (target == null) throw StreamsErrors.streamNotFound(streamArn);
        if (target.shard() == null) throw StreamsErrors.shardNotFound();
        return target;
    }

    private static long startPosition(ShardReader.Target target, String afterSequenceNumber) {
        long horizon = trimHorizon(target);
        if (afterSequenceNumber == null) return horizon;
        long position = SequenceNumbers.parse(afterSequenceNumber);
        if (position == Long.MIN_VALUE) throw new IllegalArgumentException("not a sequence number: " + afterSequenceNumber);
        return Math.max(position, horizon);
    }

    StreamMaintenance maintenance() {
        return maintenance;
    }

    @Override
    public void close() {
        maintenance.close();
    }
}
