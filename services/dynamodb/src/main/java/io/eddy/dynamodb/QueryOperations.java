package io.eddy.dynamodb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.expression.Condition;
import io.eddy.dynamodb.expression.ExpressionContext;
import io.eddy.dynamodb.expression.KeyCondition;
import io.eddy.dynamodb.expression.LegacyParameters;
import io.eddy.dynamodb.expression.Projection;
import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.AttributeValueJson;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.dynamodb.model.ItemCodec;
import io.eddy.dynamodb.model.ItemSize;
import io.eddy.dynamodb.model.KeyEncoding;
import io.eddy.gateway.RequestContext;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * Query and Scan over a table or one of its indexes. A page ends after {@code Limit} items were read
 * (before the filter) or once 1 MB was read; LastEvaluatedKey then names the last item read: its
 * table key, plus the index key for index reads.
 */
final class QueryOperations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final int PAGE_BYTES = 1024 * 1024;

    private final Store store;
    private final ItemOperations items;

    QueryOperations(Store store, ItemOperations items) {
        this.store = store;
        this.items = items;
    }

    /** What a read asks for, after validation. */
    private record Read(TableInfo table, IndexInfo index, Condition filter, Projection projection, String select,
                        Integer limit, boolean consistent, String returnCapacity) {
    }

    ObjectNode query(JsonNode in, RequestContext ctx) {
        Common common = common(in, ctx, true);
        TableInfo table = common.read.table();
        IndexInfo index = common.read.index();
        KeyDef hash = index == null ? table.hashKey() : index.hashKey();
        KeyDef range = index == null ? table.rangeKey() : index.rangeKey();
        KeyCondition keyCondition = common.keyCondition;
        if (keyCondition == null) {
            throw DynamoDbErrors.validation(
                    "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        keyCondition.checkTypes(hash.type(), range == null ? null : range.type());
        if (keyCondition.range() != null && keyCondition.range().operator() == KeyCondition.RangeOperator.BEGINS_WITH
                && "N".equals(range.type())) {
            throw DynamoDbErrors.validation("Invalid KeyConditionExpression: Incorrect operand type for operator or "
                    + "function; operator or function: begins_with, operand type: N");
        }
        ItemRequests.checkKeyValue(keyCondition.hashValue(), hash.name(), true);
        boolean forward = !Boolean.FALSE.equals(Input.bool(in, "ScanIndexForward"));

        byte[] base = index == null ? table.itemPrefix() : table.indexPrefix(index);
        byte[] partition = Layout.concat(base, keyCondition.hashValue());
        byte[] from = partition;
        byte[] to = Keys.prefixEnd(partition);
        KeyCondition.RangeCondition rc = keyCondition.range();
        if (rc != null) {
            byte[] first = Layout.concat(partition, rc.values().getFirst());
            switch (rc.operator()) {
                case EQ -> { from = first; to = Keys.prefixEnd(first); }
                case LT -> to = first;
                case LE -> to = Keys.prefixEnd(first);
                case GT -> from = Keys.prefixEnd(first);
                case GE -> from = first;
                case BETWEEN -> { from = first; to = Keys.prefixEnd(Layout.concat(partition, rc.values().get(1))); }
                case BEGINS_WITH -> {
                    byte[] encoded = KeyEncoding.encode(rc.values().getFirst());
                    byte[] prefix = Arrays.copyOf(partition, partition.length + encoded.length - 2);
                    System.arraycopy(encoded, 0, prefix, partition.length, encoded.length - 2);
                    from = prefix;
                    to = Keys.prefixEnd(prefix);
                }
            }
        }
        Map<String, AttributeValue> start = common.exclusiveStart;
        if (start != null) {
            if (!keyCondition.hashValue().equals(start.get(hash.name()))) {
                throw DynamoDbErrors.validation("The provided starting key is outside query boundaries based on provided conditions");
            }
            byte[] startKey = index == null ? Layout.itemKey(table, start) : Layout.indexEntryKey(table, index, start);
            if (forward) {
                byte[] after = Arrays.copyOf(startKey, startKey.length + 1);
                if (Arrays.compareUnsigned(after, from) > 0) from = after;
            } else if (Arrays.compareUnsigned(startKey, to) < 0) {
                to = startKey;
            }
        }
        try (Cursor cursor = forward ? store.scan(from, to) : store.scanReverse(from, to)) {
            return page(common.read, cursor, null, 0);
        }
    }

    ObjectNode scan(JsonNode in, RequestContext ctx) {
        Common common = common(in, ctx, false);
        Integer segment = Input.integer(in, "Segment");
        Integer totalSegments = Input.integer(in, "TotalSegments");
        if (segment != null && totalSegments == null) {
            throw DynamoDbErrors.validation("The TotalSegments parameter is required but was not present in the request "
                    + "when Segment parameter is present");
        }
        if (totalSegments != null && segment == null) {
            throw DynamoDbErrors.validation("The Segment parameter is required but was not present in the request when "
                    + "parameter TotalSegments is present");
        }
        if (segment != null && segment >= totalSegments) {
            throw DynamoDbErrors.validation("The Segment parameter is zero-based and must be less than parameter "
                    + "TotalSegments: Segment: " + segment + " is not less than TotalSegments: " + totalSegments);
        }
        TableInfo table = common.read.table();
        IndexInfo index = common.read.index();
        byte[] prefix = index == null ? table.itemPrefix() : table.indexPrefix(index);
        byte[] from = prefix;
        Map<String, AttributeValue> start = common.exclusiveStart;
        if (start != null) {
            byte[] startKey = index == null ? Layout.itemKey(table, start) : Layout.indexEntryKey(table, index, start);
            from = Arrays.copyOf(startKey, startKey.length + 1);
        }
        try (Cursor cursor = store.scan(from, Keys.prefixEnd(prefix))) {
            return page(common.read, cursor, segment, totalSegments == null ? 0 : totalSegments);
        }
    }

    private static final class Common {
        Read read;
        KeyCondition keyCondition;
        Map<String, AttributeValue> exclusiveStart;
    }

    private Common common(JsonNode in, RequestContext ctx, boolean query) {
        String tableName = Input.string(in, "TableName");
        String indexName = Input.string(in, "IndexName");
        String select = Input.string(in, "Select");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        Integer limit = Input.integer(in, "Limit");
        Boolean consistent = Input.bool(in, "ConsistentRead");
        JsonNode startNode = Input.object(in, "ExclusiveStartKey");
        // a PartiQL statement names its index in its text, which no request shape checks
        if (indexName != null) new Constraints().name(indexName, "indexName").throwIfAny();
        TableInfo table = items.table(ctx, tableName);
        IndexInfo index = null;
        if (indexName != null) {
            index = table.index(indexName);
            if (index == null) {
                throw DynamoDbErrors.validation("The table does not have the specified index: " + indexName);
            }
            if (index.global() && Boolean.TRUE.equals(consistent)) {
                throw DynamoDbErrors.validation("Consistent reads are not supported on global secondary indexes");
            }
            if (!index.isActive()) {
                throw DynamoDbErrors.validation("Cannot read from backfilling global secondary index: " + indexName);
            }
        }

        String filterParameter = query ? "QueryFilter" : "ScanFilter";
        List<String> legacy = ItemRequests.present(in, filterParameter, "AttributesToGet", "ConditionalOperator");
        if (query) legacy.addAll(ItemRequests.present(in, "KeyConditions"));
        List<String> expressions = ItemRequests.present(in, "FilterExpression", "ProjectionExpression");
        if (query) expressions.addAll(0, ItemRequests.present(in, "KeyConditionExpression"));
        ExpressionContext.checkParameterUse(legacy, expressions,
                Input.member(in, "ExpressionAttributeNames") != null, Input.member(in, "ExpressionAttributeValues") != null);
        ExpressionContext context = ItemRequests.expressions(in);
        Common common = new Common();
        String keyExpression = Input.string(in, "KeyConditionExpression");
        if (query && keyExpression != null) {
            KeyDef hash = index == null ? table.hashKey() : index.hashKey();
            KeyDef range = index == null ? table.rangeKey() : index.rangeKey();
            common.keyCondition = context.parseKeyCondition(keyExpression, hash.name(), range == null ? null : range.name());
        }
        JsonNode keyConditions = Input.object(in, "KeyConditions");
        if (query && keyExpression == null && keyConditions != null) {
            KeyDef hash = index == null ? table.hashKey() : index.hashKey();
            KeyDef range = index == null ? table.rangeKey() : index.rangeKey();
            common.keyCondition = LegacyParameters.keyConditions(keyConditions, hash.name(), range == null ? null : range.name());
        }
        String filterExpression = Input.string(in, "FilterExpression");
        JsonNode legacyFilter = Input.object(in, filterParameter);
        String conditionalOperator = Input.string(in, "ConditionalOperator");
        if (conditionalOperator != null && legacyFilter == null) {
            throw DynamoDbErrors.validation("ConditionalOperator can only be used when Filter or Expected conditions are present");
        }
        Condition filter = filterExpression != null ? context.parseCondition(filterExpression, "FilterExpression")
                : legacyFilter != null ? LegacyParameters.filter(legacyFilter, conditionalOperator) : null;
        String projectionExpression = Input.string(in, "ProjectionExpression");
        JsonNode attributesToGet = Input.array(in, "AttributesToGet");
        Projection projection = projectionExpression != null ? context.parseProjection(projectionExpression)
                : attributesToGet != null ? LegacyParameters.attributesToGet(attributesToGet) : null;
        context.checkAllUsed();
        if (filter != null && common.keyCondition != null) {
            List<String> keyNames = keyAttributes(table, index);
            for (String attribute : FilterAttributes.of(filter)) {
                if (keyNames.contains(attribute)) {
                    throw DynamoDbErrors.validation("Filter Expression can only contain non-primary key attributes: "
                            + "Primary key attribute: " + attribute);
                }
            }
        }

        if (select == null) {
            select = projection != null ? "SPECIFIC_ATTRIBUTES" : index != null ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
        } else if ("SPECIFIC_ATTRIBUTES".equals(select)) {
            if (projection == null) {
                throw DynamoDbErrors.validation("1 validation error detected: Select type SPECIFIC_ATTRIBUTES requires "
                        + "either AttributesToGet or ProjectionExpression to be specified");
            }
        } else if (projection != null) {
            throw DynamoDbErrors.validation("Cannot specify the ProjectionExpression when choosing to get " + select);
        }
        if ("ALL_PROJECTED_ATTRIBUTES".equals(select) && index == null) {
            throw DynamoDbErrors.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        if (index != null) checkIndexProjects(table, index, query ? filter : null, projection);
        if (index != null && index.global() && !IndexInfo.ALL.equals(index.projectionType())) {
            if ("ALL_ATTRIBUTES".equals(select)) {
                throw DynamoDbErrors.validation(ItemRequests.INVALID + "Select type ALL_ATTRIBUTES is not supported for "
                        + "global secondary index " + index.name() + " because its projection type is not ALL");
            }
        }
        if (startNode != null) common.exclusiveStart = exclusiveStartKey(table, index, startNode);
        common.read = new Read(table, index, filter, projection, select, limit, Boolean.TRUE.equals(consistent),
                returnCapacity);
        return common;
    }

    /**
     * A keyed read of an index filters index entries, so AWS refuses filters on attributes the index lacks, for
     * local indexes too (an unkeyed Scan just finds them missing). A global index cannot reach back to the table,
     * so it also refuses projections of attributes it lacks, where a local index fetches them.
     */
    private static void checkIndexProjects(TableInfo table, IndexInfo index, Condition keyedFilter, Projection projection) {
        if (keyedFilter != null) {
            List<String> missing = FilterAttributes.of(keyedFilter).stream().filter(a -> !index.projects(table, a)).toList();
            if (!missing.isEmpty()) {
                throw DynamoDbErrors.validation(ItemRequests.INVALID + "Secondary index " + index.name()
                        + " does not project one or more filter attributes: [" + String.join(", ", missing) + "]");
            }
        }
        if (index.global() && projection != null) {
            List<String> missing = projection.attributeNames().stream().filter(a -> !index.projects(table, a)).toList();
            if (!missing.isEmpty()) {
                throw DynamoDbErrors.validation(ItemRequests.INVALID + "Global secondary index " + index.name()
                        + " does not project [" + String.join(", ", missing) + "]");
            }
        }
    }

    private static List<String> keyAttributes(TableInfo table, IndexInfo index) {
        List<String> names = new ArrayList<>();
        KeyDef hash = index == null ? table.hashKey() : index.hashKey();
        KeyDef range = index == null ? table.rangeKey() : index.rangeKey();
        names.add(hash.name());
        if (range != null) names.add(range.name());
        return names;
    }

    /** Validates ExclusiveStartKey: exactly the table key, plus the index key for index reads. */
    private static Map<String, AttributeValue> exclusiveStartKey(TableInfo table, IndexInfo index, JsonNode node) {
        Map<String, AttributeValue> key = AttributeValueJson.itemFromJson(node);
        List<KeyDef> expected = new ArrayList<>();
        expected.add(table.hashKey());
        if (table.rangeKey() != null) expected.add(table.rangeKey());
        if (index != null) {
            if (!index.hashKey().name().equals(table.hashKey().name())) expected.add(index.hashKey());
            if (index.rangeKey() != null && expected.stream().noneMatch(k -> k.name().equals(index.rangeKey().name()))) {
                expected.add(index.rangeKey());
            }
        }
        boolean ok = key.size() == expected.size();
        for (KeyDef def : expected) {
            AttributeValue value = key.get(def.name());
            ok &= value != null && value.typeName().equals(def.type());
        }
        if (!ok) {
            throw DynamoDbErrors.validation("The provided starting key is invalid: The provided key element does not "
                    + "match the schema");
        }
        return key;
    }

    /** Reads one page from {@code cursor}, which yields items (or index entries) in result order. */
    private ObjectNode page(Read read, Cursor cursor, Integer segment, int totalSegments) {
        TableInfo table = read.table();
        IndexInfo index = read.index();
        boolean count = "COUNT".equals(read.select());
        boolean fetchFromTable = index != null && !index.global() && !IndexInfo.ALL.equals(index.projectionType())
                && needsTableAttributes(read, table, index);
        ArrayNode itemsOut = count ? null : JSON.arrayNode();
        int scanned = 0;
        int matched = 0;
        long bytes = 0;
        Map<String, AttributeValue> last = null;
        boolean truncated = false;
        while (cursor.next()) {
            Map<String, AttributeValue> item = ItemCodec.decode(cursor.value());
            if (totalSegments > 0 && segmentOf(table, item, totalSegments) != segment) continue;
            if (fetchFromTable) {
                Map<String, AttributeValue> full = items.readItem(table, item);
                if (full != null) item = full;
            }
            scanned++;
            bytes += ItemSize.of(item);
            last = item;
            if (read.filter() == null || read.filter().test(item)) {
                matched++;
                if (!count) {
                    Map<String, AttributeValue> out = read.projection() != null ? read.projection().apply(item) : item;
                    itemsOut.add(AttributeValueJson.itemToJson(out));
                }
            }
            if ((read.limit() != null && scanned >= read.limit()) || bytes >= PAGE_BYTES) {
                truncated = true;
                break;
            }
        }
        ObjectNode out = JSON.objectNode();
        if (!count) out.set("Items", itemsOut);
        out.put("Count", matched);
        out.put("ScannedCount", scanned);
        if (truncated && last != null) out.set("LastEvaluatedKey", lastEvaluatedKey(table, index, last));
        if (read.returnCapacity() != null && !"NONE".equals(read.returnCapacity())) {
            Capacity capacity = new Capacity(table.name());
            double units = Capacity.readUnits(bytes, read.consistent());
            if (index == null) capacity.addTableRead(units);
            else capacity.addIndexRead(index, units);
            ItemOperations.addCapacity(out, capacity, read.returnCapacity());
        }
        return out;
    }

    private static boolean needsTableAttributes(Read read, TableInfo table, IndexInfo index) {
        if ("ALL_ATTRIBUTES".equals(read.select())) return true;
        if (read.projection() != null) {
            for (String name : read.projection().attributeNames()) {
                if (!index.projects(table, name)) return true;
            }
        }
        return false;
    }

    private static int segmentOf(TableInfo table, Map<String, AttributeValue> item, int totalSegments) {
        int h = Arrays.hashCode(KeyEncoding.encode(item.get(table.hashKey().name())));
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        h ^= h >>> 16;
        return Math.floorMod(h, totalSegments);
    }

    static ObjectNode lastEvaluatedKey(TableInfo table, IndexInfo index, Map<String, AttributeValue> item) {
        ObjectNode key = JSON.objectNode();
        key.set(table.hashKey().name(), AttributeValueJson.toJson(item.get(table.hashKey().name())));
        if (table.rangeKey() != null) {
            key.set(table.rangeKey().name(), AttributeValueJson.toJson(item.get(table.rangeKey().name())));
        }
        if (index != null) {
            key.set(index.hashKey().name(), AttributeValueJson.toJson(item.get(index.hashKey().name())));
            if (index.rangeKey() != null) {
                key.set(index.rangeKey().name(), AttributeValueJson.toJson(item.get(index.rangeKey().name())));
            }
        }
        return key;
    }
}
