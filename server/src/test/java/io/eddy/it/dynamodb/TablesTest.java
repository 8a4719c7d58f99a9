package io.eddy.it.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

class TablesTest {

    static Eddy eddy;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        ddb = Clients.dynamo(eddy);
    }

    @AfterAll
    static void stop() {
        ddb.close();
        eddy.close();
    }

    static CreateTableRequest.Builder singleTable(String name) {
        return CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("PK").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("SK").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("PK").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("SK").keyType(KeyType.RANGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST);
    }

    static void assertError(Runnable call, Class<? extends DynamoDbException> type, String code, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOf(type)
                .satisfies(e -> {
                    DynamoDbException d = (DynamoDbException) e;
                    assertThat(d.awsErrorDetails().errorCode()).isEqualTo(code);
                    assertThat(d.awsErrorDetails().errorMessage()).isEqualTo(message);
                    assertThat(d.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void createAnswersCreatingThenDescribeShowsActiveTableWithIndexes() {
        CreateTableResponse created = ddb.createTable(singleTable("orders")
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("PK").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("SK").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("GSI1PK").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("Total").attributeType(ScalarAttributeType.N).build())
                .globalSecondaryIndexes(g -> g.indexName("GSI1")
                        .keySchema(KeySchemaElement.builder().attributeName("GSI1PK").keyType(KeyType.HASH).build())
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .localSecondaryIndexes(l -> l.indexName("ByTotal")
                        .keySchema(KeySchemaElement.builder().attributeName("PK").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("Total").keyType(KeyType.RANGE).build())
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("Status")))
                .tags(Tag.builder().key("team").value("billing").build())
                .build());
        assertThat(created.tableDescription().tableStatus()).isEqualTo(TableStatus.CREATING);
        assertThat(created.tableDescription().globalSecondaryIndexes().getFirst().indexStatus()).isEqualTo(IndexStatus.CREATING);

        ddb.waiter().waitUntilTableExists(r -> r.tableName("orders"), o -> o.maxAttempts(3));
        TableDescription table = ddb.describeTable(r -> r.tableName("orders")).table();
        assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(table.tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/orders");
        assertThat(table.tableId()).matches("[0-9a-f-]{36}");
        assertThat(table.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("PK", "SK");
        assertThat(table.itemCount()).isZero();
        assertThat(table.tableSizeBytes()).isZero();
        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(table.provisionedThroughput().readCapacityUnits()).isZero();
        assertThat(table.creationDateTime()).isNotNull();
        GlobalSecondaryIndexDescription gsi = table.globalSecondaryIndexes().getFirst();
        assertThat(gsi.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
        assertThat(gsi.indexArn()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/orders/index/GSI1");
        assertThat(gsi.projection().projectionType()).isEqualTo(ProjectionType.KEYS_ONLY);
        assertThat(table.localSecondaryIndexes().getFirst().projection().nonKeyAttributes()).containsExactly("Status");
        assertThat(table.deletionProtectionEnabled()).isFalse();
    }

    @Test
    void itemCountAndSizeFollowWrites() {
        ddb.createTable(singleTable("counted").build());
        ddb.putItem(r -> r.tableName("counted").item(Map.of("PK", s("a"), "SK", s("1"), "v", s("xyz"))));
        ddb.putItem(r -> r.tableName("counted").item(Map.of("PK", s("a"), "SK", s("2"))));
        TableDescription table = ddb.describeTable(r -> r.tableName("counted")).table();
        assertThat(table.itemCount()).isEqualTo(2);
        // PK(2)+"a"(1)+SK(2)+"1"(1)+v(1)+"xyz"(3) = 10, and 2+1+2+1 = 6
        assertThat(table.tableSizeBytes()).isEqualTo(16);
        ddb.deleteItem(r -> r.tableName("counted").key(Map.of("PK", s("a"), "SK", s("1"))));
        assertThat(ddb.describeTable(r -> r.tableName("counted")).table().itemCount()).isEqualTo(1);
    }

    @Test
    void duplicateAndMissingTablesAreReportedAsAwsDoes() {
        ddb.createTable(singleTable("dup").build());
        assertError(() -> ddb.createTable(singleTable("dup").build()), ResourceInUseException.class,
                "ResourceInUseException", "Table already exists: dup");
        assertError(() -> ddb.describeTable(r -> r.tableName("nope")), ResourceNotFoundException.class,
                "ResourceNotFoundException", "Requested resource not found: Table: nope not found");
        assertError(() -> ddb.getItem(r -> r.tableName("nope").key(Map.of("PK", s("a")))), ResourceNotFoundException.class,
                "ResourceNotFoundException", "Requested resource not found");
    }

    @Test
    void createTableValidationMessages() {
        assertError(() -> ddb.createTable(singleTable("bad1")
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("PK").attributeType(ScalarAttributeType.S).build())
                        .build()),
                DynamoDbException.class, "ValidationException", "Invalid KeySchema: Some index key attribute have no definition");
        assertError(() -> ddb.createTable(singleTable("bad2")
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName("PK").attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName("SK").attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName("X").attributeType(ScalarAttributeType.S).build())
                        .build()),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match "
                        + "number of attributes defined in AttributeDefinitions");
        assertError(() -> ddb.createTable(singleTable("bad3")
                        .keySchema(KeySchemaElement.builder().attributeName("PK").keyType(KeyType.RANGE).build(),
                                KeySchemaElement.builder().attributeName("SK").keyType(KeyType.HASH).build())
                        .build()),
                DynamoDbException.class, "ValidationException",
                "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        assertError(() -> ddb.createTable(singleTable("bad4").billingMode(BillingMode.PROVISIONED).build()),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
                        + "specified when BillingMode is PROVISIONED");
        assertError(() -> ddb.createTable(singleTable("x").build()), DynamoDbException.class, "ValidationException",
                "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 3");
        assertError(() -> ddb.createTable(singleTable("bad5")
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName("PK").attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName("SK").attributeType(ScalarAttributeType.S).build())
                        .globalSecondaryIndexes(g -> g.indexName("GSI1")
                                .keySchema(KeySchemaElement.builder().attributeName("GSI1PK").keyType(KeyType.HASH).build())
                                .projection(p -> p.projectionType(ProjectionType.ALL)))
                        .build()),
                DynamoDbException.class, "ValidationException",
                "One or more parameter values were invalid: Some index key attributes are not defined in "
                        + "AttributeDefinitions. Keys: [GSI1PK], AttributeDefinitions: [PK, SK]");
    }

    @Test
    void listTablesPaginates() {
        DynamoDbClient other = Clients.dynamo(eddy.endpoint(), "111111111111", Region.US_EAST_1);
        for (String name : List.of("t-c", "t-a", "t-b", "t-d", "t-e")) other.createTable(singleTable(name).build());
        ListTablesResponse first = other.listTables(r -> r.limit(2));
        assertThat(first.tableNames()).containsExactly("t-a", "t-b");
        assertThat(first.lastEvaluatedTableName()).isEqualTo("t-b");
        ListTablesResponse second = other.listTables(r -> r.limit(2).exclusiveStartTableName("t-b"));
        assertThat(second.tableNames()).containsExactly("t-c", "t-d");
        List<String> all = new ArrayList<>();
        other.listTablesPaginator(r -> r.limit(2)).tableNames().forEach(all::add);
        assertThat(all).containsExactly("t-a", "t-b", "t-c", "t-d", "t-e");
        other.close();
    }

    @Test
    void accountsAndRegionsAreIsolated() {
        DynamoDbClient a = Clients.dynamo(eddy.endpoint(), "222222222222", Region.US_EAST_1);
        DynamoDbClient b = Clients.dynamo(eddy.endpoint(), "333333333333", Region.US_EAST_1);
        DynamoDbClient c = Clients.dynamo(eddy.endpoint(), "222222222222", Region.EU_WEST_1);
        a.createTable(singleTable("shared-name").build());
        a.putItem(r -> r.tableName("shared-name").item(Map.of("PK", s("k"), "SK", s("s"), "owner", s("a"))));
        assertThat(b.listTables().tableNames()).doesNotContain("shared-name");
        assertThat(c.listTables().tableNames()).doesNotContain("shared-name");
        b.createTable(singleTable("shared-name").build());
        assertThat(b.getItem(r -> r.tableName("shared-name").key(Map.of("PK", s("k"), "SK", s("s")))).hasItem()).isFalse();
        assertThat(a.describeTable(r -> r.tableName("shared-name")).table().tableArn())
                .isEqualTo("arn:aws:dynamodb:us-east-1:222222222222:table/shared-name");
        a.close();
        b.close();
        c.close();
    }

    @Test
    void updateTableSwitchesBillingAndThroughput() {
        ddb.createTable(singleTable("billing").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(5L)).build());
        TableDescription updated = ddb.updateTable(r -> r.tableName("billing")
                .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(5L))).tableDescription();
        assertThat(updated.provisionedThroughput().readCapacityUnits()).isEqualTo(10);
        assertThat(updated.provisionedThroughput().lastIncreaseDateTime()).isNotNull();
        assertError(() -> ddb.updateTable(r -> r.tableName("billing")
                        .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(5L))),
                DynamoDbException.class, "ValidationException",
                "The provisioned throughput for the table will not change. The requested value equals the current "
                        + "value. Current ReadCapacityUnits provisioned for the table: 10. Requested ReadCapacityUnits: "
                        + "10. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. "
                        + "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
        ddb.updateTable(r -> r.tableName("billing").billingMode(BillingMode.PAY_PER_REQUEST));
        TableDescription table = ddb.describeTable(r -> r.tableName("billing")).table();
        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(table.billingModeSummary().lastUpdateToPayPerRequestDateTime()).isNotNull();
        assertThat(table.provisionedThroughput().readCapacityUnits()).isZero();
    }

    @Test
    void addingAGlobalIndexBackfillsExistingItems() {
        ddb.createTable(singleTable("backfill").build());
        for (int i = 0; i < 30; i++) {
            int n = i;
            ddb.putItem(r -> r.tableName("backfill").item(Map.of("PK", s("p" + n), "SK", s("s"),
                    "Color", s(n % 3 == 0 ? "red" : "blue"))));
        }
        ddb.putItem(r -> r.tableName("backfill").item(Map.of("PK", s("no-color"), "SK", s("s"))));
        TableDescription updating = ddb.updateTable(r -> r.tableName("backfill")
                .attributeDefinitions(AttributeDefinition.builder().attributeName("Color").attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("ByColor")
                        .keySchema(KeySchemaElement.builder().attributeName("Color").keyType(KeyType.HASH).build())
                        .projection(p -> p.projectionType(ProjectionType.ALL))))).tableDescription();
        assertThat(updating.tableStatus()).isEqualTo(TableStatus.UPDATING);
        assertThat(updating.globalSecondaryIndexes().getFirst().indexStatus()).isEqualTo(IndexStatus.CREATING);
        assertThat(updating.attributeDefinitions()).extracting(AttributeDefinition::attributeName)
                .containsExactly("PK", "SK", "Color");
        awaitIndexActive("backfill", "ByColor");
        GlobalSecondaryIndexDescription index = ddb.describeTable(r -> r.tableName("backfill")).table()
                .globalSecondaryIndexes().getFirst();
        assertThat(index.itemCount()).isEqualTo(30);
        assertThat(ddb.query(r -> r.tableName("backfill").indexName("ByColor")
                .keyConditionExpression("Color = :c").expressionAttributeValues(Map.of(":c", s("red")))).count())
                .isEqualTo(10);

        ddb.updateTable(r -> r.tableName("backfill").globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("ByColor"))));
        TableDescription after = ddb.describeTable(r -> r.tableName("backfill")).table();
        assertThat(after.globalSecondaryIndexes()).isEmpty();
        assertThat(after.attributeDefinitions()).extracting(AttributeDefinition::attributeName).containsExactly("PK", "SK");
        assertError(() -> ddb.query(r -> r.tableName("backfill").indexName("ByColor")
                        .keyConditionExpression("Color = :c").expressionAttributeValues(Map.of(":c", s("red")))),
                DynamoDbException.class, "ValidationException", "The table does not have the specified index: ByColor");
    }

    @Test
    void onlyOneIndexChangePerUpdate() {
        ddb.createTable(singleTable("two-indexes").build());
        assertThatThrownBy(() -> ddb.updateTable(r -> r.tableName("two-indexes")
                .attributeDefinitions(AttributeDefinition.builder().attributeName("A").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("B").attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexUpdates(
                        u -> u.create(c -> c.indexName("IdxA").keySchema(KeySchemaElement.builder().attributeName("A").keyType(KeyType.HASH).build())
                                .projection(p -> p.projectionType(ProjectionType.ALL))),
                        u -> u.create(c -> c.indexName("IdxB").keySchema(KeySchemaElement.builder().attributeName("B").keyType(KeyType.HASH).build())
                                .projection(p -> p.projectionType(ProjectionType.ALL))))))
                .isInstanceOf(LimitExceededException.class);
    }

    static void awaitIndexActive(String table, String index) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            TableDescription t = ddb.describeTable(r -> r.tableName(table)).table();
            if (t.globalSecondaryIndexes().stream().anyMatch(i -> i.indexName().equals(index)
                    && i.indexStatus() == IndexStatus.ACTIVE)) return;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("index " + index + " never became ACTIVE");
    }

    @Test
    void streamSpecificationIsStoredWithLabelAndArn() {
        ddb.createTable(singleTable("streamed").streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)).build());
        TableDescription table = ddb.describeTable(r -> r.tableName("streamed")).table();
        assertThat(table.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(table.latestStreamLabel()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(table.latestStreamArn()).isEqualTo(table.tableArn() + "/stream/" + table.latestStreamLabel());
        assertError(() -> ddb.updateTable(r -> r.tableName("streamed").streamSpecification(s -> s.streamEnabled(true)
                        .streamViewType(StreamViewType.KEYS_ONLY))),
                DynamoDbException.class, "ValidationException", "Table already has an enabled stream: TableName: streamed");
        ddb.updateTable(r -> r.tableName("streamed").streamSpecification(s -> s.streamEnabled(false)));
        TableDescription disabled = ddb.describeTable(r -> r.tableName("streamed")).table();
        assertThat(disabled.streamSpecification()).isNull();
        assertThat(disabled.latestStreamArn()).isEqualTo(table.latestStreamArn());
    }

    @Test
    void deleteTableAnswersDeletingAndTheTableIsGone() {
        ddb.createTable(singleTable("doomed").build());
        ddb.putItem(r -> r.tableName("doomed").item(Map.of("PK", s("a"), "SK", s("b"))));
        TableDescription deleted = ddb.deleteTable(r -> r.tableName("doomed")).tableDescription();
        assertThat(deleted.tableStatus()).isEqualTo(TableStatus.DELETING);
        ddb.waiter().waitUntilTableNotExists(r -> r.tableName("doomed"), o -> o.maxAttempts(3));
        ddb.createTable(singleTable("doomed").build());
        assertThat(ddb.scan(r -> r.tableName("doomed")).count()).isZero();
        assertThat(ddb.describeTable(r -> r.tableName("doomed")).table().itemCount()).isZero();
    }

    @Test
    void deletionProtectionBlocksDelete() {
        ddb.createTable(singleTable("protected").deletionProtectionEnabled(true).build());
        assertError(() -> ddb.deleteTable(r -> r.tableName("protected")), DynamoDbException.class, "ValidationException",
                "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
        ddb.updateTable(r -> r.tableName("protected").deletionProtectionEnabled(false));
        ddb.deleteTable(r -> r.tableName("protected"));
    }

    @Test
    void tagsCanBeAddedListedAndRemoved() {
        String arn = ddb.createTable(singleTable("tagged").build()).tableDescription().tableArn();
        ddb.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("env").value("dev").build(),
                Tag.builder().key("owner").value("me").build()));
        assertThat(ddb.listTagsOfResource(r -> r.resourceArn(arn)).tags())
                .extracting(Tag::key, Tag::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("env", "dev"), org.assertj.core.groups.Tuple.tuple("owner", "me"));
        ddb.untagResource(r -> r.resourceArn(arn).tagKeys("env"));
        assertThat(ddb.listTagsOfResource(r -> r.resourceArn(arn)).tags()).extracting(Tag::key).containsExactly("owner");
        String missing = "arn:aws:dynamodb:us-east-1:000000000000:table/missing";
        assertError(() -> ddb.listTagsOfResource(r -> r.resourceArn(missing)), ResourceNotFoundException.class,
                "ResourceNotFoundException", "Requested resource not found: ResourcArn: " + missing + " not found");
    }

    @Test
    void timeToLiveCanBeEnabledOnceAndDescribed() {
        ddb.createTable(singleTable("ttl-settings").build());
        assertThat(ddb.describeTimeToLive(r -> r.tableName("ttl-settings")).timeToLiveDescription().timeToLiveStatus())
                .isEqualTo(TimeToLiveStatus.DISABLED);
        ddb.updateTimeToLive(r -> r.tableName("ttl-settings").timeToLiveSpecification(s -> s.enabled(true).attributeName("expires")));
        var description = ddb.describeTimeToLive(r -> r.tableName("ttl-settings")).timeToLiveDescription();
        assertThat(description.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(description.attributeName()).isEqualTo("expires");
        assertError(() -> ddb.updateTimeToLive(r -> r.tableName("ttl-settings")
                        .timeToLiveSpecification(s -> s.enabled(true).attributeName("expires"))),
                DynamoDbException.class, "ValidationException", "TimeToLive is already enabled");
        assertError(() -> ddb.describeTimeToLive(r -> r.tableName("missing-ttl")), ResourceNotFoundException.class,
                "ResourceNotFoundException", "Requested resource not found: Table: missing-ttl not found");
    }

    @Test
    void pointInTimeRecoveryCanBeSwitchedOnAndDescribed() {
        ddb.createTable(singleTable("pitr").build());
        var off = ddb.describeContinuousBackups(r -> r.tableName("pitr")).continuousBackupsDescription();
        assertThat(off.continuousBackupsStatusAsString()).isEqualTo("ENABLED");
        assertThat(off.pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString()).isEqualTo("DISABLED");
        var on = ddb.updateContinuousBackups(r -> r.tableName("pitr")
                .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true))).continuousBackupsDescription();
        assertThat(on.pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString()).isEqualTo("ENABLED");
        assertThat(on.pointInTimeRecoveryDescription().earliestRestorableDateTime()).isNotNull();
        assertThatThrownBy(() -> ddb.describeContinuousBackups(r -> r.tableName("no-pitr")))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.dynamodb.model.TableNotFoundException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Table not found: no-pitr"));
    }

    @Test
    void describeEndpointsAndLimits() {
        assertThat(ddb.describeEndpoints(r -> {}).endpoints().getFirst().cachePeriodInMinutes()).isEqualTo(1440);
        assertThat(ddb.describeLimits(r -> {}).tableMaxReadCapacityUnits()).isEqualTo(40000);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
