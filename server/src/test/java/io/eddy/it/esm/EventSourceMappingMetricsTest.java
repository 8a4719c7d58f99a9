package io.eddy.it.esm;

import static io.eddy.it.esm.EsmTestSupport.awaitState;
import static io.eddy.it.esm.EsmTestSupport.createFunction;
import static io.eddy.it.esm.EsmTestSupport.createStreamTable;
import static io.eddy.it.esm.EsmTestSupport.drain;
import static io.eddy.it.esm.EsmTestSupport.handler;
import static io.eddy.it.esm.EsmTestSupport.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingMetric;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * MetricsConfig's EventCount group: per-mapping AWS/Lambda metrics (dimension EventSourceMappingUUID)
 * read back through GetMetricStatistics, and nothing per mapping without it.
 */
class EventSourceMappingMetricsTest {

    private static Eddy eddy;
    private static LambdaClient lambda;
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static CloudWatchClient cloudWatch;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        lambda = EsmTestSupport.lambda(eddy);
        dynamo = EsmTestSupport.dynamo(eddy);
        sqs = EsmTestSupport.sqs(eddy);
        cloudWatch = EsmTestSupport.cloudWatch(eddy);
    }

    @AfterAll
    static void stop() {
        eddy.close();
    }

    /** The Sum of a metric over the last and next half hour, or null when it has no data. */
    private static Double sum(String metric, String dimension, String value) {
        Instant now = Instant.now();
        List<Datapoint> points = cloudWatch.getMetricStatistics(b -> b.namespace("AWS/Lambda").metricName(metric)
                .dimensions(d -> d.name(dimension).value(value))
                .startTime(now.minus(30, ChronoUnit.MINUTES)).endTime(now.plus(30, ChronoUnit.MINUTES)).period(60)
                .statisticsWithStrings("Sum")).datapoints();
        return points.isEmpty() ? null : points.stream().mapToDouble(Datapoint::sum).sum();
    }

    private static double iteratorAgeSamples(List<Dimension> dimensions) {
        Instant now = Instant.now();
        return cloudWatch.getMetricStatistics(b -> b.namespace("AWS/Lambda").metricName("IteratorAge").dimensions(dimensions)
                .startTime(now.minus(30, ChronoUnit.MINUTES)).endTime(now.plus(30, ChronoUnit.MINUTES)).period(60)
                .statisticsWithStrings("SampleCount")).datapoints().stream().mapToDouble(Datapoint::sampleCount).sum();
    }

    private static Double mappingSum(String metric, String uuid) {
        return sum(metric, "EventSourceMappingUUID", uuid);
    }

    private static final String FAIL_ON_BAD = "if any(r['dynamodb']['NewImage']['value']['S'] == 'v-bad' for r in event['Records']):\n"
            + "    raise Exception('bad record')\nreturn None";

    @Test
    void streamMappingsCountPolledFilteredInvokedFailedDeliveredAndDroppedEvents() {
        String streamArn = createStreamTable(dynamo, "metrics-table");
        String queueUrl = sqs.createQueue(b -> b.queueName("metrics-failures")).queueUrl();
        String queueArn = EsmTestSupport.queueArn(sqs, queueUrl);
        for (String fn : List.of("metrics-delivered", "metrics-dropped", "metrics-unconfigured")) {
            createFunction(lambda, fn, handler(FAIL_ON_BAD));
        }
        String delivered = lambda.createEventSourceMapping(b -> b.functionName("metrics-delivered").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(1).maximumRetryAttempts(0)
                .filterCriteria(f -> f.filters(p -> p.pattern("{\"dynamodb\":{\"NewImage\":{\"value\":{\"S\":[{\"prefix\":\"v-\"}]}}}}")))
                .destinationConfig(d -> d.onFailure(o -> o.destination(queueArn)))
                .metricsConfig(m -> m.metrics(EventSourceMappingMetric.EVENT_COUNT))).uuid();
        String dropped = lambda.createEventSourceMapping(b -> b.functionName("metrics-dropped").eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(1).maximumRetryAttempts(0)
                .metricsConfig(m -> m.metrics(EventSourceMappingMetric.EVENT_COUNT))).uuid();
        // a topic that does not exist: delivery fails
        String unconfigured = lambda.createEventSourceMapping(b -> b.functionName("metrics-unconfigured")
                .eventSourceArn(streamArn).startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(1)
                .maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(o -> o.destination("arn:aws:sns:us-east-1:000000000000:metrics-missing")))).uuid();
        for (String uuid : List.of(delivered, dropped, unconfigured)) awaitState(lambda, uuid, "Enabled");

        put(dynamo, "metrics-table", "a", "v-ok");
        put(dynamo, "metrics-table", "b", "skip-me");
        put(dynamo, "metrics-table", "c", "v-bad");
        drain(eddy);

        assertThat(mappingSum("PolledEventCount", delivered)).isEqualTo(3.0);
        assertThat(mappingSum("FilteredOutEventCount", delivered)).isEqualTo(1.0);
        assertThat(mappingSum("InvokedEventCount", delivered)).isEqualTo(2.0);
        assertThat(mappingSum("FailedInvokeEventCount", delivered)).isEqualTo(1.0);
        assertThat(mappingSum("OnFailureDestinationDeliveredEventCount", delivered)).isEqualTo(1.0);
        assertThat(mappingSum("DroppedEventCount", delivered)).isNull();
        assertThat(mappingSum("DeletedEventCount", delivered)).isNull();
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages()).hasSize(1);

        assertThat(mappingSum("PolledEventCount", dropped)).isEqualTo(3.0);
        assertThat(mappingSum("FilteredOutEventCount", dropped)).isNull();
        assertThat(mappingSum("InvokedEventCount", dropped)).isEqualTo(3.0);
        assertThat(mappingSum("FailedInvokeEventCount", dropped)).isEqualTo(1.0);
        assertThat(mappingSum("DroppedEventCount", dropped)).isEqualTo(1.0);
        assertThat(mappingSum("OnFailureDestinationDeliveredEventCount", dropped)).isNull();
        // IteratorAge: one value per batch sent to the function, under its name, in milliseconds
        Instant now = Instant.now();
        List<Datapoint> ages = cloudWatch.getMetricStatistics(b -> b.namespace("AWS/Lambda").metricName("IteratorAge")
                .dimensions(d -> d.name("FunctionName").value("metrics-dropped"))
                .startTime(now.minus(30, ChronoUnit.MINUTES)).endTime(now.plus(30, ChronoUnit.MINUTES)).period(60)
                .statisticsWithStrings("SampleCount", "Minimum")).datapoints();
        assertThat(ages).isNotEmpty().allSatisfy(p -> {
            assertThat(p.unitAsString()).isEqualTo("Milliseconds");
            assertThat(p.minimum()).isGreaterThanOrEqualTo(0.0);
        });
        assertThat(ages.stream().mapToDouble(Datapoint::sampleCount).sum()).isEqualTo(3.0);
        // ... and across all functions, like Lambda's other function metrics
        double perFunction = 0;
        for (String fn : List.of("metrics-delivered", "metrics-dropped", "metrics-unconfigured")) {
            perFunction += iteratorAgeSamples(List.of(Dimension.builder().name("FunctionName").value(fn).build()));
        }
        assertThat(perFunction).isEqualTo(8.0);
        assertThat(iteratorAgeSamples(List.of())).isEqualTo(perFunction);

        assertThat(mappingSum("PolledEventCount", unconfigured)).isNull();
        assertThat(mappingSum("InvokedEventCount", unconfigured)).isNull();
        assertThat(sum("DestinationDeliveryFailures", "FunctionName", "metrics-unconfigured")).isEqualTo(1.0);
        assertThat(sum("DestinationDeliveryFailures", "FunctionName", "metrics-delivered")).isNull();
    }

    @Test
    void queueMappingsCountPolledFilteredInvokedFailedAndDeletedMessages() {
        String dlqArn = EsmTestSupport.queueArn(sqs, sqs.createQueue(b -> b.queueName("metrics-work-dlq")).queueUrl());
        String queueUrl = sqs.createQueue(b -> b.queueName("metrics-work").attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "2",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}")))
                .queueUrl();
        createFunction(lambda, "metrics-queue", handler("if any('\"bad\"' in r['body'] for r in event['Records']):\n"
                + "    raise Exception('bad message')\nreturn None"), 1);
        String uuid = lambda.createEventSourceMapping(b -> b.functionName("metrics-queue")
                .eventSourceArn(EsmTestSupport.queueArn(sqs, queueUrl)).batchSize(1)
                .filterCriteria(f -> f.filters(p -> p.pattern("{\"body\":{\"kind\":[\"ok\",\"bad\"]}}")))
                .metricsConfig(m -> m.metrics(EventSourceMappingMetric.EVENT_COUNT))).uuid();
        awaitState(lambda, uuid, "Enabled");

        for (String kind : List.of("ok", "skip", "bad")) {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"kind\":\"" + kind + "\"}"));
        }
        drain(eddy);

        assertThat(mappingSum("PolledEventCount", uuid)).isEqualTo(3.0);
        assertThat(mappingSum("FilteredOutEventCount", uuid)).isEqualTo(1.0);
        assertThat(mappingSum("InvokedEventCount", uuid)).isEqualTo(2.0);
        assertThat(mappingSum("FailedInvokeEventCount", uuid)).isEqualTo(1.0);
        assertThat(mappingSum("DeletedEventCount", uuid)).isEqualTo(2.0);
        assertThat(mappingSum("DroppedEventCount", uuid)).isNull();
        assertThat(mappingSum("OnFailureDestinationDeliveredEventCount", uuid)).isNull();
    }
}
