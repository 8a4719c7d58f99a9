package io.eddy.it.dynamodbstreams;

import static io.eddy.it.dynamodbstreams.StreamsFixture.n;
import static io.eddy.it.dynamodbstreams.StreamsFixture.pk;
import static io.eddy.it.dynamodbstreams.StreamsFixture.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

class StreamLifecycleTest {

    @Test
    void disablingKeepsTheOldStreamReadableAndReenablingCreatesANewOne() {
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory()); StreamsFixture f = new StreamsFixture(eddy)) {
            String first = f.createTable("toggled", false, StreamViewType.NEW_IMAGE);
            f.ddb.putItem(r -> r.tableName("toggled").item(Map.of("PK", s("before"))));
            assertThatThrownBy(() -> f.ddb.updateTable(r -> r.tableName("toggled")
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("already has an enabled stream");
                    });

            TableDescription disabled = f.ddb.updateTable(r -> r.tableName("toggled")
                    .streamSpecification(s -> s.streamEnabled(false))).tableDescription();
            assertThat(disabled.latestStreamArn()).isEqualTo(first);
            f.ddb.putItem(r -> r.tableName("toggled").item(Map.of("PK", s("between"))));
            assertThatThrownBy(() -> f.ddb.updateTable(r -> r.tableName("toggled")
                    .streamSpecification(s -> s.streamEnabled(false))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));

            StreamDescription old = f.streams.describeStream(r -> r.streamArn(first)).streamDescription();
            assertThat(old.streamStatus()).isEqualTo(StreamStatus.DISABLED);
            assertThat(old.shards()).hasSize(4).allSatisfy(shard ->
                    assertThat(shard.sequenceNumberRange().endingSequenceNumber()).matches("\\d{21,40}"));
            for (Shard shard : old.shards()) {
                String iterator = f.streams.getShardIterator(r -> r.streamArn(first).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                assertThat(f.streams.getRecords(r -> r.shardIterator(iterator)).nextShardIterator()).isNull();
            }
            assertThat(f.readAll(first)).extracting(StreamsFixture::pk).containsExactly("before");

            TableDescription reenabled = f.ddb.updateTable(r -> r.tableName("toggled")
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY))).tableDescription();
            String second = reenabled.latestStreamArn();
            assertThat(second).isNotEqualTo(first);
            assertThat(reenabled.latestStreamLabel()).isNotEqualTo(disabled.latestStreamLabel());
            f.ddb.putItem(r -> r.tableName("toggled").item(Map.of("PK", s("after"))));
            assertThat(f.readAll(second)).extracting(StreamsFixture::pk).containsExactly("after");
            assertThat(f.readAll(first)).extracting(StreamsFixture::pk).containsExactly("before");
            assertThat(f.streams.listStreams(r -> r.tableName("toggled")).streams())
                    .extracting(s -> s.streamArn()).containsExactly(first, second);
            assertThat(f.ddb.describeTable(r -> r.tableName("toggled")).table().latestStreamArn()).isEqualTo(second);

            f.ddb.deleteTable(r -> r.tableName("toggled"));
            StreamDescription afterDelete = f.streams.describeStream(r -> r.streamArn(second)).streamDescription();
            assertThat(afterDelete.streamStatus()).isEqualTo(StreamStatus.DISABLED);
            assertThat(f.readAll(second)).extracting(StreamsFixture::pk).containsExactly("after");
        }
    }

    @Test
    void rotationClosesShardsAndChildrenContinueEachItem() throws Exception {
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory().withStreamShardRotation(Duration.ofSeconds(1)));
             StreamsFixture f = new StreamsFixture(eddy)) {
            String arn = f.createTable("rotating", false, StreamViewType.NEW_IMAGE);
            f.ddb.putItem(r -> r.tableName("rotating").item(Map.of("PK", s("k"), "v", n(1))));
            List<Shard> initial = f.shards(arn);
            Shard parent = initial.stream().filter(s -> !f.readShard(arn, s).isEmpty()).findFirst().orElseThrow();
            String parentIterator = f.streams.getShardIterator(r -> r.streamArn(arn).shardId(parent.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();

            List<Shard> shards = initial;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (shards.size() < 8 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                shards = f.shards(arn);
            }
            f.ddb.putItem(r -> r.tableName("rotating").item(Map.of("PK", s("k"), "v", n(2))));
            shards = f.shards(arn);
            assertThat(shards.size()).isGreaterThanOrEqualTo(8);
            assertThat(shards).extracting(Shard::shardId).isSorted().doesNotHaveDuplicates();
            Set<String> ids = new HashSet<>();
            shards.forEach(s -> ids.add(s.shardId()));
            for (Shard shard : shards) {
                if (shard.parentShardId() != null) assertThat(ids).contains(shard.parentShardId());
            }
            assertThat(shards).filteredOn(s -> s.sequenceNumberRange().endingSequenceNumber() == null).hasSize(4)
                    .allSatisfy(s -> assertThat(s.parentShardId()).isNotNull());
            Shard closedParent = shards.stream().filter(s -> s.shardId().equals(parent.shardId())).findFirst().orElseThrow();
            assertThat(closedParent.sequenceNumberRange().endingSequenceNumber()).isNotNull();

            GetRecordsResponse fromParent = f.streams.getRecords(r -> r.shardIterator(parentIterator));
            assertThat(fromParent.records()).extracting(r -> r.dynamodb().newImage().get("v").n()).containsExactly("1");
            assertThat(fromParent.nextShardIterator()).isNull();

            // follow the lineage of the parent down to the open shard: every later version of "k" is there, in order
            List<String> versions = new java.util.ArrayList<>();
            String current = parent.shardId();
            while (current != null) {
                String id = current;
                Shard shard = shards.stream().filter(s -> s.shardId().equals(id)).findFirst().orElseThrow();
                for (Record record : f.readShard(arn, shard)) versions.add(record.dynamodb().newImage().get("v").n());
                current = shards.stream().filter(s -> id.equals(s.parentShardId())).map(Shard::shardId).findFirst().orElse(null);
            }
            assertThat(versions).containsExactly("1", "2");
        }
    }

    @Test
    void recordsAndTheirWritesSurviveARestart(@TempDir Path dir) {
        String arn;
        List<Record> before;
        try (Eddy eddy = Eddy.start(EddyConfig.persistent(dir)); StreamsFixture f = new StreamsFixture(eddy)) {
            arn = f.createTable("durable", false, StreamViewType.NEW_AND_OLD_IMAGES);
            f.ddb.putItem(r -> r.tableName("durable").item(Map.of("PK", s("a"), "v", n(1))));
            f.ddb.putItem(r -> r.tableName("durable").item(Map.of("PK", s("a"), "v", n(2))));
            f.ddb.putItem(r -> r.tableName("durable").item(Map.of("PK", s("b"))));
            before = f.readAll(arn);
            assertThat(before).hasSize(3);
        }
        try (Eddy eddy = Eddy.start(EddyConfig.persistent(dir)); StreamsFixture f = new StreamsFixture(eddy)) {
            assertThat(f.readAll(arn)).isEqualTo(before);
            assertThat(f.ddb.getItem(r -> r.tableName("durable").key(Map.of("PK", s("a")))).item().get("v").n()).isEqualTo("2");
            f.ddb.deleteItem(r -> r.tableName("durable").key(Map.of("PK", s("a"))));
            List<Record> after = f.readAll(arn);
            assertThat(after).hasSize(4);
            Record removal = after.get(3);
            assertThat(pk(removal)).isEqualTo("a");
            assertThat(removal.eventNameAsString()).isEqualTo("REMOVE");
            assertThat(new java.math.BigInteger(removal.dynamodb().sequenceNumber()))
                    .isGreaterThan(new java.math.BigInteger(before.get(2).dynamodb().sequenceNumber()));
        }
    }
}
