package io.eddy.it.sns;

import static io.eddy.it.sns.SnsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Messages SNS cannot deliver go to the subscription's dead-letter queue, in the form the endpoint would have got. */
class SnsDeadLetterTest {

    static Eddy eddy;
    static SnsClient sns;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        sns = SnsTestSupport.sns(eddy.endpoint());
        sqs = SnsTestSupport.sqs(eddy.endpoint());
    }

    @AfterAll
    static void stop() {
        sns.close();
        sqs.close();
        eddy.close();
    }

    @Test
    void aDeletedQueueSendsLaterMessagesToTheDeadLetterQueue() throws Exception {
        for (boolean raw : new boolean[] {true, false}) {
            String topic = sns.createTopic(b -> b.name(unique("redrive"))).topicArn();
            SnsTestSupport.Queue target = SnsTestSupport.queue(sqs, unique("target"));
            SnsTestSupport.Queue dlq = SnsTestSupport.queue(sqs, unique("dlq"));
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(target.arn()).attributes(Map.of(
                    "RawMessageDelivery", Boolean.toString(raw),
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlq.arn() + "\"}")));
            sns.publish(b -> b.topicArn(topic).message("delivered"));
            assertThat(SnsTestSupport.receive(sqs, target.url(), 1, Duration.ofSeconds(10))).hasSize(1);

            sqs.deleteQueue(b -> b.queueUrl(target.url()));
            String messageId = sns.publish(b -> b.topicArn(topic).message("test_dlq_after_sqs_endpoint_deleted")
                    .messageAttributes(Map.of("attr1", MessageAttributeValue.builder().dataType("Number").stringValue("111").build())))
                    .messageId();
            List<Message> dead = SnsTestSupport.receive(sqs, dlq.url(), 1, Duration.ofSeconds(10));
            assertThat(dead).hasSize(1);
            Message letter = dead.get(0);
            if (raw) {
                assertThat(letter.body()).isEqualTo("test_dlq_after_sqs_endpoint_deleted");
                assertThat(letter.messageAttributes().get("attr1").stringValue()).isEqualTo("111");
                assertThat(letter.messageAttributes().get("attr1").dataType()).isEqualTo("Number");
            } else {
                JsonNode envelope = SnsTestSupport.JSON.readTree(letter.body());
                assertThat(envelope.path("MessageId").asText()).isEqualTo(messageId);
                assertThat(envelope.path("Message").asText()).isEqualTo("test_dlq_after_sqs_endpoint_deleted");
                assertThat(envelope.path("MessageAttributes").path("attr1").path("Value").asText()).isEqualTo("111");
            }
        }
    }

    @Test
    void fifoDeadLettersKeepGroupAndDeduplicationIds() {
        String topic = sns.createTopic(b -> b.name(unique("fifo-redrive") + ".fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        Map<QueueAttributeName, String> fifo = Map.of(QueueAttributeName.FIFO_QUEUE, "true");
        SnsTestSupport.Queue target = SnsTestSupport.queue(sqs, unique("target") + ".fifo", fifo);
        SnsTestSupport.Queue dlq = SnsTestSupport.queue(sqs, unique("dlq") + ".fifo", fifo);
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(target.arn()).attributes(Map.of(
                "RawMessageDelivery", "true", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlq.arn() + "\"}")));
        sqs.deleteQueue(b -> b.queueUrl(target.url()));
        sns.publish(b -> b.topicArn(topic).message("test-message").messageGroupId("message-group-id-1")
                .messageDeduplicationId("message-deduplication-id-1"));
        List<Message> dead = SnsTestSupport.receive(sqs, dlq.url(), 1, Duration.ofSeconds(10));
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(m.body()).isEqualTo("test-message");
            assertThat(m.attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "message-group-id-1")
                    .containsEntry(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, "message-deduplication-id-1");
        });
    }

    @Test
    void withoutADeadLetterQueueUndeliverableMessagesAreDropped() throws Exception {
        String topic = sns.createTopic(b -> b.name(unique("drop"))).topicArn();
        SnsTestSupport.Queue target = SnsTestSupport.queue(sqs, unique("target"));
        SnsTestSupport.Queue survivor = SnsTestSupport.queue(sqs, unique("survivor"));
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(target.arn()));
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(survivor.arn()));
        sqs.deleteQueue(b -> b.queueUrl(target.url()));
        sns.publish(b -> b.topicArn(topic).message("still delivered elsewhere"));
        SnsTestSupport.drain(eddy.endpoint());
        assertThat(SnsTestSupport.receiveAvailable(sqs, survivor.url())).hasSize(1);
    }
}
