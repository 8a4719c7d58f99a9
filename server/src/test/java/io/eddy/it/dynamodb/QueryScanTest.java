package io.eddy.it.dynamodb;

import static io.eddy.it.dynamodb.TablesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

class QueryScanTest {

    static Eddy eddy;
    static DynamoDbClient ddb;

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(int v) {
        return AttributeValue.fromN(Integer.toString(v));
    }

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        ddb = Clients.dynamo(eddy);
        ddb.createTable(r -> r.tableName("events")
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("Device").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("Seq").attributeType(ScalarAttributeType.N).build(),
                        AttributeDefinition.builder().attributeName("Level").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("Alarm").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("Device").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("Seq").keyType(KeyType.RANGE).build())
                .localSecondaryIndexes(l -> l.indexName("ByLevel")
                        .keySchema(KeySchemaElement.builder().attributeName("Device").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("Level").keyType(KeyType.RANGE).build())
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .globalSecondaryIndexes(g -> g.indexName("Alarms")
                        .keySchema(KeySchemaElement.builder().attributeName("Alarm").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("Seq").keyType(KeyType.RANGE).build())
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("Note")))
                .billingMode("PAY_PER_REQUEST"));
        for (int i = -10; i < 40; i++) {
            int seq = i;
            Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of("Device", s("d1"), "Seq", n(seq),
                    "Level", s(seq % 2 == 0 ? "even" : "odd"), "Payload", s("p" + seq), "Note", s("n" + seq)));
            if (seq % 10 == 0) item.put("Alarm", s("fire"));
            ddb.putItem(r -> r.tableName("events").item(item));
        }
        ddb.putItem(r -> r.tableName("events").item(Map.of("Device", s("d2"), "Seq", n(1))));
    }

    @AfterAll
    static void stop() {
        ddb.close();
        eddy.close();
    }

    static List<Integer> seqs(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> Integer.parseInt(i.get("Seq").n())).toList();
    }

    @Test
    void sortKeyConditionsSelectNumericRanges() {
        QueryResponse between = ddb.query(r -> r.tableName("events")
                .keyConditionExpression("Device = :d AND Seq BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":d", s("d1"), ":lo", n(-2), ":hi", n(3))));
        assertThat(seqs(between.items())).containsExactly(-2, -1, 0, 1, 2, 3);
        QueryResponse below = ddb.query(r -> r.tableName("events")
                .keyConditionExpression("Device = :d AND Seq < :v")
                .expressionAttributeValues(Map.of(":d", s("d1"), ":v", n(-8))));
        assertThat(seqs(below.items())).containsExactly(-10, -9);
        QueryResponse descending = ddb.query(r -> r.tableName("events")
                .keyConditionExpression("Device = :d AND Seq >= :v").scanIndexForward(false)
                .expressionAttributeValues(Map.of(":d", s("d1"), ":v", n(37))));
        assertThat(seqs(descending.items())).containsExactly(39, 38, 37);
        assertThat(ddb.query(r -> r.tableName("events").keyConditionExpression("Device = :d")
                .expressionAttributeValues(Map.of(":d", s("d1")))).count()).isEqualTo(50);
    }

    @Test
    void limitAppliesBeforeTheFilterAndPagesResume() {
        QueryResponse first = ddb.query(r -> r.tableName("events").limit(10)
                .keyConditionExpression("Device = :d").filterExpression("#l = :odd")
                .expressionAttributeNames(Map.of("#l", "Level"))
                .expressionAttributeValues(Map.of(":d", s("d1"), ":odd", s("odd"))));
        assertThat(first.scannedCount()).isEqualTo(10);
        assertThat(first.count()).isEqualTo(5);
        assertThat(first.lastEvaluatedKey()).containsOnlyKeys("Device", "Seq").containsEntry("Seq", n(-1));
        QueryResponse second = ddb.query(r -> r.tableName("events").limit(10)
                .keyConditionExpression("Device = :d").filterExpression("#l = :odd")
                .expressionAttributeNames(Map.of("#l", "Level"))
                .expressionAttributeValues(Map.of(":d", s("d1"), ":odd", s("odd")))
                .exclusiveStartKey(first.lastEvaluatedKey()));
        assertThat(seqs(second.items())).containsExactly(1, 3, 5, 7, 9);
        List<Integer> all = new ArrayList<>();
        ddb.queryPaginator(r -> r.tableName("events").limit(7).keyConditionExpression("Device = :d")
                .expressionAttributeValues(Map.of(":d", s("d1")))).items().forEach(i -> all.add(Integer.parseInt(i.get("Seq").n())));
        assertThat(all).hasSize(50).isSorted();
    }

    @Test
    void selectCountAndProjection() {
        QueryResponse count = ddb.query(r -> r.tableName("events").select(Select.COUNT)
                .keyConditionExpression("Device = :d").expressionAttributeValues(Map.of(":d", s("d1"))));
        assertThat(count.count()).isEqualTo(50);
        assertThat(count.hasItems()).isFalse();
        QueryResponse projected = ddb.query(r -> r.tableName("events").projectionExpression("Payload")
                .keyConditionExpression("Device = :d AND Seq = :s").expressionAttributeValues(Map.of(":d", s("d1"), ":s", n(5))));
        assertThat(projected.items()).containsExactly(Map.of("Payload", s("p5")));
        assertError(() -> ddb.query(r -> r.tableName("events").select(Select.ALL_PROJECTED_ATTRIBUTES)
                        .keyConditionExpression("Device = :d").expressionAttributeValues(Map.of(":d", s("d1")))),
                DynamoDbException.class, "ValidationException",
                "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    }

    @Test
    void localIndexQueriesFetchTableAttributesAndReturnIndexKeysInLastEvaluatedKey() {
        QueryResponse odd = ddb.query(r -> r.tableName("events").indexName("ByLevel").limit(3)
                .keyConditionExpression("Device = :d AND #l = :odd")
                .expressionAttributeNames(Map.of("#l", "Level"))
                .expressionAttributeValues(Map.of(":d", s("d1"), ":odd", s("odd"))));
        assertThat(odd.items()).hasSize(3);
        assertThat(odd.items().getFirst()).containsOnlyKeys("Device", "Seq", "Level");
        assertThat(odd.lastEvaluatedKey()).containsOnlyKeys("Device", "Seq", "Level");
        QueryResponse all = ddb.query(r -> r.tableName("events").indexName("ByLevel").select(Select.ALL_ATTRIBUTES)
                .keyConditionExpression("Device = :d AND #l = :odd")
                .expressionAttributeNames(Map.of("#l", "Level"))
                .expressionAttributeValues(Map.of(":d", s("d1"), ":odd", s("odd"))));
        assertThat(all.count()).isEqualTo(25);
        assertThat(all.items().getFirst()).containsKey("Payload");
    }

    @Test
    void sparseGlobalIndexHoldsOnlyItemsWithItsKey() {
        QueryResponse alarms = ddb.query(r -> r.tableName("events").indexName("Alarms")
                .keyConditionExpression("Alarm = :a").expressionAttributeValues(Map.of(":a", s("fire")))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        assertThat(seqs(alarms.items())).containsExactly(-10, 0, 10, 20, 30);
        assertThat(alarms.items().getFirst()).containsOnlyKeys("Device", "Seq", "Alarm", "Note");
        assertThat(alarms.consumedCapacity().globalSecondaryIndexes()).containsKey("Alarms");
        ScanResponse scan = ddb.scan(r -> r.tableName("events").indexName("Alarms"));
        assertThat(scan.count()).isEqualTo(5);
        assertError(() -> ddb.query(r -> r.tableName("events").indexName("Alarms").consistentRead(true)
                        .keyConditionExpression("Alarm = :a").expressionAttributeValues(Map.of(":a", s("fire")))),
                DynamoDbException.class, "ValidationException", "Consistent reads are not supported on global secondary indexes");
        QueryResponse page = ddb.query(r -> r.tableName("events").indexName("Alarms").limit(2)
                .keyConditionExpression("Alarm = :a").expressionAttributeValues(Map.of(":a", s("fire"))));
        assertThat(page.lastEvaluatedKey()).containsOnlyKeys("Device", "Seq", "Alarm");
        QueryResponse rest = ddb.query(r -> r.tableName("events").indexName("Alarms").exclusiveStartKey(page.lastEvaluatedKey())
                .keyConditionExpression("Alarm = :a").expressionAttributeValues(Map.of(":a", s("fire"))));
        assertThat(seqs(rest.items())).containsExactly(10, 20, 30);
    }

    @Test
    void indexReadsRefuseAttributesTheIndexDoesNotProject() {
        Map<String, AttributeValue> fire = Map.of(":a", s("fire"));
        assertError(() -> ddb.query(r -> r.tableName("events").indexName("Alarms").projectionExpression("Note, Payload, #l")
                        .expressionAttributeNames(Map.of("#l", "Level"))
                        .keyConditionExpression("Alarm = :a").expressionAttributeValues(fire)),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Global secondary index Alarms does not project [Payload, Level]");
        assertError(() -> ddb.scan(r -> r.tableName("events").indexName("Alarms").projectionExpression("Payload")),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Global secondary index Alarms does not project [Payload]");
        assertError(() -> ddb.query(r -> r.tableName("events").indexName("Alarms").filterExpression("Payload = :p")
                        .keyConditionExpression("Alarm = :a").expressionAttributeValues(Map.of(":a", s("fire"), ":p", s("p0")))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Secondary index Alarms does not project one or more filter attributes: [Payload]");
        assertError(() -> ddb.query(r -> r.tableName("events").indexName("ByLevel").select(Select.ALL_ATTRIBUTES)
                        .filterExpression("Payload = :p").keyConditionExpression("Device = :d")
                        .expressionAttributeValues(Map.of(":d", s("d1"), ":p", s("p0")))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Secondary index ByLevel does not project one or more filter attributes: [Payload]");

        QueryResponse projected = ddb.query(r -> r.tableName("events").indexName("Alarms").projectionExpression("Seq, Note")
                .filterExpression("Note = :n").keyConditionExpression("Alarm = :a")
                .expressionAttributeValues(Map.of(":a", s("fire"), ":n", s("n10"))));
        assertThat(projected.items()).containsExactly(Map.of("Seq", n(10), "Note", s("n10")));
        ScanResponse unkeyed = ddb.scan(r -> r.tableName("events").indexName("Alarms").filterExpression("Payload = :p")
                .expressionAttributeValues(Map.of(":p", s("p0"))));
        assertThat(unkeyed.count()).isZero();
        assertThat(unkeyed.scannedCount()).isEqualTo(5);
    }

    @Test
    void queryErrorsUseAwsWording() {
        assertError(() -> ddb.query(r -> r.tableName("events")), DynamoDbException.class, "ValidationException",
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        assertError(() -> ddb.query(r -> r.tableName("events").keyConditionExpression("Seq = :s")
                        .expressionAttributeValues(Map.of(":s", n(1)))),
                DynamoDbException.class, "ValidationException", "Query condition missed key schema element: Device");
        assertError(() -> ddb.query(r -> r.tableName("events").keyConditionExpression("Device = :d")
                        .filterExpression("Seq > :s").expressionAttributeValues(Map.of(":d", s("d1"), ":s", n(1)))),
                DynamoDbException.class, "ValidationException",
                "Filter Expression can only contain non-primary key attributes: Primary key attribute: Seq");
        assertError(() -> ddb.query(r -> r.tableName("events").indexName("Nope").keyConditionExpression("Device = :d")
                        .expressionAttributeValues(Map.of(":d", s("d1")))),
                DynamoDbException.class, "ValidationException", "The table does not have the specified index: Nope");
        assertError(() -> ddb.query(r -> r.tableName("events").keyConditionExpression("Device = :d")
                        .expressionAttributeValues(Map.of(":d", n(1)))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Condition parameter type does not match schema type");
    }

    @Test
    void parallelScanSegmentsPartitionTheTable() {
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int segment = 0; segment < 4; segment++) {
            int seg = segment;
            for (ScanResponse page : ddb.scanPaginator(r -> r.tableName("events").segment(seg).totalSegments(4).limit(5))) {
                for (Map<String, AttributeValue> item : page.items()) {
                    seen.add(item.get("Device").s() + "/" + item.get("Seq").n());
                    total++;
                }
            }
        }
        assertThat(total).isEqualTo(51);
        assertThat(seen).hasSize(51);
        assertError(() -> ddb.scan(r -> r.tableName("events").segment(4).totalSegments(4)),
                DynamoDbException.class, "ValidationException",
                "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not "
                        + "less than TotalSegments: 4");
    }

    @Test
    void scanFiltersAndCounts() {
        ScanResponse scan = ddb.scan(r -> r.tableName("events").filterExpression("begins_with(Payload, :p) AND Seq > :z")
                .expressionAttributeValues(Map.of(":p", s("p1"), ":z", n(0))));
        assertThat(scan.scannedCount()).isEqualTo(51);
        assertThat(seqs(scan.items())).containsExactlyInAnyOrder(1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    }

    @Test
    void pagesStopAfterOneMegabyte() {
        ddb.createTable(TablesTest.singleTable("big-items").build());
        String blob = "b".repeat(100_000);
        for (int i = 0; i < 25; i++) {
            int n = i;
            ddb.putItem(r -> r.tableName("big-items").item(Map.of("PK", s("p"), "SK", s(String.format("%03d", n)), "Blob", s(blob))));
        }
        QueryResponse first = ddb.query(r -> r.tableName("big-items").keyConditionExpression("PK = :p")
                .expressionAttributeValues(Map.of(":p", s("p"))));
        assertThat(first.count()).isBetween(10, 11);
        assertThat(first.lastEvaluatedKey()).isNotEmpty();
        int total = 0;
        for (QueryResponse page : ddb.queryPaginator(r -> r.tableName("big-items").keyConditionExpression("PK = :p")
                .expressionAttributeValues(Map.of(":p", s("p"))))) {
            total += page.count();
        }
        assertThat(total).isEqualTo(25);
    }

    @Test
    void beginsWithOnStringSortKeys() {
        ddb.createTable(TablesTest.singleTable("prefixes").build());
        for (String sk : List.of("ORDER#1", "ORDER#2", "ORDER", "ORDERS", "PROFILE", "OR")) {
            ddb.putItem(r -> r.tableName("prefixes").item(Map.of("PK", s("u"), "SK", s(sk))));
        }
        QueryResponse orders = ddb.query(r -> r.tableName("prefixes")
                .keyConditionExpression("PK = :u AND begins_with(SK, :p)")
                .expressionAttributeValues(Map.of(":u", s("u"), ":p", s("ORDER#"))));
        assertThat(orders.items()).extracting(i -> i.get("SK").s()).containsExactly("ORDER#1", "ORDER#2");
        QueryResponse all = ddb.query(r -> r.tableName("prefixes")
                .keyConditionExpression("PK = :u AND begins_with(SK, :p)")
                .expressionAttributeValues(Map.of(":u", s("u"), ":p", s("ORDER"))));
        assertThat(all.items()).extracting(i -> i.get("SK").s()).containsExactly("ORDER", "ORDER#1", "ORDER#2", "ORDERS");
    }
}
