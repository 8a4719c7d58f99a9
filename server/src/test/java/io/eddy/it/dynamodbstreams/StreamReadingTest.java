package io.eddy.it.dynamodbstreams;

import static io.eddy.it.dynamodbstreams.StreamsFixture.n;
import static io.eddy.it.dynamodbstreams.StreamsFixture.pk;
import static io.eddy.it.dynamodbstreams.StreamsFixture.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

class StreamReadingTest {

    static Eddy eddy;
    static StreamsFixture f;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        f = new StreamsFixture(eddy);
    }

    @AfterAll
    static void stop() {
        f.close();
        eddy.close();
    }

    static Map<String, AttributeValue> item(String pk, long version) {
        return Map.of("PK", s(pk), "v", n(version));
    }

    String iterator(String arn, String shardId, ShardIteratorType type, String sequenceNumber) {
        return f.streams.getShardIterator(r -> r.streamArn(arn).shardId(shardId).shardIteratorType(type)
                .sequenceNumber(sequenceNumber)).shardIterator();
    }

    @Test
    void itemsSpreadOverShardsAndEachItemKeepsItsOrderInOneShard() {
        String arn = f.createTable("spread", false, StreamViewType.NEW_IMAGE);
        for (long version = 1; version <= 2; version++) {
            for (int k = 0; k < 10; k++) {
                long v = version;
                String pk = "item-" + k;
                f.ddb.putItem(r -> r.tableName("spread").item(item(pk, v)));
            }
        }
        List<Shard> shards = f.shards(arn);
        assertThat(shards).hasSize(4);
        Map<String, String> shardOfItem = new HashMap<>();
        int total = 0;
        int nonEmpty = 0;
        for (Shard shard : shards) {
            List<Record> records = f.readShard(arn, shard);
            if (!records.isEmpty()) nonEmpty++;
            Map<String, Long> lastVersion = new HashMap<>();
            for (Record record : records) {
                total++;
                String pk = pk(record);
                assertThat(shardOfItem.putIfAbsent(pk, shard.shardId())).isIn(null, shard.shardId());
                long version = Long.parseLong(record.dynamodb().newImage().get("v").n());
                assertThat(version).isEqualTo(lastVersion.getOrDefault(pk, 0L) + 1);
                lastVersion.put(pk, version);
            }
        }
        assertThat(total).isEqualTo(20);
        assertThat(nonEmpty).isGreaterThan(1);
    }

    @Test
    void iteratorTypesAndLimitsReadTheRightRecords() {
        String arn = f.createTable("iterators", false, StreamViewType.NEW_IMAGE);
        for (long v = 1; v <= 3; v++) {
            long version = v;
            f.ddb.putItem(r -> r.tableName("iterators").item(item("one", version)));
        }
        Shard shard = f.shards(arn).stream().filter(s -> !f.readShard(arn, s).isEmpty()).findFirst().orElseThrow();
        String shardId = shard.shardId();
        List<Record> all = f.readShard(arn, shard);
        assertThat(all).hasSize(3);

        String latest = iterator(arn, shardId, ShardIteratorType.LATEST, null);
        GetRecordsResponse empty = f.streams.getRecords(r -> r.shardIterator(latest));
        assertThat(empty.records()).isEmpty();
        assertThat(empty.nextShardIterator()).isNotNull();
        f.ddb.putItem(r -> r.tableName("iterators").item(item("one", 4)));
        GetRecordsResponse fourth = f.streams.getRecords(r -> r.shardIterator(empty.nextShardIterator()));
        assertThat(fourth.records()).extracting(r -> r.dynamodb().newImage().get("v").n()).containsExactly("4");
        assertThat(f.streams.getRecords(r -> r.shardIterator(fourth.nextShardIterator())).records()).isEmpty();

        String second = all.get(1).dynamodb().sequenceNumber();
        assertThat(f.streams.getRecords(r -> r.shardIterator(iterator(arn, shardId, ShardIteratorType.AT_SEQUENCE_NUMBER, second)))
                .records()).extracting(r -> r.dynamodb().newImage().get("v").n()).containsExactly("2", "3", "4");
        assertThat(f.streams.getRecords(r -> r.shardIterator(iterator(arn, shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, second)))
                .records()).extracting(r -> r.dynamodb().newImage().get("v").n()).containsExactly("3", "4");
        String start = shard.sequenceNumberRange().startingSequenceNumber();
        assertThat(f.streams.getRecords(r -> r.shardIterator(iterator(arn, shardId, ShardIteratorType.AT_SEQUENCE_NUMBER, start)))
                .records()).hasSize(4);

        GetRecordsResponse two = f.streams.getRecords(r -> r.limit(2)
                .shardIterator(iterator(arn, shardId, ShardIteratorType.TRIM_HORIZON, null)));
        assertThat(two.records()).extracting(r -> r.dynamodb().newImage().get("v").n()).containsExactly("1", "2");
        assertThat(f.streams.getRecords(r -> r.shardIterator(two.nextShardIterator())).records())
                .extracting(r -> r.dynamodb().newImage().get("v").n()).containsExactly("3", "4");
        assertThat(all.get(0).dynamodb().sequenceNumber()).isLessThan(all.get(1).dynamodb().sequenceNumber());
    }

    @Test
    void streamsAndShardsArePaged() {
        f.createTable("paged-a", false, StreamViewType.KEYS_ONLY);
        f.createTable("paged-b", false, StreamViewType.KEYS_ONLY);
        f.createTable("paged-c", false, null);
        List<String> tables = new ArrayList<>();
        String start = null;
        do {
            String exclusiveStart = start;
            ListStreamsResponse page = f.streams.listStreams(r -> r.limit(1).exclusiveStartStreamArn(exclusiveStart));
            assertThat(page.streams().size()).isLessThanOrEqualTo(1);
            page.streams().forEach(s -> tables.add(s.tableName()));
            start = page.lastEvaluatedStreamArn();
        } while (start != null);
        assertThat(tables).contains("paged-a", "paged-b").doesNotContain("paged-c").doesNotHaveDuplicates();
        assertThat(f.streams.listStreams(r -> r.tableName("paged-c")).streams()).isEmpty();

        String arn = f.streams.listStreams(r -> r.tableName("paged-a")).streams().get(0).streamArn();
        StreamDescription page = f.streams.describeStream(r -> r.streamArn(arn).limit(3)).streamDescription();
        assertThat(page.shards()).hasSize(3);
        assertThat(page.lastEvaluatedShardId()).isEqualTo(page.shards().get(2).shardId());
        StreamDescription rest = f.streams.describeStream(r -> r.streamArn(arn).exclusiveStartShardId(page.lastEvaluatedShardId()))
                .streamDescription();
        assertThat(rest.shards()).hasSize(1);
        assertThat(rest.lastEvaluatedShardId()).isNull();
    }

    @Test
    void errorsCarryAwsCodesAndMessages() {
        String arn = f.createTable("errors", false, StreamViewType.KEYS_ONLY);
        String shardId = f.shards(arn).get(0).shardId();
        String missing = "arn:aws:dynamodb:us-east-1:000000000000:table/errors/stream/2000-01-01T00:00:00.000";
        assertThatThrownBy(() -> f.streams.describeStream(r -> r.streamArn(missing)))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Requested resource not found: Stream: " + missing + " not found"));
        assertThatThrownBy(() -> iterator(arn, "shardId-00000000000000000000-00000000", ShardIteratorType.LATEST, null))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Requested resource not found: Shard does not exist"));
        String latest = iterator(arn, shardId, ShardIteratorType.LATEST, null);
        assertThatThrownBy(() -> f.streams.getRecords(r -> r.shardIterator(latest).limit(1001)))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value '1001' "
                            + "at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");
                });
        assertThatThrownBy(() -> f.streams.getRecords(r -> r.shardIterator("not-an-iterator")))
                .isInstanceOfSatisfying(DynamoDbException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> iterator(arn, shardId, ShardIteratorType.AT_SEQUENCE_NUMBER, null))
                .isInstanceOfSatisfying(DynamoDbException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> f.streams.listStreams(r -> r.tableName("no-such-table")))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
