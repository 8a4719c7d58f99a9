package io.eddy.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.store.RocksStore;

/** The Java API other services (SNS delivery, Lambda event sources) use, addressed by queue ARN. */
class SqsServiceJavaApiTest {

    static final RequestContext CONTEXT = new RequestContext("123456789012", "eu-west-1", "req", "localhost:4566");
    static final String ARN = "arn:aws:sqs:eu-west-1:123456789012:jobs";
    static final String FIFO_ARN = "arn:aws:sqs:eu-west-1:123456789012:jobs.fifo";

    RocksStore store;
    SqsService sqs;

    @BeforeEach
    void start() {
        store = RocksStore.inMemory();
        sqs = new SqsService(store);
        create("jobs", Map.of("VisibilityTimeout", "5"));
        create("jobs.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
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

    @Test
    void sendReceiveChangeVisibilityAndDeleteByArn() throws Exception {
        SentMessage sent = sqs.sendMessage(ARN, OutgoingMessage.of("{\"order\":1}")
                .withMessageAttributes(Map.of("kind", MessageAttribute.string("order"),
                        "bytes", MessageAttribute.binary(new byte[] {1, 2})))
                .withSenderId("AIDAEXAMPLE").withTraceHeader("Root=1-x"));
        assertThat(sent.md5OfMessageBody()).isEqualTo("190ad5fd0596a0629a0aa256937135a3");
        assertThat(sent.sequenceNumber()).isNull();

        List<ReceivedMessage> received = sqs.receiveMessages(ARN, 10, null, Duration.ZERO);
        assertThat(received).hasSize(1);
        ReceivedMessage m = received.get(0);
        assertThat(m.messageId()).isEqualTo(sent.messageId());
        assertThat(m.body()).isEqualTo("{\"order\":1}");
        assertThat(m.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
        assertThat(m.messageAttributes().get("kind").stringValue()).isEqualTo("order");
        assertThat(m.messageAttributes().get("bytes").binaryValue()).containsExactly(1, 2);
        assertThat(m.attributes()).containsEntry("SenderId", "AIDAEXAMPLE").containsEntry("ApproximateReceiveCount", "1")
                .containsEntry("AWSTraceHeader", "Root=1-x").containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp");
        assertThat(sqs.receiveMessages(ARN, 10, null, Duration.ZERO)).isEmpty();

        sqs.changeMessageVisibility(ARN, m.receiptHandle(), 0);
        ReceivedMessage again = sqs.receiveMessages(ARN, 1, 30, Duration.ZERO).get(0);
        assertThat(again.attributes()).containsEntry("ApproximateReceiveCount", "2");
        sqs.deleteMessage(ARN, again.receiptHandle());
        assertThat(sqs.queueAttributes(ARN).orElseThrow()).containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0").containsEntry("VisibilityTimeout", "5");
    }

    @Test
    void waitingReceiveWakesWhenAMessageIsSent() throws Exception {
        CompletableFuture<List<ReceivedMessage>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return sqs.receiveMessages(ARN, 1, null, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        long sent = System.nanoTime();
        sqs.sendMessage(ARN, OutgoingMessage.of("ping"));
        List<ReceivedMessage> got = waiting.get(5, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - sent) / 1_000_000).as("a 20 s wait ends when the message arrives").isLessThan(5000);
        assertThat(got).extracting(ReceivedMessage::body).containsExactly("ping");
    }

    @Test
    void listenersHearSendsUntilClosed() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        AutoCloseable subscription = sqs.addMessageListener(ARN, heard::incrementAndGet);
        sqs.sendMessage(ARN, OutgoingMessage.of("one"));
        sqs.sendMessage(ARN, OutgoingMessage.of("two"));
        assertThat(heard).hasValue(2);
        subscription.close();
        sqs.sendMessage(ARN, OutgoingMessage.of("three"));
        assertThat(heard).hasValue(2);
    }

    @Test
    void fifoSendsNeedAGroupAndAreDeduplicated() {
        assertThatThrownBy(() -> sqs.sendMessage(FIFO_ARN, OutgoingMessage.of("x")))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo("MissingParameter");
                    assertThat(e.getMessage()).isEqualTo("The request must contain the parameter MessageGroupId.");
                });
        SentMessage first = sqs.sendMessage(FIFO_ARN, OutgoingMessage.of("x").withMessageGroupId("g"));
        SentMessage again = sqs.sendMessage(FIFO_ARN, OutgoingMessage.of("x").withMessageGroupId("g"));
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(first.sequenceNumber()).hasSize(20);
    }

    @Test
    void unknownQueuesAreReportedAsAwsErrors() {
        String missing = "arn:aws:sqs:eu-west-1:123456789012:missing";
        assertThatThrownBy(() -> sqs.sendMessage(missing, OutgoingMessage.of("x")))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.type()).isEqualTo("com.amazonaws.sqs#QueueDoesNotExist");
                    assertThat(e.queryCompatibleCode()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
                });
        assertThat(sqs.queueAttributes(missing)).isEmpty();
        assertThatThrownBy(() -> sqs.deleteMessage(ARN, "garbage"))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("ReceiptHandleIsInvalid"));
    }
}
