package io.eddy.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * MaximumEventAgeInSeconds (at least 60 s): an event still waiting for a retry when it grows older
 * than that goes to the on-failure destination as EventAgeExceeded. Eddy runs on a clock the test
 * moves a minute ahead instead of waiting for it.
 */
class LambdaAsyncEventAgeTest {

    /** Long enough that the retry is still waiting when the test moves the clock. */
    static final Duration RETRY_DELAY = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();
    static final MovableClock clock = new MovableClock();
    static Eddy eddy;
    static LambdaClient lambda;
    static SqsClient sqs;
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory().withLambdaAsyncRetryDelay(RETRY_DELAY), clock);
        lambda = LambdaTestSupport.client(eddy);
        sqs = LambdaTestSupport.sqsClient(eddy);
        logs = LambdaTestSupport.logsClient(eddy);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        sqs.close();
        logs.close();
        eddy.close();
    }

    @Test
    void anEventOlderThanItsMaximumAgeGoesToTheOnFailureDestinationInsteadOfItsRetry() throws Exception {
        String queueUrl = sqs.createQueue(b -> b.queueName("age-failures")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        LambdaTestSupport.createPython(lambda, "age-fn", "def handler(event, context):\n    raise ValueError('always fails')\n");
        LambdaTestSupport.awaitActive(lambda, "age-fn");
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("age-fn").maximumRetryAttempts(2).maximumEventAgeInSeconds(60)
                .destinationConfig(d -> d.onFailure(f -> f.destination(queueArn))));

        String requestId = lambda.invoke(b -> b.functionName("age-fn").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"order\":7}"))).responseMetadata().requestId();
        awaitReports(1);
        clock.advance(Duration.ofSeconds(61));
        LambdaTestSupport.drain(eddy);

        assertThat(LambdaTestSupport.logEvents(logs, "/aws/lambda/age-fn", "REPORT")).hasSize(1);
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
        assertThat(messages).hasSize(1);
        JsonNode record = JSON.readTree(messages.get(0).body());
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("EventAgeExceeded");
        assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(record.at("/requestContext/requestId").asText()).isEqualTo(requestId);
        assertThat(record.at("/requestContext/functionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:age-fn:$LATEST");
        assertThat(record.get("requestPayload")).isEqualTo(JSON.readTree("{\"order\":7}"));
        assertThat(record.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.at("/responsePayload/errorMessage").asText()).isEqualTo("always fails");
        assertThat(Instant.parse(record.get("timestamp").asText())).isAfter(Instant.now().plusSeconds(55));
    }

    /** Waits until the function has finished {@code count} invocations (their REPORT lines are logged). */
    private static void awaitReports(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (LambdaTestSupport.logEvents(logs, "/aws/lambda/age-fn", "REPORT").size() >= count) return;
            } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException notYet) {
                // the log group appears with the first invocation's output
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no REPORT line within 30 s");
            Thread.sleep(20);
        }
    }

    /** The system clock, plus an offset the test adds to. */
    static final class MovableClock extends Clock {
        private final AtomicLong offsetMillis = new AtomicLong();

        void advance(Duration by) {
            offsetMillis.addAndGet(by.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offsetMillis.get();
        }
    }
}
