package io.eddy.it.sqs;

import static io.eddy.it.sqs.SqsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsFifoTest {

    static Eddy eddy;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        sqs = SqsTestSupport.client(eddy.endpoint());
    }

    @AfterAll
    static void stop() {
        sqs.close();
        eddy.close();
    }

    static String fifo(String prefix, Map<QueueAttributeName, String> extra) {
        Map<QueueAttributeName, String> attributes = new HashMap<>(extra);
        attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        return sqs.createQueue(r -> r.queueName(unique(prefix) + ".fifo").attributes(attributes)).queueUrl();
    }

    static void send(String url, String group, String body) {
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(body).messageGroupId(group).messageDeduplicationId(body));
    }

    static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::body).toList();
    }

    @Test
    void messagesOfAGroupComeInOrderAndAGroupIsBlockedWhileInFlight() {
        String url = fifo("order", Map.of());
        send(url, "A", "a1");
        send(url, "B", "b1");
        send(url, "A", "a2");
        send(url, "A", "a3");
        send(url, "B", "b2");

        Message a1 = sqs.receiveMessage(r -> r.queueUrl(url)).messages().get(0);
        assertThat(a1.body()).isEqualTo("a1");
        Message b1 = sqs.receiveMessage(r -> r.queueUrl(url)).messages().get(0);
        assertThat(b1.body()).isEqualTo("b1");
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).isEmpty();

        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(a1.receiptHandle()));
        List<Message> group = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertThat(bodies(group)).containsExactly("a2", "a3");
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(group.get(0).receiptHandle()));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).isEmpty();

        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(b1.receiptHandle()));
        assertThat(bodies(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()))
                .containsExactly("b2");
    }

    @Test
    void aReceiveTakesTheOldestGroupFirstThenTopsUpFromOthers() {
        String url = fifo("topup", Map.of());
        send(url, "B", "b1");
        send(url, "A", "a1");
        send(url, "B", "b2");
        send(url, "C", "c1");
        assertThat(bodies(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(3)).messages()))
                .containsExactly("b1", "b2", "a1");
        assertThat(bodies(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()))
                .containsExactly("c1");
    }

    @Test
    void aMessageVisibleAgainComesBackBeforeTheRestOfItsGroup() {
        String url = fifo("expiry", Map.of());
        send(url, "G", "first");
        send(url, "G", "second");
        Message first = sqs.receiveMessage(r -> r.queueUrl(url)).messages().get(0);
        assertThat(first.body()).isEqualTo("first");
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(0));
        List<Message> again = sqs.receiveMessage(r -> r.queueUrl(url)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
        assertThat(bodies(again)).containsExactly("first");
        assertThat(again.get(0).attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");
        assertThatThrownBy(() -> sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(first.receiptHandle())))
                .isInstanceOf(SqsException.class).hasMessageContaining("The receipt handle has expired.");
    }

    @Test
    void duplicatesWithinFiveMinutesAreAcceptedButNotDelivered() {
        String url = fifo("dedup", Map.of());
        SendMessageResponse first = sqs.sendMessage(r -> r.queueUrl(url).messageBody("one").messageGroupId("g")
                .messageDeduplicationId("d-1"));
        SendMessageResponse duplicate = sqs.sendMessage(r -> r.queueUrl(url).messageBody("other body")
                .messageGroupId("g").messageDeduplicationId("d-1"));
        assertThat(duplicate.messageId()).isEqualTo(first.messageId());
        assertThat(duplicate.sequenceNumber()).isEqualTo(first.sequenceNumber());
        assertThat(duplicate.md5OfMessageBody()).isNotEqualTo(first.md5OfMessageBody());
        Message only = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages().get(0);
        assertThat(only.body()).isEqualTo("one");
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(only.receiptHandle()));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("one").messageGroupId("g").messageDeduplicationId("d-1"));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();

        SendMessageBatchResponse batch = sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("x").messageBody("x").messageGroupId("g").messageDeduplicationId("d-2"),
                e -> e.id("y").messageBody("y").messageGroupId("g").messageDeduplicationId("d-2")));
        assertThat(batch.successful()).hasSize(2);
        assertThat(batch.successful().get(1).messageId()).isEqualTo(batch.successful().get(0).messageId());
        assertThat(bodies(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()))
                .containsExactly("x");
    }

    @Test
    void aBatchEntryMissingWhatFifoNeedsFailsTheWholeBatch() {
        String url = fifo("batch", Map.of());
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("ok").messageBody("ok").messageGroupId("g").messageDeduplicationId("d-1"),
                e -> e.id("no-group").messageBody("x").messageDeduplicationId("d-2"))))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("MissingParameter"))
                .hasMessageStartingWith("The request must contain the parameter MessageGroupId.");
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("ok").messageBody("ok").messageGroupId("g").messageDeduplicationId("d-1"),
                e -> e.id("no-dedup").messageBody("x").messageGroupId("g"))))
                .isInstanceOf(SqsException.class)
                .hasMessageStartingWith("The queue should either have ContentBasedDeduplication enabled");
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("delayed").messageBody("x").messageGroupId("g").messageDeduplicationId("d-3").delaySeconds(3))))
                .isInstanceOf(SqsException.class)
                .hasMessageStartingWith("Value 3 for parameter DelaySeconds is invalid.");
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).isEmpty();

        SendMessageBatchResponse partial = sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("ok").messageBody("ok").messageGroupId("g").messageDeduplicationId("d-1"),
                e -> e.id("bad-body").messageBody("bad\u0001").messageGroupId("g").messageDeduplicationId("d-4")));
        assertThat(partial.successful()).extracting(r -> r.id()).containsExactly("ok");
        assertThat(partial.failed()).extracting(f -> f.id(), f -> f.code())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bad-body", "InvalidMessageContents"));
    }

    @Test
    void contentBasedDeduplicationHashesTheBody() {
        String url = fifo("content", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
        String id = sqs.sendMessage(r -> r.queueUrl(url).messageBody("same").messageGroupId("g")).messageId();
        assertThat(sqs.sendMessage(r -> r.queueUrl(url).messageBody("same").messageGroupId("h")).messageId())
                .isEqualTo(id);
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("same").messageGroupId("g").messageDeduplicationId("explicit"));
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).messages();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).attributesAsStrings().get("MessageDeduplicationId"))
                .isEqualTo("0967115f2813a3541eaef77de9d9d5773f1c0c04314b0bbfe4ff3b3b1c55b5d5");
        assertThat(messages.get(1).attributesAsStrings().get("MessageDeduplicationId")).isEqualTo("explicit");
    }

    @Test
    void messageGroupDeduplicationScopeKeepsGroupsApart() {
        String url = fifo("scope", Map.of(QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup",
                QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("1").messageGroupId("g1").messageDeduplicationId("d"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("2").messageGroupId("g2").messageDeduplicationId("d"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("3").messageGroupId("g2").messageDeduplicationId("d"));
        assertThat(bodies(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()))
                .containsExactly("1", "2");
    }

    @Test
    void sequenceNumbersIncreaseAndSystemAttributesDescribeTheMessage() {
        String url = fifo("seq", Map.of());
        SendMessageResponse one = sqs.sendMessage(r -> r.queueUrl(url).messageBody("1").messageGroupId("g")
                .messageDeduplicationId("1"));
        SendMessageResponse two = sqs.sendMessage(r -> r.queueUrl(url).messageBody("2").messageGroupId("g")
                .messageDeduplicationId("2"));
        assertThat(one.sequenceNumber()).hasSize(20).containsOnlyDigits();
        assertThat(new BigInteger(two.sequenceNumber())).isGreaterThan(new BigInteger(one.sequenceNumber()));
        Message m = sqs.receiveMessage(r -> r.queueUrl(url).messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages().get(0);
        assertThat(m.attributesAsStrings())
                .containsEntry("SequenceNumber", one.sequenceNumber())
                .containsEntry("MessageGroupId", "g")
                .containsEntry("MessageDeduplicationId", "1");
    }

    @Test
    void fifoSendsAreValidated() {
        String url = fifo("validate", Map.of());
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageDeduplicationId("d")))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("The request must contain the parameter MessageGroupId.");
                });
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageGroupId("g")))
                .isInstanceOf(SqsException.class).hasMessageContaining(
                        "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
                                + "provided explicitly");
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageGroupId("g")
                .messageDeduplicationId("d").delaySeconds(5)))
                .isInstanceOf(SqsException.class).hasMessageContaining(
                        "Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is "
                                + "not valid for this queue type.");
        String standard = sqs.createQueue(r -> r.queueName(unique("standard"))).queueUrl();
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(standard).messageBody("x")
                .messageDeduplicationId("d")))
                .isInstanceOf(SqsException.class).hasMessageContaining("parameter MessageDeduplicationId is invalid");
        sqs.sendMessage(r -> r.queueUrl(standard).messageBody("fair").messageGroupId("tenant-1"));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(standard).messageSystemAttributeNames(
                MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages().get(0).attributesAsStrings())
                .containsExactly(Map.entry("MessageGroupId", "tenant-1"));
    }

    @Test
    void retryingAReceiveWithTheSameAttemptIdReturnsTheSameMessages() {
        String url = fifo("attempt", Map.of());
        send(url, "g", "m1");
        send(url, "g", "m2");
        List<Message> first = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(1)
                .receiveRequestAttemptId("attempt-1")).messages();
        List<Message> retry = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(1)
                .receiveRequestAttemptId("attempt-1")).messages();
        assertThat(retry).extracting(Message::receiptHandle).containsExactlyElementsOf(
                first.stream().map(Message::receiptHandle).toList());
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).receiveRequestAttemptId("attempt-2")).messages()).isEmpty();
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(first.get(0).receiptHandle()));
        assertThat(bodies(sqs.receiveMessage(r -> r.queueUrl(url).receiveRequestAttemptId("attempt-1")).messages()))
                .containsExactly("m2");
    }

    @Test
    void fifoDeadLetterQueueKeepsGroupOrder() {
        String dlqName = unique("fifodlq") + ".fifo";
        String dlq = sqs.createQueue(r -> r.queueName(dlqName).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
                .queueUrl();
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:" + dlqName;
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(unique("mismatch")).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}"))))
                .isInstanceOf(SqsException.class).hasMessageContaining("same type");
        String source = fifo("fifosrc", Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}"));
        send(source, "g", "one");
        send(source, "g", "two");
        assertThat(bodies(sqs.receiveMessage(r -> r.queueUrl(source).maxNumberOfMessages(10).visibilityTimeout(0))
                .messages())).containsExactly("one", "two");
        assertThat(sqs.receiveMessage(r -> r.queueUrl(source).maxNumberOfMessages(10)).messages()).isEmpty();
        List<Message> dead = sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
        assertThat(bodies(dead)).containsExactly("one", "two");
        assertThat(dead).allSatisfy(m -> assertThat(m.attributesAsStrings()).containsEntry("MessageGroupId", "g"));
    }
}
