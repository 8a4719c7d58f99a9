package io.eddy.it.dynamodb;

import static io.eddy.it.dynamodb.TablesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

class BatchTest {

    static Eddy eddy;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        ddb = Clients.dynamo(eddy);
        ddb.createTable(TablesTest.singleTable("batch-a").build());
        ddb.createTable(TablesTest.singleTable("batch-b").build());
    }

    @AfterAll
    static void stop() {
        ddb.close();
        eddy.close();
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static WriteRequest put(String pk, String sk) {
        return WriteRequest.builder().putRequest(p -> p.item(Map.of("PK", s(pk), "SK", s(sk), "v", s(pk + sk)))).build();
    }

    static WriteRequest delete(String pk, String sk) {
        return WriteRequest.builder().deleteRequest(d -> d.key(Map.of("PK", s(pk), "SK", s(sk)))).build();
    }

    @Test
    void batchWritePutsAndDeletesAcrossTables() {
        ddb.putItem(r -> r.tableName("batch-b").item(Map.of("PK", s("gone"), "SK", s("1"))));
        BatchWriteItemResponse response = ddb.batchWriteItem(r -> r.requestItems(Map.of(
                "batch-a", List.of(put("w", "1"), put("w", "2"), put("w", "3")),
                "batch-b", List.of(put("w", "1"), delete("gone", "1"))))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertThat(response.unprocessedItems()).isEmpty();
        assertThat(response.consumedCapacity()).hasSize(2);
        assertThat(response.consumedCapacity()).filteredOn(c -> c.tableName().equals("batch-a"))
                .singleElement().satisfies(c -> assertThat(c.capacityUnits()).isEqualTo(3.0));
        assertThat(ddb.scan(r -> r.tableName("batch-a")).count()).isGreaterThanOrEqualTo(3);
        assertThat(ddb.getItem(r -> r.tableName("batch-b").key(Map.of("PK", s("gone"), "SK", s("1")))).hasItem()).isFalse();
    }

    @Test
    void batchWriteLimitsAndDuplicates() {
        List<WriteRequest> tooMany = new ArrayList<>();
        for (int i = 0; i < 26; i++) tooMany.add(put("many", Integer.toString(i)));
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(DynamoDbException.class,
                () -> ddb.batchWriteItem(r -> r.requestItems(Map.of("batch-a", tooMany)))).awsErrorDetails().errorMessage())
                .startsWith("1 validation error detected: Value ")
                .endsWith("at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                        + "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
        assertError(() -> ddb.batchWriteItem(r -> r.requestItems(Map.of(
                        "batch-a", tooMany.subList(0, 13), "batch-b", tooMany.subList(0, 13)))),
                DynamoDbException.class, "ValidationException", "Too many items requested for the BatchWriteItem call");
        assertError(() -> ddb.batchWriteItem(r -> r.requestItems(Map.of("batch-a", List.of(put("d", "1"), delete("d", "1"))))),
                DynamoDbException.class, "ValidationException", "Provided list of item keys contains duplicates");
        assertError(() -> ddb.batchWriteItem(r -> r.requestItems(Map.of("no-such-table", List.of(put("d", "1"))))),
                software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class, "ResourceNotFoundException",
                "Requested resource not found");
    }

    @Test
    void batchGetReturnsFoundItemsPerTableWithProjection() {
        ddb.batchWriteItem(r -> r.requestItems(Map.of("batch-a", List.of(put("g", "1"), put("g", "2")),
                "batch-b", List.of(put("g", "1")))));
        BatchGetItemResponse response = ddb.batchGetItem(r -> r.requestItems(Map.of(
                "batch-a", KeysAndAttributes.builder().keys(
                        Map.of("PK", s("g"), "SK", s("1")), Map.of("PK", s("g"), "SK", s("2")),
                        Map.of("PK", s("g"), "SK", s("missing"))).projectionExpression("v").build(),
                "batch-b", KeysAndAttributes.builder().keys(Map.of("PK", s("g"), "SK", s("1"))).consistentRead(true).build()))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertThat(response.responses().get("batch-a")).containsExactlyInAnyOrder(Map.of("v", s("g1")), Map.of("v", s("g2")));
        assertThat(response.responses().get("batch-b")).hasSize(1);
        assertThat(response.unprocessedKeys()).isEmpty();
        assertThat(response.consumedCapacity()).hasSize(2);
    }

    @Test
    void batchGetLimits() {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 101; i++) keys.add(Map.of("PK", s("k"), "SK", s(Integer.toString(i))));
        assertError(() -> ddb.batchGetItem(r -> r.requestItems(Map.of("batch-a", KeysAndAttributes.builder().keys(keys).build()))),
                DynamoDbException.class, "ValidationException", "1 validation error detected: Value at "
                        + "'requestItems.batch-a.member.keys' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 100");
        assertError(() -> ddb.batchGetItem(r -> r.requestItems(Map.of(
                        "batch-a", KeysAndAttributes.builder().keys(keys.subList(0, 60)).build(),
                        "batch-b", KeysAndAttributes.builder().keys(keys.subList(40, 100)).build()))),
                DynamoDbException.class, "ValidationException", "Too many items requested for the BatchGetItem call");
        assertError(() -> ddb.batchGetItem(r -> r.requestItems(Map.of("batch-a", KeysAndAttributes.builder()
                        .keys(keys.get(0), keys.get(0)).build()))),
                DynamoDbException.class, "ValidationException", "Provided list of item keys contains duplicates");
    }

    @Test
    void batchGetBeyondSixteenMegabytesLeavesUnprocessedKeys() {
        String blob = "z".repeat(390 * 1024);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Map<String, AttributeValue> key = Map.of("PK", s("huge"), "SK", s(Integer.toString(i)));
            keys.add(key);
            Map<String, AttributeValue> item = new java.util.HashMap<>(key);
            item.put("Blob", s(blob));
            writes.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
        }
        ddb.batchWriteItem(r -> r.requestItems(Map.of("batch-b", writes.subList(0, 25))));
        ddb.batchWriteItem(r -> r.requestItems(Map.of("batch-b", writes.subList(25, 50))));
        BatchGetItemResponse first = ddb.batchGetItem(r -> r.requestItems(Map.of("batch-b",
                KeysAndAttributes.builder().keys(keys).build())));
        int returned = first.responses().get("batch-b").size();
        assertThat(returned).isLessThan(50);
        assertThat(first.unprocessedKeys().get("batch-b").keys()).hasSize(50 - returned);
        BatchGetItemResponse rest = ddb.batchGetItem(r -> r.requestItems(first.unprocessedKeys()));
        assertThat(rest.responses().get("batch-b")).hasSize(50 - returned);
    }
}
