package io.eddy.it.esm;

import static io.eddy.it.esm.EsmTestSupport.await;
import static io.eddy.it.esm.EsmTestSupport.createFunction;
import static io.eddy.it.esm.EsmTestSupport.createStreamTable;
import static io.eddy.it.esm.EsmTestSupport.done;
import static io.eddy.it.esm.EsmTestSupport.drain;
import static io.eddy.it.esm.EsmTestSupport.events;
import static io.eddy.it.esm.EsmTestSupport.handler;
import static io.eddy.it.esm.EsmTestSupport.newValue;
import static io.eddy.it.esm.EsmTestSupport.put;
import static io.eddy.it.esm.EsmTestSupport.records;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** DynamoDB Streams mappings end to end: table writes reach Python functions as each setting says. */
class DynamoDbStreamMappingTest {

    private static Eddy eddy;
    private static LambdaClient lambda;
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static SnsClient sns;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        lambda = EsmTestSupport.lambda(eddy);
        dynamo = EsmTestSupport.dynamo(eddy);
        sqs = EsmTestSupport.sqs(eddy);
        sns = EsmTestSupport.sns(eddy);
    }

    @AfterAll
    static void stop() {
        eddy.close();
    }

    /** A table, a function and an enabled TRIM_HORIZON mapping between them; returns the stream ARN. */
    private static String mapped(String name, String handlerBody, Consumer<CreateEventSourceMappingRequest.Builder> settings) {
        String streamArn = createStreamTable(dynamo, name);
        createFunction(lambda, name, handler(handlerBody));
        String uuid = lambda.createEventSourceMapping(b -> {
            b.functionName(name).eventSourceArn(streamArn).startingPosition(EventSourcePosition.TRIM_HORIZON);
            settings.accept(b);
        }).uuid();
        EsmTestSupport.awaitState(lambda, uuid, "Enabled");
        return streamArn;
    }

    private static List<String> values(List<JsonNode> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(newValue(r)));
        return out;
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static final String VALUES = "values = [r['dynamodb']['NewImage']['value']['S'] for r in event['Records']]\n";

    @Test
    void batchSizeBoundsEachInvocationAndRecordsKeepTheirOrder() {
        String streamArn = mapped("esm-batch", "return None", b -> b.batchSize(4));
        for (int i = 0; i < 10; i++) put(dynamo, "esm-batch", "item", "v" + i);
        drain(eddy);
        List<JsonNode> events = events(eddy, "esm-batch");
        assertThat(events).allSatisfy(e -> assertThat(e.get("Records").size()).isBetween(1, 4));
        List<JsonNode> records = records(eddy, "esm-batch");
        assertThat(values(records)).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        JsonNode first = records.get(0);
        assertThat(first.get("eventSourceARN").asText()).isEqualTo(streamArn);
        assertThat(first.get("eventName").asText()).isEqualTo("INSERT");
        assertThat(first.get("eventSource").asText()).isEqualTo("aws:dynamodb");
        assertThat(records.get(1).get("eventName").asText()).isEqualTo("MODIFY");
        assertThat(records.get(1).at("/dynamodb/OldImage/value/S").asText()).isEqualTo("v0");
    }

    @Test
    void batchingWindowGathersRapidWritesIntoFewerInvocations() {
        mapped("esm-window", "return None", b -> b.maximumBatchingWindowInSeconds(2));
        for (int i = 0; i < 5; i++) put(dynamo, "esm-window", "item-" + i, "v" + i);
        await(() -> records(eddy, "esm-window").size() == 5, Duration.ofSeconds(60));
        assertThat(events(eddy, "esm-window")).hasSizeLessThan(5);
    }

    @Test
    void filterCriteriaPassOnlyMatchingRecordsAndConsumeTheRest() {
        mapped("esm-filter", "return None", b -> b.filterCriteria(f -> f.filters(p -> p.pattern(
                "{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"value\":{\"S\":[{\"prefix\":\"keep\"}]}}}}"))));
        put(dynamo, "esm-filter", "a", "drop-1");
        put(dynamo, "esm-filter", "b", "keep-1");
        put(dynamo, "esm-filter", "b", "keep-modified");
        put(dynamo, "esm-filter", "c", "keep-2");
        drain(eddy);
        assertThat(values(records(eddy, "esm-filter"))).containsExactly("keep-1", "keep-2");
    }

    @Test
    void failingRecordsAreRetriedThenSkippedToTheOnFailureQueue() throws Exception {
        String queueUrl = sqs.createQueue(b -> b.queueName("esm-retry-failures")).queueUrl();
        String queueArn = EsmTestSupport.queueArn(sqs, queueUrl);
        String streamArn = mapped("esm-retry", VALUES + "if 'bad' in values:\n    raise Exception('bad record')\n"
                        + "print('DONE ' + json.dumps(values))\nreturn None",
                b -> b.maximumRetryAttempts(1).destinationConfig(d -> d.onFailure(o -> o.destination(queueArn))));
        put(dynamo, "esm-retry", "item", "bad");
        await(() -> events(eddy, "esm-retry").size() == 2, Duration.ofSeconds(60));
        put(dynamo, "esm-retry", "item", "good");
        drain(eddy);
        assertThat(values(records(eddy, "esm-retry"))).containsExactly("bad", "bad", "good");
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
        assertThat(messages).hasSize(1);
        JsonNode failure = EsmTestSupport.JSON.readTree(messages.get(0).body());
        assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(failure.at("/requestContext/functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:esm-retry");
        assertThat(failure.at("/responseContext/statusCode").asInt()).isEqualTo(200);
        assertThat(failure.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(failure.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
        assertThat(failure.at("/DDBStreamBatchInfo/streamArn").asText()).isEqualTo(streamArn);
        String badSequence = records(eddy, "esm-retry").get(0).at("/dynamodb/SequenceNumber").asText();
        assertThat(failure.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo(badSequence);
        assertThat(failure.at("/DDBStreamBatchInfo/endSequenceNumber").asText()).isEqualTo(badSequence);
    }

    @Test
    void failureRecordsPublishedToAnSnsTopicReachItsSubscribers() throws Exception {
        String topicArn = sns.createTopic(b -> b.name("esm-sns-failures")).topicArn();
        String queueUrl = sqs.createQueue(b -> b.queueName("esm-sns-subscriber")).queueUrl();
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(EsmTestSupport.queueArn(sqs, queueUrl)));
        String streamArn = mapped("esm-sns", VALUES + "if 'bad' in values:\n    raise Exception('bad record')\nreturn None",
                b -> b.maximumRetryAttempts(0).destinationConfig(d -> d.onFailure(o -> o.destination(topicArn))));
        assertThat(lambda.listEventSourceMappings(b -> b.functionName("esm-sns")).eventSourceMappings().get(0)
                .destinationConfig().onFailure().destination()).isEqualTo(topicArn);
        put(dynamo, "esm-sns", "item", "bad");
        drain(eddy);
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
        assertThat(messages).hasSize(1);
        JsonNode envelope = EsmTestSupport.JSON.readTree(messages.get(0).body());
        assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
        assertThat(envelope.get("TopicArn").asText()).isEqualTo(topicArn);
        JsonNode failure = EsmTestSupport.JSON.readTree(envelope.get("Message").asText());
        assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(failure.at("/requestContext/functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:esm-sns");
        assertThat(failure.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(failure.get("version").asText()).isEqualTo("1.0");
        assertThat(failure.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        String badSequence = records(eddy, "esm-sns").get(0).at("/dynamodb/SequenceNumber").asText();
        assertThat(failure.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo(badSequence);
        assertThat(failure.at("/DDBStreamBatchInfo/endSequenceNumber").asText()).isEqualTo(badSequence);
        assertThat(failure.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
        assertThat(failure.at("/DDBStreamBatchInfo/streamArn").asText()).isEqualTo(streamArn);
        assertThat(failure.at("/DDBStreamBatchInfo/shardId").asText()).startsWith("shardId-");
    }

    @Test
    void bisectIsolatesThePoisonRecordWhileTheRestSucceed() throws Exception {
        String queueUrl = sqs.createQueue(b -> b.queueName("esm-bisect-failures")).queueUrl();
        String queueArn = EsmTestSupport.queueArn(sqs, queueUrl);
        String streamArn = createStreamTable(dynamo, "esm-bisect");
        for (int i = 0; i < 8; i++) put(dynamo, "esm-bisect", "item", i == 5 ? "poison" : "v" + i);
        createFunction(lambda, "esm-bisect", handler(VALUES + "if 'poison' in values:\n    raise Exception('poison')\n"
                + "print('DONE ' + json.dumps(values))\nreturn None"));
        lambda.createEventSourceMapping(b -> b.functionName("esm-bisect").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).maximumRetryAttempts(0).bisectBatchOnFunctionError(true)
                .destinationConfig(d -> d.onFailure(o -> o.destination(queueArn))));
        await(() -> !sqs.receiveMessage(b -> b.queueUrl(queueUrl).visibilityTimeout(0)).messages().isEmpty(),
                Duration.ofSeconds(60));
        drain(eddy);
        List<String> succeeded = new ArrayList<>();
        done(eddy, "esm-bisect").forEach(list -> list.forEach(v -> succeeded.add(v.asText())));
        assertThat(succeeded).containsExactly("v0", "v1", "v2", "v3", "v4", "v6", "v7");
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
        assertThat(messages).hasSize(1);
        JsonNode failure = EsmTestSupport.JSON.readTree(messages.get(0).body());
        assertThat(failure.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
        String poisonSequence = records(eddy, "esm-bisect").stream().filter(r -> newValue(r).equals("poison"))
                .findFirst().orElseThrow().at("/dynamodb/SequenceNumber").asText();
        assertThat(failure.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo(poisonSequence);
    }

    @Test
    void reportedBatchItemFailuresResumeAtTheLowestFailedRecord() {
        mapped("esm-rbif", "import os\n" + VALUES
                        + "marker = '/tmp/esm-rbif-' + context.aws_request_id[:0] + 'failed-once'\n"
                        + "for r in event['Records']:\n"
                        + "    if r['dynamodb']['NewImage']['value']['S'] == 'v3' and not os.path.exists(marker):\n"
                        + "        open(marker, 'w').close()\n"
                        + "        return {'batchItemFailures': [{'itemIdentifier': r['dynamodb']['SequenceNumber']}]}\n"
                        + "return {'batchItemFailures': []}",
                b -> b.functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES).maximumBatchingWindowInSeconds(1));
        new java.io.File("/tmp/esm-rbif-failed-once").delete();
        for (int i = 0; i < 6; i++) put(dynamo, "esm-rbif", "item", "v" + i);
        drain(eddy);
        // the batch that reported v3 is retried from v3 on; records before it are not sent again
        List<String> delivered = values(records(eddy, "esm-rbif"));
        JsonNode failedEvent = events(eddy, "esm-rbif").stream()
                .filter(e -> values(toList(e.get("Records"))).contains("v3")).findFirst().orElseThrow();
        List<String> failedBatch = values(toList(failedEvent.get("Records")));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String value = "v" + i;
            expected.add(value);
            if (value.equals(failedBatch.get(failedBatch.size() - 1))) expected.addAll(failedBatch.subList(failedBatch.indexOf("v3"), failedBatch.size()));
        }
        assertThat(delivered).containsExactlyElementsOf(expected);
    }

    @Test
    void parallelizationFactorKeepsEachItemsOrder() {
        mapped("esm-parallel", "import time\ntime.sleep(0.02)\nreturn None", b -> b.parallelizationFactor(3).batchSize(3));
        for (int round = 0; round < 8; round++) {
            for (int k = 0; k < 6; k++) put(dynamo, "esm-parallel", "key-" + k, Integer.toString(round));
        }
        drain(eddy);
        Map<String, List<Integer>> perKey = new HashMap<>();
        for (JsonNode r : records(eddy, "esm-parallel")) {
            perKey.computeIfAbsent(r.at("/dynamodb/Keys/id/S").asText(), k -> new ArrayList<>()).add(Integer.parseInt(newValue(r)));
        }
        assertThat(perKey).hasSize(6);
        perKey.values().forEach(rounds -> assertThat(rounds).containsExactly(0, 1, 2, 3, 4, 5, 6, 7));
    }

    @Test
    void tumblingWindowCarriesStateToTheFinalInvocation() throws Exception {
        mapped("esm-tumbling", "count = event['state'].get('count', 0) + len(event['Records'])\n"
                + "return {'state': {'count': count}}", b -> b.tumblingWindowInSeconds(2));
        // windows are aligned to multiples of 2 s since the epoch: start the writes early in one, so that all
        // three land in it however slow the machine is
        long intoWindow = System.currentTimeMillis() % 2000;
        if (intoWindow > 300) Thread.sleep(2050 - intoWindow);
        put(dynamo, "esm-tumbling", "a", "1");
        put(dynamo, "esm-tumbling", "a", "2");
        put(dynamo, "esm-tumbling", "a", "3");
        await(() -> events(eddy, "esm-tumbling").stream().anyMatch(e -> e.path("isFinalInvokeForWindow").asBoolean()),
                Duration.ofSeconds(60));
        List<JsonNode> events = events(eddy, "esm-tumbling");
        JsonNode finalEvent = events.stream().filter(e -> e.path("isFinalInvokeForWindow").asBoolean()).findFirst().orElseThrow();
        int recordsBeforeFinal = events.subList(0, events.indexOf(finalEvent)).stream().mapToInt(e -> e.get("Records").size()).sum();
        assertThat(finalEvent.at("/state/count").asInt()).isEqualTo(recordsBeforeFinal).isEqualTo(3);
        assertThat(finalEvent.get("window").get("start").asText()).endsWith("Z");
        assertThat(finalEvent.get("shardId").asText()).startsWith("shardId-");
        assertThat(events.get(0).get("state")).isEmpty();
    }
}
