package io.eddy.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.sns.delivery.Delivery;
import io.eddy.sns.delivery.DeliveryException;
import io.eddy.sns.delivery.QueueMessage;
import io.eddy.store.RocksStore;
import io.eddy.store.Store;

/** The pluggable delivery for protocols SNS cannot reach by itself, as the Lambda service will use it. */
class SnsServiceDeliveryTest {

    private static final RequestContext CONTEXT = new RequestContext("123456789012", "us-east-1", "req", "localhost:4566");
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:handler";
    private static final String DLQ = "arn:aws:sqs:us-east-1:123456789012:dlq";

    record Sent(String queueArn, QueueMessage message) {
    }

    Store store;
    SnsService sns;
    final BlockingQueue<Sent> queues = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        store = RocksStore.inMemory();
        sns = new SnsService(store, (arn, message) -> queues.add(new Sent(arn, message)));
    }

    @AfterEach
    void stop() {
        sns.close();
        store.close();
    }

    private ObjectNode call(String action, String json) throws Exception {
        return sns.invoke(action, Json.MAPPER.readTree(json), CONTEXT);
    }

    private String topicWithLambda(String redrive) throws Exception {
        String topic = call("CreateTopic", "{\"Name\":\"events\"}").path("TopicArn").asText();
        String attributes = redrive == null ? "{}" : "{\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"" + redrive + "\\\"}\"}";
        call("Subscribe", "{\"TopicArn\":\"" + topic + "\",\"Protocol\":\"lambda\",\"Endpoint\":\"" + FUNCTION
                + "\",\"Attributes\":" + attributes + "}");
        return topic;
    }

    @Test
    void aRegisteredLambdaDeliveryGetsTheLambdaEvent() throws Exception {
        BlockingQueue<Delivery> invoked = new LinkedBlockingQueue<>();
        sns.registerDelivery("lambda", invoked::add);
        String topic = topicWithLambda(null);
        String messageId = call("Publish", "{\"TopicArn\":\"" + topic + "\",\"Message\":\"{\\\"default\\\":\\\"d\\\",\\\"lambda\\\":\\\"for lambda\\\"}\","
                + "\"MessageStructure\":\"json\",\"Subject\":\"s\",\"MessageAttributes\":{\"k\":{\"DataType\":\"String\",\"StringValue\":\"v\"}}}")
                .path("MessageId").asText();

        Delivery delivery = invoked.poll(10, TimeUnit.SECONDS);
        assertThat(delivery).isNotNull();
        assertThat(delivery.endpoint()).isEqualTo(FUNCTION);
        assertThat(delivery.message()).isEqualTo("for lambda");
        JsonNode event = Json.MAPPER.readTree(delivery.lambdaEvent());
        JsonNode record = event.path("Records").get(0);
        assertThat(record.path("EventSource").asText()).isEqualTo("aws:sns");
        assertThat(record.path("EventVersion").asText()).isEqualTo("1.0");
        assertThat(record.path("EventSubscriptionArn").asText()).isEqualTo(delivery.subscriptionArn());
        JsonNode sns = record.path("Sns");
        assertThat(sns.path("Type").asText()).isEqualTo("Notification");
        assertThat(sns.path("MessageId").asText()).isEqualTo(messageId);
        assertThat(sns.path("TopicArn").asText()).isEqualTo(topic);
        assertThat(sns.path("Subject").asText()).isEqualTo("s");
        assertThat(sns.path("Message").asText()).isEqualTo("for lambda");
        assertThat(sns.path("SignatureVersion").asText()).isEqualTo("1");
        assertThat(sns.path("Signature").asText()).isNotBlank();
        assertThat(sns.path("SigningCertUrl").asText()).startsWith("http://localhost:4566/_eddy/sns/SimpleNotificationService-");
        assertThat(sns.path("UnsubscribeUrl").asText()).isEqualTo("http://localhost:4566/?Action=Unsubscribe&SubscriptionArn="
                + delivery.subscriptionArn());
        assertThat(sns.path("MessageAttributes").path("k").toString()).isEqualTo("{\"Type\":\"String\",\"Value\":\"v\"}");
    }

    @Test
    void retryableFailuresAreRetriedAtOnceUnderTheManagedPolicy() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        BlockingQueue<String> succeeded = new LinkedBlockingQueue<>();
        sns.registerDelivery("lambda", delivery -> {
            if (attempts.incrementAndGet() < 3) throw DeliveryException.retryable("throttled");
            succeeded.add(delivery.messageId());
        });
        String topic = topicWithLambda(DLQ);
        String messageId = call("Publish", "{\"TopicArn\":\"" + topic + "\",\"Message\":\"m\"}").path("MessageId").asText();
        assertThat(succeeded.poll(10, TimeUnit.SECONDS)).isEqualTo(messageId);
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(queues).isEmpty();
    }

    @Test
    void permanentFailuresGoStraightToTheDeadLetterQueue() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        sns.registerDelivery("lambda", delivery -> {
            attempts.incrementAndGet();
            throw DeliveryException.permanent("Function not found: " + delivery.endpoint());
        });
        String topic = topicWithLambda(DLQ);
        String messageId = call("Publish", "{\"TopicArn\":\"" + topic + "\",\"Message\":\"lost\"}").path("MessageId").asText();
        Sent dead = queues.poll(10, TimeUnit.SECONDS);
        assertThat(dead).isNotNull();
        assertThat(dead.queueArn()).isEqualTo(DLQ);
        JsonNode envelope = Json.MAPPER.readTree(dead.message().body());
        assertThat(envelope.path("MessageId").asText()).isEqualTo(messageId);
        assertThat(envelope.path("Message").asText()).isEqualTo("lost");
        assertThat(attempts.get()).isEqualTo(1);
    }

    @Test
    void withoutARegisteredDeliveryLambdaMessagesWaitForRetries() throws Exception {
        String topic = topicWithLambda(DLQ);
        call("Publish", "{\"TopicArn\":\"" + topic + "\",\"Message\":\"m\"}");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean waiting = false;
        while (!waiting && System.nanoTime() < deadline) {
            List<String> busy = sns.activities().stream().filter(a -> !a.isIdle()).map(a -> a.describe()).toList();
            try (var pending = store.scanPrefix(SnsKeys.PENDING)) {
                waiting = busy.isEmpty() && pending.next();
            }
            Thread.sleep(50);
        }
        assertThat(waiting).as("the delivery is pending, waiting for its next retry").isTrue();
        assertThat(queues).isEmpty();
    }
}
