package io.eddy.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionEventInvokeConfig;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/** Event invocations: the durable queue, retries, event invoke configuration, destinations, DLQ, metrics. */
class LambdaAsyncTest {

    static final Duration RETRY_DELAY = Duration.ofMillis(300);
    static final ObjectMapper json = new ObjectMapper();
    static Eddy eddy;
    static LambdaClient lambda;
    static SqsClient sqs;
    static CloudWatchLogsClient logs;
    static CloudWatchClient cloudWatch;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory().withLambdaAsyncRetryDelay(RETRY_DELAY));
        lambda = LambdaTestSupport.client(eddy);
        sqs = LambdaTestSupport.sqsClient(eddy);
        logs = LambdaTestSupport.logsClient(eddy);
        cloudWatch = LambdaTestSupport.cloudWatchClient(eddy);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        sqs.close();
        logs.close();
        cloudWatch.close();
        eddy.close();
    }

    private static InvokeResponse invokeEvent(String name, String payload) {
        InvokeResponse response = lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload)));
        assertThat(response.statusCode()).isEqualTo(202);
        return response;
    }

    private static String queue(String name) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static List<Message> receive(String queueName, int expected) {
        String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 5 && all.size() < expected; i++) {
            all.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages());
        }
        return all;
    }

    private static double sum(String metric, String function) {
        return statistic(metric, function, "Sum");
    }

    private static double statistic(String metric, String function, String statistic) {
        Instant now = Instant.now();
        List<Datapoint> points = cloudWatch.getMetricStatistics(b -> b.namespace("AWS/Lambda").metricName(metric)
                .dimensions(Dimension.builder().name("FunctionName").value(function).build())
                .startTime(now.minus(30, ChronoUnit.MINUTES)).endTime(now.plus(30, ChronoUnit.MINUTES)).period(3600)
                .statisticsWithStrings(statistic)).datapoints();
        if (points.isEmpty()) return 0;
        return statistic.equals("Sum") ? points.get(0).sum() : points.get(0).sampleCount();
    }

    @Test
    void eventInvokeConfigIsPutUpdatedListedAndDeletedPerQualifier() {
        LambdaTestSupport.createPython(lambda, "cfg-fn", "def handler(e, c):\n    return 1\n");
        LambdaTestSupport.awaitActive(lambda, "cfg-fn");
        assertThatThrownBy(() -> lambda.getFunctionEventInvokeConfig(b -> b.functionName("cfg-fn")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("The function arn:aws:lambda:us-east-1:000000000000:function:cfg-fn:$LATEST "
                        + "doesn't have an EventInvokeConfig");
        var put = lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg-fn").maximumRetryAttempts(0)
                .maximumEventAgeInSeconds(3600));
        assertThat(put.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:cfg-fn:$LATEST");
        assertThat(put.maximumRetryAttempts()).isZero();
        assertThat(put.maximumEventAgeInSeconds()).isEqualTo(3600);
        assertThat(put.lastModified()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));

        var updated = lambda.updateFunctionEventInvokeConfig(b -> b.functionName("cfg-fn")
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:dest"))));
        assertThat(updated.maximumRetryAttempts()).isZero();
        assertThat(updated.maximumEventAgeInSeconds()).isEqualTo(3600);
        assertThat(updated.destinationConfig().onFailure().destination()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:dest");
        assertThat(updated.destinationConfig().onSuccess().destination()).isNull();

        var replaced = lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg-fn").maximumRetryAttempts(1));
        assertThat(replaced.maximumEventAgeInSeconds()).isNull();
        assertThat(replaced.destinationConfig().onFailure().destination()).isNull();

        lambda.publishVersion(b -> b.functionName("cfg-fn"));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg-fn").qualifier("1").maximumRetryAttempts(2));
        assertThat(lambda.getFunctionEventInvokeConfig(b -> b.functionName("cfg-fn:1")).maximumRetryAttempts()).isEqualTo(2);
        assertThat(lambda.listFunctionEventInvokeConfigs(b -> b.functionName("cfg-fn")).functionEventInvokeConfigs())
                .extracting(FunctionEventInvokeConfig::functionArn)
                .containsExactlyInAnyOrder("arn:aws:lambda:us-east-1:000000000000:function:cfg-fn:$LATEST",
                        "arn:aws:lambda:us-east-1:000000000000:function:cfg-fn:1");
        var firstPage = lambda.listFunctionEventInvokeConfigs(b -> b.functionName("cfg-fn").maxItems(1));
        assertThat(firstPage.functionEventInvokeConfigs()).hasSize(1);
        assertThat(lambda.listFunctionEventInvokeConfigs(b -> b.functionName("cfg-fn").marker(firstPage.nextMarker()))
                .functionEventInvokeConfigs()).hasSize(1);

        lambda.deleteFunctionEventInvokeConfig(b -> b.functionName("cfg-fn").qualifier("1"));
        assertThat(lambda.listFunctionEventInvokeConfigs(b -> b.functionName("cfg-fn")).functionEventInvokeConfigs()).hasSize(1);
        assertThatThrownBy(() -> lambda.deleteFunctionEventInvokeConfig(b -> b.functionName("cfg-fn").qualifier("1")))
                .isInstanceOf(ResourceNotFoundException.class);

        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg-fn").maximumRetryAttempts(3)))
                .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"))
                .hasMessageContaining("Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 2");
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg-fn").maximumEventAgeInSeconds(59)))
                .hasMessageContaining("Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 60");
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg-fn")
                .destinationConfig(d -> d.onSuccess(s -> s.destination("arn:aws:s3:::bucket")))))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg-fn").qualifier("9")
                .maximumRetryAttempts(1))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void failingEventIsRetriedThenRecordedToTheFailureDestinationAndDeadLetterQueue() throws Exception {
        String failures = queue("async-failures");
        String deadLetters = queue("async-dead-letters");
        LambdaTestSupport.createPython(lambda, "always-fails", """
                def handler(event, context):
                    print("attempt", context.aws_request_id)
                    raise RuntimeError("cannot process " + event["order"])
                """);
        LambdaTestSupport.awaitActive(lambda, "always-fails");
        lambda.updateFunctionConfiguration(b -> b.functionName("always-fails").deadLetterConfig(d -> d.targetArn(deadLetters)));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("always-fails"));
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName("always-fails")).deadLetterConfig().targetArn())
                .isEqualTo(deadLetters);
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("always-fails").maximumRetryAttempts(1)
                .destinationConfig(d -> d.onFailure(f -> f.destination(failures))));

        String requestId = invokeEvent("always-fails", "{\"order\":\"o-1\"}").responseMetadata().requestId();
        LambdaTestSupport.drain(eddy);

        List<Message> records = receive("async-failures", 1);
        assertThat(records).hasSize(1);
        JsonNode record = json.readTree(records.get(0).body());
        assertThat(record.path("version").asText()).isEqualTo("1.0");
        assertThat(record.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(record.path("requestContext").path("requestId").asText()).isEqualTo(requestId);
        assertThat(record.path("requestContext").path("functionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:always-fails:$LATEST");
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(record.path("requestPayload")).isEqualTo(json.readTree("{\"order\":\"o-1\"}"));
        assertThat(record.path("responseContext").path("statusCode").asInt()).isEqualTo(200);
        assertThat(record.path("responseContext").path("executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(record.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.path("responsePayload").path("errorMessage").asText()).isEqualTo("cannot process o-1");
        assertThat(record.path("responsePayload").path("errorType").asText()).isEqualTo("RuntimeError");

        List<Message> dead = receive("async-dead-letters", 1);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).body()).isEqualTo("{\"order\":\"o-1\"}");
        Map<String, MessageAttributeValue> attributes = dead.get(0).messageAttributes();
        assertThat(attributes.get("RequestID").stringValue()).isEqualTo(requestId);
        assertThat(attributes.get("ErrorCode").dataType()).isEqualTo("Number");
        assertThat(attributes.get("ErrorCode").stringValue()).isEqualTo("200");
        assertThat(attributes.get("ErrorMessage").stringValue()).isEqualTo("cannot process o-1");

        List<FilteredLogEvent> attempts = LambdaTestSupport.logEvents(logs, "/aws/lambda/always-fails",
                "\"attempt " + requestId + "\"");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1).timestamp() - attempts.get(0).timestamp()).isGreaterThanOrEqualTo(RETRY_DELAY.toMillis());
        assertThat(sum("AsyncEventsReceived", "always-fails")).isEqualTo(1);
        assertThat(sum("AsyncEventsDropped", "always-fails")).isEqualTo(1);
        assertThat(sum("Invocations", "always-fails")).isEqualTo(2);
        assertThat(sum("Errors", "always-fails")).isEqualTo(2);
    }

    @Test
    void successIsRecordedToAFunctionDestinationWhichRunsAsynchronously() throws Exception {
        LambdaTestSupport.createPython(lambda, "async-recorder", """
                import json
                def handler(event, context):
                    print("recorded", json.dumps(event, sort_keys=True))
                """);
        LambdaTestSupport.createPython(lambda, "async-ok", "def handler(event, context):\n    return {'doubled': event['n'] * 2}\n");
        LambdaTestSupport.awaitActive(lambda, "async-recorder");
        LambdaTestSupport.awaitActive(lambda, "async-ok");
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("async-ok").destinationConfig(d -> d.onSuccess(
                s -> s.destination("arn:aws:lambda:us-east-1:000000000000:function:async-recorder"))));
        String requestId = invokeEvent("async-ok", "{\"n\":21}").responseMetadata().requestId();
        LambdaTestSupport.drain(eddy);
        List<FilteredLogEvent> recorded = LambdaTestSupport.logEvents(logs, "/aws/lambda/async-recorder", "recorded");
        assertThat(recorded).hasSize(1);
        JsonNode record = json.readTree(recorded.get(0).message().substring("recorded ".length()));
        assertThat(record.path("requestContext").path("requestId").asText()).isEqualTo(requestId);
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("Success");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(record.path("requestPayload").path("n").asInt()).isEqualTo(21);
        assertThat(record.path("responseContext").has("functionError")).isFalse();
        assertThat(record.path("responsePayload").path("doubled").asInt()).isEqualTo(42);
    }

    @Test
    void throttledEventsWaitForConcurrencyInsteadOfBeingDropped() throws Exception {
        LambdaTestSupport.createPython(lambda, "one-at-a-time", """
                import time
                def handler(event, context):
                    time.sleep(0.2)
                    print("done", event["i"])
                """);
        LambdaTestSupport.awaitActive(lambda, "one-at-a-time");
        lambda.putFunctionConcurrency(b -> b.functionName("one-at-a-time").reservedConcurrentExecutions(1));
        for (int i = 0; i < 5; i++) invokeEvent("one-at-a-time", "{\"i\":" + i + "}");
        LambdaTestSupport.drain(eddy);
        assertThat(LambdaTestSupport.logEvents(logs, "/aws/lambda/one-at-a-time", "done"))
                .extracting(FilteredLogEvent::message)
                .containsExactlyInAnyOrder("done 0\n", "done 1\n", "done 2\n", "done 3\n", "done 4\n");
        assertThat(sum("Throttles", "one-at-a-time")).isPositive();
        assertThat(sum("AsyncEventsDropped", "one-at-a-time")).isZero();
        assertThat(sum("Invocations", "one-at-a-time")).isEqualTo(5);
    }

    @Test
    void reservedConcurrencyZeroSendsEventsStraightToFailureHandlingAndFailedDeliveriesAreCounted() throws Exception {
        String failures = queue("zero-failures");
        LambdaTestSupport.createPython(lambda, "switched-off", "def handler(e, c):\n    print('ran')\n");
        LambdaTestSupport.awaitActive(lambda, "switched-off");
        lambda.updateFunctionConfiguration(b -> b.functionName("switched-off")
                .deadLetterConfig(d -> d.targetArn("arn:aws:sqs:us-east-1:000000000000:no-such-queue")));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("switched-off"));
        lambda.putFunctionConcurrency(b -> b.functionName("switched-off").reservedConcurrentExecutions(0));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("switched-off").destinationConfig(d -> d
                .onFailure(f -> f.destination(failures))
                .onSuccess(s -> s.destination("arn:aws:sqs:us-east-1:000000000000:no-such-queue"))));
        invokeEvent("switched-off", "{\"x\":1}");
        LambdaTestSupport.drain(eddy);
        List<Message> records = receive("zero-failures", 1);
        assertThat(records).hasSize(1);
        JsonNode record = json.readTree(records.get(0).body());
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isZero();
        assertThat(record.has("responsePayload")).isFalse();
        assertThat(sum("Invocations", "switched-off")).isZero();
        assertThat(sum("DeadLetterErrors", "switched-off")).isEqualTo(1);
        assertThat(sum("AsyncEventsDropped", "switched-off")).isEqualTo(1);

        lambda.deleteFunctionConcurrency(b -> b.functionName("switched-off"));
        invokeEvent("switched-off", "{\"x\":2}");
        LambdaTestSupport.drain(eddy);
        assertThat(sum("DestinationDeliveryFailures", "switched-off")).isEqualTo(1);
        assertThat(statistic("AsyncEventAge", "switched-off", "SampleCount")).isEqualTo(1);
        assertThat(sum("Invocations", "switched-off")).isEqualTo(1);
    }
}
