package io.eddy.it.esm;

import static io.eddy.it.esm.EsmTestSupport.await;
import static io.eddy.it.esm.EsmTestSupport.createFunction;
import static io.eddy.it.esm.EsmTestSupport.drain;
import static io.eddy.it.esm.EsmTestSupport.handler;
import static io.eddy.it.esm.EsmTestSupport.records;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SQS mappings end to end: messages reach Python functions, and their outcome decides what stays queued. */
class SqsMappingTest {

    private static Eddy eddy;
    private static LambdaClient lambda;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        lambda = EsmTestSupport.lambda(eddy);
        sqs = EsmTestSupport.sqs(eddy);
    }

    @AfterAll
    static void stop() {
        eddy.close();
    }

    private static String queue(String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    private static void map(String function, String queueUrl, String handlerBody,
                            Consumer<CreateEventSourceMappingRequest.Builder> settings) {
        createFunction(lambda, function, handler(handlerBody));
        String uuid = lambda.createEventSourceMapping(b -> {
            b.functionName(function).eventSourceArn(EsmTestSupport.queueArn(sqs, queueUrl));
            settings.accept(b);
        }).uuid();
        EsmTestSupport.awaitState(lambda, uuid, "Enabled");
    }

    private static int visibleAndInFlight(String queueUrl) {
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributesAsStrings();
        return Integer.parseInt(a.get("ApproximateNumberOfMessages")) + Integer.parseInt(a.get("ApproximateNumberOfMessagesNotVisible"));
    }

    @Test
    void successfulBatchesAreDeleted() {
        String url = queue("esm-sqs-ok", Map.of());
        map("esm-sqs-ok", url, "return None", b -> b.batchSize(5));
        for (int i = 0; i < 7; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + n)
                    .messageAttributes(Map.of("kind", software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder()
                            .dataType("String").stringValue("test").build())));
        }
        drain(eddy);
        assertThat(visibleAndInFlight(url)).isZero();
        List<JsonNode> records = records(eddy, "esm-sqs-ok");
        assertThat(records).extracting(r -> r.get("body").asText()).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5", "m6");
        assertThat(EsmTestSupport.events(eddy, "esm-sqs-ok")).allSatisfy(e -> assertThat(e.get("Records").size()).isLessThanOrEqualTo(5));
        JsonNode record = records.get(0);
        assertThat(record.get("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(record.get("eventSourceARN").asText()).isEqualTo(EsmTestSupport.queueArn(sqs, url));
        assertThat(record.get("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(record.at("/attributes/ApproximateReceiveCount").asText()).isEqualTo("1");
        assertThat(record.at("/messageAttributes/kind/stringValue").asText()).isEqualTo("test");
        assertThat(record.at("/messageAttributes/kind/dataType").asText()).isEqualTo("String");
        assertThat(record.get("md5OfBody").asText()).hasSize(32);
        assertThat(record.get("receiptHandle").asText()).isNotEmpty();
    }

    @Test
    void failedMessagesReappearAndTheQueuesRedrivePolicyMovesThemToItsDeadLetterQueue() {
        String dlq = queue("esm-sqs-dlq", Map.of());
        String dlqArn = EsmTestSupport.queueArn(sqs, dlq);
        String url = queue("esm-sqs-fail", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}"));
        map("esm-sqs-fail", url, "raise Exception('cannot handle ' + event['Records'][0]['body'])", b -> b.batchSize(1));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison"));
        await(() -> !sqs.receiveMessage(b -> b.queueUrl(dlq).visibilityTimeout(0)).messages().isEmpty(), Duration.ofSeconds(60));
        List<JsonNode> records = records(eddy, "esm-sqs-fail");
        assertThat(records).hasSize(2);
        assertThat(records.get(1).at("/attributes/ApproximateReceiveCount").asText()).isEqualTo("2");
        assertThat(sqs.receiveMessage(b -> b.queueUrl(dlq)).messages().get(0).body()).isEqualTo("poison");
    }

    @Test
    void reportedItemFailuresLeaveOnlyTheListedMessages() {
        String url = queue("esm-sqs-rbif", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5"));
        map("esm-sqs-rbif", url, "failures = [{'itemIdentifier': r['messageId']} for r in event['Records']\n"
                        + "            if r['body'] == 'bad' and r['attributes']['ApproximateReceiveCount'] == '1']\n"
                        + "return {'batchItemFailures': failures}",
                b -> b.functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES).batchSize(10)
                        .maximumBatchingWindowInSeconds(1));
        for (String body : List.of("good-1", "bad", "good-2")) sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        await(() -> records(eddy, "esm-sqs-rbif").size() == 4, Duration.ofSeconds(60));
        drain(eddy);
        assertThat(records(eddy, "esm-sqs-rbif")).extracting(r -> r.get("body").asText())
                .containsExactlyInAnyOrder("good-1", "bad", "good-2", "bad");
        assertThat(visibleAndInFlight(url)).isZero();
    }

    @Test
    void fifoQueuesDeliverEachGroupInOrder() {
        String url = queue("esm-sqs-order.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
        map("esm-sqs-fifo", url, "return None", b -> b.batchSize(3));
        for (int i = 0; i < 9; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("g" + (n % 3) + "-" + n).messageGroupId("g" + (n % 3)));
        }
        drain(eddy);
        List<JsonNode> records = records(eddy, "esm-sqs-fifo");
        assertThat(records).hasSize(9);
        for (String group : List.of("g0", "g1", "g2")) {
            assertThat(records.stream().map(r -> r.get("body").asText()).filter(b -> b.startsWith(group + "-")).toList())
                    .isSorted();
        }
    }
}
