package io.eddy.it.dynamodb;

import static io.eddy.it.dynamodb.TablesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

class ItemsTest {

    static Eddy eddy;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        ddb = Clients.dynamo(eddy);
        ddb.createTable(TablesTest.singleTable("items").build());
        ddb.createTable(r -> r.tableName("numbers")
                .attributeDefinitions(AttributeDefinition.builder().attributeName("Id").attributeType(ScalarAttributeType.N).build(),
                        AttributeDefinition.builder().attributeName("G").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("Id").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(g -> g.indexName("ByG")
                        .keySchema(KeySchemaElement.builder().attributeName("G").keyType(KeyType.HASH).build())
                        .projection(p -> p.projectionType(ProjectionType.ALL)))
                .billingMode("PAY_PER_REQUEST"));
    }

    @AfterAll
    static void stop() {
        ddb.close();
        eddy.close();
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("PK", s(pk), "SK", s(sk));
    }

    static Map<String, AttributeValue> item(String pk, String sk, Object... more) {
        Map<String, AttributeValue> item = new HashMap<>(key(pk, sk));
        for (int i = 0; i < more.length; i += 2) item.put((String) more[i], (AttributeValue) more[i + 1]);
        return item;
    }

    @Test
    void putGetDeleteRoundTripsEveryType() {
        Map<String, AttributeValue> item = item("round", "trip",
                "S", s("text"), "N", n("12.50"), "B", AttributeValue.fromB(SdkBytes.fromUtf8String("bin")),
                "SS", AttributeValue.fromSs(List.of("a", "b")), "NS", AttributeValue.fromNs(List.of("1", "2.5")),
                "BS", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x"))),
                "M", AttributeValue.fromM(Map.of("child", s("v"), "deep", AttributeValue.fromL(List.of(n("1"))))),
                "L", AttributeValue.fromL(List.of(s("x"), AttributeValue.fromBool(true), AttributeValue.fromNul(true))),
                "Bool", AttributeValue.fromBool(false), "Null", AttributeValue.fromNul(true), "Empty", s(""));
        ddb.putItem(r -> r.tableName("items").item(item));
        Map<String, AttributeValue> read = ddb.getItem(r -> r.tableName("items").key(key("round", "trip")).consistentRead(true)).item();
        assertThat(read.get("N").n()).isEqualTo("12.5");
        assertThat(read.get("SS").ss()).containsExactlyInAnyOrder("a", "b");
        assertThat(read.get("B").b().asUtf8String()).isEqualTo("bin");
        assertThat(read.get("M").m().get("deep").l().getFirst().n()).isEqualTo("1");
        assertThat(read.get("L").l()).hasSize(3);
        assertThat(read.get("Empty").s()).isEmpty();
        assertThat(read).hasSize(item.size());

        Map<String, AttributeValue> projected = ddb.getItem(r -> r.tableName("items").key(key("round", "trip"))
                .projectionExpression("#s, M.child, L[1]").expressionAttributeNames(Map.of("#s", "S"))).item();
        assertThat(projected).containsOnlyKeys("S", "M", "L");
        assertThat(projected.get("M").m()).containsOnlyKeys("child");
        assertThat(projected.get("L").l()).containsExactly(AttributeValue.fromBool(true));

        Map<String, AttributeValue> old = ddb.deleteItem(r -> r.tableName("items").key(key("round", "trip"))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        assertThat(old.get("S").s()).isEqualTo("text");
        assertThat(ddb.getItem(r -> r.tableName("items").key(key("round", "trip"))).hasItem()).isFalse();
    }

    @Test
    void conditionalPutFailsWithAwsMessageAndCanReturnTheItem() {
        ddb.putItem(r -> r.tableName("items").item(item("cond", "1", "v", n("1"))));
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(item("cond", "1"))
                        .conditionExpression("attribute_not_exists(PK)")),
                ConditionalCheckFailedException.class, "ConditionalCheckFailedException", "The conditional request failed");
        assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("items").item(item("cond", "1"))
                .conditionExpression("v = :two").expressionAttributeValues(Map.of(":two", n("2")))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class,
                        e -> assertThat(e.item()).containsEntry("v", n("1")).containsEntry("PK", s("cond")));
        ddb.putItem(r -> r.tableName("items").item(item("cond", "1", "v", n("2")))
                .conditionExpression("v = :one").expressionAttributeValues(Map.of(":one", n("1"))));
        assertThat(ddb.getItem(r -> r.tableName("items").key(key("cond", "1"))).item().get("v").n()).isEqualTo("2");
        ddb.putItem(r -> r.tableName("items").item(item("cond", "new")).conditionExpression("attribute_not_exists(PK)"));
    }

    @Test
    void updateItemReturnValues() {
        ddb.putItem(r -> r.tableName("items").item(item("upd", "1", "a", n("1"), "b", s("x"), "keep", s("k"))));
        UpdateItemResponse updatedNew = ddb.updateItem(r -> r.tableName("items").key(key("upd", "1"))
                .updateExpression("SET a = a + :inc, c = :c REMOVE b")
                .expressionAttributeValues(Map.of(":inc", n("5"), ":c", s("new")))
                .returnValues(ReturnValue.UPDATED_NEW));
        assertThat(updatedNew.attributes()).containsOnlyKeys("a", "c").containsEntry("a", n("6"));
        UpdateItemResponse updatedOld = ddb.updateItem(r -> r.tableName("items").key(key("upd", "1"))
                .updateExpression("SET a = :v").expressionAttributeValues(Map.of(":v", n("0")))
                .returnValues(ReturnValue.UPDATED_OLD));
        assertThat(updatedOld.attributes()).containsOnly(Map.entry("a", n("6")));
        UpdateItemResponse allOld = ddb.updateItem(r -> r.tableName("items").key(key("upd", "1"))
                .updateExpression("ADD hits :one").expressionAttributeValues(Map.of(":one", n("1")))
                .returnValues(ReturnValue.ALL_OLD));
        assertThat(allOld.attributes()).containsKeys("PK", "SK", "a", "c", "keep").doesNotContainKey("hits");
        UpdateItemResponse allNew = ddb.updateItem(r -> r.tableName("items").key(key("upd", "1"))
                .updateExpression("ADD hits :one").expressionAttributeValues(Map.of(":one", n("1")))
                .returnValues(ReturnValue.ALL_NEW));
        assertThat(allNew.attributes()).containsEntry("hits", n("2")).containsKey("keep");
        UpdateItemResponse none = ddb.updateItem(r -> r.tableName("items").key(key("upd", "1"))
                .updateExpression("SET z = :z").expressionAttributeValues(Map.of(":z", s("z"))));
        assertThat(none.hasAttributes()).isFalse();
    }

    @Test
    void updateCreatesMissingItemsAndHonoursConditions() {
        ddb.updateItem(r -> r.tableName("items").key(key("upsert", "1"))
                .updateExpression("SET #n = if_not_exists(#n, :zero) + :one")
                .expressionAttributeNames(Map.of("#n", "count"))
                .expressionAttributeValues(Map.of(":zero", n("0"), ":one", n("1"))));
        assertThat(ddb.getItem(r -> r.tableName("items").key(key("upsert", "1"))).item())
                .containsEntry("count", n("1")).containsEntry("PK", s("upsert"));
        assertThatThrownBy(() -> ddb.updateItem(r -> r.tableName("items").key(key("upsert", "2"))
                .updateExpression("SET a = :a").conditionExpression("attribute_exists(PK)")
                .expressionAttributeValues(Map.of(":a", s("x")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(ddb.getItem(r -> r.tableName("items").key(key("upsert", "2"))).hasItem()).isFalse();
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key("upsert", "1"))
                        .updateExpression("SET SK = :a").expressionAttributeValues(Map.of(":a", s("x")))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Cannot update attribute SK. This attribute is part of the key");
    }

    @Test
    void invalidReturnValuesAreRejected() {
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(item("rv", "1")).returnValues(ReturnValue.ALL_NEW)),
                DynamoDbException.class, "ValidationException", "ReturnValues can only be ALL_OLD or NONE");
        assertError(() -> ddb.deleteItem(r -> r.tableName("items").key(key("rv", "1")).returnValues(ReturnValue.UPDATED_NEW)),
                DynamoDbException.class, "ValidationException", "ReturnValues can only be ALL_OLD or NONE");
    }

    @Test
    void keysAreValidatedAsAwsDoes() {
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(Map.of("PK", s("a")))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Missing the key SK in the item");
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(Map.of("PK", n("1"), "SK", s("a")))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Type mismatch for key PK expected: S actual: N");
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(Map.of("PK", s(""), "SK", s("a")))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
                        + "empty string value. Key: PK");
        assertError(() -> ddb.getItem(r -> r.tableName("items").key(Map.of("PK", s("a")))),
                DynamoDbException.class, "ValidationException", "The provided key element does not match the schema");
        assertError(() -> ddb.getItem(r -> r.tableName("items").key(Map.of("PK", s("a"), "SK", s("b"), "X", s("c")))),
                DynamoDbException.class, "ValidationException", "The provided key element does not match the schema");
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(Map.of("PK", s("a".repeat(2049)), "SK", s("a")))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(Map.of("PK", s("a"), "SK", s("b".repeat(1025))))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
        assertError(() -> ddb.putItem(r -> r.tableName("numbers").item(Map.of("Id", n("1"), "G", n("2")))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Type mismatch for Index Key G Expected: S Actual: N IndexName: ByG");
    }

    @Test
    void itemsLargerThan400KbAreRejected() {
        String big = "x".repeat(400 * 1024);
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(item("big", "1", "data", s(big)))),
                DynamoDbException.class, "ValidationException", "Item size has exceeded the maximum allowed size");
        ddb.putItem(r -> r.tableName("items").item(item("big", "2", "data", s("x".repeat(399 * 1024)))));
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key("big", "2"))
                        .updateExpression("SET more = :m").expressionAttributeValues(Map.of(":m", s("y".repeat(2048))))),
                DynamoDbException.class, "ValidationException", "Item size to update has exceeded the maximum allowed size");
    }

    @Test
    void consumedCapacityCountsTableAndIndexUnits() {
        ConsumedCapacity put = ddb.putItem(r -> r.tableName("numbers").item(Map.of("Id", n("7"), "G", s("g"),
                "data", s("x".repeat(1500)))).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity();
        assertThat(put.tableName()).isEqualTo("numbers");
        assertThat(put.table().capacityUnits()).isEqualTo(2.0);
        assertThat(put.globalSecondaryIndexes().get("ByG").capacityUnits()).isEqualTo(2.0);
        assertThat(put.capacityUnits()).isEqualTo(4.0);
        ConsumedCapacity total = ddb.getItem(r -> r.tableName("numbers").key(Map.of("Id", n("7")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertThat(total.capacityUnits()).isEqualTo(0.5);
        ConsumedCapacity strong = ddb.getItem(r -> r.tableName("numbers").key(Map.of("Id", n("7"))).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertThat(strong.capacityUnits()).isEqualTo(1.0);
        assertThat(ddb.putItem(r -> r.tableName("numbers").item(Map.of("Id", n("8")))).consumedCapacity()).isNull();
    }

    @Test
    void placeholdersMustAllBeUsed() {
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(item("ph", "1")).conditionExpression("attribute_not_exists(PK)")
                        .expressionAttributeValues(Map.of(":unused", s("x")))),
                DynamoDbException.class, "ValidationException",
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
    }

    @Test
    void expressionsAreLimitedInSizeOperatorsAndPlaceholderLength() {
        ddb.putItem(r -> r.tableName("items").item(item("limits", "1", "v", s("x"))));
        Map<String, AttributeValue> key = key("limits", "1");
        Map<String, AttributeValue> values = Map.of(":x", s("x"), ":w", s("y"));
        String padded = "v <> :w" + " ".repeat(4096 - 7);
        ddb.updateItem(r -> r.tableName("items").key(key).updateExpression("SET v = :x").conditionExpression(padded)
                .expressionAttributeValues(values));
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key).updateExpression("SET v = :x")
                        .conditionExpression(padded + " ").expressionAttributeValues(values)),
                DynamoDbException.class, "ValidationException",
                "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097");
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key).updateExpression("SET v = :w" + " ".repeat(4087))
                        .expressionAttributeValues(Map.of(":w", s("y")))),
                DynamoDbException.class, "ValidationException",
                "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;");

        String comparisons150 = String.join(" AND ", Collections.nCopies(150, "v <> :w"));
        ddb.updateItem(r -> r.tableName("items").key(key).updateExpression("SET v = :x").conditionExpression(comparisons150)
                .expressionAttributeValues(values));
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key).updateExpression("SET v = :x")
                        .conditionExpression(comparisons150 + " AND v <> :w").expressionAttributeValues(values)),
                DynamoDbException.class, "ValidationException",
                "Invalid ConditionExpression: The expression contains too many operators; operator count: 301");
        StringBuilder sums = new StringBuilder("SET ");
        for (int i = 0; i <= 300; i++) sums.append(i == 0 ? "" : ",").append("a").append(i).append("=:n+:n");
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key).updateExpression(sums.toString())
                        .expressionAttributeValues(Map.of(":n", n("1")))),
                DynamoDbException.class, "ValidationException",
                "Invalid UpdateExpression: The expression contains too many operators; operator count: 301");

        String longName = "#" + "a".repeat(255);
        assertError(() -> ddb.getItem(r -> r.tableName("items").key(key).projectionExpression(longName)
                        .expressionAttributeNames(Map.of(longName, "v"))),
                DynamoDbException.class, "ValidationException",
                "ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; "
                        + "size of key: 256");
        String longValue = ":" + "a".repeat(255);
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key).updateExpression("SET v = " + longValue)
                        .expressionAttributeValues(Map.of(longValue, s("y")))),
                DynamoDbException.class, "ValidationException",
                "ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;");
        assertThat(ddb.getItem(r -> r.tableName("items").key(key)).item()).isEqualTo(item("limits", "1", "v", s("x")));
    }

    @Test
    void parenthesesMayWrapSetValuesAndOperands() {
        ddb.putItem(r -> r.tableName("items").item(item("parens", "1", "amount", n("10"))));
        Map<String, AttributeValue> key = key("parens", "1");
        Map<String, AttributeValue> one = Map.of(":one", n("1"));
        UpdateItemResponse updated = ddb.updateItem(r -> r.tableName("items").key(key).returnValues(ReturnValue.UPDATED_NEW)
                .updateExpression("SET amount = (amount + :one), a = (:one), b = ((amount) - :one), c = if_not_exists(c, (:one))")
                .expressionAttributeValues(one));
        assertThat(updated.attributes()).isEqualTo(Map.of("amount", n("11"), "a", n("1"), "b", n("9"), "c", n("1")));

        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key).updateExpression("SET amount = ((:one))")
                        .expressionAttributeValues(one)),
                DynamoDbException.class, "ValidationException", "Invalid UpdateExpression: The expression has redundant parentheses;");
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key).updateExpression("SET amount = amount + (:one + :one)")
                        .expressionAttributeValues(one)),
                DynamoDbException.class, "ValidationException", "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":one + :one\"");
    }

    @Test
    void misplacedFunctionsAndOperatorsAreNamedInConditionErrors() {
        Map<String, AttributeValue> key = key("misplaced", "1");
        Map<String, AttributeValue> values = Map.of(":v", s("1"));
        assertError(() -> ddb.deleteItem(r -> r.tableName("items").key(key).conditionExpression("attribute_exists(v) = :v")
                        .expressionAttributeValues(values)),
                DynamoDbException.class, "ValidationException", "Invalid ConditionExpression: The function is not allowed to be "
                        + "used this way in an expression; function: attribute_exists");
        assertError(() -> ddb.deleteItem(r -> r.tableName("items").key(key).conditionExpression("contains(v, :v) IN (:v)")
                        .expressionAttributeValues(values)),
                DynamoDbException.class, "ValidationException", "Invalid ConditionExpression: The function is not allowed to be "
                        + "used this way in an expression; function: contains");
        assertError(() -> ddb.deleteItem(r -> r.tableName("items").key(key).conditionExpression("v = :v OR OR v = :v")
                        .expressionAttributeValues(values)),
                DynamoDbException.class, "ValidationException", "Invalid ConditionExpression: Syntax error; token: \"OR\", near: \"OR OR v\"");
        assertError(() -> ddb.deleteItem(r -> r.tableName("items").key(key).conditionExpression("v = :v and and v = :v")
                        .expressionAttributeValues(values)),
                DynamoDbException.class, "ValidationException", "Invalid ConditionExpression: Syntax error; token: \"and\", near: \"and and v\"");
    }

    @Test
    void listIndexesMustFitAnInt() {
        ddb.putItem(r -> r.tableName("items").item(item("index", "1", "entries", AttributeValue.fromL(List.of(s("a"))))));
        Map<String, AttributeValue> key = key("index", "1");
        ddb.updateItem(r -> r.tableName("items").key(key).updateExpression("SET entries[2147483647] = :v")
                .expressionAttributeValues(Map.of(":v", s("b"))));
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key).updateExpression("SET entries[2147483648] = :v")
                        .expressionAttributeValues(Map.of(":v", s("c")))),
                DynamoDbException.class, "ValidationException",
                "Invalid UpdateExpression: List index is not within the allowable range; index: [2147483648]");
        assertError(() -> ddb.getItem(r -> r.tableName("items").key(key).projectionExpression("entries[99999999999]")),
                DynamoDbException.class, "ValidationException",
                "Invalid ProjectionExpression: List index is not within the allowable range; index: [99999999999]");
        assertThat(ddb.getItem(r -> r.tableName("items").key(key)).item().get("entries").l()).containsExactly(s("a"), s("b"));
    }

    @Test
    void valuesNestAtMostThirtyTwoLevelsDeep() {
        AttributeValue deepest = s("leaf");
        for (int i = 0; i < 31; i++) deepest = AttributeValue.fromM(Map.of("k", deepest));
        AttributeValue accepted = deepest;
        ddb.putItem(r -> r.tableName("items").item(item("nested", "1", "doc", accepted)));
        assertThat(ddb.getItem(r -> r.tableName("items").key(key("nested", "1"))).item().get("doc")).isEqualTo(accepted);

        String tooDeep = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond "
                + "supported limit";
        AttributeValue emptyDocumentTooDeep = AttributeValue.fromL(List.of(wrapInLists(AttributeValue.fromM(Map.of()), 30)));
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(item("nested", "2", "doc", emptyDocumentTooDeep))),
                DynamoDbException.class, "ValidationException", tooDeep);
        AttributeValue oneLevelTooDeep = AttributeValue.fromM(Map.of("k", accepted));
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key("nested", "1")).updateExpression("SET doc = :d")
                        .expressionAttributeValues(Map.of(":d", oneLevelTooDeep))),
                DynamoDbException.class, "ValidationException", tooDeep);
    }

    private static AttributeValue wrapInLists(AttributeValue value, int times) {
        AttributeValue wrapped = value;
        for (int i = 0; i < times; i++) wrapped = AttributeValue.fromL(List.of(wrapped));
        return wrapped;
    }

    @Test
    void emptyAttributeNamesAreRejected() {
        ddb.putItem(r -> r.tableName("items").item(item("empty-name", "1", "v", s("x"))));
        assertError(() -> ddb.updateItem(r -> r.tableName("items").key(key("empty-name", "1")).updateExpression("SET #e = :v")
                        .expressionAttributeNames(Map.of("#e", "")).expressionAttributeValues(Map.of(":v", s("y")))),
                DynamoDbException.class, "ValidationException",
                "ExpressionAttributeNames contains invalid value: Empty attribute name for key #e");
        assertError(() -> ddb.getItem(r -> r.tableName("items").key(key("empty-name", "1")).projectionExpression("#e")
                        .expressionAttributeNames(Map.of("#e", ""))),
                DynamoDbException.class, "ValidationException",
                "ExpressionAttributeNames contains invalid value: Empty attribute name for key #e");
        assertError(() -> ddb.putItem(r -> r.tableName("items").item(item("empty-name", "2", "", s("x")))),
                DynamoDbException.class, "ValidationException", "Empty attribute name");
        assertError(() -> ddb.batchWriteItem(r -> r.requestItems(Map.of("items",
                        List.of(WriteRequest.builder().putRequest(p -> p.item(item("empty-name", "3", "", s("x")))).build())))),
                DynamoDbException.class, "ValidationException", "Empty attribute name");
        assertThat(ddb.getItem(r -> r.tableName("items").key(key("empty-name", "1"))).item())
                .isEqualTo(item("empty-name", "1", "v", s("x")));
        assertThat(ddb.getItem(r -> r.tableName("items").key(key("empty-name", "2"))).hasItem()).isFalse();
    }

    @Test
    void legacyExpectedAndAttributeUpdatesWork() {
        ddb.putItem(r -> r.tableName("items").item(item("legacy", "1", "v", n("1"))));
        assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("items").item(item("legacy", "1"))
                .expected(Map.of("v", software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue.builder()
                        .value(n("2")).build()))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        ddb.updateItem(r -> r.tableName("items").key(key("legacy", "1"))
                .attributeUpdates(Map.of("v", software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate.builder()
                        .action("ADD").value(n("10")).build())));
        assertThat(ddb.getItem(r -> r.tableName("items").key(key("legacy", "1")).attributesToGet("v")).item())
                .containsOnly(Map.entry("v", n("11")));
    }

    @Test
    void binaryKeysSortBytewiseUnsigned() {
        ddb.createTable(r -> r.tableName("blobs")
                .attributeDefinitions(AttributeDefinition.builder().attributeName("H").attributeType(ScalarAttributeType.B).build(),
                        AttributeDefinition.builder().attributeName("R").attributeType(ScalarAttributeType.B).build())
                .keySchema(KeySchemaElement.builder().attributeName("H").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("R").keyType(KeyType.RANGE).build())
                .billingMode("PAY_PER_REQUEST"));
        AttributeValue hash = AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, 0}));
        for (byte[] range : List.of(new byte[] {(byte) 0xFF}, new byte[] {0x00}, new byte[] {0x7F, 0x00}, new byte[] {0x00, 0x00})) {
            ddb.putItem(r -> r.tableName("blobs").item(Map.of("H", hash, "R", AttributeValue.fromB(SdkBytes.fromByteArray(range)))));
        }
        List<String> order = ddb.query(r -> r.tableName("blobs").keyConditionExpression("H = :h")
                        .expressionAttributeValues(Map.of(":h", hash))).items().stream()
                .map(i -> java.util.HexFormat.of().formatHex(i.get("R").b().asByteArray())).toList();
        assertThat(order).containsExactly("00", "0000", "7f00", "ff");
        List<String> prefixed = ddb.query(r -> r.tableName("blobs").keyConditionExpression("H = :h AND begins_with(R, :p)")
                        .expressionAttributeValues(Map.of(":h", hash, ":p", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0})))))
                .items().stream().map(i -> java.util.HexFormat.of().formatHex(i.get("R").b().asByteArray())).toList();
        assertThat(prefixed).containsExactly("00", "0000");
        assertError(() -> ddb.putItem(r -> r.tableName("blobs").item(Map.of("H", hash,
                        "R", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0]))))),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
                        + "empty binary value. Key: R");
    }
}
