package io.eddy.it.dynamodb;

import static io.eddy.it.dynamodb.TablesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class TransactionsTest {

    static Eddy eddy;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        ddb = Clients.dynamo(eddy);
        ddb.createTable(TablesTest.singleTable("accounts").build());
    }

    @AfterAll
    static void stop() {
        ddb.close();
        eddy.close();
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of("PK", s(pk), "SK", s("balance"));
    }

    static TransactWriteItem transfer(String from, String to, long amount, boolean fromSide) {
        String account = fromSide ? from : to;
        return TransactWriteItem.builder().update(u -> u.tableName("accounts").key(key(account))
                .updateExpression(fromSide ? "SET amount = amount - :a" : "SET amount = amount + :a")
                .conditionExpression(fromSide ? "amount >= :a" : "attribute_exists(PK)")
                .expressionAttributeValues(Map.of(":a", n(amount)))).build();
    }

    static long amount(String account) {
        return Long.parseLong(ddb.getItem(r -> r.tableName("accounts").key(key(account)).consistentRead(true)).item().get("amount").n());
    }

    @Test
    void allOrNothingWithCancellationReasons() {
        ddb.putItem(r -> r.tableName("accounts").item(Map.of("PK", s("alice"), "SK", s("balance"), "amount", n(100))));
        ddb.putItem(r -> r.tableName("accounts").item(Map.of("PK", s("bob"), "SK", s("balance"), "amount", n(0))));
        TransactWriteItemsResponse ok = ddb.transactWriteItems(r -> r.transactItems(
                transfer("alice", "bob", 60, true), transfer("alice", "bob", 60, false))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertThat(ok.consumedCapacity()).singleElement().satisfies(c -> assertThat(c.capacityUnits()).isEqualTo(4.0));
        assertThat(amount("alice")).isEqualTo(40);
        assertThat(amount("bob")).isEqualTo(60);

        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                () -> ddb.transactWriteItems(r -> r.transactItems(transfer("alice", "bob", 60, true), transfer("alice", "bob", 60, false))));
        assertThat(cancelled.awsErrorDetails().errorMessage()).isEqualTo(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]");
        assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code).containsExactly("ConditionalCheckFailed", "None");
        assertThat(cancelled.cancellationReasons().getFirst().message()).isEqualTo("The conditional request failed");
        assertThat(amount("alice")).isEqualTo(40);
        assertThat(amount("bob")).isEqualTo(60);
    }

    @Test
    void conditionCheckPutDeleteAndReturnedItem() {
        ddb.putItem(r -> r.tableName("accounts").item(Map.of("PK", s("locked"), "SK", s("balance"), "amount", n(5), "locked", AttributeValue.fromBool(true))));
        ddb.putItem(r -> r.tableName("accounts").item(Map.of("PK", s("old"), "SK", s("balance"))));
        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                () -> ddb.transactWriteItems(r -> r.transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName("accounts").item(Map.of("PK", s("new"), "SK", s("balance"))))
                                .build(),
                        TransactWriteItem.builder().conditionCheck(c -> c.tableName("accounts").key(key("locked"))
                                .conditionExpression("locked = :f").expressionAttributeValues(Map.of(":f", AttributeValue.fromBool(false)))
                                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                        TransactWriteItem.builder().delete(d -> d.tableName("accounts").key(key("old"))).build())));
        assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code)
                .containsExactly("None", "ConditionalCheckFailed", "None");
        assertThat(cancelled.cancellationReasons().get(1).item()).containsEntry("amount", n(5));
        assertThat(ddb.getItem(r -> r.tableName("accounts").key(key("new"))).hasItem()).isFalse();
        assertThat(ddb.getItem(r -> r.tableName("accounts").key(key("old"))).hasItem()).isTrue();

        ddb.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("accounts").item(Map.of("PK", s("new"), "SK", s("balance"))))
                        .build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName("accounts").key(key("locked"))
                        .conditionExpression("locked = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName("accounts").key(key("old"))).build()));
        assertThat(ddb.getItem(r -> r.tableName("accounts").key(key("new"))).hasItem()).isTrue();
        assertThat(ddb.getItem(r -> r.tableName("accounts").key(key("old"))).hasItem()).isFalse();
    }

    @Test
    void transactionsCarryAtMostFourMegabytes() {
        List<TransactWriteItem> puts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, AttributeValue> item = new HashMap<>(key("big" + i));
            item.put("payload", s("x".repeat(390_000)));
            puts.add(TransactWriteItem.builder().put(p -> p.tableName("accounts").item(item)).build());
        }
        List<TransactWriteItem> tooLarge = new ArrayList<>(puts);
        tooLarge.add(TransactWriteItem.builder().update(u -> u.tableName("accounts").key(key("big-extra"))
                .updateExpression("SET payload = :b").expressionAttributeValues(Map.of(":b", s("x".repeat(300_000))))).build());
        assertError(() -> ddb.transactWriteItems(r -> r.transactItems(tooLarge)), DynamoDbException.class,
                "ValidationException", "Transaction payload size cannot exceed 4MB. Payload Size: 4200256");
        assertThat(ddb.getItem(r -> r.tableName("accounts").key(key("big0"))).hasItem()).isFalse();

        List<TransactWriteItem> justFits = new ArrayList<>(puts);
        justFits.add(TransactWriteItem.builder().update(u -> u.tableName("accounts").key(key("big-extra"))
                .updateExpression("SET payload = :b").expressionAttributeValues(Map.of(":b", s("x".repeat(290_000))))).build());
        ddb.transactWriteItems(r -> r.transactItems(justFits));
        assertThat(ddb.getItem(r -> r.tableName("accounts").key(key("big-extra"))).item().get("payload").s()).hasSize(290_000);
    }

    @Test
    void oneItemTwiceIsRejected() {
        assertError(() -> ddb.transactWriteItems(r -> r.transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName("accounts").item(key("twice"))).build(),
                        TransactWriteItem.builder().delete(d -> d.tableName("accounts").key(key("twice"))).build())),
                DynamoDbException.class, "ValidationException", "Transaction request cannot include multiple operations on one item");
        List<TransactWriteItem> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            String pk = "many" + i;
            tooMany.add(TransactWriteItem.builder().put(p -> p.tableName("accounts").item(key(pk))).build());
        }
        assertThat(catchThrowableOfType(DynamoDbException.class, () -> ddb.transactWriteItems(r -> r.transactItems(tooMany)))
                .awsErrorDetails().errorMessage())
                .startsWith("1 validation error detected: Value '")
                .endsWith("at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100");
    }

    @Test
    void clientRequestTokenMakesTheTransactionIdempotent() {
        ddb.putItem(r -> r.tableName("accounts").item(Map.of("PK", s("idem"), "SK", s("balance"), "amount", n(0))));
        TransactWriteItem increment = TransactWriteItem.builder().update(u -> u.tableName("accounts").key(key("idem"))
                .updateExpression("SET amount = amount + :one").expressionAttributeValues(Map.of(":one", n(1)))).build();
        ddb.transactWriteItems(r -> r.transactItems(increment).clientRequestToken("token-1"));
        ddb.transactWriteItems(r -> r.transactItems(increment).clientRequestToken("token-1"));
        assertThat(amount("idem")).isEqualTo(1);
        assertThat(catchThrowableOfType(IdempotentParameterMismatchException.class, () -> ddb.transactWriteItems(r -> r
                .transactItems(TransactWriteItem.builder().delete(d -> d.tableName("accounts").key(key("idem"))).build())
                .clientRequestToken("token-1")))).isNotNull();
        ddb.transactWriteItems(r -> r.transactItems(increment).clientRequestToken("token-2"));
        assertThat(amount("idem")).isEqualTo(2);
    }

    @Test
    void clientRequestTokensSurviveARestart(@TempDir Path dataDir) {
        TransactWriteItem increment = TransactWriteItem.builder().update(u -> u.tableName("accounts").key(key("restart"))
                .updateExpression("SET amount = if_not_exists(amount, :zero) + :one")
                .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1)))).build();
        try (Eddy first = Eddy.start(EddyConfig.persistent(dataDir)); DynamoDbClient client = Clients.dynamo(first)) {
            client.createTable(TablesTest.singleTable("accounts").build());
            client.transactWriteItems(r -> r.transactItems(increment).clientRequestToken("survives"));
        }
        try (Eddy second = Eddy.start(EddyConfig.persistent(dataDir)); DynamoDbClient client = Clients.dynamo(second)) {
            client.transactWriteItems(r -> r.transactItems(increment).clientRequestToken("survives"));
            assertThat(client.getItem(r -> r.tableName("accounts").key(key("restart")).consistentRead(true))
                    .item().get("amount").n()).isEqualTo("1");
            assertThat(catchThrowableOfType(IdempotentParameterMismatchException.class, () -> client.transactWriteItems(r -> r
                    .transactItems(TransactWriteItem.builder().delete(d -> d.tableName("accounts").key(key("restart"))).build())
                    .clientRequestToken("survives")))).isNotNull();
        }
    }

    @Test
    void transactGetReadsAConsistentSnapshot() {
        ddb.putItem(r -> r.tableName("accounts").item(Map.of("PK", s("g1"), "SK", s("balance"), "amount", n(7))));
        TransactGetItemsResponse response = ddb.transactGetItems(r -> r.transactItems(
                t -> t.get(g -> g.tableName("accounts").key(key("g1")).projectionExpression("amount")),
                t -> t.get(g -> g.tableName("accounts").key(key("g-missing")))));
        assertThat(response.responses()).hasSize(2);
        assertThat(response.responses().get(0).item()).isEqualTo(Map.of("amount", n(7)));
        assertThat(response.responses().get(1).hasItem()).isFalse();
    }

    @Test
    void concurrentTransfersNeverLoseMoney() throws Exception {
        ddb.putItem(r -> r.tableName("accounts").item(Map.of("PK", s("x"), "SK", s("balance"), "amount", n(1000))));
        ddb.putItem(r -> r.tableName("accounts").item(Map.of("PK", s("y"), "SK", s("balance"), "amount", n(1000))));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            boolean xToY = i % 2 == 0;
            futures.add(pool.submit(() -> {
                String from = xToY ? "x" : "y";
                String to = xToY ? "y" : "x";
                try {
                    ddb.transactWriteItems(r -> r.transactItems(transfer(from, to, 7, true), transfer(from, to, 7, false)));
                } catch (TransactionCanceledException ignored) {
                    // insufficient funds is a legitimate outcome
                }
            }));
        }
        for (Future<?> future : futures) future.get();
        pool.shutdown();
        assertThat(amount("x") + amount("y")).isEqualTo(2000);
    }
}
