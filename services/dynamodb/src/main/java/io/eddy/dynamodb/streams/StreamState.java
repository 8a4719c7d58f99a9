package io.eddy.dynamodb.streams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;

import io.eddy.dynamodb.KeyDef;

/**
 * One stream as it is now, immutable. Its records live in one log in commit order; shards are views
 * of that log. Generations cut the log into consecutive position ranges: generation g holds the
 * positions after {@code generations[g].after} up to and including the next generation's
 * {@code after} (or the stream's end, or open-ended). Within a generation, a record belongs to shard
 * {@code partitionHash mod shardCount}; shard i of generation g is the parent of shard i of g+1, so
 * per-item order holds across rotations. Positions below {@code trimBefore} were trimmed.
 */
record StreamState(String accountId, String region, String tableName, String label, String tableId,
                   String viewType, KeyDef hashKey, KeyDef rangeKey, long createdMillis, int shardCount,
                   List<Generation> generations, End end, long trimBefore) {

    /**
     * A generation of shards, opened at {@code startMillis}, holding positions after {@code after};
     * {@code parentStartMillis} (-1 for the first) names the parents even after they aged out.
     */
    record Generation(int index, long startMillis, long after, long parentStartMillis) {
    }

    /** The stream was disabled (or its table deleted) at {@code atMillis}; no position after {@code after} belongs to it. */
    record End(long atMillis, long after) {
    }

    /** One shard as DescribeStream shows it; reads cover positions in ({@code after}, {@code last}]. */
    record ShardView(String shardId, String parentShardId, int generation, int index, long after, long last,
                     boolean open) {

        String startingSequenceNumber() {
            return SequenceNumbers.format(after + 1);
        }

        /** Null while the shard is open. */
        String endingSequenceNumber() {
            return open ? null : SequenceNumbers.format(Math.max(last, after + 1));
        }
    }

    StreamState {
        generations = List.copyOf(generations);
    }

    static String arn(String region, String accountId, String tableName, String label) {
        return "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + tableName + "/stream/" + label;
    }

    String arn() {
        return arn(region, accountId, tableName, label);
    }

    boolean enabled() {
        return end == null;
    }

    Generation current() {
        return generations.get(generations.size() - 1);
    }

    StreamState withGeneration(Generation generation) {
        List<Generation> all = new ArrayList<>(generations);
        all.removeIf(g -> g.index() == generation.index());
        all.add(generation);
        all.sort(Comparator.comparingInt(Generation::index));
        return new StreamState(accountId, region, tableName, label, tableId, viewType, hashKey, rangeKey,
                createdMillis, shardCount, all, end, trimBefore);
    }

    StreamState withEnd(End end) {
        return new StreamState(accountId, region, tableName, label, tableId, viewType, hashKey, rangeKey,
                createdMillis, shardCount, generations, end, trimBefore);
    }

    StreamState withTrim(long trimBefore, List<Generation> remaining) {
        return new StreamState(accountId, region, tableName, label, tableId, viewType, hashKey, rangeKey,
                createdMillis, shardCount, remaining, end, Math.max(this.trimBefore, trimBefore));
    }

    /**
     * The shards still readable at {@code nowMillis}, parents before children and in shard id order.
     * A generation opened after the stream ended (a rotation that raced with disabling) holds nothing
     * and is left out, as is a closed generation whose records have all aged out: it closed more than
     * {@code retentionMillis} ago, or every position it held was trimmed.
     */
    List<ShardView> shards(long nowMillis, long retentionMillis) {
        List<ShardView> shards = new ArrayList<>();
        for (int g = 0; g < generations.size(); g++) {
            Generation generation = generations.get(g);
            if (end != null && g > 0 && generation.startMillis() > end.atMillis()) continue;
            boolean open;
            long last;
            long closedAt;
            if (g + 1 < generations.size() && (end == null || generations.get(g + 1).startMillis() <= end.atMillis())) {
                open = false;
                last = generations.get(g + 1).after();
                if (end != null) last = Math.min(last, end.after());
                closedAt = generations.get(g + 1).startMillis();
            } else if (end != null) {
                open = false;
                last = end.after();
                closedAt = end.atMillis();
            } else {
                open = true;
                last = Long.MAX_VALUE;
                closedAt = Long.MAX_VALUE;
            }
            if (!open && (closedAt <= nowMillis - retentionMillis || (last > generation.after() && last < trimBefore))) {
                continue;
            }
            for (int i = 0; i < shardCount; i++) {
                String parentId = generation.index() == 0 ? null
                        : shardId(generation.index() - 1, generation.parentStartMillis(), i);
                shards.add(new ShardView(shardId(generation.index(), generation.startMillis(), i), parentId,
                        generation.index(), i, generation.after(), last, open));
            }
        }
        shards.sort(Comparator.comparing(ShardView::shardId));
        return shards;
    }

    ShardView shard(String shardId, long nowMillis, long retentionMillis) {
        for (ShardView shard : shards(nowMillis, retentionMillis)) if (shard.shardId().equals(shardId)) return shard;
        return null;
    }

    /**
     * {@code shardId-<20 digits>-<8 hex>} as AWS shows them: the generation's opening time in
     * milliseconds, then a stable hash of stream, generation and shard whose last digit is the shard.
     */
    private String shardId(int generation, long startMillis, int index) {
        CRC32 crc = new CRC32();
        crc.update((arn() + '#' + generation).getBytes(StandardCharsets.UTF_8));
        String hash = String.format("%07x", crc.getValue() & 0xFFFFFFFL);
        return "shardId-" + String.format("%020d", startMillis) + "-" + hash + Integer.toHexString(index);
    }
}
