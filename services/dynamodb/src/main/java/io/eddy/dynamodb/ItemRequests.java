package io.eddy.dynamodb;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.dynamodb.expression.ExpressionContext;
import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.AttributeValueJson;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.dynamodb.model.ItemSize;

/** Request parts shared by the item operations: keys, items, placeholders. */
final class ItemRequests {

    static final String INVALID = "One or more parameter values were invalid: ";
    static final int MAX_HASH_KEY_BYTES = 2048;
    static final int MAX_RANGE_KEY_BYTES = 1024;

    private ItemRequests() {
    }

    /** ExpressionAttributeNames, or null when absent. */
    static Map<String, String> names(JsonNode in) {
        JsonNode node = Input.object(in, "ExpressionAttributeNames");
        if (node == null) return null;
        Map<String, String> names = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) continue;
            names.put(e.getKey(), e.getValue().textValue());
        }
        return names;
    }

    /** ExpressionAttributeValues, or null when absent. */
    static Map<String, AttributeValue> values(JsonNode in) {
        JsonNode node = Input.object(in, "ExpressionAttributeValues");
        return node == null ? null : AttributeValueJson.expressionValuesFromJson(node);
    }

    static ExpressionContext expressions(JsonNode in) {
        return new ExpressionContext(names(in), values(in));
    }

    /** Lists the parameters of {@code candidates} present in the request. */
    static List<String> present(JsonNode in, String... candidates) {
        List<String> present = new ArrayList<>(2);
        for (String name : candidates) {
            if (Input.member(in, name) != null) present.add(name);
        }
        return present;
    }

    /**
     * A Key parameter checked against the table's key schema: exactly the key attributes, of the
     * right types, non-empty and within the size limits.
     */
    static Map<String, AttributeValue> key(TableInfo table, JsonNode keyNode) {
        if (keyNode == null) throw DynamoDbErrors.validation("The provided key element does not match the schema");
        Map<String, AttributeValue> key = AttributeValueJson.itemFromJson(keyNode);
        int expected = table.rangeKey() == null ? 1 : 2;
        if (key.size() != expected) throw DynamoDbErrors.validation("The provided key element does not match the schema");
        checkKeyAttribute(key, table.hashKey(), true, false);
        if (table.rangeKey() != null) checkKeyAttribute(key, table.rangeKey(), false, false);
        return key;
    }

    /** The key attributes of an item, in schema order. */
    static Map<String, AttributeValue> keyOf(TableInfo table, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>(4);
        key.put(table.hashKey().name(), item.get(table.hashKey().name()));
        if (table.rangeKey() != null) key.put(table.rangeKey().name(), item.get(table.rangeKey().name()));
        return key;
    }

    private static void checkKeyAttribute(Map<String, AttributeValue> key, KeyDef def, boolean hash, boolean inItem) {
        AttributeValue value = key.get(def.name());
        if (value == null) {
            if (inItem) throw DynamoDbErrors.validation(INVALID + "Missing the key " + def.name() + " in the item");
            throw DynamoDbErrors.validation("The provided key element does not match the schema");
        }
        if (!value.typeName().equals(def.type())) {
            if (inItem) {
                throw DynamoDbErrors.validation(INVALID + "Type mismatch for key " + def.name() + " expected: "
                        + def.type() + " actual: " + value.typeName());
            }
            throw DynamoDbErrors.validation("The provided key element does not match the schema");
        }
        checkKeyValue(value, def.name(), hash);
    }

    static void checkKeyValue(AttributeValue value, String name, boolean hash) {
        long size;
        if (value instanceof AttributeValue.S s) {
            if (s.value().isEmpty()) {
                throw DynamoDbErrors.validation("One or more parameter values are not valid. The AttributeValue for a "
                        + "key attribute cannot contain an empty string value. Key: " + name);
            }
            size = ItemSize.utf8Length(s.value());
        } else if (value instanceof AttributeValue.B b) {
            if (b.value().length == 0) {
                throw DynamoDbErrors.validation("One or more parameter values are not valid. The AttributeValue for a "
                        + "key attribute cannot contain an empty binary value. Key: " + name);
            }
            size = b.value().length;
        } else {
            size = ItemSize.of(value);
        }
        if (hash && size > MAX_HASH_KEY_BYTES) {
            throw DynamoDbErrors.validation(INVALID + "Size of hashkey has exceeded the maximum size limit of"
                    + MAX_HASH_KEY_BYTES + " bytes");
        }
        if (!hash && size > MAX_RANGE_KEY_BYTES) {
            throw DynamoDbErrors.validation(INVALID + "Aggregated size of all range keys has exceeded the size limit of "
                    + MAX_RANGE_KEY_BYTES + " bytes");
        }
    }

    /** Checks a whole item about to be stored: table keys present and valid, index keys valid, size. */
    static void checkItem(TableInfo table, Map<String, AttributeValue> item, String sizeMessage) {
        checkKeyAttribute(item, table.hashKey(), true, true);
        if (table.rangeKey() != null) checkKeyAttribute(item, table.rangeKey(), false, true);
        checkIndexKeys(table, item);
        if (ItemSize.of(item) > ItemSize.MAX_ITEM_BYTES) throw DynamoDbErrors.validation(sizeMessage);
    }

    /** Index key attributes, when present, must have the index's type and be non-empty. */
    static void checkIndexKeys(TableInfo table, Map<String, AttributeValue> item) {
        for (IndexInfo index : table.indexes()) {
            checkIndexKey(index, index.hashKey(), item, true);
            if (index.rangeKey() != null) checkIndexKey(index, index.rangeKey(), item, false);
        }
    }

    private static void checkIndexKey(IndexInfo index, KeyDef def, Map<String, AttributeValue> item, boolean hash) {
        AttributeValue value = item.get(def.name());
        if (value == null) return;
        if (!value.typeName().equals(def.type())) {
            throw DynamoDbErrors.validation(INVALID + "Type mismatch for Index Key " + def.name() + " Expected: "
                    + def.type() + " Actual: " + value.typeName() + " IndexName: " + index.name());
        }
        boolean empty = (value instanceof AttributeValue.S s && s.value().isEmpty())
                || (value instanceof AttributeValue.B b && b.value().length == 0);
        if (empty) {
            throw DynamoDbErrors.validation("One or more parameter values are not valid. A value specified for a "
                    + "secondary index key is not supported. The AttributeValue for a key attribute cannot contain an "
                    + "empty " + (value instanceof AttributeValue.S ? "string" : "binary") + " value. IndexName: "
                    + index.name() + ", IndexKey: " + def.name());
        }
        checkKeyValue(value, def.name(), hash);
    }
}
