package io.eddy.dynamodb.streams;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import io.eddy.store.LogReader;
import io.eddy.store.Store;

/**
 * Reads one shard: walks the stream's log from a position, keeps the records that hash to the shard
 * and stops at the shard's end, a record count, a byte budget or a scan budget (so that a shard whose
 * siblings are busy answers quickly, as AWS's "it might take multiple calls" allows).
 */
final class ShardReader {

    /** The most log entries one read looks at, whichever shard they belong to. */
    static final int SCAN_BUDGET = 10_000;
    /** GetRecords returns at most 1 MB. */
    static final long MAX_BYTES = 1024 * 1024;

    private static final int CHUNK = 256;

    private final Store store;
    private final StreamRegistry registry;
    private final StreamsSettings settings;
    private final Clock clock;

    /** A shard as it is at one moment, with the highest log position a read of it may reach now. */
    record Target(StreamState stream, StreamState.ShardView shard, long upper) {
    }

    /** What a read found: records of the shard, the position to continue after, whether the shard is done. */
    record Result(List<LogReader.Entry> records, long position, boolean ended) {
    }

    ShardReader(Store store, StreamRegistry registry, StreamsSettings settings, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The stream and shard as they are now, or null if the stream is gone or the shard no longer
     * exists (it aged out). For an open shard the upper bound is the log's last committed position,
     * taken under the stream's read lock so a rotation cannot slip in between.
     */
    Target target(String streamArn, int generation, int shardIndex) {
        ReadWriteLock streamLock = registry.lockIfExists(streamArn);
        if (streamLock == null) return null;
        Lock lock = streamLock.readLock();
        lock.lock();
        try {
            StreamState stream = registry.get(streamArn);
            if (stream == null) return null;
            StreamState.ShardView shard = stream.shard(generation, shardIndex, clock.millis(), settings.retention().toMillis());
            if (shard != null) {
                long upper = shard.open() ? store.lastSequence(StreamRegistry.logPrefix(stream)) : shard.last();
                return new Target(stream, shard, upper);
            }
            return new Target(stream, null, -1);
        } finally {
            lock.unlock();
        }
    }

    Target target(String streamArn, String shardId) {
        ReadWriteLock streamLock = registry.lockIfExists(streamArn);
        if (streamLock == null) return null;
        Lock lock = streamLock.readLock();
        lock.lock();
        try {
            StreamState stream = registry.get(streamArn);
            if (stream == null) return null;
            StreamState.ShardView shard = stream.shard(shardId, clock.millis(), settings.retention().toMillis());
            if (shard == null) return new Target(stream, null, -1);
            long upper = shard.open() ? store.lastSequence(StreamRegistry.logPrefix(stream)) : shard.last();
            return new Target(stream, shard, upper);
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code limit} records of the shard after {@code position}. */
    Result read(Target target, long position, int limit) {
        byte[] log = StreamRegistry.logPrefix(target.stream());
        int shardCount = target.stream().shardCount();
        int index = target.shard().index();
        long upper = target.upper();
        long pos = Math.max(position, target.shard().after());
        List<LogReader.Entry> records = new ArrayList<>();
        long bytes = 0;
        int scanned = 0;
        scan:
        while (pos < upper && records.size() < limit && scanned < SCAN_BUDGET) {
            List<LogReader.Entry> chunk = LogReader.readAfter(store, log, pos, CHUNK);
            if (chunk.isEmpty()) {
                pos = upper;
                break;
            }
            for (LogReader.Entry entry : chunk) {
                if (entry.sequence() > upper) {
                    pos = upper;
                    break scan;
                }
                byte[] value = entry.value();
                if (!ChangeRecords.isMarker(value) && ChangeRecords.shardIndex(value, shardCount) == index) {
                    if (!records.isEmpty() && bytes + value.length > MAX_BYTES) break scan;
                    records.add(entry);
                    bytes += value.length;
                }
                pos = entry.sequence();
                scanned++;
                if (records.size() >= limit || scanned >= SCAN_BUDGET) break scan;
            }
        }
        return new Result(records, pos, !target.shard().open() && pos >= upper);
    }
}
