package io.eddy.dynamodb;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders DescribeTable's TableDescription and its parts. */
final class TableDescriptions {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ItemCounters counters;

    TableDescriptions(ItemCounters counters) {
        this.counters = counters;
    }

    /** Epoch milliseconds as the JSON protocols' timestamp: epoch seconds with a fraction. */
    static double seconds(long millis) {
        return millis / 1000.0;
    }

    ObjectNode describe(TableInfo t, String status) {
        ObjectNode d = JSON.objectNode();
        ArrayNode definitions = d.putArray("AttributeDefinitions");
        t.attributeDefinitions().forEach((name, type) -> {
            ObjectNode definition = definitions.addObject();
            definition.put("AttributeName", name);
            definition.put("AttributeType", type);
        });
        d.put("TableName", t.name());
        d.set("KeySchema", keySchema(t.hashKey(), t.rangeKey()));
        d.put("TableStatus", status);
        d.put("CreationDateTime", seconds(t.createdMillis()));
        d.set("ProvisionedThroughput", throughput(t.throughput()));
        d.put("TableSizeBytes", counters.sizeBytes(t));
        d.put("ItemCount", counters.itemCount(t));
        d.put("TableArn", t.arn());
        d.put("TableId", t.tableId());
        if (t.isOnDemand() || t.payPerRequestSinceMillis() > 0) {
            ObjectNode billing = d.putObject("BillingModeSummary");
            billing.put("BillingMode", t.billingMode());
            if (t.payPerRequestSinceMillis() > 0) {
                billing.put("LastUpdateToPayPerRequestDateTime", seconds(t.payPerRequestSinceMillis()));
            }
        }
        if (!t.localIndexes().isEmpty()) d.set("LocalSecondaryIndexes", indexes(t, t.localIndexes()));
        if (!t.globalIndexes().isEmpty()) d.set("GlobalSecondaryIndexes", indexes(t, t.globalIndexes()));
        if (t.stream().enabled()) {
            ObjectNode stream = d.putObject("StreamSpecification");
            stream.put("StreamEnabled", true);
            stream.put("StreamViewType", t.stream().viewType());
        }
        if (t.stream().latestLabel() != null) {
            d.put("LatestStreamLabel", t.stream().latestLabel());
            d.put("LatestStreamArn", t.streamArn());
        }
        if (t.sseKmsKeyArn() != null) {
            ObjectNode sse = d.putObject("SSEDescription");
            sse.put("Status", "ENABLED");
            sse.put("SSEType", "KMS");
            sse.put("KMSMasterKeyArn", t.sseKmsKeyArn());
        }
        if (t.tableClass() != null) d.putObject("TableClassSummary").put("TableClass", t.tableClass());
        d.put("DeletionProtectionEnabled", t.deletionProtection());
        return d;
    }

    static ArrayNode keySchema(KeyDef hash, KeyDef range) {
        ArrayNode schema = JSON.arrayNode();
        ObjectNode h = schema.addObject();
        h.put("AttributeName", hash.name());
        h.put("KeyType", "HASH");
        if (range != null) {
            ObjectNode r = schema.addObject();
            r.put("AttributeName", range.name());
            r.put("KeyType", "RANGE");
        }
        return schema;
    }

    static ObjectNode throughput(Throughput t) {
        ObjectNode node = JSON.objectNode();
        if (t.lastIncreaseMillis() > 0) node.put("LastIncreaseDateTime", seconds(t.lastIncreaseMillis()));
        if (t.lastDecreaseMillis() > 0) node.put("LastDecreaseDateTime", seconds(t.lastDecreaseMillis()));
        node.put("NumberOfDecreasesToday", t.decreasesToday());
        node.put("ReadCapacityUnits", t.readUnits());
        node.put("WriteCapacityUnits", t.writeUnits());
        return node;
    }

    private ArrayNode indexes(TableInfo t, List<IndexInfo> indexes) {
        ArrayNode array = JSON.arrayNode();
        for (IndexInfo index : indexes) {
            ObjectNode node = array.addObject();
            node.put("IndexName", index.name());
            node.set("KeySchema", keySchema(index.hashKey(), index.rangeKey()));
            ObjectNode projection = node.putObject("Projection");
            projection.put("ProjectionType", index.projectionType());
            if (!index.nonKeyAttributes().isEmpty()) {
                ArrayNode nonKey = projection.putArray("NonKeyAttributes");
                index.nonKeyAttributes().forEach(nonKey::add);
            }
            if (index.global()) {
                node.put("IndexStatus", index.status());
                if ("CREATING".equals(index.status())) node.put("Backfilling", true);
                node.set("ProvisionedThroughput", throughput(index.throughput()));
            }
            node.put("IndexSizeBytes", counters.sizeBytes(t, index));
            node.put("ItemCount", counters.itemCount(t, index));
            node.put("IndexArn", t.indexArn(index));
        }
        return array;
    }
}
