package io.eddy.lambda.esm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class StreamMappingTest {

    private static String value(JsonNode record) {
        return record.path("dynamodb").path("NewImage").path("value").path("S").asText();
    }

    private static String key(JsonNode record) {
        return record.path("dynamodb").path("Keys").path("id").path("S").asText();
    }

    private static List<String> values(List<JsonNode> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(value(r)));
        return out;
    }

    @Test
    void batchSizeLimitsEachInvocationAndKeepsOrder() {
        try (Harness h = new Harness()) {
            for (int i = 0; i < 25; i++) h.stream.put("k" + i, "v" + i);
            h.createStreamMapping("\"BatchSize\":10");
            Harness.await(() -> h.records().size() == 25, Duration.ofSeconds(5));
            h.drain();
            assertThat(h.function.events()).allSatisfy(e -> assertThat(e.get("Records").size()).isBetween(1, 10));
            assertThat(h.function.events()).hasSizeGreaterThanOrEqualTo(3);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 25; i++) expected.add("v" + i);
            assertThat(values(h.records())).isEqualTo(expected);
            assertThat(h.records().get(0).get("eventSourceARN").asText()).isEqualTo(FakeStream.ARN);
            assertThat(h.iteratorAges).isNotEmpty();
        }
    }

    @Test
    void batchingWindowGathersRapidWritesIntoOneInvocation() throws Exception {
        try (Harness h = new Harness()) {
            h.createStreamMapping("\"MaximumBatchingWindowInSeconds\":1");
            for (int i = 0; i < 5; i++) {
                h.stream.put("k" + i, "v" + i);
                Thread.sleep(50);
            }
            Harness.await(() -> h.records().size() == 5, Duration.ofSeconds(5));
            assertThat(h.function.events()).hasSize(1);
        }
    }

    @Test
    void windowEndsEarlyWhenBatchIsFull() {
        try (Harness h = new Harness()) {
            h.createStreamMapping("\"MaximumBatchingWindowInSeconds\":30,\"BatchSize\":3");
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) h.stream.put("k" + i, "v" + i);
            Harness.await(() -> h.records().size() == 3, Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void filterCriteriaConsumesRecordsThatDoNotMatch() {
        try (Harness h = new Harness()) {
            String uuid = h.createStreamMapping("\"FilterCriteria\":{\"Filters\":[{\"Pattern\":"
                    + "\"{\\\"dynamodb\\\":{\\\"NewImage\\\":{\\\"value\\\":{\\\"S\\\":[{\\\"prefix\\\":\\\"keep\\\"}]}}}}\"}]}");
            h.stream.put("a", "drop-1");
            h.stream.put("b", "keep-1");
            h.stream.put("c", "drop-2");
            h.stream.put("d", "keep-2");
            h.drain();
            assertThat(values(h.records())).containsExactly("keep-1", "keep-2");
            assertThat(h.mappings.get(Harness.ACCOUNT, Harness.REGION, uuid).get("FilterCriteria").get("Filters")).hasSize(1);
        }
    }

    @Test
    void retriesThenSkipsAndReportsTheBatchToTheOnFailureDestination() throws Exception {
        try (Harness h = new Harness()) {
            h.function.handle(e -> {
                if (value(e.get("Records").get(0)).equals("bad")) throw new RuntimeException("boom");
                return "null";
            });
            h.createStreamMapping("\"MaximumRetryAttempts\":2,\"DestinationConfig\":{\"OnFailure\":{\"Destination\":"
                    + "\"arn:aws:sqs:us-east-1:000000000000:failures\"}}");
            String bad = h.stream.put("k", "bad");
            Harness.await(() -> h.function.events().size() == 3 && !h.failureRecords.isEmpty(), Duration.ofSeconds(5));
            h.stream.put("k", "good");
            h.drain();
            assertThat(values(h.records())).containsExactly("bad", "bad", "bad", "good");
            JsonNode failure = MappingStore.JSON.readTree(h.failureRecords.get(0));
            assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
            assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
            assertThat(failure.at("/requestContext/functionArn").asText()).isEqualTo(FakeFunction.ARN);
            assertThat(failure.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
            assertThat(failure.at("/version").asText()).isEqualTo("1.0");
            assertThat(failure.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo(bad);
            assertThat(failure.at("/DDBStreamBatchInfo/endSequenceNumber").asText()).isEqualTo(bad);
            assertThat(failure.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
            assertThat(failure.at("/DDBStreamBatchInfo/streamArn").asText()).isEqualTo(FakeStream.ARN);
            assertThat(failure.at("/DDBStreamBatchInfo/shardId").asText()).startsWith("shardId-");
        }
    }

    @Test
    void bisectIsolatesThePoisonRecordAndTheRestSucceeds() throws Exception {
        try (Harness h = new Harness()) {
            Set<String> succeeded = ConcurrentHashMap.newKeySet();
            h.function.handle(e -> {
                List<String> values = new ArrayList<>();
                e.get("Records").forEach(r -> values.add(value(r)));
                if (values.contains("poison")) throw new RuntimeException("poison");
                succeeded.addAll(values);
                return "null";
            });
            List<String> sequences = new ArrayList<>();
            for (int i = 0; i < 8; i++) sequences.add(h.stream.put("k" + i, i == 5 ? "poison" : "v" + i));
            h.createStreamMapping("\"MaximumRetryAttempts\":0,\"BisectBatchOnFunctionError\":true,"
                    + "\"DestinationConfig\":{\"OnFailure\":{\"Destination\":\"arn:aws:sns:us-east-1:000000000000:failures\"}}");
            h.drain();
            assertThat(succeeded).containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v6", "v7");
            assertThat(h.failureRecords).hasSize(1);
            JsonNode failure = MappingStore.JSON.readTree(h.failureRecords.get(0));
            assertThat(failure.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
            assertThat(failure.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo(sequences.get(5));
        }
    }

    @Test
    void reportedItemFailuresCheckpointAtTheLowestFailedSequenceNumber() {
        try (Harness h = new Harness()) {
            List<String> failOnInvocation = List.of("v2", "v4");
            int[] invocation = {0};
            h.function.handle(e -> {
                int n = invocation[0]++;
                if (n >= failOnInvocation.size()) return "{\"batchItemFailures\":[]}";
                for (JsonNode r : e.get("Records")) {
                    if (value(r).equals(failOnInvocation.get(n))) {
                        return "{\"batchItemFailures\":[{\"itemIdentifier\":\"" + r.at("/dynamodb/SequenceNumber").asText() + "\"}]}";
                    }
                }
                return "{}";
            });
            for (int i = 0; i < 6; i++) h.stream.put("k" + i, "v" + i);
            h.createStreamMapping("\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"]");
            h.drain();
            List<List<String>> batches = new ArrayList<>();
            h.function.events().forEach(e -> batches.add(values(List.copyOf(toList(e.get("Records"))))));
            assertThat(batches.get(0)).containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
            assertThat(batches.get(1)).containsExactly("v2", "v3", "v4", "v5");
            assertThat(batches.get(2)).containsExactly("v4", "v5");
            assertThat(batches).hasSize(3);
        }
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Test
    void parallelizationFactorRunsBatchesConcurrentlyAndKeepsEachKeysOrder() {
        try (Harness h = new Harness()) {
            h.function.handle(e -> {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 30));
                } catch (InterruptedException ie) {
                    throw new RuntimeException(ie);
                }
                return "null";
            });
            for (int round = 0; round < 20; round++) {
                for (int k = 0; k < 8; k++) h.stream.put("key" + k, Integer.toString(round));
            }
            h.createStreamMapping("\"ParallelizationFactor\":4,\"BatchSize\":5");
            h.drain();
            Map<String, List<Integer>> perKey = new HashMap<>();
            for (JsonNode r : h.records()) perKey.computeIfAbsent(key(r), k -> new ArrayList<>()).add(Integer.parseInt(value(r)));
            assertThat(perKey).hasSize(8);
            perKey.values().forEach(rounds -> assertThat(rounds).isSorted().hasSize(20));
            assertThat(h.function.maxConcurrent()).isGreaterThan(1);
        }
    }

    @Test
    void tumblingWindowCarriesStateAndEndsWithAFinalInvocation() {
        try (Harness h = new Harness()) {
            h.function.handle(e -> {
                int count = e.path("state").path("count").asInt(0) + e.get("Records").size();
                return "{\"state\":{\"count\":" + count + "}}";
            });
            h.createStreamMapping("\"TumblingWindowInSeconds\":1");
            h.stream.put("a", "1");
            h.stream.put("b", "2");
            h.stream.put("c", "3");
            // The three writes may straddle a window boundary on a busy machine; each window ends
            // with its own final invocation, and together they must have counted every record.
            Harness.await(() -> finalInvocations(h).stream().mapToInt(e -> e.at("/state/count").asInt()).sum() == 3,
                    Duration.ofSeconds(5));
            JsonNode windowEnd = finalInvocations(h).get(0);
            assertThat(finalInvocations(h)).allSatisfy(e -> assertThat(e.get("Records")).isEmpty());
            assertThat(windowEnd.get("shardId").asText()).startsWith("shardId-");
            assertThat(windowEnd.get("eventSourceARN").asText()).isEqualTo(FakeStream.ARN);
            assertThat(windowEnd.get("isWindowTerminatedEarly").asBoolean()).isFalse();
            JsonNode first = h.function.events().get(0);
            assertThat(first.get("state")).isEmpty();
            assertThat(first.at("/window/start").asText()).endsWith("Z");
        }
    }

    private static List<JsonNode> finalInvocations(Harness h) {
        return h.function.events().stream().filter(e -> e.path("isFinalInvokeForWindow").asBoolean()).toList();
    }

    @Test
    void recordsOlderThanMaximumRecordAgeAreSkipped() throws Exception {
        try (Harness h = new Harness()) {
            h.function.handle(e -> {
                throw new RuntimeException("always");
            });
            h.createStreamMapping("\"MaximumRecordAgeInSeconds\":60,\"DestinationConfig\":{\"OnFailure\":{\"Destination\":"
                    + "\"arn:aws:sqs:us-east-1:000000000000:failures\"}}");
            h.stream.put("k", "old");
            Harness.await(() -> h.function.events().size() >= 2, Duration.ofSeconds(5));
            h.clock.advance(Duration.ofSeconds(61));
            Harness.await(() -> !h.failureRecords.isEmpty(), Duration.ofSeconds(5));
            JsonNode failure = MappingStore.JSON.readTree(h.failureRecords.get(0));
            assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
            h.drain();
        }
    }

    @Test
    void latestStartsAfterWhatTheStreamHeldAtCreation() {
        try (Harness h = new Harness()) {
            h.stream.put("k", "before");
            String uuid = h.create("{\"FunctionName\":\"handler\",\"EventSourceArn\":\"" + FakeStream.ARN + "\","
                    + "\"StartingPosition\":\"LATEST\"}").get("UUID").asText();
            h.stream.put("k", "after");
            h.awaitState(uuid, "Enabled");
            h.drain();
            assertThat(values(h.records())).containsExactly("after");
        }
    }

    @Test
    void parentShardIsFinishedBeforeItsChild() {
        try (Harness h = new Harness()) {
            for (int i = 0; i < 30; i++) h.stream.put("k", "p" + i);
            h.stream.rotate("shardId-00000000000000000002-00000002");
            for (int i = 0; i < 30; i++) h.stream.put("k", "c" + i);
            h.createStreamMapping("\"BatchSize\":7");
            h.drain();
            List<String> values = values(h.records());
            assertThat(values).hasSize(60);
            assertThat(values.subList(0, 30)).allMatch(v -> v.startsWith("p"));
        }
    }

    @Test
    void restartResumesAtTheCheckpointWithoutSkipping() {
        try (Harness h = new Harness()) {
            for (int i = 0; i < 5; i++) h.stream.put("k", "a" + i);
            h.createStreamMapping("");
            h.drain();
            h.mappings.close();
            for (int i = 0; i < 5; i++) h.stream.put("k", "b" + i);
            h.mappings = h.open();
            h.drain();
            assertThat(values(h.records())).containsExactly("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3", "b4");
        }
    }
}
