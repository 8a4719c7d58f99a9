package io.eddy.dynamodb;

import java.util.Arrays;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * The tables of every account and region: stored as JSON under {@code table/<name>}, all held in
 * memory so the data path never reads metadata from the store. Control-plane changes run one at a
 * time under {@link #controlLock()}; readers see each published version whole.
 */
final class Catalog {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A deleted table whose storage is still to be erased. */
    record Dropped(String accountId, String region, String tableId) {
    }

    private final Store store;
    private final Map<String, TableInfo> tables = new ConcurrentHashMap<>();
    private final ReentrantLock controlLock = new ReentrantLock();
    private final List<Dropped> droppedAtStart = new ArrayList<>();
    private final List<TableChangeListener> listeners = new CopyOnWriteArrayList<>();

    Catalog(Store store) {
        this.store = store;
        load();
    }

    ReentrantLock controlLock() {
        return controlLock;
    }

    private static String key(String accountId, String region, String name) {
        return accountId + '\u0000' + region + '\u0000' + name;
    }

    /** The table, or null. */
    TableInfo find(String accountId, String region, String name) {
        return tables.get(key(accountId, region, name));
    }

    /** The newest version of {@code table}, or null if it was deleted (or replaced by a new table). */
    TableInfo current(TableInfo table) {
        TableInfo now = tables.get(key(table.accountId(), table.region(), table.name()));
        return now != null && now.tableId().equals(table.tableId()) ? now : null;
    }

    /** The tables of one account and region, by name. */
    List<TableInfo> list(String accountId, String region) {
        List<TableInfo> result = new ArrayList<>();
        for (TableInfo table : tables.values()) {
            if (table.accountId().equals(accountId) && table.region().equals(region)) result.add(table);
        }
        result.sort(Comparator.comparing(TableInfo::name));
        return result;
    }

    Collection<TableInfo> all() {
        return tables.values();
    }

    /** Deleted tables found at startup whose storage was not completely erased. */
    List<Dropped> droppedAtStart() {
        return droppedAtStart;
    }

    void addListener(TableChangeListener listener) {
        listeners.add(listener);
    }

    void stagePut(TableInfo table, Batch batch) {
        batch.put(Layout.tableKey(table.accountId(), table.region(), table.name()), encode(table));
        TableInfo before = find(table.accountId(), table.region(), table.name());
        for (TableChangeListener listener : listeners) listener.onTableChange(before, table, batch);
    }

    void stageRemove(TableInfo table, Batch batch) {
        batch.delete(Layout.tableKey(table.accountId(), table.region(), table.name()));
        batch.put(Layout.droppedKey(table.accountId(), table.region(), table.tableId()), new byte[0]);
        for (TableChangeListener listener : listeners) listener.onTableChange(table, null, batch);
    }

    /** Makes a committed version visible. */
    void publish(TableInfo table) {
        tables.put(key(table.accountId(), table.region(), table.name()), table);
    }

    void unpublish(TableInfo table) {
        tables.remove(key(table.accountId(), table.region(), table.name()));
    }

    /** Stores and publishes a new version of a table. */
    void save(TableInfo table) {
        Batch batch = new Batch();
        stagePut(table, batch);
        store.write(batch);
        publish(table);
    }

    // ---- loading: one seek per account/region, whatever else is stored under it

    private void load() {
        byte[] root = Layout.root();
        byte[] end = Keys.prefixEnd(root);
        byte[] from = root;
        while (true) {
            String[] scope;
            try (Cursor cursor = store.scan(from, end)) {
                if (!cursor.next()) return;
                scope = Layout.texts(cursor.key(), 3);
            }
            if (scope == null) return;
            String accountId = scope[1];
            String region = scope[2];
            try (Cursor cursor = store.scanPrefix(Layout.tablesPrefix(accountId, region))) {
                while (cursor.next()) {
                    TableInfo table = decode(cursor.value());
                    publish(table);
                }
            }
            byte[] droppedPrefix = Layout.droppedPrefix(accountId, region);
            try (Cursor cursor = store.scanPrefix(droppedPrefix)) {
                while (cursor.next()) {
                    byte[] key = cursor.key();
                    String[] id = Layout.texts(Arrays.copyOfRange(key, droppedPrefix.length, key.length), 1);
                    if (id != null) droppedAtStart.add(new Dropped(accountId, region, id[0]));
                }
            }
            from = Keys.prefixEnd(Layout.scope(accountId, region).build());
            if (from == null) return;
        }
    }

    // ---- storage format

    static byte[] encode(TableInfo t) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", 1);
        node.put("account", t.accountId());
        node.put("region", t.region());
        node.put("name", t.name());
        node.put("id", t.tableId());
        node.put("created", t.createdMillis());
        node.set("hash", keyDef(t.hashKey()));
        if (t.rangeKey() != null) node.set("range", keyDef(t.rangeKey()));
        ObjectNode attributes = node.putObject("attributes");
        t.attributeDefinitions().forEach(attributes::put);
        node.put("billing", t.billingMode());
        node.put("payPerRequestSince", t.payPerRequestSinceMillis());
        node.set("throughput", throughput(t.throughput()));
        ArrayNode gsis = node.putArray("gsi");
        t.globalIndexes().forEach(i -> gsis.add(index(i)));
        ArrayNode lsis = node.putArray("lsi");
        t.localIndexes().forEach(i -> lsis.add(index(i)));
        ObjectNode stream = node.putObject("stream");
        stream.put("enabled", t.stream().enabled());
        if (t.stream().viewType() != null) stream.put("view", t.stream().viewType());
        if (t.stream().latestLabel() != null) stream.put("label", t.stream().latestLabel());
        if (t.ttlAttribute() != null) node.put("ttlAttribute", t.ttlAttribute());
        node.put("ttlEnabled", t.ttlEnabled());
        ObjectNode tags = node.putObject("tags");
        t.tags().forEach(tags::put);
        node.put("deletionProtection", t.deletionProtection());
        if (t.tableClass() != null) node.put("tableClass", t.tableClass());
        if (t.sseKmsKeyArn() != null) node.put("sseKmsKeyArn", t.sseKmsKeyArn());
        node.put("pitrSince", t.pointInTimeRecoverySinceMillis());
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TableInfo decode(byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.get("attributes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            attributes.put(e.getKey(), e.getValue().asText());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.get("tags").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tags.put(e.getKey(), e.getValue().asText());
        }
        List<IndexInfo> gsis = new ArrayList<>();
        node.get("gsi").forEach(i -> gsis.add(index(i)));
        List<IndexInfo> lsis = new ArrayList<>();
        node.get("lsi").forEach(i -> lsis.add(index(i)));
        JsonNode stream = node.get("stream");
        return TableInfo.builder()
                .accountId(node.get("account").asText())
                .region(node.get("region").asText())
                .name(node.get("name").asText())
                .tableId(node.get("id").asText())
                .createdMillis(node.get("created").asLong())
                .hashKey(keyDef(node.get("hash")))
                .rangeKey(keyDef(node.get("range")))
                .attributeDefinitions(attributes)
                .billingMode(node.get("billing").asText())
                .payPerRequestSinceMillis(node.get("payPerRequestSince").asLong())
                .throughput(throughput(node.get("throughput")))
                .globalIndexes(gsis)
                .localIndexes(lsis)
                .stream(new TableInfo.StreamSettings(stream.get("enabled").asBoolean(),
                        text(stream, "view"), text(stream, "label")))
                .ttl(text(node, "ttlAttribute"), node.get("ttlEnabled").asBoolean())
                .tags(tags)
                .deletionProtection(node.get("deletionProtection").asBoolean())
                .tableClass(text(node, "tableClass"))
                .sseKmsKeyArn(text(node, "sseKmsKeyArn"))
                .pointInTimeRecoverySinceMillis(node.path("pitrSince").asLong())
                .build();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
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

    private static ObjectNode throughput(Throughput t) {
        ObjectNode node = JSON.createObjectNode();
        node.put("read", t.readUnits());
        node.put("write", t.writeUnits());
        node.put("lastIncrease", t.lastIncreaseMillis());
        node.put("lastDecrease", t.lastDecreaseMillis());
        node.put("decreasesToday", t.decreasesToday());
        return node;
    }

    private static Throughput throughput(JsonNode node) {
        return new Throughput(node.get("read").asLong(), node.get("write").asLong(), node.get("lastIncrease").asLong(),
                node.get("lastDecrease").asLong(), node.get("decreasesToday").asInt());
    }

    private static ObjectNode index(IndexInfo i) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", i.name());
        node.put("id", i.indexId());
        node.put("global", i.global());
        node.set("hash", keyDef(i.hashKey()));
        if (i.rangeKey() != null) node.set("range", keyDef(i.rangeKey()));
        node.put("projection", i.projectionType());
        ArrayNode nonKey = node.putArray("nonKey");
        i.nonKeyAttributes().forEach(nonKey::add);
        node.set("throughput", throughput(i.throughput()));
        node.put("status", i.status());
        node.put("created", i.createdMillis());
        return node;
    }

    private static IndexInfo index(JsonNode node) {
        List<String> nonKey = new ArrayList<>();
        node.get("nonKey").forEach(n -> nonKey.add(n.asText()));
        return new IndexInfo(node.get("name").asText(), node.get("id").asText(), node.get("global").asBoolean(),
                keyDef(node.get("hash")), keyDef(node.get("range")), node.get("projection").asText(), nonKey,
                throughput(node.get("throughput")), node.get("status").asText(), node.get("created").asLong());
    }
}
