package io.eddy.it.dynamodbstreams;

import static io.eddy.it.dynamodbstreams.StreamsFixture.n;
import static io.eddy.it.dynamodbstreams.StreamsFixture.pk;
import static io.eddy.it.dynamodbstreams.StreamsFixture.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

class StreamRecordsTest {

    static Eddy eddy;
    static StreamsFixture f;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory().withTtlSweepInterval(Duration.ofMillis(100)));
        f = new StreamsFixture(eddy);
    }

    @AfterAll
    static void stop() {
        f.close();
        eddy.close();
    }

    static Map<String, AttributeValue> item(String pk, String sk, Object... more) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("PK", s(pk));
        if (sk != null) item.put("SK", s(sk));
        for (int i = 0; i < more.length; i += 2) item.put((String) more[i], (AttributeValue) more[i + 1]);
        return item;
    }

    @ParameterizedTest
    @ValueSource(strings = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"})
    void putUpdateAndDeleteRecordWhatTheViewTypeAsksFor(String viewType) {
        String table = "views-" + viewType.toLowerCase().replace('_', '-');
        String arn = f.createTable(table, true, StreamViewType.fromValue(viewType));
        Instant before = Instant.now().minusSeconds(1);
        f.ddb.putItem(r -> r.tableName(table).item(item("a", "1", "v", s("one"))));
        f.ddb.updateItem(r -> r.tableName(table).key(item("a", "1")).updateExpression("SET v = :v, w = :w")
                .expressionAttributeValues(Map.of(":v", s("two"), ":w", n(7))));
        f.ddb.deleteItem(r -> r.tableName(table).key(item("a", "1")));

        List<Record> records = f.readAll(arn);
        assertThat(records).extracting(Record::eventName)
                .containsExactly(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE);
        boolean withNew = viewType.contains("NEW");
        boolean withOld = viewType.contains("OLD");
        for (Record record : records) {
            assertThat(record.eventID()).matches("[0-9a-f]{32}");
            assertThat(record.eventVersion()).isEqualTo("1.1");
            assertThat(record.eventSource()).isEqualTo("aws:dynamodb");
            assertThat(record.awsRegion()).isEqualTo("us-east-1");
            assertThat(record.userIdentity()).isNull();
            StreamRecord dynamodb = record.dynamodb();
            assertThat(dynamodb.keys()).isEqualTo(item("a", "1"));
            assertThat(dynamodb.streamViewTypeAsString()).isEqualTo(viewType);
            assertThat(dynamodb.sequenceNumber()).matches("\\d{21,40}");
            assertThat(dynamodb.sizeBytes()).isPositive();
            assertThat(dynamodb.approximateCreationDateTime()).isBetween(before, Instant.now());
            assertThat(dynamodb.approximateCreationDateTime().getNano()).isZero();
        }
        StreamRecord insert = records.get(0).dynamodb();
        StreamRecord modify = records.get(1).dynamodb();
        StreamRecord remove = records.get(2).dynamodb();
        assertThat(insert.hasOldImage()).isFalse();
        assertThat(remove.hasNewImage()).isFalse();
        assertThat(insert.hasNewImage()).isEqualTo(withNew);
        assertThat(modify.hasNewImage()).isEqualTo(withNew);
        assertThat(modify.hasOldImage()).isEqualTo(withOld);
        assertThat(remove.hasOldImage()).isEqualTo(withOld);
        if (withNew) {
            assertThat(insert.newImage()).isEqualTo(item("a", "1", "v", s("one")));
            assertThat(modify.newImage()).isEqualTo(item("a", "1", "v", s("two"), "w", n(7)));
        }
        if (withOld) {
            assertThat(modify.oldImage()).isEqualTo(item("a", "1", "v", s("one")));
            assertThat(remove.oldImage()).isEqualTo(item("a", "1", "v", s("two"), "w", n(7)));
        }
    }

    @Test
    void writesThatChangeNothingLeaveNoRecord() {
        String arn = f.createTable("noop", false, StreamViewType.NEW_AND_OLD_IMAGES);
        f.ddb.putItem(r -> r.tableName("noop").item(item("a", null, "n", n(1))));
        f.ddb.putItem(r -> r.tableName("noop").item(item("a", null, "n", n(1))));
        f.ddb.updateItem(r -> r.tableName("noop").key(item("a", null)).updateExpression("SET n = :n")
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromN("1.0"))));
        f.ddb.updateItem(r -> r.tableName("noop").key(item("a", null)).updateExpression("REMOVE absentAttribute"));
        f.ddb.deleteItem(r -> r.tableName("noop").key(item("absent", null)));
        assertThatThrownBy(() -> f.ddb.putItem(r -> r.tableName("noop").item(item("a", null, "n", n(2)))
                .conditionExpression("attribute_not_exists(PK)"))).isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(f.readAll(arn)).extracting(Record::eventName).containsExactly(OperationType.INSERT);
    }

    @Test
    void batchAndTransactionWritesRecordEachItem() {
        String arn = f.createTable("paths", false, StreamViewType.NEW_IMAGE);
        f.ddb.putItem(r -> r.tableName("paths").item(item("gone", null)));
        f.ddb.batchWriteItem(r -> r.requestItems(Map.of("paths", List.of(
                WriteRequest.builder().putRequest(p -> p.item(item("b1", null, "x", n(1)))).build(),
                WriteRequest.builder().putRequest(p -> p.item(item("b2", null, "x", n(2)))).build(),
                WriteRequest.builder().deleteRequest(d -> d.key(item("gone", null))).build()))));
        f.ddb.transactWriteItems(r -> r.transactItems(
                t -> t.put(p -> p.tableName("paths").item(item("t1", null, "x", n(3)))),
                t -> t.update(u -> u.tableName("paths").key(item("b1", null)).updateExpression("SET x = :x")
                        .expressionAttributeValues(Map.of(":x", n(10)))),
                t -> t.delete(d -> d.tableName("paths").key(item("b2", null))),
                t -> t.conditionCheck(c -> c.tableName("paths").key(item("gone", null))
                        .conditionExpression("attribute_not_exists(PK)"))));
        assertThatThrownBy(() -> f.ddb.transactWriteItems(r -> r.transactItems(
                t -> t.put(p -> p.tableName("paths").item(item("never", null))),
                t -> t.conditionCheck(c -> c.tableName("paths").key(item("t1", null))
                        .conditionExpression("attribute_not_exists(PK)")))))
                .isInstanceOf(TransactionCanceledException.class);

        List<Record> records = f.readAll(arn);
        assertThat(records).extracting(r -> pk(r) + ":" + r.eventNameAsString()).containsExactly(
                "gone:INSERT", "b1:INSERT", "b2:INSERT", "gone:REMOVE", "t1:INSERT", "b1:MODIFY", "b2:REMOVE");
        assertThat(records.get(5).dynamodb().newImage()).isEqualTo(item("b1", null, "x", n(10)));
    }

    @Test
    void partiqlStatementsRecordTheirChanges() {
        String arn = f.createTable("partiql", false, StreamViewType.NEW_AND_OLD_IMAGES);
        f.ddb.executeStatement(r -> r.statement("INSERT INTO \"partiql\" VALUE {'PK': 'p1', 'x': 1}"));
        f.ddb.executeStatement(r -> r.statement("UPDATE \"partiql\" SET x = 2 WHERE PK = 'p1'"));
        f.ddb.executeTransaction(r -> r.transactStatements(
                s -> s.statement("INSERT INTO \"partiql\" VALUE {'PK': 'p2'}"),
                s -> s.statement("DELETE FROM \"partiql\" WHERE PK = 'p1'")));
        List<Record> records = f.readAll(arn);
        assertThat(records).extracting(r -> pk(r) + ":" + r.eventNameAsString())
                .containsExactly("p1:INSERT", "p1:MODIFY", "p2:INSERT", "p1:REMOVE");
        assertThat(records.get(1).dynamodb().oldImage()).isEqualTo(item("p1", null, "x", n(1)));
        assertThat(records.get(1).dynamodb().newImage()).isEqualTo(item("p1", null, "x", n(2)));
    }

    @Test
    void timeToLiveDeletionsAreMarkedAsDoneByTheService() throws Exception {
        String arn = f.createTable("expiring", false, StreamViewType.OLD_IMAGE);
        f.ddb.updateTimeToLive(r -> r.tableName("expiring").timeToLiveSpecification(t -> t.enabled(true).attributeName("exp")));
        long now = System.currentTimeMillis() / 1000;
        f.ddb.putItem(r -> r.tableName("expiring").item(item("kept", null, "exp", n(now + 3600))));
        f.ddb.putItem(r -> r.tableName("expiring").item(item("old", null, "exp", n(now - 60))));
        List<Record> records = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (records.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            records = f.readAll(arn);
        }
        assertThat(records).extracting(r -> pk(r) + ":" + r.eventNameAsString())
                .containsExactly("kept:INSERT", "old:INSERT", "old:REMOVE");
        assertThat(records.get(1).userIdentity()).isNull();
        Record expired = records.get(2);
        assertThat(expired.userIdentity().type()).isEqualTo("Service");
        assertThat(expired.userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
        assertThat(expired.dynamodb().oldImage()).isEqualTo(item("old", null, "exp", n(now - 60)));
    }

    @Test
    void tableAndStreamDescribeTheSameStream() {
        String arn = f.createTable("described", true, StreamViewType.KEYS_ONLY);
        TableDescription table = f.ddb.describeTable(r -> r.tableName("described")).table();
        assertThat(table.latestStreamArn()).isEqualTo(arn);
        assertThat(arn).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/described/stream/" + table.latestStreamLabel());
        assertThat(f.streams.listStreams(r -> r.tableName("described")).streams())
                .singleElement().satisfies(s -> {
                    assertThat(s.streamArn()).isEqualTo(arn);
                    assertThat(s.tableName()).isEqualTo("described");
                    assertThat(s.streamLabel()).isEqualTo(table.latestStreamLabel());
                });
        StreamDescription description = f.streams.describeStream(r -> r.streamArn(arn)).streamDescription();
        assertThat(description.streamArn()).isEqualTo(arn);
        assertThat(description.streamLabel()).isEqualTo(table.latestStreamLabel());
        assertThat(description.streamStatus()).isEqualTo(StreamStatus.ENABLED);
        assertThat(description.streamViewType()).isEqualTo(StreamViewType.KEYS_ONLY);
        assertThat(description.tableName()).isEqualTo("described");
        assertThat(description.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
                .containsExactly("PK:" + KeyType.HASH, "SK:" + KeyType.RANGE);
        assertThat(description.creationRequestDateTime()).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(description.shards()).hasSize(4).allSatisfy(shard -> {
            assertThat(shard.shardId()).matches("shardId-\\d{20}-[0-9a-f]{8}");
            assertThat(shard.parentShardId()).isNull();
            assertThat(shard.sequenceNumberRange().startingSequenceNumber()).matches("\\d{21,40}");
            assertThat(shard.sequenceNumberRange().endingSequenceNumber()).isNull();
        });
    }
}
