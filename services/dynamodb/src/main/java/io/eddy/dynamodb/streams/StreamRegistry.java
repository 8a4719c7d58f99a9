package io.eddy.dynamodb.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.KeyDef;
import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * Every stream of every account and region, held in memory and stored under {@code ddbstreams}:
 * <pre>
 *   meta/&lt;account&gt;/&lt;region&gt;/&lt;table&gt;/&lt;label&gt;/info         fixed facts (JSON)
 *   meta/&lt;account&gt;/&lt;region&gt;/&lt;table&gt;/&lt;label&gt;/gen u64      one per shard generation
 *   meta/&lt;account&gt;/&lt;region&gt;/&lt;table&gt;/&lt;label&gt;/end          when and where the stream ended
 *   meta/&lt;account&gt;/&lt;region&gt;/&lt;table&gt;/&lt;label&gt;/trim         first untrimmed log position
 *   log/&lt;account&gt;/&lt;region&gt;/&lt;table&gt;/&lt;label&gt; seq          the records (a store log)
 * </pre>
 * Each fact has its own key, so changes from different causes (the table's control plane, shard
 * rotation, trimming) commit independently without overwriting each other. Changes are staged into
 * the batch of their cause and applied in memory once it commits.
 */
final class StreamRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Map<String, StreamState> streams = new ConcurrentHashMap<>();
    private final Map<String, ReadWriteLock> locks = new ConcurrentHashMap<>();

    StreamRegistry(Store store) {
        this.store = store;
        load();
    }

    static byte[] logPrefix(String accountId, String region, String tableName, String label) {
        return Keys.of().text("ddbstreams").text("log").text(accountId).text(region).text(tableName).text(label).build();
    }

    static byte[] logPrefix(StreamState stream) {
        return logPrefix(stream.accountId(), stream.region(), stream.tableName(), stream.label());
    }

    private static Keys metaKey(StreamState stream, String kind) {
        return Keys.of().text("ddbstreams").text("meta").text(stream.accountId()).text(stream.region())
                .text(stream.tableName()).text(stream.label()).text(kind);
    }

    private static byte[] metaRoot() {
        return Keys.of().text("ddbstreams").text("meta").build();
    }

    StreamState get(String arn) {
        return streams.get(arn);
    }

    List<StreamState> all() {
        return new ArrayList<>(streams.values());
    }

    /** Streams of one account and region, optionally of one table, ordered by table name and label. */
    List<StreamState> list(String accountId, String region, String tableName) {
        List<StreamState> result = new ArrayList<>();
        for (StreamState stream : streams.values()) {
            if (stream.accountId().equals(accountId) && stream.region().equals(region)
                    && (tableName == null || stream.tableName().equals(tableName))) {
                result.add(stream);
            }
        }
        result.sort(Comparator.comparing(StreamState::tableName).thenComparing(StreamState::label));
        return result;
    }

    /**
     * Held for reading while a reader decides how far an open shard reaches, and for writing while a
     * rotation picks the cut and publishes it: so no reader hands out records of the next generation
     * as if they were the parent's.
     */
    ReadWriteLock lock(String arn) {
        return locks.computeIfAbsent(arn, k -> new ReentrantReadWriteLock());
    }

    /** The stream's lock, or null if there is no such stream (so unknown ARNs leave nothing behind). */
    ReadWriteLock lockIfExists(String arn) {
        return streams.containsKey(arn) ? lock(arn) : null;
    }

    // ---- changes: stage into the cause's batch, apply after it commits

    void stageCreate(StreamState stream, Batch batch) {
        ObjectNode info = JSON.createObjectNode();
        info.put("arn", stream.arn());
        info.put("account", stream.accountId());
        info.put("region", stream.region());
        info.put("table", stream.tableName());
        info.put("label", stream.label());
        info.put("tableId", stream.tableId());
        info.put("view", stream.viewType());
        info.set("hash", keyDef(stream.hashKey()));
        if (stream.rangeKey() != null) info.set("range", keyDef(stream.rangeKey()));
        info.put("created", stream.createdMillis());
        info.put("shards", stream.shardCount());
        batch.put(metaKey(stream, "info").build(), bytes(info));
        for (StreamState.Generation generation : stream.generations()) stageGeneration(stream, generation, batch);
        batch.afterCommit(() -> streams.putIfAbsent(stream.arn(), stream));
    }

    void stageGeneration(StreamState stream, StreamState.Generation generation, Batch batch) {
        ObjectNode node = JSON.createObjectNode();
        node.put("arn", stream.arn());
        node.put("index", generation.index());
        node.put("start", generation.startMillis());
        node.put("after", generation.after());
        node.put("parentStart", generation.parentStartMillis());
        batch.put(metaKey(stream, "gen").u64(generation.index()).build(), bytes(node));
    }

    void applyGeneration(String arn, StreamState.Generation generation) {
        streams.computeIfPresent(arn, (k, s) -> s.withGeneration(generation));
    }

    void stageEnd(StreamState stream, StreamState.End end, Batch batch) {
        ObjectNode node = JSON.createObjectNode();
        node.put("arn", stream.arn());
        node.put("at", end.atMillis());
        node.put("after", end.after());
        batch.put(metaKey(stream, "end").build(), bytes(node));
        batch.afterCommit(() -> streams.computeIfPresent(stream.arn(), (k, s) -> s.withEnd(end)));
    }

    /** Drops log positions below {@code trimBefore} and the generations that held only those. */
    void stageTrim(StreamState stream, long trimBefore, List<StreamState.Generation> dropped, Batch batch) {
        ObjectNode node = JSON.createObjectNode();
        node.put("arn", stream.arn());
        node.put("before", trimBefore);
        batch.put(metaKey(stream, "trim").build(), bytes(node));
        for (StreamState.Generation generation : dropped) {
            batch.delete(metaKey(stream, "gen").u64(generation.index()).build());
        }
        batch.afterCommit(() -> streams.computeIfPresent(stream.arn(), (k, s) -> {
            List<StreamState.Generation> remaining = new ArrayList<>(s.generations());
            remaining.removeAll(dropped);
            return s.withTrim(trimBefore, remaining);
        }));
    }

    /** Forgets a stream whose records have all aged out. */
    void stageRemove(StreamState stream, Batch batch) {
        byte[] prefix = Keys.of().text("ddbstreams").text("meta").text(stream.accountId()).text(stream.region())
                .text(stream.tableName()).text(stream.label()).build();
        try (Cursor cursor = store.scanPrefix(prefix)) {
            while (cursor.next()) batch.delete(cursor.key());
        }
        batch.afterCommit(() -> {
            streams.remove(stream.arn());
            locks.remove(stream.arn());
        });
    }

    // ---- loading

    private void load() {
        Map<String, JsonNode> infos = new HashMap<>();
        Map<String, List<StreamState.Generation>> generations = new HashMap<>();
        Map<String, StreamState.End> ends = new HashMap<>();
        Map<String, Long> trims = new HashMap<>();
        try (Cursor cursor = store.scanPrefix(metaRoot())) {
            while (cursor.next()) {
                JsonNode node = parse(cursor.value());
                String arn = node.get("arn").asText();
                if (node.has("tableId")) {
                    infos.put(arn, node);
                } else if (node.has("index")) {
                    generations.computeIfAbsent(arn, k -> new ArrayList<>()).add(new StreamState.Generation(
                            node.get("index").asInt(), node.get("start").asLong(), node.get("after").asLong(),
                            node.get("parentStart").asLong()));
                } else if (node.has("at")) {
                    ends.put(arn, new StreamState.End(node.get("at").asLong(), node.get("after").asLong()));
                } else if (node.has("before")) {
                    trims.put(arn, node.get("before").asLong());
                }
            }
        }
        infos.forEach((arn, info) -> {
            List<StreamState.Generation> gens = generations.getOrDefault(arn, List.of());
            gens.sort(Comparator.comparingInt(StreamState.Generation::index));
            streams.put(arn, new StreamState(info.get("account").asText(), info.get("region").asText(),
                    info.get("table").asText(), info.get("label").asText(), info.get("tableId").asText(),
                    info.get("view").asText(), keyDef(info.get("hash")), keyDef(info.get("range")),
                    info.get("created").asLong(), info.get("shards").asInt(), gens, ends.get(arn),
                    trims.getOrDefault(arn, 0L)));
        });
    }

    private static ObjectNode keyDef(KeyDef key) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", key.name());
        node.put("type", key.type());
        return node;
    }

    private static KeyDef keyDef(JsonNode node) {
        return node == null || node.isNull() ? null : new KeyDef(node.get("name").asText(), node.get("type").asText());
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
