package io.eddy.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.store.RocksStore;
import io.eddy.store.Store;

class DynamoDbServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestContext CTX = new RequestContext("123456789012", "eu-west-1", "req-1", "localhost");

    private Store store;
    private DynamoDbService service;

    record Change(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, ChangeSource source) {
    }

    @BeforeEach
    void open() {
        store = RocksStore.inMemory();
        service = new DynamoDbService(store, Clock.systemUTC(), Duration.ofMillis(50));
        call("CreateTable", """
                {"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}""");
    }

    @AfterEach
    void close() {
        service.close();
        store.close();
    }

    private ObjectNode call(String operation, String body) {
        try {
            return service.invoke(operation, JSON.readTree(body), CTX);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void listenersSeeEveryWriteWithOldAndNewItem() {
        List<Change> changes = new CopyOnWriteArrayList<>();
        service.addItemChangeListener((table, oldItem, newItem, batch, source) -> changes.add(new Change(oldItem, newItem, source)));
        call("PutItem", """
                {"TableName":"tbl","Item":{"pk":{"S":"a"},"v":{"N":"1"}}}""");
        call("UpdateItem", """
                {"TableName":"tbl","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET v = v + :one",
                 "ExpressionAttributeValues":{":one":{"N":"1"}}}""");
        call("DeleteItem", """
                {"TableName":"tbl","Key":{"pk":{"S":"a"}}}""");
        call("DeleteItem", """
                {"TableName":"tbl","Key":{"pk":{"S":"never-there"}}}""");
        assertThat(changes).hasSize(3);
        assertThat(changes.get(0).oldItem()).isNull();
        assertThat(changes.get(0).newItem()).containsEntry("v", AttributeValue.n(1));
        assertThat(changes.get(1).oldItem()).containsEntry("v", AttributeValue.n(1));
        assertThat(changes.get(1).newItem()).containsEntry("v", AttributeValue.n(2));
        assertThat(changes.get(2).newItem()).isNull();
        assertThat(changes.get(2).source().request().requestId()).isEqualTo("req-1");
        assertThat(changes.get(2).source().timeToLiveDeletion()).isFalse();
    }

    @Test
    void whatAListenerAddsCommitsWithTheItemOrNotAtAll() {
        byte[] marker = "listener-marker".getBytes();
        service.addItemChangeListener((table, oldItem, newItem, batch, source) -> {
            if (newItem != null && newItem.containsKey("fail")) throw new IllegalStateException("listener refused");
            batch.put(marker, newItem == null ? new byte[0] : new byte[] {1});
        });
        call("PutItem", """
                {"TableName":"tbl","Item":{"pk":{"S":"ok"}}}""");
        assertThat(store.get(marker)).containsExactly(1);
        store.write(new io.eddy.store.Batch().delete(marker));
        assertThatThrownBy(() -> call("PutItem", """
                {"TableName":"tbl","Item":{"pk":{"S":"bad"},"fail":{"BOOL":true}}}""")).isInstanceOf(IllegalStateException.class);
        assertThat(store.get(marker)).isNull();
        JsonNode missing = call("GetItem", """
                {"TableName":"tbl","Key":{"pk":{"S":"bad"}}}""");
        assertThat(missing.has("Item")).isFalse();
        assertThat(call("DescribeTable", "{\"TableName\":\"tbl\"}").at("/Table/ItemCount").asLong()).isEqualTo(1);
    }

    @Test
    void ttlDeletionsAreMarkedAsSuch() throws Exception {
        List<Change> changes = new CopyOnWriteArrayList<>();
        service.addItemChangeListener((table, oldItem, newItem, batch, source) -> changes.add(new Change(oldItem, newItem, source)));
        call("UpdateTimeToLive", """
                {"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}""");
        long past = System.currentTimeMillis() / 1000 - 10;
        call("PutItem", "{\"TableName\":\"tbl\",\"Item\":{\"pk\":{\"S\":\"old\"},\"exp\":{\"N\":\"" + past + "\"}}}");
        long deadline = System.currentTimeMillis() + 5000;
        while (changes.size() < 2 && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertThat(changes).hasSize(2);
        Change expiry = changes.get(1);
        assertThat(expiry.newItem()).isNull();
        assertThat(expiry.oldItem()).containsEntry("pk", AttributeValue.s("old"));
        assertThat(expiry.source().timeToLiveDeletion()).isTrue();
        assertThat(expiry.source().request()).isNull();
    }

    @Test
    void tablesItemsAndCountsSurviveARestart() {
        call("PutItem", """
                {"TableName":"tbl","Item":{"pk":{"S":"kept"},"payload":{"S":"0123456789"}}}""");
        JsonNode before = call("DescribeTable", "{\"TableName\":\"tbl\"}").get("Table");
        service.close();
        service = new DynamoDbService(store, Clock.systemUTC(), Duration.ofMillis(50));
        JsonNode after = call("DescribeTable", "{\"TableName\":\"tbl\"}").get("Table");
        assertThat(after.get("TableId")).isEqualTo(before.get("TableId"));
        assertThat(after.get("ItemCount").asLong()).isEqualTo(1);
        assertThat(after.get("TableSizeBytes").asLong()).isEqualTo(before.get("TableSizeBytes").asLong()).isPositive();
        assertThat(call("GetItem", "{\"TableName\":\"tbl\",\"Key\":{\"pk\":{\"S\":\"kept\"}}}").at("/Item/payload/S").asText())
                .isEqualTo("0123456789");
    }

    @Test
    void unknownOperationsAreRejected() {
        assertThatThrownBy(() -> call("FlyToTheMoon", "{}"))
                .isInstanceOfSatisfying(AwsException.class,
                        e -> assertThat(e.type()).isEqualTo("com.amazon.coral.service#UnknownOperationException"));
    }
}
