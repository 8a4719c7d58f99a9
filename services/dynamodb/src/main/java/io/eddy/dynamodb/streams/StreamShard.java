package io.eddy.dynamodb.streams;

/**
 * A shard of a stream for Java consumers (Lambda event source mappings). {@code endingSequenceNumber}
 * is null while the shard is open; a consumer reads a parent to its end before its children.
 */
public record StreamShard(String shardId, String parentShardId, String startingSequenceNumber,
                          String endingSequenceNumber) {

    public boolean isOpen() {
        return endingSequenceNumber == null;
    }
}
