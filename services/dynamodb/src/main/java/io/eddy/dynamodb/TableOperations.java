package io.eddy.dynamodb;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.store.Batch;
import io.eddy.store.Store;

/**
 * The control plane: CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable, Time to Live,
 * tags, DescribeEndpoints and DescribeLimits. Tables become ACTIVE at once (CreateTable still answers
 * CREATING, as AWS does); new global secondary indexes are CREATING until their backfill ends.
 */
final class TableOperations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final int MAX_GLOBAL_INDEXES = 20;
    private static final int MAX_LOCAL_INDEXES = 5;
    private static final int MAX_PROJECTED_ATTRIBUTES = 100;
    private static final int MAX_TAGS = 50;
    private static final DateTimeFormatter STREAM_LABEL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final Store store;
    private final Catalog catalog;
    private final ItemCounters counters;
    private final TableDescriptions descriptions;
    private final Maintenance maintenance;
    private final Clock clock;

    TableOperations(Store store, Catalog catalog, ItemCounters counters, TableDescriptions descriptions,
                    Maintenance maintenance, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.counters = counters;
        this.descriptions = descriptions;
        this.maintenance = maintenance;
        this.clock = clock;
    }

    // ---- table lookup shared with the data plane

    /**
     * The table named by {@code TableName} (a name or a table ARN) for control-plane operations,
     * whose not-found message names the table.
     */
    TableInfo requireForControl(RequestContext ctx, String tableName) {
        TableInfo table = catalog.find(ctx.accountId(), ctx.region(), nameOf(ctx, tableName));
        if (table == null) {
            throw DynamoDbErrors.resourceNotFound("Requested resource not found: Table: " + tableName + " not found");
        }
        return table;
    }

    /** Strips a table ARN down to the table name; other accounts' and regions' ARNs find nothing. */
    static String nameOf(RequestContext ctx, String tableName) {
        if (tableName == null || !tableName.startsWith("arn:")) return tableName;
        String prefix = "arn:aws:dynamodb:" + ctx.region() + ":" + ctx.accountId() + ":table/";
        if (!tableName.startsWith(prefix)) return "\u0000";
        return tableName.substring(prefix.length());
    }

    static void checkTableName(String tableName, String path) {
        Constraints c = new Constraints().notNull(tableName, path);
        if (tableName != null && tableName.startsWith("arn:")) c.length(tableName, path, 1, 1024);
        else c.name(tableName, path);
        c.throwIfAny();
    }

    // ---- CreateTable

    private record KeyElement(String name, String type) {
    }

    private record IndexSpec(String name, List<KeyElement> keySchema, String projectionType, List<String> nonKey,
                             Long read, Long write, boolean hasThroughput) {
    }

    ObjectNode createTable(JsonNode in, RequestContext ctx) {
        String name = Input.string(in, "TableName");
        JsonNode definitionsNode = Input.array(in, "AttributeDefinitions");
        JsonNode keySchemaNode = Input.array(in, "KeySchema");
        String billingMode = Input.string(in, "BillingMode");
        JsonNode throughputNode = Input.object(in, "ProvisionedThroughput");
        JsonNode streamNode = Input.object(in, "StreamSpecification");
        JsonNode sseNode = Input.object(in, "SSESpecification");
        JsonNode tagsNode = Input.array(in, "Tags");
        String tableClass = Input.string(in, "TableClass");
        Boolean deletionProtection = Input.bool(in, "DeletionProtectionEnabled");

        Map<String, String> definitions = new LinkedHashMap<>();
        List<String> definitionOrder = new ArrayList<>();
        for (JsonNode d : definitionsNode) {
            String attribute = Input.string(d, "AttributeName");
            definitions.put(attribute, Input.string(d, "AttributeType"));
            definitionOrder.add(attribute);
        }
        List<KeyElement> keySchema = keySchema(keySchemaNode);
        Long read = Input.number(throughputNode, "ReadCapacityUnits");
        Long write = Input.number(throughputNode, "WriteCapacityUnits");
        List<IndexSpec> globals = indexSpecs(Input.array(in, "GlobalSecondaryIndexes"), true);
        List<IndexSpec> locals = indexSpecs(Input.array(in, "LocalSecondaryIndexes"), false);
        Boolean streamEnabled = Input.bool(streamNode, "StreamEnabled");
        String viewType = Input.string(streamNode, "StreamViewType");
        Map<String, String> tags = tags(tagsNode);

        boolean onDemand = TableInfo.PAY_PER_REQUEST.equals(billingMode);
        if (onDemand && throughputNode != null) {
            throw DynamoDbErrors.validation(INVALID
                    + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        }
        if (!onDemand && throughputNode == null) {
            throw DynamoDbErrors.validation(INVALID
                    + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }
        checkKeySchema(keySchema);
        if (definitions.size() != definitionOrder.size()) {
            throw DynamoDbErrors.validation(INVALID + "Some AttributeDefinitions are duplicated. AttributeDefinitions: "
                    + definitionOrder);
        }
        for (KeyElement key : keySchema) {
            if (!definitions.containsKey(key.name)) {
                throw DynamoDbErrors.validation("Invalid KeySchema: Some index key attribute have no definition");
            }
        }
        KeyDef hash = new KeyDef(keySchema.get(0).name, definitions.get(keySchema.get(0).name));
        KeyDef range = keySchema.size() > 1 ? new KeyDef(keySchema.get(1).name, definitions.get(keySchema.get(1).name)) : null;

        long now = clock.millis();
        Set<String> indexNames = new LinkedHashSet<>();
        List<IndexInfo> localIndexes = new ArrayList<>();
        if (!locals.isEmpty() && range == null) {
            throw DynamoDbErrors.validation(INVALID
                    + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
        }
        if (locals.size() > MAX_LOCAL_INDEXES) {
            throw DynamoDbErrors.validation(INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of "
                    + MAX_LOCAL_INDEXES);
        }
        for (IndexSpec spec : locals) {
            IndexInfo index = index(spec, false, definitionOrder, definitions, onDemand, now);
            if (!index.hashKey().name().equals(hash.name())) {
                throw DynamoDbErrors.validation(INVALID + "Index KeySchema does not have the same leading hash key as "
                        + "table KeySchema for index: " + spec.name + ". index hash key: " + index.hashKey().name()
                        + ", table hash key: " + hash.name());
            }
            if (index.rangeKey() == null) {
                throw DynamoDbErrors.validation(INVALID + "Index KeySchema does not have a range key for index: " + spec.name);
            }
            if (!indexNames.add(spec.name)) {
                throw DynamoDbErrors.validation(INVALID + "Duplicate index name: " + spec.name);
            }
            localIndexes.add(index);
        }
        if (globals.size() > MAX_GLOBAL_INDEXES) {
            throw DynamoDbErrors.validation(INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of "
                    + MAX_GLOBAL_INDEXES);
        }
        List<IndexInfo> globalIndexes = new ArrayList<>();
        for (IndexSpec spec : globals) {
            IndexInfo index = index(spec, true, definitionOrder, definitions, onDemand, now).withStatus("ACTIVE");
            if (!indexNames.add(spec.name)) {
                throw DynamoDbErrors.validation(INVALID + "Duplicate index name: " + spec.name);
            }
            globalIndexes.add(index);
        }
        Set<String> used = new TreeSet<>();
        for (KeyElement key : keySchema) used.add(key.name);
        for (IndexInfo index : localIndexes) addKeys(used, index);
        for (IndexInfo index : globalIndexes) addKeys(used, index);
        if (!used.containsAll(definitions.keySet())) {
            if (localIndexes.isEmpty() && globalIndexes.isEmpty()) {
                throw DynamoDbErrors.validation(INVALID + "Number of attributes in KeySchema does not exactly match "
                        + "number of attributes defined in AttributeDefinitions");
            }
            throw DynamoDbErrors.validation(INVALID + "Some AttributeDefinitions are not used. AttributeDefinitions: "
                    + new TreeSet<>(definitions.keySet()) + ", keys used: " + used);
        }
        TableInfo.StreamSettings stream = TableInfo.StreamSettings.NONE;
        if (Boolean.TRUE.equals(streamEnabled)) {
            if (viewType == null) {
                throw DynamoDbErrors.validation(INVALID + "StreamViewType is required when StreamEnabled is true");
            }
            stream = new TableInfo.StreamSettings(true, viewType, STREAM_LABEL.format(Instant.ofEpochMilli(now)));
        } else if (viewType != null) {
            throw DynamoDbErrors.validation(INVALID + "StreamViewType cannot be specified when StreamEnabled is false");
        }

        TableInfo table = TableInfo.builder()
                .accountId(ctx.accountId())
                .region(ctx.region())
                .name(name)
                .tableId(UUID.randomUUID().toString())
                .createdMillis(now)
                .hashKey(hash)
                .rangeKey(range)
                .attributeDefinitions(orderedDefinitions(definitionOrder, definitions))
                .billingMode(onDemand ? TableInfo.PAY_PER_REQUEST : TableInfo.PROVISIONED)
                .payPerRequestSinceMillis(onDemand ? now : 0)
                .throughput(onDemand ? Throughput.ON_DEMAND : Throughput.of(read, write))
                .globalIndexes(globalIndexes)
                .localIndexes(localIndexes)
                .stream(stream)
                .tags(tags)
                .deletionProtection(Boolean.TRUE.equals(deletionProtection))
                .tableClass(tableClass)
                .sseKmsKeyArn(sseKeyArn(sseNode, ctx, null))
                .build();

        catalog.controlLock().lock();
        try {
            if (catalog.find(ctx.accountId(), ctx.region(), name) != null) {
                throw DynamoDbErrors.resourceInUse("Table already exists: " + name);
            }
            catalog.save(table);
        } finally {
            catalog.controlLock().unlock();
        }
        ObjectNode out = JSON.objectNode();
        ObjectNode description = descriptions.describe(table, "CREATING");
        for (JsonNode index : description.withArray("GlobalSecondaryIndexes")) {
            ((ObjectNode) index).put("IndexStatus", "CREATING");
        }
        if (table.globalIndexes().isEmpty()) description.remove("GlobalSecondaryIndexes");
        out.set("TableDescription", description);
        return out;
    }

    private static Map<String, String> orderedDefinitions(List<String> order, Map<String, String> definitions) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : order) ordered.put(name, definitions.get(name));
        return ordered;
    }

    private static void addKeys(Set<String> used, IndexInfo index) {
        used.add(index.hashKey().name());
        if (index.rangeKey() != null) used.add(index.rangeKey().name());
    }

    private static List<KeyElement> keySchema(JsonNode node) {
        List<KeyElement> keys = new ArrayList<>();
        for (JsonNode k : node) keys.add(new KeyElement(Input.string(k, "AttributeName"), Input.string(k, "KeyType")));
        return keys;
    }

    private static void checkKeySchema(List<KeyElement> keySchema) {
        if (!"HASH".equals(keySchema.get(0).type)) {
            throw DynamoDbErrors.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (keySchema.size() > 1) {
            if (!"RANGE".equals(keySchema.get(1).type)) {
                throw DynamoDbErrors.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            }
            if (keySchema.get(0).name.equals(keySchema.get(1).name)) {
                throw DynamoDbErrors.validation(
                        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
            }
        }
    }

    private static List<IndexSpec> indexSpecs(JsonNode node, boolean global) {
        List<IndexSpec> specs = new ArrayList<>();
        if (node == null) return specs;
        for (JsonNode n : node) specs.add(indexSpec(n, global));
        return specs;
    }

    private static IndexSpec indexSpec(JsonNode n, boolean global) {
        String indexName = Input.string(n, "IndexName");
        List<KeyElement> keys = keySchema(Input.array(n, "KeySchema"));
        JsonNode projection = Input.object(n, "Projection");
        String projectionType = Input.string(projection, "ProjectionType");
        List<String> nonKey = null;
        JsonNode nonKeyNode = Input.array(projection, "NonKeyAttributes");
        if (nonKeyNode != null) {
            nonKey = new ArrayList<>();
            for (JsonNode a : nonKeyNode) nonKey.add(a.textValue());
        }
        JsonNode throughput = global ? Input.object(n, "ProvisionedThroughput") : null;
        Long read = Input.number(throughput, "ReadCapacityUnits");
        Long write = Input.number(throughput, "WriteCapacityUnits");
        return new IndexSpec(indexName, keys, projectionType == null ? IndexInfo.ALL : projectionType, nonKey,
                read, write, throughput != null);
    }

    private static IndexInfo index(IndexSpec spec, boolean global, List<String> definitionOrder,
                                   Map<String, String> definitions, boolean onDemand, long now) {
        checkKeySchema(spec.keySchema);
        for (KeyElement key : spec.keySchema) {
            if (!definitions.containsKey(key.name)) {
                List<String> keys = new ArrayList<>();
                for (KeyElement k : spec.keySchema) keys.add(k.name);
                throw DynamoDbErrors.validation(INVALID + "Some index key attributes are not defined in "
                        + "AttributeDefinitions. Keys: " + keys + ", AttributeDefinitions: " + definitionOrder);
            }
        }
        if (spec.projectionType == null) {
            throw DynamoDbErrors.validation(INVALID + "Unknown ProjectionType: null");
        }
        if (spec.nonKey != null && !IndexInfo.INCLUDE.equals(spec.projectionType)) {
            throw DynamoDbErrors.validation(INVALID + "ProjectionType is " + spec.projectionType
                    + ", but NonKeyAttributes is specified");
        }
        if (spec.nonKey == null && IndexInfo.INCLUDE.equals(spec.projectionType)) {
            throw DynamoDbErrors.validation(INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        }
        Throughput throughput = Throughput.ON_DEMAND;
        if (global) {
            if (onDemand && spec.hasThroughput) {
                throw DynamoDbErrors.validation(INVALID + "ProvisionedThroughput should not be specified for index: "
                        + spec.name + " when BillingMode is PAY_PER_REQUEST");
            }
            if (!onDemand && !spec.hasThroughput) {
                throw DynamoDbErrors.validation(INVALID + "ProvisionedThroughput must be specified for index: " + spec.name);
            }
            if (!onDemand) throughput = Throughput.of(spec.read, spec.write);
        }
        KeyElement h = spec.keySchema.get(0);
        KeyElement r = spec.keySchema.size() > 1 ? spec.keySchema.get(1) : null;
        return new IndexInfo(spec.name, UUID.randomUUID().toString(), global,
                new KeyDef(h.name, definitions.get(h.name)),
                r == null ? null : new KeyDef(r.name, definitions.get(r.name)),
                spec.projectionType, spec.nonKey, throughput, global ? "CREATING" : "ACTIVE", now);
    }

    private static Map<String, String> tags(JsonNode tagsNode) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (tagsNode == null) return tags;
        for (JsonNode tag : tagsNode) tags.put(Input.string(tag, "Key"), Input.string(tag, "Value"));
        return tags;
    }

    private static String sseKeyArn(JsonNode sse, RequestContext ctx, String current) {
        if (sse == null) return current;
        Boolean enabled = Input.bool(sse, "Enabled");
        if (!Boolean.TRUE.equals(enabled)) return null;
        String keyId = Input.string(sse, "KMSMasterKeyId");
        if (keyId == null) {
            return current != null ? current
                    : "arn:aws:kms:" + ctx.region() + ":" + ctx.accountId() + ":key/" + UUID.randomUUID();
        }
        if (keyId.startsWith("arn:")) return keyId;
        return "arn:aws:kms:" + ctx.region() + ":" + ctx.accountId() + ":" + (keyId.startsWith("alias/") ? keyId : "key/" + keyId);
    }

    // ---- DescribeTable, ListTables

    ObjectNode describeTable(JsonNode in, RequestContext ctx) {
        String name = Input.string(in, "TableName");
        TableInfo table = requireForControl(ctx, name);
        ObjectNode out = JSON.objectNode();
        out.set("Table", descriptions.describe(table, "ACTIVE"));
        return out;
    }

    ObjectNode listTables(JsonNode in, RequestContext ctx) {
        String start = Input.string(in, "ExclusiveStartTableName");
        Integer limit = Input.integer(in, "Limit");
        int max = limit == null ? 100 : limit;
        List<TableInfo> tables = catalog.list(ctx.accountId(), ctx.region());
        ObjectNode out = JSON.objectNode();
        ArrayNode names = out.putArray("TableNames");
        String last = null;
        boolean more = false;
        for (TableInfo table : tables) {
            if (start != null && table.name().compareTo(start) <= 0) continue;
            if (names.size() == max) {
                more = true;
                break;
            }
            names.add(table.name());
            last = table.name();
        }
        if (more) out.put("LastEvaluatedTableName", last);
        return out;
    }

    // ---- UpdateTable

    ObjectNode updateTable(JsonNode in, RequestContext ctx) {
        String name = Input.string(in, "TableName");
        JsonNode definitionsNode = Input.array(in, "AttributeDefinitions");
        String billingMode = Input.string(in, "BillingMode");
        JsonNode throughputNode = Input.object(in, "ProvisionedThroughput");
        JsonNode indexUpdates = Input.array(in, "GlobalSecondaryIndexUpdates");
        JsonNode streamNode = Input.object(in, "StreamSpecification");
        JsonNode sseNode = Input.object(in, "SSESpecification");
        String tableClass = Input.string(in, "TableClass");
        Boolean deletionProtection = Input.bool(in, "DeletionProtectionEnabled");
        JsonNode replicaUpdates = Input.array(in, "ReplicaUpdates");

        Long read = Input.number(throughputNode, "ReadCapacityUnits");
        Long write = Input.number(throughputNode, "WriteCapacityUnits");
        Map<String, String> newDefinitions = new LinkedHashMap<>();
        if (definitionsNode != null) {
            for (JsonNode d : definitionsNode) newDefinitions.put(Input.string(d, "AttributeName"), Input.string(d, "AttributeType"));
        }
        List<IndexSpec> creates = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        Map<String, long[]> throughputUpdates = new LinkedHashMap<>();
        // an index update without provisioned throughput is the on-demand throughput Eddy does not offer
        Constraints missingThroughput = new Constraints();
        if (indexUpdates != null) {
            int i = 0;
            for (JsonNode u : indexUpdates) {
                i++;
                JsonNode create = Input.object(u, "Create");
                JsonNode delete = Input.object(u, "Delete");
                JsonNode update = Input.object(u, "Update");
                if (create != null) creates.add(indexSpec(create, true));
                if (delete != null) deletes.add(Input.string(delete, "IndexName"));
                if (update != null) {
                    String indexName = Input.string(update, "IndexName");
                    JsonNode tp = Input.object(update, "ProvisionedThroughput");
                    missingThroughput.notNull(tp, "globalSecondaryIndexUpdates." + i + ".member.update.provisionedThroughput");
                    if (tp != null) {
                        throughputUpdates.put(indexName, new long[] {Input.number(tp, "ReadCapacityUnits"),
                                Input.number(tp, "WriteCapacityUnits")});
                    }
                }
            }
        }
        missingThroughput.throwIfAny();
        Boolean streamEnabled = Input.bool(streamNode, "StreamEnabled");
        String viewType = Input.string(streamNode, "StreamViewType");

        if (replicaUpdates != null && !replicaUpdates.isEmpty()) {
            throw DynamoDbErrors.validation("Replica updates are not supported: global tables need more than one region");
        }
        if (billingMode == null && throughputNode == null && indexUpdates == null && streamNode == null
                && sseNode == null && tableClass == null && deletionProtection == null) {
            throw DynamoDbErrors.validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                    + "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        }
        if (creates.size() + deletes.size() > 1) {
            throw DynamoDbErrors.limitExceeded(
                    "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
        }

        catalog.controlLock().lock();
        TableInfo updated;
        List<IndexInfo> created = new ArrayList<>();
        List<IndexInfo> dropped = new ArrayList<>();
        try {
            TableInfo table = requireForControl(ctx, name);
            long now = clock.millis();
            TableInfo.Builder b = table.toBuilder();
            String newMode = billingMode == null ? table.billingMode() : billingMode;
            boolean onDemand = TableInfo.PAY_PER_REQUEST.equals(newMode);
            if (onDemand && throughputNode != null) {
                throw DynamoDbErrors.validation(INVALID
                        + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            List<IndexInfo> globals = new ArrayList<>(table.globalIndexes());
            if (!newMode.equals(table.billingMode())) {
                b.billingMode(newMode);
                if (onDemand) {
                    b.payPerRequestSinceMillis(now).throughput(Throughput.ON_DEMAND);
                    globals.replaceAll(index -> index.withThroughput(Throughput.ON_DEMAND));
                } else {
                    if (throughputNode == null) {
                        throw DynamoDbErrors.validation(INVALID + "ProvisionedThroughput must be specified when "
                                + "BillingMode is PROVISIONED");
                    }
                    for (IndexInfo index : globals) {
                        if (!throughputUpdates.containsKey(index.name())) {
                            throw DynamoDbErrors.validation(INVALID + "ProvisionedThroughput must be specified for "
                                    + "index: " + index.name());
                        }
                    }
                    b.throughput(Throughput.of(read, write));
                }
            } else if (throughputNode != null) {
                Throughput current = table.throughput();
                if (current.readUnits() == read && current.writeUnits() == write && indexUpdates == null
                        && streamNode == null && sseNode == null) {
                    throw DynamoDbErrors.validation("The provisioned throughput for the table will not change. The "
                            + "requested value equals the current value. Current ReadCapacityUnits provisioned for the "
                            + "table: " + current.readUnits() + ". Requested ReadCapacityUnits: " + read + ". Current "
                            + "WriteCapacityUnits provisioned for the table: " + current.writeUnits() + ". Requested "
                            + "WriteCapacityUnits: " + write + ". Refer to the Amazon DynamoDB Developer Guide for "
                            + "current limits and how to request higher limits.");
                }
                b.throughput(current.changedTo(read, write, now));
            }
            for (Map.Entry<String, long[]> u : throughputUpdates.entrySet()) {
                int position = -1;
                for (int i = 0; i < globals.size(); i++) if (globals.get(i).name().equals(u.getKey())) position = i;
                if (position < 0) {
                    throw DynamoDbErrors.resourceNotFound("Requested resource not found: Table: " + table.name()
                            + " Index: " + u.getKey() + " not found");
                }
                if (onDemand) {
                    throw DynamoDbErrors.validation(INVALID + "ProvisionedThroughput should not be specified for index: "
                            + u.getKey() + " when BillingMode is PAY_PER_REQUEST");
                }
                IndexInfo index = globals.get(position);
                Throughput tp = index.throughput().readUnits() == 0 && index.throughput().writeUnits() == 0
                        ? Throughput.of(u.getValue()[0], u.getValue()[1])
                        : index.throughput().changedTo(u.getValue()[0], u.getValue()[1], now);
                globals.set(position, index.withThroughput(tp));
            }
            Map<String, String> definitions = new LinkedHashMap<>(table.attributeDefinitions());
            for (String deleted : deletes) {
                IndexInfo index = table.index(deleted);
                if (index == null || !index.global()) {
                    throw DynamoDbErrors.resourceNotFound("Requested resource not found: Table: " + table.name()
                            + " Index: " + deleted + " not found");
                }
                if (!index.isActive()) {
                    throw DynamoDbErrors.resourceInUse("Attempt to change a resource which is still in use: Index is "
                            + "being created: " + deleted);
                }
                globals.remove(index);
                dropped.add(index);
            }
            for (IndexSpec spec : creates) {
                if (table.index(spec.name) != null) {
                    throw DynamoDbErrors.validation(INVALID + "Cannot create an index that already exists: " + spec.name);
                }
                for (IndexInfo index : globals) {
                    if (!index.isActive()) {
                        throw DynamoDbErrors.limitExceeded("Subscriber limit exceeded: Only 1 online index can be "
                                + "created or deleted simultaneously per table");
                    }
                }
                if (globals.size() >= MAX_GLOBAL_INDEXES) {
                    throw DynamoDbErrors.limitExceeded("Subscriber limit exceeded: GlobalSecondaryIndex count exceeds "
                            + "the per-table limit of " + MAX_GLOBAL_INDEXES);
                }
                if (definitionsNode == null) {
                    throw DynamoDbErrors.validation(INVALID + "Some index key attributes are not defined in "
                            + "AttributeDefinitions. Keys: " + spec.keySchema.stream().map(KeyElement::name).toList()
                            + ", AttributeDefinitions: []");
                }
                for (Map.Entry<String, String> d : newDefinitions.entrySet()) {
                    String existing = definitions.get(d.getKey());
                    if (existing != null && !existing.equals(d.getValue())) {
                        throw DynamoDbErrors.validation(INVALID + "Cannot change the type of an existing attribute "
                                + "definition: " + d.getKey());
                    }
                }
                Map<String, String> merged = new LinkedHashMap<>(definitions);
                merged.putAll(newDefinitions);
                IndexInfo index = index(spec, true, new ArrayList<>(newDefinitions.keySet()), merged, onDemand, now);
                globals.add(index);
                created.add(index);
                definitions = merged;
            }
            if (!dropped.isEmpty() || !created.isEmpty()) {
                Set<String> used = new LinkedHashSet<>();
                used.add(table.hashKey().name());
                if (table.rangeKey() != null) used.add(table.rangeKey().name());
                for (IndexInfo index : table.localIndexes()) addKeys(used, index);
                for (IndexInfo index : globals) addKeys(used, index);
                definitions.keySet().retainAll(used);
                b.attributeDefinitions(definitions);
            }
            b.globalIndexes(globals);
            if (streamNode != null) b.stream(updatedStream(table, streamEnabled, viewType, now));
            if (sseNode != null) b.sseKmsKeyArn(sseKeyArn(sseNode, ctx, table.sseKmsKeyArn()));
            if (tableClass != null) b.tableClass(tableClass);
            if (deletionProtection != null) b.deletionProtection(deletionProtection);
            updated = b.build();
            catalog.save(updated);
        } finally {
            catalog.controlLock().unlock();
        }
        for (IndexInfo index : dropped) maintenance.dropIndex(updated, index);
        for (IndexInfo index : created) maintenance.backfill(updated, index);
        ObjectNode out = JSON.objectNode();
        ObjectNode description = descriptions.describe(updated, "UPDATING");
        if (!dropped.isEmpty()) {
            ArrayNode globals = description.withArray("GlobalSecondaryIndexes");
            for (IndexInfo index : dropped) {
                ObjectNode node = globals.addObject();
                node.put("IndexName", index.name());
                node.set("KeySchema", TableDescriptions.keySchema(index.hashKey(), index.rangeKey()));
                ObjectNode projection = node.putObject("Projection");
                projection.put("ProjectionType", index.projectionType());
                node.put("IndexStatus", "DELETING");
                node.set("ProvisionedThroughput", TableDescriptions.throughput(index.throughput()));
                node.put("IndexSizeBytes", counters.sizeBytes(updated, index));
                node.put("ItemCount", counters.itemCount(updated, index));
                node.put("IndexArn", updated.indexArn(index));
            }
        }
        out.set("TableDescription", description);
        return out;
    }

    private TableInfo.StreamSettings updatedStream(TableInfo table, Boolean enabled, String viewType, long now) {
        TableInfo.StreamSettings current = table.stream();
        if (Boolean.TRUE.equals(enabled)) {
            if (current.enabled()) {
                throw DynamoDbErrors.validation("Table already has an enabled stream: TableName: " + table.name());
            }
            if (viewType == null) {
                throw DynamoDbErrors.validation(INVALID + "StreamViewType is required when StreamEnabled is true");
            }
            String label = STREAM_LABEL.format(Instant.ofEpochMilli(now));
            if (label.equals(current.latestLabel())) label = STREAM_LABEL.format(Instant.ofEpochMilli(now + 1));
            return new TableInfo.StreamSettings(true, viewType, label);
        }
        if (!current.enabled()) {
            throw DynamoDbErrors.validation("Table does not have an enabled stream: TableName: " + table.name());
        }
        return new TableInfo.StreamSettings(false, null, current.latestLabel());
    }

    // ---- DeleteTable

    ObjectNode deleteTable(JsonNode in, RequestContext ctx) {
        String name = Input.string(in, "TableName");
        TableInfo table;
        ObjectNode description;
        catalog.controlLock().lock();
        try {
            table = requireForControl(ctx, name);
            if (table.deletionProtection()) {
                throw DynamoDbErrors.validation("Resource cannot be deleted as it is currently protected against "
                        + "deletion. Disable deletion protection first.");
            }
            description = descriptions.describe(table, "DELETING");
            Batch batch = new Batch();
            catalog.stageRemove(table, batch);
            store.write(batch);
            catalog.unpublish(table);
        } finally {
            catalog.controlLock().unlock();
        }
        maintenance.eraseTable(table.accountId(), table.region(), table.tableId());
        ObjectNode out = JSON.objectNode();
        out.set("TableDescription", description);
        return out;
    }

    // ---- Time to Live

    ObjectNode updateTimeToLive(JsonNode in, RequestContext ctx) {
        String name = Input.string(in, "TableName");
        JsonNode spec = Input.object(in, "TimeToLiveSpecification");
        Boolean enabled = Input.bool(spec, "Enabled");
        String attribute = Input.string(spec, "AttributeName");
        TableInfo updated;
        catalog.controlLock().lock();
        try {
            TableInfo table = requireForControl(ctx, name);
            if (enabled) {
                if (table.ttlEnabled()) {
                    throw DynamoDbErrors.validation("TimeToLive is already enabled");
                }
            } else {
                if (!table.ttlEnabled()) {
                    throw DynamoDbErrors.validation("TimeToLive is already disabled");
                }
                if (!attribute.equals(table.ttlAttribute())) {
                    throw DynamoDbErrors.validation("TimeToLive is active on a different AttributeName: current "
                            + "AttributeName is " + table.ttlAttribute());
                }
            }
            updated = table.toBuilder().ttl(enabled ? attribute : null, enabled).build();
            catalog.save(updated);
        } finally {
            catalog.controlLock().unlock();
        }
        maintenance.rebuildTtlQueue(updated);
        ObjectNode out = JSON.objectNode();
        ObjectNode specification = out.putObject("TimeToLiveSpecification");
        specification.put("Enabled", enabled);
        specification.put("AttributeName", attribute);
        return out;
    }

    ObjectNode describeTimeToLive(JsonNode in, RequestContext ctx) {
        String name = Input.string(in, "TableName");
        TableInfo table = requireForControl(ctx, name);
        ObjectNode out = JSON.objectNode();
        ObjectNode description = out.putObject("TimeToLiveDescription");
        if (table.ttlEnabled()) {
            description.put("TimeToLiveStatus", "ENABLED");
            description.put("AttributeName", table.ttlAttribute());
        } else {
            description.put("TimeToLiveStatus", "DISABLED");
        }
        return out;
    }

    // ---- continuous backups (point-in-time recovery settings)

    private TableInfo requireForBackups(RequestContext ctx, String tableName) {
        TableInfo table = catalog.find(ctx.accountId(), ctx.region(), nameOf(ctx, tableName));
        if (table == null) {
            // The backup operations name a missing table with their own error type.
            throw new AwsException(400, "com.amazonaws.dynamodb.v20120810#TableNotFoundException",
                    "Table not found: " + tableName);
        }
        return table;
    }

    private ObjectNode continuousBackups(TableInfo table) {
        ObjectNode out = JSON.objectNode();
        ObjectNode description = out.putObject("ContinuousBackupsDescription");
        description.put("ContinuousBackupsStatus", "ENABLED");
        ObjectNode recovery = description.putObject("PointInTimeRecoveryDescription");
        long since = table.pointInTimeRecoverySinceMillis();
        recovery.put("PointInTimeRecoveryStatus", since > 0 ? "ENABLED" : "DISABLED");
        if (since > 0) {
            recovery.put("RecoveryPeriodInDays", 35);
            recovery.put("EarliestRestorableDateTime", TableDescriptions.seconds(since));
            recovery.put("LatestRestorableDateTime", TableDescriptions.seconds(Math.max(since, clock.millis() - 5 * 60 * 1000)));
        }
        return out;
    }

    ObjectNode describeContinuousBackups(JsonNode in, RequestContext ctx) {
        String name = Input.string(in, "TableName");
        return continuousBackups(requireForBackups(ctx, name));
    }

    ObjectNode updateContinuousBackups(JsonNode in, RequestContext ctx) {
        String name = Input.string(in, "TableName");
        JsonNode spec = Input.object(in, "PointInTimeRecoverySpecification");
        Boolean enabled = Input.bool(spec, "PointInTimeRecoveryEnabled");
        catalog.controlLock().lock();
        try {
            TableInfo table = requireForBackups(ctx, name);
            long since = enabled ? (table.pointInTimeRecoverySinceMillis() > 0 ? table.pointInTimeRecoverySinceMillis() : clock.millis()) : 0;
            TableInfo updated = table.toBuilder().pointInTimeRecoverySinceMillis(since).build();
            catalog.save(updated);
            return continuousBackups(updated);
        } finally {
            catalog.controlLock().unlock();
        }
    }

    // ---- tags

    private TableInfo tableByArn(RequestContext ctx, String arn) {
        String prefix = "arn:aws:dynamodb:";
        int slash = arn.indexOf(":table/");
        if (!arn.startsWith(prefix) || slash < 0) {
            throw DynamoDbErrors.validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
        }
        String tableName = arn.substring(slash + ":table/".length());
        TableInfo table = null;
        if (arn.equals(TableInfo.arn(ctx.region(), ctx.accountId(), tableName))) {
            table = catalog.find(ctx.accountId(), ctx.region(), tableName);
        }
        if (table == null) {
            throw DynamoDbErrors.resourceNotFound("Requested resource not found: ResourcArn: " + arn + " not found");
        }
        return table;
    }

    ObjectNode tagResource(JsonNode in, RequestContext ctx) {
        String arn = Input.string(in, "ResourceArn");
        JsonNode tagsNode = Input.array(in, "Tags");
        Map<String, String> tags = tags(tagsNode);
        catalog.controlLock().lock();
        try {
            TableInfo table = tableByArn(ctx, arn);
            Map<String, String> merged = new LinkedHashMap<>(table.tags());
            merged.putAll(tags);
            if (merged.size() > MAX_TAGS) {
                throw DynamoDbErrors.limitExceeded("The number of tags on the resource exceeds the limit of " + MAX_TAGS);
            }
            catalog.save(table.toBuilder().tags(merged).build());
        } finally {
            catalog.controlLock().unlock();
        }
        return JSON.objectNode();
    }

    ObjectNode untagResource(JsonNode in, RequestContext ctx) {
        String arn = Input.string(in, "ResourceArn");
        JsonNode keysNode = Input.array(in, "TagKeys");
        catalog.controlLock().lock();
        try {
            TableInfo table = tableByArn(ctx, arn);
            Map<String, String> remaining = new LinkedHashMap<>(table.tags());
            for (JsonNode key : keysNode) remaining.remove(key.textValue());
            catalog.save(table.toBuilder().tags(remaining).build());
        } finally {
            catalog.controlLock().unlock();
        }
        return JSON.objectNode();
    }

    ObjectNode listTagsOfResource(JsonNode in, RequestContext ctx) {
        String arn = Input.string(in, "ResourceArn");
        String nextToken = Input.string(in, "NextToken");
        TableInfo table = tableByArn(ctx, arn);
        List<Map.Entry<String, String>> all = new ArrayList<>(table.tags().entrySet());
        int from = 0;
        if (nextToken != null) {
            try {
                from = Integer.parseInt(nextToken);
            } catch (NumberFormatException e) {
                throw DynamoDbErrors.validation("Invalid NextToken");
            }
        }
        ObjectNode out = JSON.objectNode();
        ArrayNode tags = out.putArray("Tags");
        int pageSize = 10;
        for (int i = from; i < all.size() && i < from + pageSize; i++) {
            ObjectNode tag = tags.addObject();
            tag.put("Key", all.get(i).getKey());
            tag.put("Value", all.get(i).getValue());
        }
        if (from + pageSize < all.size()) out.put("NextToken", Integer.toString(from + pageSize));
        return out;
    }

    // ---- endpoints and limits

    ObjectNode describeEndpoints(RequestContext ctx) {
        ObjectNode out = JSON.objectNode();
        ObjectNode endpoint = out.putArray("Endpoints").addObject();
        endpoint.put("Address", ctx.host() != null ? ctx.host() : "dynamodb." + ctx.region() + ".amazonaws.com");
        endpoint.put("CachePeriodInMinutes", 1440);
        return out;
    }

    ObjectNode describeLimits() {
        ObjectNode out = JSON.objectNode();
        out.put("AccountMaxReadCapacityUnits", 80000);
        out.put("AccountMaxWriteCapacityUnits", 80000);
        out.put("TableMaxReadCapacityUnits", 40000);
        out.put("TableMaxWriteCapacityUnits", 40000);
        return out;
    }
}
