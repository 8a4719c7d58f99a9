package io.eddy.dynamodb.streams;

import java.time.Duration;

/**
 * How streams behave: shards per stream (items are spread over them by partition key), how often
 * every open shard is closed and replaced by a child, how long records are kept, and how long a
 * shard iterator stays valid.
 */
public record StreamsSettings(int shardsPerStream, Duration shardRotation, Duration retention,
                              Duration iteratorLifetime) {

    /** AWS's values: shards roll over about every 4 hours, records live 24 hours, iterators 15 minutes. */
    public static StreamsSettings defaults() {
        return new StreamsSettings(4, Duration.ofHours(4), Duration.ofHours(24), Duration.ofMinutes(15));
    }

    public StreamsSettings {
        if (shardsPerStream < 1 || shardsPerStream > 16) throw new IllegalArgumentException("shardsPerStream 1..16");
        if (shardRotation.isNegative() || shardRotation.isZero()) throw new IllegalArgumentException("shardRotation");
        if (retention.isNegative() || retention.isZero()) throw new IllegalArgumentException("retention");
    }

    public StreamsSettings withShardRotation(Duration rotation) {
        return new StreamsSettings(shardsPerStream, rotation, retention, iteratorLifetime);
    }
}
