package io.eddy.dynamodb;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;

import io.eddy.dynamodb.model.AttributeValue;

/**
 * A global or local secondary index. {@code indexId} names its storage, so an index that is deleted
 * and created again under the same name never sees the old entries.
 */
public record IndexInfo(
        String name,
        String indexId,
        boolean global,
        KeyDef hashKey,
        KeyDef rangeKey,
        String projectionType,
        List<String> nonKeyAttributes,
        Throughput throughput,
        String status,
        long createdMillis) {

    public static final String ALL = "ALL";
    public static final String KEYS_ONLY = "KEYS_ONLY";
    public static final String INCLUDE = "INCLUDE";

    public IndexInfo {
        nonKeyAttributes = nonKeyAttributes == null ? List.of() : List.copyOf(nonKeyAttributes);
    }

    public boolean isActive() {
        return "ACTIVE".equals(status);
    }

    public IndexInfo withStatus(String newStatus) {
        return new IndexInfo(name, indexId, global, hashKey, rangeKey, projectionType, nonKeyAttributes,
                throughput, newStatus, createdMillis);
    }

    public IndexInfo withThroughput(Throughput newThroughput) {
        return new IndexInfo(name, indexId, global, hashKey, rangeKey, projectionType, nonKeyAttributes,
                newThroughput, status, createdMillis);
    }

    /** Whether the item carries every key attribute of this index (sparse indexes skip the others). */
    public boolean covers(Map<String, AttributeValue> item) {
        if (item == null) return false;
        AttributeValue hash = item.get(hashKey.name());
        if (hash == null || !hash.typeName().equals(hashKey.type())) return false;
        if (rangeKey == null) return true;
        AttributeValue range = item.get(rangeKey.name());
        return range != null && range.typeName().equals(rangeKey.type());
    }

    /** The attributes an index entry keeps: table and index keys, plus what the projection adds. */
    public Set<String> keyAttributes(TableInfo table) {
        Set<String> keys = new LinkedHashSet<>(4);
        keys.add(table.hashKey().name());
        if (table.rangeKey() != null) keys.add(table.rangeKey().name());
        keys.add(hashKey.name());
        if (rangeKey != null) keys.add(rangeKey.name());
        return keys;
    }

    /** Whether an attribute of the base item is stored in this index. */
    public boolean projects(TableInfo table, String attribute) {
        if (ALL.equals(projectionType)) return true;
        if (keyAttributes(table).contains(attribute)) return true;
        return INCLUDE.equals(projectionType) && nonKeyAttributes.contains(attribute);
    }

    /** The index entry for {@code item}: the projected attributes in the item's order. */
    public Map<String, AttributeValue> project(TableInfo table, Map<String, AttributeValue> item) {
        if (ALL.equals(projectionType)) return item;
        Map<String, AttributeValue> projected = new LinkedHashMap<>();
        Set<String> keys = keyAttributes(table);
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            String name = attribute.getKey();
            if (keys.contains(name) || (INCLUDE.equals(projectionType) && nonKeyAttributes.contains(name))) {
                projected.put(name, attribute.getValue());
            }
        }
        return projected;
    }
}
