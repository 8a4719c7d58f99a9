package io.eddy.dynamodb;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.expression.Projection;
import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.AttributeValueJson;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.dynamodb.model.ItemSize;
import io.eddy.gateway.RequestContext;
import io.eddy.store.Batch;

/**
 * BatchGetItem and BatchWriteItem. A batch write commits all its puts and deletes in one store batch
 * under all their item locks (AWS does not promise atomicity, but nothing is lost by giving it), so
 * UnprocessedItems is always empty; BatchGetItem returns keys beyond 16 MB of response as
 * UnprocessedKeys.
 */
final class BatchOperations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final int MAX_GET_KEYS = 100;
    static final int MAX_WRITES = 25;
    static final long MAX_GET_RESPONSE_BYTES = 16L * 1024 * 1024;

    private final Catalog catalog;
    private final ItemWriter writer;
    private final ItemLocks locks;
    private final ItemOperations items;
    private final Clock clock;

    BatchOperations(Catalog catalog, ItemWriter writer, ItemLocks locks, ItemOperations items, Clock clock) {
        this.catalog = catalog;
        this.writer = writer;
        this.locks = locks;
        this.items = items;
        this.clock = clock;
    }

    // ---- BatchGetItem

    private record TableRead(String requestedName, TableInfo table, JsonNode request, List<Map<String, AttributeValue>> keys,
                             Projection projection, boolean consistent) {
    }

    ObjectNode batchGetItem(JsonNode in, RequestContext ctx) {
        JsonNode requestItems = Input.object(in, "RequestItems");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        int total = 0;
        for (JsonNode request : requestItems) {
            JsonNode keys = Input.array(request, "Keys");
            total += keys == null ? 0 : keys.size();
        }
        if (total > MAX_GET_KEYS) throw DynamoDbErrors.validation("Too many items requested for the BatchGetItem call");
        List<TableRead> reads = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode request = entry.getValue();
            JsonNode keysNode = Input.array(request, "Keys");
            TableInfo table = items.table(ctx, entry.getKey());
            Projection projection = Conditions.projection(request);
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            Set<Map<String, AttributeValue>> seen = new HashSet<>();
            for (JsonNode keyNode : keysNode) {
                Map<String, AttributeValue> key = ItemRequests.key(table, keyNode);
                if (!seen.add(key)) throw DynamoDbErrors.validation("Provided list of item keys contains duplicates");
                keys.add(key);
            }
            reads.add(new TableRead(entry.getKey(), table, request, keys, projection,
                    Boolean.TRUE.equals(Input.bool(request, "ConsistentRead"))));
        }
        ObjectNode out = JSON.objectNode();
        ObjectNode responses = out.putObject("Responses");
        ObjectNode unprocessed = JSON.objectNode();
        ArrayNode consumed = JSON.arrayNode();
        long responseBytes = 0;
        for (TableRead read : reads) {
            ArrayNode found = responses.putArray(read.requestedName());
            Capacity capacity = new Capacity(read.table().name());
            ArrayNode left = null;
            for (Map<String, AttributeValue> key : read.keys()) {
                if (responseBytes > MAX_GET_RESPONSE_BYTES) {
                    if (left == null) left = unprocessedKeys(unprocessed, read);
                    left.add(AttributeValueJson.itemToJson(key));
                    continue;
                }
                Map<String, AttributeValue> item = writer.read(Layout.itemKey(read.table(), key));
                long size = item == null ? 0 : ItemSize.of(item);
                capacity.addTableRead(Capacity.readUnits(size, read.consistent()));
                if (item == null) continue;
                Map<String, AttributeValue> result = read.projection() == null ? item : read.projection().apply(item);
                responseBytes += ItemSize.of(result);
                found.add(AttributeValueJson.itemToJson(result));
            }
            ObjectNode rendered = capacity.render(returnCapacity);
            if (rendered != null) consumed.add(rendered);
        }
        out.set("UnprocessedKeys", unprocessed);
        if (returnCapacity != null && !"NONE".equals(returnCapacity)) out.set("ConsumedCapacity", consumed);
        return out;
    }

    private static ArrayNode unprocessedKeys(ObjectNode unprocessed, TableRead read) {
        ObjectNode request = unprocessed.putObject(read.requestedName());
        ArrayNode keys = request.putArray("Keys");
        for (String member : List.of("AttributesToGet", "ConsistentRead", "ProjectionExpression", "ExpressionAttributeNames")) {
            JsonNode value = Input.member(read.request(), member);
            if (value != null) request.set(member, value);
        }
        return keys;
    }

    // ---- BatchWriteItem

    private record WriteTarget(TableInfo table, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
                               byte[] itemKey, int stripe) {
    }

    ObjectNode batchWriteItem(JsonNode in, RequestContext ctx) {
        JsonNode requestItems = Input.object(in, "RequestItems");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        String returnMetrics = Input.string(in, "ReturnItemCollectionMetrics");
        int total = 0;
        for (JsonNode writes : requestItems) total += writes.size();
        if (total > MAX_WRITES) throw DynamoDbErrors.validation("Too many items requested for the BatchWriteItem call");

        List<WriteTarget> targets = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            TableInfo table = items.table(ctx, entry.getKey());
            Set<Bytes> seen = new HashSet<>();
            for (JsonNode request : entry.getValue()) {
                JsonNode put = Input.object(request, "PutRequest");
                JsonNode delete = Input.object(request, "DeleteRequest");
                if ((put == null) == (delete == null)) {
                    throw DynamoDbErrors.validation("Supplied WriteRequest must contain exactly one of PutRequest or "
                            + "DeleteRequest");
                }
                Map<String, AttributeValue> item = null;
                Map<String, AttributeValue> key;
                if (put != null) {
                    JsonNode itemNode = Input.object(put, "Item");
                    item = AttributeValueJson.itemFromJson(itemNode);
                    ItemRequests.checkItem(table, item, ItemOperations.ITEM_TOO_LARGE);
                    key = ItemRequests.keyOf(table, item);
                } else {
                    key = ItemRequests.key(table, Input.object(delete, "Key"));
                }
                byte[] itemKey = Layout.itemKey(table, key);
                if (!seen.add(new Bytes(itemKey))) {
                    throw DynamoDbErrors.validation("Provided list of item keys contains duplicates");
                }
                targets.add(new WriteTarget(table, key, item, itemKey, ItemLocks.stripe(itemKey)));
            }
        }

        Map<String, Capacity> capacities = new LinkedHashMap<>();
        Map<String, ArrayNode> metrics = new LinkedHashMap<>();
        int[] stripes = stripes(targets.stream().mapToInt(WriteTarget::stripe).toArray());
        locks.lockAll(stripes);
        try {
            Batch batch = new Batch();
            ItemCounters.Deltas deltas = new ItemCounters.Deltas();
            ChangeSource source = new ChangeSource(ctx, false, clock.instant());
            for (WriteTarget target : targets) {
                TableInfo table = catalog.current(target.table());
                if (table == null) throw DynamoDbErrors.resourceNotFound("Requested resource not found");
                Map<String, AttributeValue> oldItem = writer.read(target.itemKey());
                Capacity capacity = capacities.computeIfAbsent(table.name(), Capacity::new);
                if (oldItem == null && target.item() == null) {
                    capacity.addTableWrite(1);
                } else {
                    writer.stage(table, target.itemKey(), target.stripe(), oldItem, target.item(), source, batch, deltas,
                            capacity);
                }
                ObjectNode metric = ItemOperations.collectionMetrics(table, target.key(), returnMetrics);
                if (metric != null) metrics.computeIfAbsent(table.name(), n -> JSON.arrayNode()).add(metric);
            }
            writer.commit(batch, deltas);
        } finally {
            locks.unlockAll(stripes);
        }
        ObjectNode out = JSON.objectNode();
        out.putObject("UnprocessedItems");
        if (returnCapacity != null && !"NONE".equals(returnCapacity)) {
            ArrayNode consumed = out.putArray("ConsumedCapacity");
            capacities.values().forEach(capacity -> consumed.add(capacity.render(returnCapacity)));
        }
        if (!metrics.isEmpty()) {
            ObjectNode node = out.putObject("ItemCollectionMetrics");
            metrics.forEach(node::set);
        }
        return out;
    }

    /** The distinct stripes in ascending order, the order locks are taken in. */
    static int[] stripes(int[] stripes) {
        TreeSet<Integer> sorted = new TreeSet<>();
        for (int stripe : stripes) sorted.add(stripe);
        return sorted.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A byte array with value equality, for duplicate detection. */
    record Bytes(byte[] value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }
    }
}
