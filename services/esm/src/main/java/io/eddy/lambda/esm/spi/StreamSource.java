package io.eddy.lambda.esm.spi;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.protocol.AwsException;

/**
 * What stream mappings need from DynamoDB Streams: shards, their records in order, and wake-ups.
 * Positions are sequence-number strings (digits, compared numerically); reading after a position
 * returns the records above it.
 */
public interface StreamSource {

    /**
     * Checks that the stream exists and can be read.
     *
     * @throws AwsException Lambda's InvalidParameterValueException when it does not
     */
    void requireStream(String streamArn);

    /** The stream's readable shards, parents before children; empty once the stream is gone. */
    List<Shard> shards(String streamArn);

    /** The position after the shard's newest record: where LATEST starts. */
    String latestPosition(String streamArn, String shardId);

    /**
     * Up to {@code limit} records of the shard above {@code afterPosition} (null: from the oldest
     * retained record), in order.
     *
     * @throws RuntimeException when the stream or shard no longer exists
     */
    ShardRead read(String streamArn, String shardId, String afterPosition, int limit);

    /**
     * Blocks until the shard holds a record above {@code afterPosition}, or is closed and read to its
     * end, or the timeout passes.
     */
    void await(String streamArn, String shardId, String afterPosition, Duration timeout) throws InterruptedException;

    /** A shard; {@code open} while it takes new records. */
    record Shard(String shardId, String parentShardId, boolean open) {
    }

    /**
     * One read: the records, the position the next read continues after (possibly past the last
     * record), and whether the shard is closed and has nothing left after them.
     */
    record ShardRead(List<StreamRecord> records, String nextPosition, boolean shardEnded) {
    }

    /**
     * One stream record.
     *
     * @param event            the record as Lambda delivers it: the GetRecords shape plus {@code eventSourceARN}
     * @param arrivalMillis    when the change reached the stream
     * @param partitionKeyHash equal for records of the same item, whose order must be kept
     */
    record StreamRecord(String sequenceNumber, ObjectNode event, long arrivalMillis, int partitionKeyHash) {
    }
}
