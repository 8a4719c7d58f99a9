package io.eddy.dynamodb.streams;

import java.util.List;

/**
 * What one read of a shard returned. {@code nextAfterSequenceNumber} is where the next read starts
 * (it may lie past the last record: the read also skipped other shards' entries). {@code shardEnded}
 * means the shard is closed and nothing is left after this batch; move on to its children.
 */
public record ShardBatch(List<ChangeRecord> records, String nextAfterSequenceNumber, boolean shardEnded) {
}
