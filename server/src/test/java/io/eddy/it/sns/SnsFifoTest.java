package io.eddy.it.sns;

import static io.eddy.it.sns.SnsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SnsFifoTest {

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

    private static String fifoTopic(boolean contentBased) {
        return sns.createTopic(b -> b.name(unique("fifo") + ".fifo").attributes(Map.of("FifoTopic", "true",
                "ContentBasedDeduplication", Boolean.toString(contentBased)))).topicArn();
    }

    private static SnsTestSupport.Queue fifoQueue() {
        return SnsTestSupport.queue(sqs, unique("fifoq") + ".fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
    }

    /** Receives everything, keeping the order FIFO receives give within each group. */
    private static List<Message> drainQueue(String url, int expected) {
        List<Message> all = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (all.size() < expected && System.nanoTime() < deadline) {
            all.addAll(SnsTestSupport.receive(sqs, url, 1, Duration.ofSeconds(2)));
        }
        return all;
    }

    @Test
    void fifoTopicKeepsGroupOrderIntoAFifoQueueAndDeduplicates() throws Exception {
        String topic = fifoTopic(false);
        SnsTestSupport.Queue queue = fifoQueue();
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue.arn()).attributes(Map.of("RawMessageDelivery", "true")));

        List<PublishResponse> responses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            responses.add(sns.publish(b -> b.topicArn(topic).message((n % 2 == 0 ? "even-" : "odd-") + n)
                    .messageGroupId(n % 2 == 0 ? "even" : "odd").messageDeduplicationId("dedup-" + n)));
        }
        BigInteger previous = BigInteger.ZERO;
        for (PublishResponse r : responses) {
            assertThat(r.sequenceNumber()).matches("\\d{20}");
            BigInteger current = new BigInteger(r.sequenceNumber());
            assertThat(current).isGreaterThan(previous);
            previous = current;
        }
        PublishResponse duplicate = sns.publish(b -> b.topicArn(topic).message("changed body").messageGroupId("even")
                .messageDeduplicationId("dedup-4"));
        assertThat(duplicate.messageId()).isEqualTo(responses.get(4).messageId());
        assertThat(duplicate.sequenceNumber()).isEqualTo(responses.get(4).sequenceNumber());

        List<Message> received = drainQueue(queue.url(), 20);
        SnsTestSupport.drain(eddy.endpoint());
        received.addAll(SnsTestSupport.receiveAvailable(sqs, queue.url()));
        assertThat(received).hasSize(20);
        List<String> even = new ArrayList<>();
        List<String> odd = new ArrayList<>();
        for (Message m : received) {
            String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
            (group.equals("even") ? even : odd).add(m.body());
            assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
                    .isEqualTo("dedup-" + m.body().substring(m.body().indexOf('-') + 1));
        }
        assertThat(even).containsExactly("even-0", "even-2", "even-4", "even-6", "even-8", "even-10", "even-12", "even-14",
                "even-16", "even-18");
        assertThat(odd).containsExactly("odd-1", "odd-3", "odd-5", "odd-7", "odd-9", "odd-11", "odd-13", "odd-15",
                "odd-17", "odd-19");
    }

    @Test
    void contentBasedDeduplicationUsesTheBodyHashAndEnvelopesCarryTheSequenceNumber() throws Exception {
        String topic = fifoTopic(true);
        SnsTestSupport.Queue queue = fifoQueue();
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue.arn()));
        PublishResponse first = sns.publish(b -> b.topicArn(topic).message("Test").messageGroupId("g"));
        PublishResponse again = sns.publish(b -> b.topicArn(topic).message("Test").messageGroupId("g"));
        assertThat(again.messageId()).isEqualTo(first.messageId());

        List<Message> received = SnsTestSupport.receive(sqs, queue.url(), 1, Duration.ofSeconds(10));
        SnsTestSupport.drain(eddy.endpoint());
        received.addAll(SnsTestSupport.receiveAvailable(sqs, queue.url()));
        assertThat(received).hasSize(1);
        Message message = received.get(0);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("Test".getBytes(StandardCharsets.UTF_8)));
        assertThat(message.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).isEqualTo(sha256);
        JsonNode envelope = SnsTestSupport.JSON.readTree(message.body());
        List<String> names = new ArrayList<>();
        envelope.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("Type", "MessageId", "SequenceNumber", "TopicArn", "Message", "Timestamp", "UnsubscribeURL");
        assertThat(envelope.path("SequenceNumber").asText()).isEqualTo(first.sequenceNumber());
    }

    @Test
    void batchesOnFifoTopicsReturnSequenceNumbersAndDeduplicateOnRepeat() {
        String topic = fifoTopic(true);
        SnsTestSupport.Queue standard = SnsTestSupport.queue(sqs, unique("plainq"));
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(standard.arn()).attributes(Map.of("RawMessageDelivery", "true")));
        List<PublishBatchRequestEntry> entries = List.of(
                PublishBatchRequestEntry.builder().id("1").message("one").messageGroupId("g").build(),
                PublishBatchRequestEntry.builder().id("2").message("two").messageGroupId("g").build(),
                PublishBatchRequestEntry.builder().id("3").message("three").messageGroupId("g").build());
        List<PublishBatchResultEntry> first = sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries)).successful();
        List<PublishBatchResultEntry> repeat = sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries)).successful();
        assertThat(first).extracting(PublishBatchResultEntry::sequenceNumber).allSatisfy(s -> assertThat(s).matches("\\d{20}"));
        assertThat(repeat).extracting(PublishBatchResultEntry::messageId)
                .containsExactlyElementsOf(first.stream().map(PublishBatchResultEntry::messageId).toList());

        List<Message> received = SnsTestSupport.receive(sqs, standard.url(), 3, Duration.ofSeconds(10));
        assertThat(received).extracting(Message::body).containsExactlyInAnyOrder("one", "two", "three");
        assertThat(received).allSatisfy(m -> assertThat(m.attributes()).doesNotContainKey(MessageSystemAttributeName.MESSAGE_GROUP_ID));
    }

    @Test
    void fifoRulesAreEnforced() {
        String topic = fifoTopic(false);
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("m").messageDeduplicationId("d")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).message("m").messageGroupId("g")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith(
                        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("1").message("m").messageDeduplicationId("d").build())))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
        SnsTestSupport.Queue queue = fifoQueue();
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue.arn())
                .attributes(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:standard-dlq\"}"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Attributes Reason: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.");
    }
}
