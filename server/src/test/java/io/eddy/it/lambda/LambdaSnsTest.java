package io.eddy.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/** SNS notifications invoke Lambda functions; Lambda sends invocation records and dead letters to SNS topics. */
class LambdaSnsTest {

    static final ObjectMapper json = new ObjectMapper();
    static Eddy eddy;
    static LambdaClient lambda;
    static SnsClient sns;
    static SqsClient sqs;
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory().withLambdaAsyncRetryDelay(Duration.ofMillis(100)));
        lambda = LambdaTestSupport.client(eddy);
        sns = SnsClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        sqs = LambdaTestSupport.sqsClient(eddy);
        logs = LambdaTestSupport.logsClient(eddy);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        sns.close();
        sqs.close();
        logs.close();
        eddy.close();
    }

    @Test
    void notificationsInvokeSubscribedFunctionsWithLambdasSnsEvent() throws Exception {
        String topic = sns.createTopic(b -> b.name("orders")).topicArn();
        String function = LambdaTestSupport.createPython(lambda, "sns-reader", """
                import json
                def handler(event, context):
                    print("EVENT " + json.dumps(event))
                """).functionArn();
        LambdaTestSupport.awaitActive(lambda, "sns-reader");
        String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("lambda").endpoint(function)).subscriptionArn();
        String messageId = sns.publish(b -> b.topicArn(topic).subject("New order").message("order 42")
                .messageAttributes(Map.of("priority", MessageAttributeValue.builder().dataType("String").stringValue("high")
                        .build()))).messageId();
        LambdaTestSupport.drain(eddy);

        List<FilteredLogEvent> events = LambdaTestSupport.logEvents(logs, "/aws/lambda/sns-reader", "EVENT");
        assertThat(events).hasSize(1);
        JsonNode records = json.readTree(events.get(0).message().substring("EVENT ".length())).path("Records");
        assertThat(records).hasSize(1);
        JsonNode record = records.get(0);
        assertThat(record.path("EventSource").asText()).isEqualTo("aws:sns");
        assertThat(record.path("EventVersion").asText()).isEqualTo("1.0");
        assertThat(record.path("EventSubscriptionArn").asText()).isEqualTo(subscription);
        JsonNode message = record.path("Sns");
        assertThat(message.path("Type").asText()).isEqualTo("Notification");
        assertThat(message.path("MessageId").asText()).isEqualTo(messageId);
        assertThat(message.path("TopicArn").asText()).isEqualTo(topic);
        assertThat(message.path("Subject").asText()).isEqualTo("New order");
        assertThat(message.path("Message").asText()).isEqualTo("order 42");
        assertThat(message.path("MessageAttributes").path("priority").path("Type").asText()).isEqualTo("String");
        assertThat(message.path("MessageAttributes").path("priority").path("Value").asText()).isEqualTo("high");
        assertThat(message.path("SigningCertUrl").asText()).startsWith("http");
        assertThat(message.path("UnsubscribeUrl").asText()).contains("Action=Unsubscribe");
        assertThat(message.path("Timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    private String queueSubscribedTo(String topicArn, String queueName) {
        String url = sqs.createQueue(b -> b.queueName(queueName)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(arn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        return url;
    }

    private List<Message> receive(String url) {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 5 && all.isEmpty(); i++) {
            all.addAll(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1).messageAttributeNames("All")).messages());
        }
        return all;
    }

    @Test
    void failureRecordsAndDeadLettersArePublishedToTopics() throws Exception {
        String failures = sns.createTopic(b -> b.name("lambda-failures")).topicArn();
        String deadLetters = sns.createTopic(b -> b.name("lambda-dead-letters")).topicArn();
        String failureQueue = queueSubscribedTo(failures, "failure-records");
        String deadLetterQueue = queueSubscribedTo(deadLetters, "dead-letter-events");
        LambdaTestSupport.createPython(lambda, "sns-fails", "def handler(e, c):\n    raise ValueError('no ' + e['x'])\n");
        LambdaTestSupport.awaitActive(lambda, "sns-fails");
        lambda.updateFunctionConfiguration(b -> b.functionName("sns-fails").deadLetterConfig(d -> d.targetArn(deadLetters)));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("sns-fails"));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("sns-fails").maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination(failures))));
        String requestId = lambda.invoke(b -> b.functionName("sns-fails").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"x\":\"way\"}"))).responseMetadata().requestId();
        LambdaTestSupport.drain(eddy);

        List<Message> records = receive(failureQueue);
        assertThat(records).hasSize(1);
        JsonNode record = json.readTree(records.get(0).body());
        assertThat(record.path("requestContext").path("requestId").asText()).isEqualTo(requestId);
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(record.path("responsePayload").path("errorMessage").asText()).isEqualTo("no way");

        List<Message> dead = receive(deadLetterQueue);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).body()).isEqualTo("{\"x\":\"way\"}");
        assertThat(dead.get(0).messageAttributes().get("RequestID").stringValue()).isEqualTo(requestId);
        assertThat(dead.get(0).messageAttributes().get("ErrorCode").stringValue()).isEqualTo("200");
        assertThat(dead.get(0).messageAttributes().get("ErrorMessage").stringValue()).isEqualTo("no way");
    }
}
