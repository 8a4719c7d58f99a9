package io.eddy.dynamodb;

import java.util.LinkedHashMap;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.expression.Condition;
import io.eddy.dynamodb.expression.ExpressionContext;
import io.eddy.dynamodb.expression.Projection;
import io.eddy.dynamodb.expression.Update;
import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.AttributeValueJson;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.dynamodb.model.ItemSize;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.store.Batch;

/** PutItem, GetItem, UpdateItem and DeleteItem, and the single-item write they share. */
final class ItemOperations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size";
    static final String UPDATE_TOO_LARGE = "Item size to update has exceeded the maximum allowed size";

    private final Catalog catalog;
    private final ItemWriter writer;
    private final ItemLocks locks;
    private final Clock clock;

    ItemOperations(Catalog catalog, ItemWriter writer, ItemLocks locks, Clock clock) {
        this.catalog = catalog;
        this.writer = writer;
        this.locks = locks;
        this.clock = clock;
    }

    /** The table a data-plane request names; AWS's data plane does not repeat the name when it is missing. */
    TableInfo table(RequestContext ctx, String tableName) {
        TableInfo table = tableName == null ? null
                : catalog.find(ctx.accountId(), ctx.region(), TableOperations.nameOf(ctx, tableName));
        if (table != null) return table;
        TableOperations.checkTableName(tableName, "tableName");
        throw DynamoDbErrors.resourceNotFound("Requested resource not found");
    }

    /** The stored item with the key attributes of {@code keySource}, or null. */
    Map<String, AttributeValue> readItem(TableInfo table, Map<String, AttributeValue> keySource) {
        return writer.read(Layout.itemKey(table, keySource));
    }

    /** Computes an item's new version from its old one (either may be null); may throw to refuse. */
    @FunctionalInterface
    interface Mutation {
        Map<String, AttributeValue> apply(Map<String, AttributeValue> oldItem);
    }

    record WriteResult(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem) {
    }

    /** Reads, mutates and commits one item under its lock. */
    WriteResult write(RequestContext ctx, TableInfo table, Map<String, AttributeValue> key, Mutation mutation,
                      Capacity capacity) {
        byte[] itemKey = Layout.itemKey(table, key);
        int stripe = ItemLocks.stripe(itemKey);
        locks.lock(stripe);
        try {
            TableInfo current = catalog.current(table);
            if (current == null) throw DynamoDbErrors.resourceNotFound("Requested resource not found");
            Map<String, AttributeValue> oldItem = writer.read(itemKey);
            Map<String, AttributeValue> newItem = mutation.apply(oldItem);
            if (oldItem == null && newItem == null) {
                capacity.addTableWrite(1);
                return new WriteResult(null, null);
            }
            Batch batch = new Batch();
            ItemCounters.Deltas deltas = new ItemCounters.Deltas();
            writer.stage(current, itemKey, stripe, oldItem, newItem, new ChangeSource(ctx, false, clock.instant()),
                    batch, deltas, capacity);
            writer.commit(batch, deltas);
            return new WriteResult(oldItem, newItem);
        } finally {
            locks.unlock(stripe);
        }
    }

    /** AWS's ConditionalCheckFailedException, carrying the item when ALL_OLD was asked for. */
    static AwsException conditionFailed(Map<String, AttributeValue> oldItem, String returnOnFailure) {
        AwsException e = DynamoDbErrors.conditionalCheckFailed();
        if ("ALL_OLD".equals(returnOnFailure) && oldItem != null) e.details().set("Item", AttributeValueJson.itemToJson(oldItem));
        return e;
    }

    static boolean holds(Condition condition, Map<String, AttributeValue> item) {
        return condition == null || condition.test(item == null ? Map.of() : item);
    }

    // ---- PutItem

    ObjectNode putItem(JsonNode in, RequestContext ctx) {
        String tableName = Input.string(in, "TableName");
        JsonNode itemNode = Input.object(in, "Item");
        String returnValues = Input.string(in, "ReturnValues");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        String returnMetrics = Input.string(in, "ReturnItemCollectionMetrics");
        String returnOnFailure = Input.string(in, "ReturnValuesOnConditionCheckFailure");
        TableInfo table = table(ctx, tableName);
        if (returnValues != null && !returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
            throw DynamoDbErrors.validation("ReturnValues can only be ALL_OLD or NONE");
        }
        Map<String, AttributeValue> item = AttributeValueJson.itemFromJson(itemNode);
        Condition condition = Conditions.writeCondition(in);
        ItemRequests.checkItem(table, item, ITEM_TOO_LARGE);
        Capacity capacity = new Capacity(table.name());
        WriteResult result = write(ctx, table, ItemRequests.keyOf(table, item), old -> {
            if (!holds(condition, old)) throw conditionFailed(old, returnOnFailure);
            return item;
        }, capacity);
        ObjectNode out = JSON.objectNode();
        if ("ALL_OLD".equals(returnValues) && result.oldItem() != null) {
            out.set("Attributes", AttributeValueJson.itemToJson(result.oldItem()));
        }
        addCapacity(out, capacity, returnCapacity);
        addCollectionMetrics(out, table, item, returnMetrics);
        return out;
    }

    // ---- GetItem

    ObjectNode getItem(JsonNode in, RequestContext ctx) {
        String tableName = Input.string(in, "TableName");
        JsonNode keyNode = Input.object(in, "Key");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        Boolean consistent = Input.bool(in, "ConsistentRead");
        TableInfo table = table(ctx, tableName);
        Projection projection = Conditions.projection(in);
        Map<String, AttributeValue> key = ItemRequests.key(table, keyNode);
        Map<String, AttributeValue> item = writer.read(Layout.itemKey(table, key));
        ObjectNode out = JSON.objectNode();
        if (item != null) {
            out.set("Item", AttributeValueJson.itemToJson(projection == null ? item : projection.apply(item)));
        }
        if (returnCapacity != null && !"NONE".equals(returnCapacity)) {
            Capacity capacity = new Capacity(table.name());
            capacity.addTableRead(Capacity.readUnits(item == null ? 0 : ItemSize.of(item), Boolean.TRUE.equals(consistent)));
            addCapacity(out, capacity, returnCapacity);
        }
        return out;
    }

    // ---- DeleteItem

    ObjectNode deleteItem(JsonNode in, RequestContext ctx) {
        String tableName = Input.string(in, "TableName");
        JsonNode keyNode = Input.object(in, "Key");
        String returnValues = Input.string(in, "ReturnValues");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        String returnMetrics = Input.string(in, "ReturnItemCollectionMetrics");
        String returnOnFailure = Input.string(in, "ReturnValuesOnConditionCheckFailure");
        TableInfo table = table(ctx, tableName);
        if (returnValues != null && !returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
            throw DynamoDbErrors.validation("ReturnValues can only be ALL_OLD or NONE");
        }
        Condition condition = Conditions.writeCondition(in);
        Map<String, AttributeValue> key = ItemRequests.key(table, keyNode);
        Capacity capacity = new Capacity(table.name());
        WriteResult result = write(ctx, table, key, old -> {
            if (!holds(condition, old)) throw conditionFailed(old, returnOnFailure);
            return null;
        }, capacity);
        ObjectNode out = JSON.objectNode();
        if ("ALL_OLD".equals(returnValues) && result.oldItem() != null) {
            out.set("Attributes", AttributeValueJson.itemToJson(result.oldItem()));
        }
        addCapacity(out, capacity, returnCapacity);
        addCollectionMetrics(out, table, key, returnMetrics);
        return out;
    }

    // ---- UpdateItem

    ObjectNode updateItem(JsonNode in, RequestContext ctx) {
        String tableName = Input.string(in, "TableName");
        JsonNode keyNode = Input.object(in, "Key");
        String returnValues = Input.string(in, "ReturnValues");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        String returnMetrics = Input.string(in, "ReturnItemCollectionMetrics");
        String returnOnFailure = Input.string(in, "ReturnValuesOnConditionCheckFailure");
        TableInfo table = table(ctx, tableName);
        Conditions.UpdateRequest request = Conditions.update(in, table);
        Map<String, AttributeValue> key = ItemRequests.key(table, keyNode);
        Capacity capacity = new Capacity(table.name());
        WriteResult result = write(ctx, table, key,
                old -> applyUpdate(table, key, old, request.condition(), request.update(), returnOnFailure), capacity);
        ObjectNode out = JSON.objectNode();
        Map<String, AttributeValue> attributes = returnedAttributes(returnValues, request.update(), result);
        if (attributes != null && !attributes.isEmpty()) out.set("Attributes", AttributeValueJson.itemToJson(attributes));
        addCapacity(out, capacity, returnCapacity);
        addCollectionMetrics(out, table, key, returnMetrics);
        return out;
    }

    /** The new item an update makes of {@code old} (a new item holds the key), after the condition. */
    static Map<String, AttributeValue> applyUpdate(TableInfo table, Map<String, AttributeValue> key,
                                                   Map<String, AttributeValue> old, Condition condition,
                                                   Update update, String returnOnFailure) {
        if (!holds(condition, old)) throw conditionFailed(old, returnOnFailure);
        Map<String, AttributeValue> base = old != null ? old : key;
        Map<String, AttributeValue> updated = update == null ? new LinkedHashMap<>(base) : update.apply(base);
        ItemRequests.checkIndexKeys(table, updated);
        if (ItemSize.of(updated) > ItemSize.MAX_ITEM_BYTES) throw DynamoDbErrors.validation(UPDATE_TOO_LARGE);
        return updated;
    }

    static Map<String, AttributeValue> returnedAttributes(String returnValues, Update update, WriteResult result) {
        if (returnValues == null) return null;
        return switch (returnValues) {
            case "ALL_OLD" -> result.oldItem();
            case "ALL_NEW" -> result.newItem();
            case "UPDATED_OLD" -> result.oldItem() == null || update == null ? null
                    : Projection.of(update.paths()).apply(result.oldItem());
            case "UPDATED_NEW" -> result.newItem() == null || update == null ? null
                    : Projection.of(update.paths()).apply(result.newItem());
            default -> null;
        };
    }

    static void addCapacity(ObjectNode out, Capacity capacity, String mode) {
        ObjectNode consumed = capacity.render(mode);
        if (consumed != null) out.set("ConsumedCapacity", consumed);
    }

    /** ItemCollectionMetrics, reported only for tables with local secondary indexes. */
    static void addCollectionMetrics(ObjectNode out, TableInfo table, Map<String, AttributeValue> item, String mode) {
        ObjectNode metrics = collectionMetrics(table, item, mode);
        if (metrics != null) out.set("ItemCollectionMetrics", metrics);
    }

    static ObjectNode collectionMetrics(TableInfo table, Map<String, AttributeValue> item, String mode) {
        if (!"SIZE".equals(mode) || table.localIndexes().isEmpty()) return null;
        ObjectNode metrics = JSON.objectNode();
        ObjectNode key = metrics.putObject("ItemCollectionKey");
        key.set(table.hashKey().name(), AttributeValueJson.toJson(item.get(table.hashKey().name())));
        metrics.putArray("SizeEstimateRangeGB").add(0.0).add(1.0);
        return metrics;
    }

    static List<String> keyNames(TableInfo table) {
        return table.rangeKey() == null ? List.of(table.hashKey().name())
                : List.of(table.hashKey().name(), table.rangeKey().name());
    }

    static ExpressionContext context(JsonNode in) {
        return ItemRequests.expressions(in);
    }
}
