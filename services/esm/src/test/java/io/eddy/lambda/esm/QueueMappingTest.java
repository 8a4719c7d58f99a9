package io.eddy.lambda.esm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.store.RocksStore;

class QueueMappingTest {

    private static String createQueueMapping(Harness h, String extra) {
        String uuid = h.create("{\"FunctionName\":\"handler\",\"EventSourceArn\":\"" + h.queue.arn + "\""
                + (extra.isEmpty() ? "" : "," + extra) + "}").get("UUID").asText();
        h.awaitState(uuid, "Enabled");
        return uuid;
    }

    @Test
    void successDeletesTheBatch() {
        try (Harness h = new Harness()) {
            createQueueMapping(h, "");
            for (int i = 0; i < 5; i++) h.queue.send("m" + i, null);
            Harness.await(() -> h.queue.size() == 0, Duration.ofSeconds(5));
            List<String> bodies = new ArrayList<>();
            h.records().forEach(r -> bodies.add(r.get("body").asText()));
            assertThat(bodies).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4");
            JsonNode record = h.records().get(0);
            assertThat(record.get("eventSource").asText()).isEqualTo("aws:sqs");
            assertThat(record.get("eventSourceARN").asText()).isEqualTo(h.queue.arn);
            assertThat(record.get("awsRegion").asText()).isEqualTo("us-east-1");
            assertThat(record.at("/attributes/ApproximateReceiveCount").asText()).isEqualTo("1");
        }
    }

    @Test
    void failureLeavesMessagesToReappearUntilTheRedrivePolicyMovesThem() {
        try (Harness h = new Harness(RocksStore.inMemory(), new FakeQueue("work", 1, 2))) {
            h.function.handle(e -> {
                throw new RuntimeException("fail");
            });
            createQueueMapping(h, "");
            h.queue.send("poison", null);
            Harness.await(() -> h.queue.deadLetters.contains("poison"), Duration.ofSeconds(10));
            assertThat(h.records()).hasSize(2);
            assertThat(h.records().get(1).at("/attributes/ApproximateReceiveCount").asText()).isEqualTo("2");
        }
    }

    @Test
    void reportedItemFailuresKeepOnlyTheListedMessages() {
        try (Harness h = new Harness()) {
            h.function.handle(e -> {
                for (JsonNode r : e.get("Records")) {
                    if (r.get("body").asText().equals("bad") && r.at("/attributes/ApproximateReceiveCount").asInt() == 1) {
                        return "{\"batchItemFailures\":[{\"itemIdentifier\":\"" + r.get("messageId").asText() + "\"}]}";
                    }
                }
                return "{}";
            });
            createQueueMapping(h, "\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"],\"BatchSize\":10");
            h.queue.send("good-1", null);
            h.queue.send("bad", null);
            h.queue.send("good-2", null);
            Harness.await(() -> h.queue.size() == 0, Duration.ofSeconds(10));
            long badDeliveries = h.records().stream().filter(r -> r.get("body").asText().equals("bad")).count();
            long goodDeliveries = h.records().stream().filter(r -> r.get("body").asText().startsWith("good")).count();
            assertThat(badDeliveries).isEqualTo(2);
            assertThat(goodDeliveries).isEqualTo(2);
        }
    }

    @Test
    void filterCriteriaDeletesMessagesThatDoNotMatch() {
        try (Harness h = new Harness()) {
            createQueueMapping(h, "\"FilterCriteria\":{\"Filters\":[{\"Pattern\":\"{\\\"body\\\":{\\\"kind\\\":[\\\"order\\\"]}}\"}]}");
            h.queue.send("{\"kind\":\"order\",\"id\":1}", null);
            h.queue.send("{\"kind\":\"refund\",\"id\":2}", null);
            h.queue.send("plain text", null);
            Harness.await(() -> h.queue.size() == 0, Duration.ofSeconds(5));
            assertThat(h.records()).hasSize(1);
            assertThat(h.records().get(0).get("body").asText()).contains("order");
        }
    }

    @Test
    void maximumConcurrencyCapsConcurrentInvocations() {
        try (Harness h = new Harness()) {
            h.function.handle(e -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    throw new RuntimeException(ie);
                }
                return "null";
            });
            createQueueMapping(h, "\"ScalingConfig\":{\"MaximumConcurrency\":2},\"BatchSize\":1");
            for (int i = 0; i < 20; i++) h.queue.send("m" + i, null);
            Harness.await(() -> h.queue.size() == 0, Duration.ofSeconds(10));
            assertThat(h.function.maxConcurrent()).isEqualTo(2);
        }
    }

    @Test
    void fifoPartialFailureKeepsTheRestOfTheFailedGroup() {
        try (Harness h = new Harness(RocksStore.inMemory(), new FakeQueue("work.fifo", 1, 0))) {
            List<String> firstBatch = new ArrayList<>();
            h.function.handle(e -> {
                if (!firstBatch.isEmpty()) return "{}";
                e.get("Records").forEach(r -> firstBatch.add(r.get("body").asText()));
                for (JsonNode r : e.get("Records")) {
                    if (r.get("body").asText().equals("a2")) {
                        return "{\"batchItemFailures\":[{\"itemIdentifier\":\"" + r.get("messageId").asText() + "\"}]}";
                    }
                }
                return "{}";
            });
            h.queue.send("a1", "a");
            h.queue.send("a2", "a");
            h.queue.send("a3", "a");
            createQueueMapping(h, "\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"]");
            Harness.await(() -> h.queue.size() == 0, Duration.ofSeconds(10));
            assertThat(firstBatch).containsExactly("a1", "a2", "a3");
            assertThat(h.queue.deleted).containsExactly("a1", "a2", "a3");
        }
    }
}
