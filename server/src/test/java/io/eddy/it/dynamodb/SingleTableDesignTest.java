package io.eddy.it.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The users/products/orders single-table design of the streams workshop (seed 000), driven end to end. */
class SingleTableDesignTest {

    static Eddy eddy;
    static DynamoDbClient ddb;
    static final String TABLE = "ecommerce";

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(int v) {
        return AttributeValue.fromN(Integer.toString(v));
    }

    static GlobalSecondaryIndex gsi(String name) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(KeySchemaElement.builder().attributeName(name + "PK").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(name + "SK").keyType(KeyType.RANGE).build())
                .projection(p -> p.projectionType(ProjectionType.ALL)).build();
    }

    static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        ddb = Clients.dynamo(eddy);
        ddb.createTable(r -> r.tableName(TABLE)
                .attributeDefinitions(string("PK"), string("SK"), string("GSI1PK"), string("GSI1SK"), string("GSI2PK"), string("GSI2SK"))
                .keySchema(KeySchemaElement.builder().attributeName("PK").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("SK").keyType(KeyType.RANGE).build())
                .globalSecondaryIndexes(gsi("GSI1"), gsi("GSI2"))
                .billingMode("PAY_PER_REQUEST")
                .streamSpecification(st -> st.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
        ddb.waiter().waitUntilTableExists(r -> r.tableName(TABLE));

        Map<String, AttributeValue> user = new HashMap<>();
        user.put("PK", s("USER#stream-user-001"));
        user.put("SK", s("PROFILE"));
        user.put("GSI1PK", s("USER#john.stream@example.com"));
        user.put("GSI1SK", s("PROFILE"));
        user.put("user_id", s("stream-user-001"));
        user.put("name", s("John Stream"));
        user.put("email", s("john.stream@example.com"));
        user.put("registration_date", s("2025-08-11T16:45:00Z"));
        user.put("account_type", s("standard"));
        user.put("stream_test", AttributeValue.fromBool(true));

        Map<String, AttributeValue> product = new HashMap<>();
        product.put("PK", s("PRODUCT#stream-prod-001"));
        product.put("SK", s("DETAILS"));
        product.put("GSI1PK", s("CATEGORY#electronics"));
        product.put("GSI1SK", s("PRODUCT#stream-prod-001"));
        product.put("GSI2PK", s("PRICE#100-500"));
        product.put("GSI2SK", s("PRODUCT#stream-prod-001"));
        product.put("product_id", s("stream-prod-001"));
        product.put("name", s("Stream Test Smartphone"));
        product.put("category", s("electronics"));
        product.put("price", n(299));
        product.put("stock", n(50));
        product.put("stream_test", AttributeValue.fromBool(true));

        Map<String, AttributeValue> order = new HashMap<>();
        order.put("PK", s("USER#stream-user-001"));
        order.put("SK", s("ORDER#stream-order-001"));
        order.put("GSI1PK", s("ORDER#stream-order-001"));
        order.put("GSI1SK", s("DETAILS"));
        order.put("GSI2PK", s("STATUS#pending"));
        order.put("GSI2SK", s("ORDER#stream-order-001"));
        order.put("order_id", s("stream-order-001"));
        order.put("product_id", s("stream-prod-001"));
        order.put("quantity", n(1));
        order.put("total_amount", n(299));
        order.put("status", s("pending"));
        order.put("order_date", s("2025-08-11T16:55:00Z"));

        for (Map<String, AttributeValue> item : List.of(user, product, order)) {
            ddb.putItem(r -> r.tableName(TABLE).item(item).conditionExpression("attribute_not_exists(PK)"));
        }
    }

    @AfterAll
    static void stop() {
        ddb.close();
        eddy.close();
    }

    static QueryResponse gsi(String index, String pk) {
        return ddb.query(r -> r.tableName(TABLE).indexName(index).keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", index + "PK")).expressionAttributeValues(Map.of(":pk", s(pk))));
    }

    @Test
    void userItemCollectionHoldsProfileAndOrders() {
        QueryResponse collection = ddb.query(r -> r.tableName(TABLE).keyConditionExpression("PK = :pk")
                .expressionAttributeValues(Map.of(":pk", s("USER#stream-user-001"))));
        assertThat(collection.items()).extracting(i -> i.get("SK").s()).containsExactly("ORDER#stream-order-001", "PROFILE");
        QueryResponse orders = ddb.query(r -> r.tableName(TABLE).keyConditionExpression("PK = :pk AND begins_with(SK, :o)")
                .expressionAttributeValues(Map.of(":pk", s("USER#stream-user-001"), ":o", s("ORDER#"))));
        assertThat(orders.items()).singleElement().satisfies(i -> assertThat(i.get("total_amount")).isEqualTo(n(299)));
    }

    @Test
    void accessPatternsThroughBothIndexes() {
        assertThat(gsi("GSI1", "USER#john.stream@example.com").items()).singleElement()
                .satisfies(i -> assertThat(i.get("name")).isEqualTo(s("John Stream")));
        assertThat(gsi("GSI1", "CATEGORY#electronics").items()).extracting(i -> i.get("SK").s()).containsExactly("DETAILS");
        assertThat(gsi("GSI2", "PRICE#100-500").count()).isEqualTo(1);
        TableDescription table = ddb.describeTable(r -> r.tableName(TABLE)).table();
        assertThat(table.globalSecondaryIndexes()).filteredOn(i -> i.indexName().equals("GSI2")).singleElement()
                .satisfies(i -> assertThat(i.itemCount()).as("the profile has no GSI2 key").isGreaterThanOrEqualTo(1));
    }

    @Test
    void orderStatusChangeMovesItAcrossTheStatusIndex() {
        ddb.putItem(r -> r.tableName(TABLE).item(Map.of("PK", s("USER#u2"), "SK", s("ORDER#o2"),
                "GSI2PK", s("STATUS#pending"), "GSI2SK", s("ORDER#o2"), "status", s("pending"))));
        ddb.updateItem(r -> r.tableName(TABLE).key(Map.of("PK", s("USER#u2"), "SK", s("ORDER#o2")))
                .updateExpression("SET #s = :new, GSI2PK = :gpk, last_modified = :now")
                .conditionExpression("#s = :old")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":new", s("processing"), ":gpk", s("STATUS#processing"),
                        ":old", s("pending"), ":now", s("2025-08-11T17:00:00Z"))));
        assertThat(gsi("GSI2", "STATUS#pending").items()).extracting(i -> i.get("PK").s()).doesNotContain("USER#u2");
        assertThat(gsi("GSI2", "STATUS#processing").items()).extracting(i -> i.get("PK").s()).containsExactly("USER#u2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ddb.updateItem(r -> r.tableName(TABLE)
                        .key(Map.of("PK", s("USER#u2"), "SK", s("ORDER#o2")))
                        .updateExpression("SET #s = :new").conditionExpression("#s = :old")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":new", s("shipped"), ":old", s("pending")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
    }

    @Test
    void priceChangeIsConditionalOnTheOldPrice() {
        Map<String, AttributeValue> updated = ddb.updateItem(r -> r.tableName(TABLE)
                .key(Map.of("PK", s("PRODUCT#stream-prod-001"), "SK", s("DETAILS")))
                .updateExpression("SET price = :new").conditionExpression("price = :old")
                .expressionAttributeValues(Map.of(":new", n(279), ":old", n(299)))
                .returnValues(ReturnValue.UPDATED_OLD)).attributes();
        assertThat(updated).containsExactly(Map.entry("price", n(299)));
        assertThat(gsi("GSI1", "CATEGORY#electronics").items().getFirst().get("price")).isEqualTo(n(279));
    }

    @Test
    void batchOfWorkshopItemsAndScanFilter() {
        List<WriteRequest> writes = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String pk = String.format("BATCH#test-%03d", i);
            writes.add(WriteRequest.builder().putRequest(p -> p.item(Map.of("PK", s(pk), "SK", s("DATA"),
                    "test_type", s("batch_processing"), "created_at", s("2025-08-11T17:10:00Z")))).build());
        }
        assertThat(ddb.batchWriteItem(r -> r.requestItems(Map.of(TABLE, writes))).unprocessedItems()).isEmpty();
        assertThat(ddb.scan(r -> r.tableName(TABLE).filterExpression("test_type = :t")
                .expressionAttributeValues(Map.of(":t", s("batch_processing")))).count()).isEqualTo(5);
    }

    @Test
    void largeItemNearTheLimitRoundTrips() {
        String large = "L".repeat(399 * 1024);
        ddb.putItem(r -> r.tableName(TABLE).item(Map.of("PK", s("LARGE#test-item"), "SK", s("DATA"),
                "large_data", s(large), "test_type", s("size_testing"))));
        assertThat(ddb.getItem(r -> r.tableName(TABLE).key(Map.of("PK", s("LARGE#test-item"), "SK", s("DATA"))))
                .item().get("large_data").s()).hasSize(large.length());
    }

    @Test
    void deletingTheProductRemovesItFromIndexes() {
        ddb.putItem(r -> r.tableName(TABLE).item(Map.of("PK", s("PRODUCT#p9"), "SK", s("DETAILS"),
                "GSI1PK", s("CATEGORY#toys"), "GSI1SK", s("PRODUCT#p9"))));
        assertThat(gsi("GSI1", "CATEGORY#toys").count()).isEqualTo(1);
        Map<String, AttributeValue> old = ddb.deleteItem(r -> r.tableName(TABLE)
                .key(Map.of("PK", s("PRODUCT#p9"), "SK", s("DETAILS"))).returnValues(ReturnValue.ALL_OLD)).attributes();
        assertThat(old).containsEntry("GSI1PK", s("CATEGORY#toys"));
        assertThat(gsi("GSI1", "CATEGORY#toys").count()).isZero();
    }
}
