package io.eddy.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** An SNS topic with a Lambda subscription invokes the function once per message with AWS's SNS event. */
class SnsToLambdaTest {

    static Eddy eddy;
    static LambdaClient lambda;
    static SnsClient sns;
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        lambda = LambdaTestSupport.client(eddy);
        logs = LambdaTestSupport.logsClient(eddy);
        sns = SnsClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        eddy.close();
    }

    @Test
    void publishedMessagesInvokeTheSubscribedFunctionWithTheSnsEvent() {
        String functionArn = LambdaTestSupport.createPython(lambda, "sns-handler", """
                def handler(event, context):
                    record = event["Records"][0]
                    sns = record["Sns"]
                    print("source=%s type=%s subject=%s message=%s attr=%s records=%d" % (
                        record["EventSource"], sns["Type"], sns["Subject"], sns["Message"],
                        sns["MessageAttributes"]["kind"]["Value"], len(event["Records"])))
                """).functionArn();
        LambdaTestSupport.awaitActive(lambda, "sns-handler");
        String topic = sns.createTopic(b -> b.name("orders")).topicArn();
        sns.subscribe(b -> b.topicArn(topic).protocol("lambda").endpoint(functionArn));

        sns.publish(b -> b.topicArn(topic).subject("Order shipped").message("order-42")
                .messageAttributes(java.util.Map.of("kind", MessageAttributeValue.builder()
                        .dataType("String").stringValue("shipping").build())));
        LambdaTestSupport.drain(eddy);

        List<FilteredLogEvent> events = LambdaTestSupport.logEvents(logs, "/aws/lambda/sns-handler", "\"source=aws:sns\"");
        assertThat(events).extracting(e -> e.message().trim()).containsExactly(
                "source=aws:sns type=Notification subject=Order shipped message=order-42 attr=shipping records=1");
    }
}
