package io.eddy.lambda.esm;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.lambda.esm.spi.StreamSource;
import io.eddy.protocol.AwsException;

/** An in-memory DynamoDB stream: shards of records with increasing sequence numbers. */
final class FakeStream implements StreamSource {

    static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2026-11-22T00:00:00.000";

    private final Clock clock;
    private final Map<String, ShardData> shards = new LinkedHashMap<>();
    private long nextSequence = 100_000_000_000_000_000L;

    private static final class ShardData {
        final String parent;
        boolean open = true;
        final List<StreamRecord> records = new ArrayList<>();

        ShardData(String parent) {
            this.parent = parent;
        }
    }

    FakeStream(Clock clock) {
        this.clock = clock;
        shards.put("shardId-00000000000000000001-00000001", new ShardData(null));
    }

    synchronized String currentShard() {
        String last = null;
        for (Map.Entry<String, ShardData> e : shards.entrySet()) if (e.getValue().open) last = e.getKey();
        return last;
    }

    /** Appends a change of item {@code key} to the open shard; returns its sequence number. */
    synchronized String put(String key, String value) {
        String sequence = Long.toString(nextSequence++);
        ObjectNode event = MappingStore.JSON.createObjectNode();
        event.put("eventID", Long.toHexString(nextSequence));
        event.put("eventName", "INSERT");
        event.put("eventVersion", "1.1");
        event.put("eventSource", "aws:dynamodb");
        event.put("awsRegion", "us-east-1");
        ObjectNode dynamodb = event.putObject("dynamodb");
        dynamodb.put("ApproximateCreationDateTime", clock.millis() / 1000);
        dynamodb.putObject("Keys").putObject("id").put("S", key);
        ObjectNode image = dynamodb.putObject("NewImage");
        image.putObject("id").put("S", key);
        image.putObject("value").put("S", value);
        dynamodb.put("SequenceNumber", sequence);
        dynamodb.put("SizeBytes", 20);
        dynamodb.put("StreamViewType", "NEW_IMAGE");
        event.put("eventSourceARN", ARN);
        shards.get(currentShard()).records.add(new StreamRecord(sequence, event, clock.millis(), key.hashCode()));
        notifyAll();
        return sequence;
    }

    /** Closes the open shard and opens a child. */
    synchronized void rotate(String childId) {
        String parent = currentShard();
        shards.get(parent).open = false;
        shards.put(childId, new ShardData(parent));
        notifyAll();
    }

    @Override
    public void requireStream(String streamArn) {
        if (!ARN.equals(streamArn)) throw new AwsException(400, "InvalidParameterValueException", "Stream not found: " + streamArn);
    }

    @Override
    public synchronized List<Shard> shards(String streamArn) {
        List<Shard> out = new ArrayList<>();
        shards.forEach((id, s) -> out.add(new Shard(id, s.parent, s.open)));
        return out;
    }

    @Override
    public synchronized String latestPosition(String streamArn, String shardId) {
        List<StreamRecord> records = shards.get(shardId).records;
        return records.isEmpty() ? "0" : records.get(records.size() - 1).sequenceNumber();
    }

    @Override
    public synchronized ShardRead read(String streamArn, String shardId, String afterPosition, int limit) {
        ShardData shard = shards.get(shardId);
        long after = afterPosition == null ? -1 : Long.parseLong(afterPosition);
        List<StreamRecord> out = new ArrayList<>();
        int total = 0;
        for (StreamRecord r : shard.records) {
            if (Long.parseLong(r.sequenceNumber()) <= after) continue;
            total++;
            if (out.size() < limit) out.add(r);
        }
        String next = out.isEmpty() ? (afterPosition == null ? "0" : afterPosition) : out.get(out.size() - 1).sequenceNumber();
        return new ShardRead(out, next, !shard.open && total == out.size());
    }

    @Override
    public synchronized void await(String streamArn, String shardId, String afterPosition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ShardRead read = read(streamArn, shardId, afterPosition, 1);
            if (!read.records().isEmpty() || read.shardEnded()) return;
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) return;
            wait(Math.max(1, remaining / 1_000_000));
        }
    }
}
