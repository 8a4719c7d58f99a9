package io.eddy.dynamodb.streams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
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

    private static final Pattern SHARD_ID = Pattern.compile("shardId-\\d{20}-[0-9a-f]{8}");

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
        for (int g = 0; g < generations.size(); g++) shards.addAll(generationShards(g, nowMillis, retentionMillis));
        shards.sort(Comparator.comparing(ShardView::shardId));
        return shards;
    }

    /** Shard {@code index} of generation {@code generation}, or null if it is not readable (any more). */
    ShardView shard(int generation, int index, long nowMillis, long retentionMillis) {
        if (index < 0 || index >= shardCount) return null;
        for (int g = 0; g < generations.size(); g++) {
            if (generations.get(g).index() == generation) {
                List<ShardView> shards = generationShards(g, nowMillis, retentionMillis);
                return shards.isEmpty() ? null : shards.get(index);
            }
        }
        return null;
    }

    /** The shard with this id, or null if there is none (or it is not readable any more). */
    ShardView shard(String shardId, long nowMillis, long retentionMillis) {
        if (!SHARD_ID.matcher(shardId).matches()) return null;
        long startMillis = Long.parseLong(shardId.substring(8, 28));
        for (int g = 0; g < generations.size(); g++) {
            if (generations.get(g).startMillis() == startMillis) {
                for (ShardView shard : generationShards(g, nowMillis, retentionMillis)) {
                    if (shard.shardId().equals(shardId)) return shard;
                }
                return null;
            }
        }
        return null;
    }

    private List<ShardView> generationShards(int g, long nowMillis, long retentionMillis) {
        Generation generation = generations.get(g);
        if (end != null && g > 0 && (generation.startMillis() > end.atMillis() || generation.after() > end.after())) {
            return List.of();
        }
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
            return List.of();
        }
        List<ShardView> shards = new ArrayList<>(shardCount);
        for (int i = 0; i < shardCount; i++) {
            String parentId = generation.index() == 0 ? null
                    : shardId(generation.index() - 1, generation.parentStartMillis(), i);
            shards.add(new ShardView(shardId(generation.index(), generation.startMillis(), i), parentId,
                    generation.index(), i, generation.after(), last, open));
        }
        return shards;
    }

    /**
     * {@code shardId-<20 digits>-<8 hex>} as AWS shows them: the generation's opening time in
     * milliseconds, then a stable hash of stream, generation and shard whose last digit is the shard.
     */
    private String shardId(int generation, long startMillis, int index) {
        CRC32 crc = new CRC32();
        crc.update((arn() + '#' + generation).getBytes(StandardCharsets.UTF_8));
        String hash = Long.toHexString(crc.getValue() & 0xFFFFFFFL);
        String millis = Long.toString(startMillis);
        return "shardId-" + "0".repeat(20 - millis.length()) + millis + "-" + "0".repeat(7 - hash.length()) + hash
                + Integer.toHexString(index);
    }
}
