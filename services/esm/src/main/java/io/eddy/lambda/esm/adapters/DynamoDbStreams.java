package io.eddy.lambda.esm.adapters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eddy.dynamodb.streams.ChangeRecord;
import io.eddy.dynamodb.streams.ShardBatch;
import io.eddy.dynamodb.streams.StreamShard;
import io.eddy.dynamodb.streams.StreamsService;
import io.eddy.lambda.esm.spi.StreamSource;
import io.eddy.protocol.AwsException;

/** DynamoDB Streams as mappings read them, through the streams service's Java API. */
public final class DynamoDbStreams implements StreamSource {

    private final StreamsService streams;

    public DynamoDbStreams(StreamsService streams) {
        this.streams = streams;
    }

    @Override
    public void requireStream(String streamArn) {
        if (streams.describe(streamArn) == null) {
            throw new AwsException(400, "InvalidParameterValueException", "Stream not found: " + streamArn);
        }
    }

    @Override
    public List<Shard> shards(String streamArn) {
        List<Shard> out = new ArrayList<>();
        try {
            for (StreamShard shard : streams.shards(streamArn)) {
                out.add(new Shard(shard.shardId(), shard.parentShardId(), shard.isOpen()));
            }
        } catch (AwsException streamGone) {
            return List.of();
        }
        return out;
    }

    @Override
    public String latestPosition(String streamArn, String shardId) {
        return streams.latestSequenceNumber(streamArn, shardId);
    }

    @Override
    public ShardRead read(String streamArn, String shardId, String afterPosition, int limit) {
        ShardBatch batch = streams.read(streamArn, shardId, afterPosition, limit);
        List<StreamRecord> records = new ArrayList<>(batch.records().size());
        for (ChangeRecord record : batch.records()) {
            records.add(new StreamRecord(record.sequenceNumber(), record.event(), record.approximateArrival().toEpochMilli(),
                    record.partitionKeyHash()));
        }
        return new ShardRead(records, batch.nextAfterSequenceNumber(), batch.shardEnded());
    }

    @Override
    public void await(String streamArn, String shardId, String afterPosition, Duration timeout) throws InterruptedException {
        streams.awaitRecords(streamArn, shardId, afterPosition, timeout);
    }
}
