package io.eddy.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.store.RocksStore;

/** Behaviour over minutes and hours, on a clock the test moves. */
class SqsTimeTest {

    static final RequestContext CONTEXT = new RequestContext("000000000000", "us-east-1", "req", "localhost");
    static final String ARN = "arn:aws:sqs:us-east-1:000000000000:timed";
    static final String FIFO_ARN = "arn:aws:sqs:us-east-1:000000000000:timed.fifo";

    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    RocksStore store;
    SqsService sqs;

    @BeforeEach
    void start() {
        store = RocksStore.inMemory();
        sqs = new SqsService(store, now::get);
        create("timed", Map.of("MessageRetentionPeriod", "60"));
        create("timed.fifo", Map.of("FifoQueue", "true"));
    }

    @AfterEach
    void stop() {
        sqs.close();
        store.close();
    }

    void create(String name, Map<String, String> attributes) {
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("QueueName", name);
        ObjectNode attrs = input.putObject("Attributes");
        attributes.forEach(attrs::put);
        sqs.invoke("CreateQueue", input, CONTEXT);
    }

    List<ReceivedMessage> receive(String arn) throws InterruptedException {
        return sqs.receiveMessages(arn, 10, null, Duration.ZERO);
    }

    @Test
    void messagesExpireAfterTheRetentionPeriodEvenInFlight() throws Exception {
        sqs.sendMessage(ARN, OutgoingMessage.of("old"));
        now.addAndGet(30_000);
        sqs.sendMessage(ARN, OutgoingMessage.of("newer"));
        ReceivedMessage inFlight = receive(ARN).get(0);
        assertThat(inFlight.body()).isEqualTo("old");
        now.addAndGet(30_000);
        assertThat(sqs.queueAttributes(ARN).orElseThrow())
                .containsEntry("ApproximateNumberOfMessages", "1")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
        assertThat(receive(ARN)).extracting(ReceivedMessage::body).containsExactly("newer");
        sqs.deleteMessage(ARN, inFlight.receiptHandle());
        now.addAndGet(30_000);
        assertThat(receive(ARN)).isEmpty();
        assertThat(sqs.queueAttributes(ARN).orElseThrow()).containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
    }

    @Test
    void deduplicationLastsFiveMinutes() throws Exception {
        OutgoingMessage message = OutgoingMessage.of("x").withMessageGroupId("g").withMessageDeduplicationId("d");
        String first = sqs.sendMessage(FIFO_ARN, message).messageId();
        now.addAndGet(Duration.ofMinutes(5).toMillis() - 1);
        assertThat(sqs.sendMessage(FIFO_ARN, message).messageId()).isEqualTo(first);
        now.addAndGet(1);
        assertThat(sqs.sendMessage(FIFO_ARN, message).messageId()).isNotEqualTo(first);
        assertThat(receive(FIFO_ARN)).hasSize(2);
    }

    @Test
    void visibilityMayNotReachBeyondTwelveHoursAfterTheReceive() throws Exception {
        create("long", Map.of());
        String arn = "arn:aws:sqs:us-east-1:000000000000:long";
        sqs.sendMessage(arn, OutgoingMessage.of("long job"));
        ReceivedMessage m = sqs.receiveMessages(arn, 1, 43_200, Duration.ZERO).get(0);
        now.addAndGet(Duration.ofHours(11).toMillis());
        sqs.changeMessageVisibility(arn, m.receiptHandle(), 3600);
        assertThatThrownBy(() -> sqs.changeMessageVisibility(arn, m.receiptHandle(), 3601))
                .isInstanceOf(AwsException.class)
                .hasMessage("Value 3601 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout "
                        + "for the message is beyond the limit [43200 seconds]");
    }

    @Test
    void delayedMessagesAndExpiredVisibilityFollowTheClock() throws Exception {
        sqs.sendMessage(ARN, OutgoingMessage.of("delayed").withDelaySeconds(10));
        assertThat(receive(ARN)).isEmpty();
        now.addAndGet(10_000);
        ReceivedMessage m = receive(ARN).get(0);
        now.addAndGet(29_999);
        assertThat(receive(ARN)).isEmpty();
        now.addAndGet(1);
        assertThat(receive(ARN)).extracting(ReceivedMessage::messageId).containsExactly(m.messageId());
    }
}
