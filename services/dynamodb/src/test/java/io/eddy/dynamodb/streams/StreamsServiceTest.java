package io.eddy.dynamodb.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.TableInfo;
import io.eddy.protocol.AwsException;
import io.eddy.store.RocksStore;
import io.eddy.store.Store;

class StreamsServiceTest {

    static final Instant START = Instant.parse("2026-11-22T10:00:00.250Z");

    Store store;
    StreamsHarness h;

    @BeforeEach
    void setUp() {
        store = RocksStore.inMemory();
        h = new StreamsHarness(store, new StreamsHarness.MutableClock(START), StreamsSettings.defaults());
    }

    @AfterEach
    void tearDown() {
        h.streams.close();
        store.close();
    }

    // ---- helpers

    List<JsonNode> shards(String arn) {
        List<JsonNode> shards = new ArrayList<>();
        ObjectNode input = StreamsHarness.MAPPER.createObjectNode().put("StreamArn", arn);
        while (true) {
            JsonNode description = h.call("DescribeStream", input).get("StreamDescription");
            description.get("Shards").forEach(shards::add);
            if (!description.has("LastEvaluatedShardId")) return shards;
            input.put("ExclusiveStartShardId", description.get("LastEvaluatedShardId").asText());
        }
    }

    String iterator(String arn, String shardId, String type) {
        return iterator(arn, shardId, type, null);
    }

    String iterator(String arn, String shardId, String type, String sequenceNumber) {
        ObjectNode input = StreamsHarness.MAPPER.createObjectNode().put("StreamArn", arn).put("ShardId", shardId)
                .put("ShardIteratorType", type);
        if (sequenceNumber != null) input.put("SequenceNumber", sequenceNumber);
        return h.call("GetShardIterator", input).get("ShardIterator").asText();
    }

    JsonNode getRecords(String iterator) {
        return h.call("GetRecords", StreamsHarness.MAPPER.createObjectNode().put("ShardIterator", iterator));
    }

    /** Every record of every shard from TRIM_HORIZON, by shard id. */
    Map<String, List<JsonNode>> recordsByShard(String arn) {
        Map<String, List<JsonNode>> byShard = new HashMap<>();
        for (JsonNode shard : shards(arn)) {
            String shardId = shard.get("ShardId").asText();
            List<JsonNode> records = byShard.computeIfAbsent(shardId, k -> new ArrayList<>());
            String iterator = iterator(arn, shardId, "TRIM_HORIZON");
            while (iterator != null) {
                JsonNode out = getRecords(iterator);
                out.get("Records").forEach(records::add);
                if (out.get("Records").isEmpty() && !shard.get("SequenceNumberRange").has("EndingSequenceNumber")) break;
                iterator = out.has("NextShardIterator") ? out.get("NextShardIterator").asText() : null;
            }
        }
        return byShard;
    }

    List<JsonNode> allRecords(String arn) {
        List<JsonNode> all = new ArrayList<>();
        recordsByShard(arn).values().forEach(all::addAll);
        all.sort((a, b) -> a.at("/dynamodb/SequenceNumber").asText().compareTo(b.at("/dynamodb/SequenceNumber").asText()));
        return all;
    }

    static void assertAwsError(Runnable call, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (message != null) assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    // ---- record shapes

    @ParameterizedTest
    @ValueSource(strings = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"})
    void recordsCarryTheImagesTheirViewTypeAsksFor(String viewType) {
        TableInfo table = h.createTable("orders", true, viewType);
        h.write(table, null, "{'pk':{'S':'a'},'sk':{'N':'1'},'v':{'S':'one'}}");
        h.clock.advance(Duration.ofMillis(1300));
        h.write(table, "{'pk':{'S':'a'},'sk':{'N':'1'},'v':{'S':'one'}}", "{'pk':{'S':'a'},'sk':{'N':'1'},'v':{'S':'two'}}");
        h.write(table, "{'pk':{'S':'a'},'sk':{'N':'1'},'v':{'S':'two'}}", null);

        List<JsonNode> records = allRecords(h.streamArn(table));
        assertThat(records).extracting(r -> r.get("eventName").asText()).containsExactly("INSERT", "MODIFY", "REMOVE");
        boolean withNew = viewType.equals("NEW_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES");
        boolean withOld = viewType.equals("OLD_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES");
        for (JsonNode record : records) {
            assertThat(record.get("eventID").asText()).matches("[0-9a-f]{32}");
            assertThat(record.get("eventVersion").asText()).isEqualTo("1.1");
            assertThat(record.get("eventSource").asText()).isEqualTo("aws:dynamodb");
            assertThat(record.get("awsRegion").asText()).isEqualTo("us-east-1");
            assertThat(record.has("userIdentity")).isFalse();
            assertThat(record.has("eventSourceARN")).isFalse();
            JsonNode dynamodb = record.get("dynamodb");
            assertThat(dynamodb.get("Keys")).isEqualTo(StreamsHarness.json("{'pk':{'S':'a'},'sk':{'N':'1'}}"));
            assertThat(dynamodb.get("StreamViewType").asText()).isEqualTo(viewType);
            assertThat(dynamodb.get("SequenceNumber").asText()).matches("\\d{21}");
            assertThat(dynamodb.get("SizeBytes").asLong()).isPositive();
            assertThat(dynamodb.get("ApproximateCreationDateTime").isIntegralNumber()).isTrue();
        }
        assertThat(records.get(0).at("/dynamodb/ApproximateCreationDateTime").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(records.get(1).at("/dynamodb/ApproximateCreationDateTime").asLong()).isEqualTo(START.getEpochSecond() + 1);
        assertThat(records).extracting(r -> r.get("eventID").asText()).doesNotHaveDuplicates();

        JsonNode insert = records.get(0).get("dynamodb");
        JsonNode modify = records.get(1).get("dynamodb");
        JsonNode remove = records.get(2).get("dynamodb");
        assertThat(insert.has("OldImage")).isFalse();
        assertThat(remove.has("NewImage")).isFalse();
        assertThat(insert.has("NewImage")).isEqualTo(withNew);
        assertThat(modify.has("NewImage")).isEqualTo(withNew);
        assertThat(modify.has("OldImage")).isEqualTo(withOld);
        assertThat(remove.has("OldImage")).isEqualTo(withOld);
        if (withNew) assertThat(modify.at("/NewImage/v/S").asText()).isEqualTo("two");
        if (withOld) assertThat(modify.at("/OldImage/v/S").asText()).isEqualTo("one");
        if (withNew && withOld) {
            assertThat(modify.get("SizeBytes").asLong()).isGreaterThan(insert.get("SizeBytes").asLong());
        }
    }

    @Test
    void sizeBytesMatchesTheLambdaDeveloperGuideExample() {
        TableInfo table = h.createTable("BarkTable", new io.eddy.dynamodb.KeyDef("Id", "N"), null, "NEW_AND_OLD_IMAGES");
        h.write(table, null, "{'Message':{'S':'New item!'},'Id':{'N':'101'}}");
        h.write(table, "{'Message':{'S':'New item!'},'Id':{'N':'101'}}", "{'Message':{'S':'This item has changed'},'Id':{'N':'101'}}");
        h.write(table, "{'Message':{'S':'This item has changed'},'Id':{'N':'101'}}", null);
        assertThat(allRecords(h.streamArn(table))).extracting(r -> r.at("/dynamodb/SizeBytes").asLong()).containsExactly(26L, 59L, 38L);
    }

    @Test
    void writesThatChangeNothingLeaveNoRecord() {
        TableInfo table = h.createTable("same", false, "NEW_AND_OLD_IMAGES");
        h.write(table, null, "{'pk':{'S':'a'},'n':{'N':'1.0'},'s':{'SS':['x','y']}}");
        h.write(table, "{'pk':{'S':'a'},'n':{'N':'1.0'},'s':{'SS':['x','y']}}", "{'s':{'SS':['y','x']},'pk':{'S':'a'},'n':{'N':'1'}}");
        h.write(table, null, null);
        assertThat(allRecords(h.streamArn(table))).hasSize(1);
    }

    @Test
    void tablesWithoutStreamsRecordNothing() {
        TableInfo table = h.createTable("plain", false, null);
        h.write(table, null, "{'pk':{'S':'a'}}");
        assertThat(h.call("ListStreams", "{}").get("Streams")).isEmpty();
        assertThat(h.call("ListStreams", "{'TableName':'plain'}").get("Streams")).isEmpty();
    }

    @Test
    void itemsSpreadOverFourShardsAndEachKeyKeepsItsOrderInOneShard() {
        TableInfo table = h.createTable("spread", false, "NEW_IMAGE");
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 20; k++) {
                String old = round == 0 ? null : "{'pk':{'S':'k" + k + "'},'r':{'N':'" + (round - 1) + "'}}";
                h.write(table, old, "{'pk':{'S':'k" + k + "'},'r':{'N':'" + round + "'}}");
            }
        }
        String arn = h.streamArn(table);
        List<JsonNode> shards = shards(arn);
        assertThat(shards).hasSize(4);
        for (JsonNode shard : shards) {
            assertThat(shard.get("ShardId").asText()).matches("shardId-\\d{20}-[0-9a-f]{8}");
            assertThat(shard.has("ParentShardId")).isFalse();
            assertThat(shard.at("/SequenceNumberRange/StartingSequenceNumber").asText()).matches("\\d{21}");
            assertThat(shard.at("/SequenceNumberRange").has("EndingSequenceNumber")).isFalse();
        }
        Map<String, List<JsonNode>> byShard = recordsByShard(arn);
        assertThat(byShard.values().stream().filter(list -> !list.isEmpty()).count()).isGreaterThan(1);
        Map<String, String> shardOfKey = new HashMap<>();
        int total = 0;
        for (Map.Entry<String, List<JsonNode>> e : byShard.entrySet()) {
            Map<String, Integer> lastRound = new HashMap<>();
            String previousSequence = "";
            for (JsonNode record : e.getValue()) {
                total++;
                String key = record.at("/dynamodb/Keys/pk/S").asText();
                assertThat(shardOfKey.putIfAbsent(key, e.getKey())).isIn(null, e.getKey());
                int round = record.at("/dynamodb/NewImage/r/N").asInt();
                assertThat(round).isEqualTo(lastRound.getOrDefault(key, -1) + 1);
                lastRound.put(key, round);
                String sequence = record.at("/dynamodb/SequenceNumber").asText();
                assertThat(sequence).isGreaterThan(previousSequence);
                previousSequence = sequence;
            }
        }
        assertThat(total).isEqualTo(60);
        assertThat(shardOfKey).hasSize(20);
    }

    @Test
    void timeToLiveDeletionsAreMarkedAsDoneByTheService() {
        TableInfo table = h.createTable("ttl", false, "OLD_IMAGE");
        h.write(table, null, "{'pk':{'S':'a'},'exp':{'N':'1'}}");
        h.write(table, "{'pk':{'S':'a'},'exp':{'N':'1'}}", null, true);
        List<JsonNode> records = allRecords(h.streamArn(table));
        assertThat(records.get(0).has("userIdentity")).isFalse();
        assertThat(records.get(1).get("eventName").asText()).isEqualTo("REMOVE");
        assertThat(records.get(1).get("userIdentity"))
                .isEqualTo(StreamsHarness.json("{'Type':'Service','PrincipalId':'dynamodb.amazonaws.com'}"));

        String arn = h.streamArn(table);
        List<ChangeRecord> viaJava = new ArrayList<>();
        for (StreamShard shard : h.streams.shards(arn)) viaJava.addAll(h.streams.read(arn, shard.shardId(), null, 10).records());
        ChangeRecord ttl = viaJava.stream().filter(r -> r.event().has("userIdentity")).findFirst().orElseThrow();
        assertThat(ttl.event().get("userIdentity"))
                .isEqualTo(StreamsHarness.json("{'type':'Service','principalId':'dynamodb.amazonaws.com'}"));
        assertThat(ttl.event().get("eventSourceARN").asText()).isEqualTo(arn);
    }

    // ---- iterators

    @Test
    void iteratorTypesStartWhereTheyShould() {
        TableInfo table = h.createTable("iter", false, "KEYS_ONLY");
        String arn = h.streamArn(table);
        String shardId = null;
        for (int i = 1; i <= 3; i++) h.write(table, i == 1 ? null : "{'pk':{'S':'a'},'i':{'N':'" + (i - 1) + "'}}",
                "{'pk':{'S':'a'},'i':{'N':'" + i + "'}}");
        List<String> sequences = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> e : recordsByShard(arn).entrySet()) {
            if (e.getValue().isEmpty()) continue;
            shardId = e.getKey();
            e.getValue().forEach(r -> sequences.add(r.at("/dynamodb/SequenceNumber").asText()));
        }
        assertThat(sequences).hasSize(3);

        String latest = iterator(arn, shardId, "LATEST");
        JsonNode none = getRecords(latest);
        assertThat(none.get("Records")).isEmpty();
        assertThat(none.has("NextShardIterator")).isTrue();
        h.write(table, "{'pk':{'S':'a'},'i':{'N':'3'}}", "{'pk':{'S':'a'},'i':{'N':'4'}}");
        JsonNode fourth = getRecords(none.get("NextShardIterator").asText());
        assertThat(fourth.get("Records")).hasSize(1);
        JsonNode after = getRecords(fourth.get("NextShardIterator").asText());
        assertThat(after.get("Records")).isEmpty();

        assertThat(getRecords(iterator(arn, shardId, "TRIM_HORIZON")).get("Records")).hasSize(4);
        JsonNode at = getRecords(iterator(arn, shardId, "AT_SEQUENCE_NUMBER", sequences.get(1))).get("Records");
        assertThat(at).hasSize(3);
        assertThat(at.get(0).at("/dynamodb/SequenceNumber").asText()).isEqualTo(sequences.get(1));
        JsonNode afterSeq = getRecords(iterator(arn, shardId, "AFTER_SEQUENCE_NUMBER", sequences.get(1))).get("Records");
        assertThat(afterSeq).hasSize(2);
        assertThat(afterSeq.get(0).at("/dynamodb/SequenceNumber").asText()).isEqualTo(sequences.get(2));

        String readShard = shardId;
        String start = shards(arn).stream().filter(s -> s.get("ShardId").asText().equals(readShard))
                .findFirst().orElseThrow().at("/SequenceNumberRange/StartingSequenceNumber").asText();
        String fromStart = iterator(arn, shardId, "AT_SEQUENCE_NUMBER", start);
        assertThat(fromStart).startsWith(arn + "|1|");
        assertThat(getRecords(fromStart).get("Records")).hasSize(4);
    }

    @Test
    void getRecordsHonoursLimitAndContinuesWhereItStopped() {
        TableInfo table = h.createTable("limit", false, "NEW_IMAGE");
        String old = null;
        for (int i = 0; i < 5; i++) {
            String item = "{'pk':{'S':'one'},'i':{'N':'" + i + "'}}";
            h.write(table, old, item);
            old = item;
        }
        String arn = h.streamArn(table);
        String shardId = recordsByShard(arn).entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .findFirst().orElseThrow().getKey();
        JsonNode first = h.call("GetRecords", StreamsHarness.MAPPER.createObjectNode()
                .put("ShardIterator", iterator(arn, shardId, "TRIM_HORIZON")).put("Limit", 2));
        assertThat(first.get("Records")).extracting(r -> r.at("/dynamodb/NewImage/i/N").asText()).containsExactly("0", "1");
        JsonNode rest = getRecords(first.get("NextShardIterator").asText());
        assertThat(rest.get("Records")).extracting(r -> r.at("/dynamodb/NewImage/i/N").asText()).containsExactly("2", "3", "4");
    }

    @Test
    void iteratorsExpireAfterFifteenMinutes() {
        TableInfo table = h.createTable("expiry", false, "KEYS_ONLY");
        String arn = h.streamArn(table);
        String iterator = iterator(arn, shards(arn).get(0).get("ShardId").asText(), "TRIM_HORIZON");
        h.clock.advance(Duration.ofMinutes(15));
        String next = getRecords(iterator).get("NextShardIterator").asText();
        h.clock.advance(Duration.ofMillis(1));
        assertThatThrownBy(() -> getRecords(iterator)).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.code()).isEqualTo("ExpiredIteratorException");
            assertThat(e.type()).isEqualTo("com.amazonaws.dynamodb.v20120810#ExpiredIteratorException");
            assertThat(e.getMessage()).startsWith("Iterator expired. The iterator was created at time Sun Nov 22 10:00:00 UTC 2026")
                    .endsWith("tolerated delay of 900000 milliseconds.");
        });
        assertThat(getRecords(next).get("Records")).isEmpty();
    }

    @Test
    void requestsAreValidatedAsAwsDoes() {
        TableInfo table = h.createTable("valid", false, "KEYS_ONLY");
        String arn = h.streamArn(table);
        String shardId = shards(arn).get(0).get("ShardId").asText();
        String iterator = iterator(arn, shardId, "LATEST");

        assertAwsError(() -> h.call("GetRecords", StreamsHarness.MAPPER.createObjectNode().put("ShardIterator", iterator)
                .put("Limit", 1001)), "ValidationException", "1 validation error detected: Value '1001' at 'limit' "
                + "failed to satisfy constraint: Member must have value less than or equal to 1000");
        assertAwsError(() -> h.call("GetRecords", StreamsHarness.MAPPER.createObjectNode().put("ShardIterator", iterator)
                .put("Limit", 0)), "ValidationException", "1 validation error detected: Value '0' at 'limit' "
                + "failed to satisfy constraint: Member must have value greater than or equal to 1");
        assertAwsError(() -> h.call("GetRecords", "{'ShardIterator':'nonsense-iterator-value'}"),
                "ValidationException", "Invalid ShardIterator");
        assertAwsError(() -> h.call("DescribeStream", "{'StreamArn':'sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf'}"),
                "ValidationException", "Invalid StreamArn");
        String missing = arn.replace("/stream/", "/stream/1") ;
        assertAwsError(() -> h.call("DescribeStream", "{'StreamArn':'" + missing + "'}"), "ResourceNotFoundException",
                "Requested resource not found: Stream: " + missing + " not found");
        assertAwsError(() -> iterator(arn, "shardId-00000000000000000000-00000000", "LATEST"),
                "ResourceNotFoundException", "Requested resource not found: Shard does not exist");
        assertAwsError(() -> iterator(arn, shardId, "LATEST", "100000000000000000001"), "ValidationException", null);
        assertAwsError(() -> iterator(arn, shardId, "AT_SEQUENCE_NUMBER"), "ValidationException", null);
        assertAwsError(() -> iterator(arn, shardId, "AT_SEQUENCE_NUMBER", "999999999999999999999"), "ValidationException", null);
        assertAwsError(() -> iterator(arn, shardId, "bulle"), "ValidationException", "1 validation error detected: "
                + "Value 'bulle' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: "
                + "[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]");
        assertAwsError(() -> h.call("GetShardIterator", "{}"), "ValidationException", "3 validation errors detected: "
                + "Value null at 'streamArn' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'shardId' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null");
        assertAwsError(() -> h.call("ListStreams", "{'Limit':0}"), "ValidationException", null);
        assertAwsError(() -> h.call("ListStreams", "{'Limit':101}"), "ValidationException", null);
        assertAwsError(() -> h.call("ListStreams", "{'TableName':'nosuchtable'}"), "ResourceNotFoundException",
                "Requested resource not found: Table: nosuchtable not found");
        assertAwsError(() -> h.call("ListStreams", "{'ExclusiveStartStreamArn':'kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas'}"),
                "ValidationException", "Invalid StreamArn");
        assertAwsError(() -> h.call("DescribeStream", "{'StreamArn':5}"), "SerializationException", null);
        assertAwsError(() -> h.call("Nope", "{}"), "UnknownOperationException", null);
    }

    // ---- pagination

    @Test
    void shardsAndStreamsArePaged() {
        TableInfo a = h.createTable("page-a", false, "KEYS_ONLY");
        TableInfo b = h.createTable("page-b", false, "KEYS_ONLY");
        h.createTable("page-c", false, "NEW_IMAGE");
        List<String> listed = new ArrayList<>();
        ObjectNode input = StreamsHarness.MAPPER.createObjectNode().put("Limit", 1);
        while (true) {
            JsonNode out = h.call("ListStreams", input);
            assertThat(out.get("Streams").size()).isLessThanOrEqualTo(1);
            out.get("Streams").forEach(s -> listed.add(s.get("TableName").asText()));
            if (!out.has("LastEvaluatedStreamArn")) break;
            input.put("ExclusiveStartStreamArn", out.get("LastEvaluatedStreamArn").asText());
        }
        assertThat(listed).containsExactly("page-a", "page-b", "page-c");
        JsonNode onlyB = h.call("ListStreams", "{'TableName':'page-b'}").get("Streams");
        assertThat(onlyB).hasSize(1);
        assertThat(onlyB.get(0).get("StreamArn").asText()).isEqualTo(h.streamArn(b));
        assertThat(onlyB.get(0).get("StreamLabel").asText()).isEqualTo(b.stream().latestLabel());

        String arn = h.streamArn(a);
        JsonNode page = h.call("DescribeStream", "{'StreamArn':'" + arn + "','Limit':3}").get("StreamDescription");
        assertThat(page.get("Shards")).hasSize(3);
        assertThat(page.get("LastEvaluatedShardId").asText()).isEqualTo(page.get("Shards").get(2).get("ShardId").asText());
        JsonNode rest = h.call("DescribeStream", "{'StreamArn':'" + arn + "','ExclusiveStartShardId':'"
                + page.get("LastEvaluatedShardId").asText() + "'}").get("StreamDescription");
        assertThat(rest.get("Shards")).hasSize(1);
        assertThat(rest.has("LastEvaluatedShardId")).isFalse();
        assertThat(h.call("DescribeStream", "{'StreamArn':'" + arn + "','ExclusiveStartShardId':'"
                + rest.get("Shards").get(0).get("ShardId").asText() + "'}").at("/StreamDescription/Shards")).isEmpty();

        assertThat(page.get("StreamStatus").asText()).isEqualTo("ENABLED");
        assertThat(page.get("StreamViewType").asText()).isEqualTo("KEYS_ONLY");
        assertThat(page.get("TableName").asText()).isEqualTo("page-a");
        assertThat(page.get("StreamLabel").asText()).isEqualTo(a.stream().latestLabel());
        assertThat(page.get("KeySchema")).isEqualTo(StreamsHarness.json("[{'AttributeName':'pk','KeyType':'HASH'}]"));
        assertThat(page.get("CreationRequestDateTime").decimalValue())
                .isEqualByComparingTo(java.math.BigDecimal.valueOf(START.toEpochMilli(), 3));
    }

    // ---- rotation, disabling, trimming

    @Test
    void rotationClosesEveryShardAndOpensAChildThatContinuesEachKey() {
        TableInfo table = h.createTable("rotate", false, "NEW_IMAGE");
        String arn = h.streamArn(table);
        h.write(table, null, "{'pk':{'S':'k'},'v':{'N':'1'}}");
        List<JsonNode> before = shards(arn);
        String parentOfK = recordsByShard(arn).entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .findFirst().orElseThrow().getKey();
        h.clock.advance(Duration.ofHours(4).minusMinutes(10));
        String openIterator = getRecords(iterator(arn, parentOfK, "LATEST")).get("NextShardIterator").asText();
        h.clock.advance(Duration.ofMinutes(10));
        long next = h.streams.maintenance().runDue(h.clock.millis());
        assertThat(next).isEqualTo(h.clock.millis() + Duration.ofHours(4).toMillis());
        h.write(table, "{'pk':{'S':'k'},'v':{'N':'1'}}", "{'pk':{'S':'k'},'v':{'N':'2'}}");

        List<JsonNode> after = shards(arn);
        assertThat(after).hasSize(8);
        List<String> parents = new ArrayList<>();
        Set<String> beforeIds = new HashSet<>();
        before.forEach(s -> beforeIds.add(s.get("ShardId").asText()));
        for (JsonNode shard : after) {
            String id = shard.get("ShardId").asText();
            if (beforeIds.contains(id)) {
                assertThat(shard.at("/SequenceNumberRange/EndingSequenceNumber").asText()).matches("\\d{21}");
            } else {
                assertThat(shard.at("/SequenceNumberRange").has("EndingSequenceNumber")).isFalse();
                parents.add(shard.get("ParentShardId").asText());
                assertThat(shard.at("/SequenceNumberRange/StartingSequenceNumber").asText())
                        .isGreaterThan(before.get(0).at("/SequenceNumberRange/StartingSequenceNumber").asText());
            }
        }
        assertThat(parents).containsExactlyInAnyOrderElementsOf(beforeIds);
        assertThat(after).extracting(s -> s.get("ShardId").asText()).isSorted();

        JsonNode parentRead = getRecords(openIterator);
        assertThat(parentRead.get("Records")).isEmpty();
        assertThat(parentRead.has("NextShardIterator")).isFalse();
        JsonNode parentFromStart = getRecords(iterator(arn, parentOfK, "TRIM_HORIZON"));
        assertThat(parentFromStart.get("Records")).extracting(r -> r.at("/dynamodb/NewImage/v/N").asText()).containsExactly("1");
        assertThat(parentFromStart.has("NextShardIterator")).isFalse();

        String child = after.stream().filter(s -> parentOfK.equals(s.path("ParentShardId").asText()))
                .findFirst().orElseThrow().get("ShardId").asText();
        JsonNode childRead = getRecords(iterator(arn, child, "TRIM_HORIZON"));
        assertThat(childRead.get("Records")).extracting(r -> r.at("/dynamodb/NewImage/v/N").asText()).containsExactly("2");
        assertThat(h.call("DescribeStream", "{'StreamArn':'" + arn + "','ShardFilter':{'Type':'CHILD_SHARDS','ShardId':'"
                + parentOfK + "'}}").at("/StreamDescription/Shards")).extracting(s -> s.get("ShardId").asText())
                .containsExactly(child);
    }

    @Test
    void disablingEndsTheStreamWhichStaysReadableAndReenablingStartsANewOne() {
        TableInfo table = h.createTable("toggle", true, "NEW_AND_OLD_IMAGES");
        String first = h.streamArn(table);
        h.write(table, null, "{'pk':{'S':'a'},'sk':{'N':'1'}}");
        table = h.disableStream(table);
        h.write(table, null, "{'pk':{'S':'b'},'sk':{'N':'1'}}");

        JsonNode description = h.call("DescribeStream", "{'StreamArn':'" + first + "'}").get("StreamDescription");
        assertThat(description.get("StreamStatus").asText()).isEqualTo("DISABLED");
        assertThat(description.get("StreamViewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
        for (JsonNode shard : description.get("Shards")) {
            assertThat(shard.at("/SequenceNumberRange/EndingSequenceNumber").asText()).matches("\\d{21}");
            JsonNode read = getRecords(iterator(first, shard.get("ShardId").asText(), "TRIM_HORIZON"));
            assertThat(read.has("NextShardIterator")).isFalse();
        }
        assertThat(allRecords(first)).extracting(r -> r.at("/dynamodb/Keys/pk/S").asText()).containsExactly("a");

        table = h.enableStream(table, "KEYS_ONLY");
        String second = h.streamArn(table);
        assertThat(second).isNotEqualTo(first);
        h.write(table, null, "{'pk':{'S':'c'},'sk':{'N':'1'}}");
        assertThat(allRecords(second)).extracting(r -> r.at("/dynamodb/Keys/pk/S").asText()).containsExactly("c");
        assertThat(allRecords(first)).hasSize(1);
        assertThat(h.call("ListStreams", "{'TableName':'toggle'}").get("Streams"))
                .extracting(s -> s.get("StreamArn").asText()).containsExactly(first, second);
        assertThat(h.call("DescribeStream", "{'StreamArn':'" + second + "'}").at("/StreamDescription/StreamStatus").asText())
                .isEqualTo("ENABLED");
    }

    @Test
    void deletingTheTableEndsItsStream() {
        TableInfo table = h.createTable("gone", false, "KEYS_ONLY");
        String arn = h.streamArn(table);
        h.write(table, null, "{'pk':{'S':'a'}}");
        h.deleteTable(table);
        assertThat(h.call("DescribeStream", "{'StreamArn':'" + arn + "'}").at("/StreamDescription/StreamStatus").asText())
                .isEqualTo("DISABLED");
        assertThat(allRecords(arn)).hasSize(1);
        assertThat(h.call("ListStreams", "{'TableName':'gone'}").get("Streams")).hasSize(1);
    }

    @Test
    void recordsAgeOutAfterTheRetentionPeriodAndEndedStreamsWithThem() {
        TableInfo table = h.createTable("old", false, "NEW_IMAGE");
        String arn = h.streamArn(table);
        h.write(table, null, "{'pk':{'S':'a'},'v':{'N':'1'}}");
        String shardId = recordsByShard(arn).entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .findFirst().orElseThrow().getKey();
        String firstSequence = allRecords(arn).get(0).at("/dynamodb/SequenceNumber").asText();
        h.clock.advance(Duration.ofHours(12));
        h.write(table, "{'pk':{'S':'a'},'v':{'N':'1'}}", "{'pk':{'S':'a'},'v':{'N':'2'}}");
        h.clock.advance(Duration.ofHours(12).plusSeconds(1));
        String staleIterator = iterator(arn, shardId, "TRIM_HORIZON");
        h.streams.maintenance().runDue(h.clock.millis());

        assertAwsError(() -> getRecords(staleIterator), "TrimmedDataAccessException",
                "The data you are trying to access has been trimmed");
        assertAwsError(() -> iterator(arn, shardId, "AT_SEQUENCE_NUMBER", firstSequence), "TrimmedDataAccessException", null);
        assertThat(allRecords(arn)).extracting(r -> r.at("/dynamodb/NewImage/v/N").asText()).containsExactly("2");
        assertThat(shards(arn)).hasSize(8);

        table = h.disableStream(table);
        h.clock.advance(Duration.ofHours(24));
        h.streams.maintenance().runDue(h.clock.millis());
        assertAwsError(() -> h.call("DescribeStream", "{'StreamArn':'" + arn + "'}"), "ResourceNotFoundException", null);
        assertThat(h.call("ListStreams", "{}").get("Streams")).isEmpty();
    }

    // ---- Java API

    @Test
    void javaApiReadsShardsInOrderAndWakesOnCommit() throws Exception {
        TableInfo table = h.createTable("lambda", false, "NEW_AND_OLD_IMAGES");
        String arn = h.streamArn(table);
        assertThat(h.streams.describe(arn)).isEqualTo(new StreamDescriptor(arn, "lambda", table.stream().latestLabel(),
                "NEW_AND_OLD_IMAGES", true));
        assertThat(h.streams.describe(arn + "x")).isNull();
        h.write(table, null, "{'pk':{'S':'early'}}");

        List<StreamShard> shards = h.streams.shards(arn);
        assertThat(shards).hasSize(4).allMatch(StreamShard::isOpen);
        StreamShard shardOfLate = null;
        for (StreamShard shard : shards) {
            String latest = h.streams.latestSequenceNumber(arn, shard.shardId());
            assertThat(h.streams.read(arn, shard.shardId(), latest, 100).records()).isEmpty();
        }
        int hash = ChangeRecords.hashOf(StreamsHarness.item("{'pk':{'S':'late'}}").get("pk"));
        for (StreamShard shard : shards) {
            if (Integer.parseInt(shard.shardId().substring(shard.shardId().length() - 1), 16) == Math.floorMod(hash, 4)) {
                shardOfLate = shard;
            }
        }
        StreamShard target = shardOfLate;
        String latest = h.streams.latestSequenceNumber(arn, target.shardId());
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> {
            try {
                return h.streams.awaitRecords(arn, target.shardId(), latest, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        assertThat(woke).isNotDone();
        long started = System.nanoTime();
        h.write(table, null, "{'pk':{'S':'late'}}");
        assertThat(woke.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);

        ShardBatch batch = h.streams.read(arn, target.shardId(), latest, 100);
        assertThat(batch.records()).hasSize(1);
        ChangeRecord record = batch.records().get(0);
        assertThat(record.event().get("eventSourceARN").asText()).isEqualTo(arn);
        assertThat(record.event().at("/dynamodb/Keys/pk/S").asText()).isEqualTo("late");
        assertThat(record.sequenceNumber()).isEqualTo(record.event().at("/dynamodb/SequenceNumber").asText());
        assertThat(record.approximateArrival()).isEqualTo(START);
        assertThat(record.partitionKeyHash()).isEqualTo(hash);
        assertThat(batch.shardEnded()).isFalse();
        assertThat(h.streams.read(arn, target.shardId(), batch.nextAfterSequenceNumber(), 100).records()).isEmpty();
        assertThat(h.streams.awaitRecords(arn, target.shardId(), batch.nextAfterSequenceNumber(), Duration.ofMillis(50)))
                .isFalse();
    }

    @Test
    void javaApiWaitersWakeWhenTheirShardCloses() throws Exception {
        TableInfo table = h.createTable("closing", false, "KEYS_ONLY");
        String arn = h.streamArn(table);
        StreamShard shard = h.streams.shards(arn).get(0);
        String latest = h.streams.latestSequenceNumber(arn, shard.shardId());
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> {
            try {
                return h.streams.awaitRecords(arn, shard.shardId(), latest, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        h.clock.advance(Duration.ofHours(4));
        h.streams.maintenance().runDue(h.clock.millis());
        assertThat(woke.get(5, TimeUnit.SECONDS)).isTrue();
        ShardBatch end = h.streams.read(arn, shard.shardId(), latest, 10);
        assertThat(end.records()).isEmpty();
        assertThat(end.shardEnded()).isTrue();
        assertThat(h.streams.shards(arn)).filteredOn(s -> shard.shardId().equals(s.parentShardId())).hasSize(1);
    }

    @Test
    void concurrentWritesAcrossRotationsAreReadExactlyOnceAndInOrder() throws Exception {
        h.streams.close();
        h = new StreamsHarness(store, new StreamsHarness.MutableClock(START),
                new StreamsSettings(4, Duration.ofHours(4), Duration.ofDays(1000), Duration.ofMinutes(15)));
        TableInfo table = h.createTable("busy", false, "NEW_IMAGE");
        String arn = h.streamArn(table);
        int writers = 6;
        int versions = 150;
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String key = "w" + w;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int v = 1; v <= versions; v++) {
                    h.write(table, v == 1 ? null : "{'pk':{'S':'" + key + "'},'v':{'N':'" + (v - 1) + "'}}",
                            "{'pk':{'S':'" + key + "'},'v':{'N':'" + v + "'}}");
                }
            }));
        }
        Map<String, List<Integer>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> consumers = new ArrayList<>();
        for (StreamShard first : h.streams.shards(arn)) {
            consumers.add(Thread.ofVirtual().start(() -> {
                String shardId = first.shardId();
                String after = null;
                boolean finalRead = false;
                while (true) {
                    boolean writersDone = done.get();
                    ShardBatch batch = h.streams.read(arn, shardId, after, 37);
                    for (ChangeRecord record : batch.records()) {
                        seen.computeIfAbsent(record.event().at("/dynamodb/Keys/pk/S").asText(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                .add(record.event().at("/dynamodb/NewImage/v/N").asInt());
                    }
                    after = batch.nextAfterSequenceNumber();
                    if (batch.shardEnded()) {
                        String parent = shardId;
                        shardId = h.streams.shards(arn).stream().filter(s -> parent.equals(s.parentShardId()))
                                .findFirst().orElseThrow().shardId();
                        after = null;
                    } else if (batch.records().isEmpty() && writersDone) {
                        if (finalRead) return;
                        finalRead = true;
                    }
                    // an idle reader gives its carrier back, or spinning readers starve the rotation on two cores
                    if (batch.records().isEmpty()) Thread.yield();
                }
            }));
        }
        int rotations = 0;
        while (rotations < 3 || (rotations < 12 && threads.stream().anyMatch(Thread::isAlive))) {
            Thread.sleep(3);
            h.clock.advance(Duration.ofHours(4));
            h.streams.maintenance().runDue(h.clock.millis());
            rotations++;
        }
        for (Thread t : threads) t.join();
        done.set(true);
        for (Thread t : consumers) t.join(Duration.ofSeconds(30));
        assertThat(seen).hasSize(writers);
        List<Integer> expected = new ArrayList<>();
        for (int v = 1; v <= versions; v++) expected.add(v);
        seen.forEach((key, list) -> assertThat(list).as(key).containsExactlyElementsOf(expected));
        assertThat(h.streams.shards(arn)).hasSize(4 * (rotations + 1));
    }

    // ---- durability

    @Test
    void streamsAndRecordsSurviveARestart(@TempDir Path dir) {
        h.streams.close();
        store.close();
        store = RocksStore.open(dir, false);
        h = new StreamsHarness(store, new StreamsHarness.MutableClock(START), StreamsSettings.defaults());
        TableInfo table = h.createTable("durable", false, "NEW_IMAGE");
        h.write(table, null, "{'pk':{'S':'a'}}");
        h.clock.advance(Duration.ofHours(4));
        h.streams.maintenance().runDue(h.clock.millis());
        h.write(table, "{'pk':{'S':'a'}}", "{'pk':{'S':'a'},'x':{'N':'1'}}");
        table = h.disableStream(table);
        String arn = h.streamArn(table);
        List<JsonNode> shardsBefore = shards(arn);
        assertThat(shardsBefore).hasSize(8);
        Instant now = h.clock.instant();
        h.streams.close();
        store.close();

        store = RocksStore.open(dir, false);
        h = new StreamsHarness(store, new StreamsHarness.MutableClock(now), StreamsSettings.defaults());
        assertThat(shards(arn)).isEqualTo(shardsBefore);
        assertThat(h.call("DescribeStream", "{'StreamArn':'" + arn + "'}").at("/StreamDescription/StreamStatus").asText())
                .isEqualTo("DISABLED");
        assertThat(allRecords(arn)).extracting(r -> r.get("eventName").asText()).containsExactly("INSERT", "MODIFY");
    }
}
