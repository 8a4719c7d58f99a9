package io.eddy.it.sqs;

import static io.eddy.it.sqs.SqsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.InvalidBatchEntryIdException;
import software.amazon.awssdk.services.sqs.model.InvalidMessageContentsException;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

class SqsMessagingTest {

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

    static String queue(String prefix, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(r -> r.queueName(unique(prefix)).attributes(attributes)).queueUrl();
    }

    static Map<String, String> counts(String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings();
    }

    @Test
    void sendReceiveDeleteWithAttributesVerifiedBySdkChecksums() {
        String url = queue("basic", Map.of());
        Map<String, MessageAttributeValue> attributes = Map.of(
                "colour", MessageAttributeValue.builder().dataType("String").stringValue("röd ✓").build(),
                "count", MessageAttributeValue.builder().dataType("Number.int").stringValue("42").build(),
                "blob", MessageAttributeValue.builder().dataType("Binary")
                        .binaryValue(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 0xFF})).build());
        SendMessageResponse sent = sqs.sendMessage(r -> r.queueUrl(url).messageBody("héllo {\"a\":1}\r\n")
                .messageAttributes(attributes)
                .messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                        MessageSystemAttributeValue.builder().dataType("String").stringValue("Root=1-abc").build())));
        assertThat(sent.messageId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(sent.md5OfMessageBody()).hasSize(32);
        assertThat(sent.md5OfMessageAttributes()).hasSize(32);
        assertThat(sent.md5OfMessageSystemAttributes()).hasSize(32);
        assertThat(sent.sequenceNumber()).isNull();

        List<Message> received = sqs.receiveMessage(r -> r.queueUrl(url).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(received).hasSize(1);
        Message message = received.get(0);
        assertThat(message.messageId()).isEqualTo(sent.messageId());
        assertThat(message.body()).isEqualTo("héllo {\"a\":1}\r\n");
        assertThat(message.md5OfBody()).isEqualTo(sent.md5OfMessageBody());
        assertThat(message.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
        assertThat(message.messageAttributes()).isEqualTo(attributes);
        long now = System.currentTimeMillis();
        assertThat(message.attributesAsStrings())
                .containsEntry("SenderId", "000000000000")
                .containsEntry("ApproximateReceiveCount", "1")
                .containsEntry("AWSTraceHeader", "Root=1-abc")
                .containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp")
                .doesNotContainKeys("SequenceNumber", "MessageGroupId");
        assertThat(Long.parseLong(message.attributesAsStrings().get("SentTimestamp"))).isBetween(now - 60_000, now);

        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
        assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
        assertThatThrownBy(() -> sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle("not-a-handle")))
                .isInstanceOfSatisfying(ReceiptHandleIsInvalidException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage())
                        .isEqualTo("The input receipt handle \"not-a-handle\" is not a valid receipt handle."));
    }

    @Test
    void messageAttributeNamesSelectExactNamesPrefixesOrAll() {
        String url = queue("select", Map.of());
        MessageAttributeValue v = MessageAttributeValue.builder().dataType("String").stringValue("v").build();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("m")
                .messageAttributes(Map.of("order.id", v, "order.total", v, "customer", v)));
        Message prefixed = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0)
                .messageAttributeNames("order.*")).messages().get(0);
        assertThat(prefixed.messageAttributes()).containsOnlyKeys("order.id", "order.total");
        Message exact = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0)
                .messageAttributeNames("customer", "absent")).messages().get(0);
        assertThat(exact.messageAttributes()).containsOnlyKeys("customer");
        Message none = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0)).messages().get(0);
        assertThat(none.messageAttributes()).isEmpty();
        assertThat(none.md5OfMessageAttributes()).isNull();
        assertThat(none.attributes()).isEmpty();
        Message all = sqs.receiveMessage(r -> r.queueUrl(url).messageAttributeNames(".*")
                .attributeNamesWithStrings("ApproximateReceiveCount")).messages().get(0);
        assertThat(all.messageAttributes()).hasSize(3);
        assertThat(all.attributesAsStrings()).containsExactly(Map.entry("ApproximateReceiveCount", "4"));
    }

    @Test
    void invalidMessagesAreRejected() {
        String url = queue("invalid", Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"));
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x".repeat(1025))))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                            "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.");
                });
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("x".repeat(1024)));
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("bad \u0001 char")))
                .isInstanceOfSatisfying(InvalidMessageContentsException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).startsWith("Invalid binary character '#x1' was found"));
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("")))
                .isInstanceOf(SqsException.class).hasMessageContaining("must contain the parameter MessageBody");
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").delaySeconds(901)))
                .isInstanceOf(SqsException.class).hasMessageContaining("DelaySeconds");
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageAttributes(Map.of(
                "n", MessageAttributeValue.builder().dataType("Number").stringValue("twelve").build()))))
                .isInstanceOf(SqsException.class).hasMessageContaining("to a number");
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageAttributes(Map.of(
                "n", MessageAttributeValue.builder().dataType("Text").stringValue("a").build()))))
                .isInstanceOf(SqsException.class).hasMessageContaining("supported type prefixes: Binary, Number, String");
        assertThatThrownBy(() -> sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(11)))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Value 11 for parameter MaxNumberOfMessages is invalid. "
                                + "Reason: Must be between 1 and 10, if provided."));
        assertThatThrownBy(() -> sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(21)))
                .isInstanceOf(SqsException.class).hasMessageContaining("WaitTimeSeconds");
    }

    @Test
    void largestMessageOfOneMebibyteIsAccepted() {
        String url = queue("large", Map.of());
        String body = "b".repeat(1_048_576);
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody(body + "b")))
                .isInstanceOf(SqsException.class).hasMessageContaining("Message must be shorter than 1048576 bytes.");
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages().get(0).body()).isEqualTo(body);
    }

    @Test
    void messageReappearsWhenItsVisibilityTimeoutExpires() {
        String url = queue("visibility", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "3"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("again"));
        Message first = sqs.receiveMessage(r -> r.queueUrl(url)).messages().get(0);
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
        assertThat(counts(url)).containsEntry("ApproximateNumberOfMessagesNotVisible", "1");
        long started = System.nanoTime();
        Message second = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                        MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP)).messages().get(0);
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(waitedMillis).isLessThan(6000);
        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.receiptHandle()).isNotEqualTo(first.receiptHandle());
        assertThat(second.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(second.receiptHandle()));
        assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
    }

    @Test
    void changeMessageVisibilityExtendsOrEndsTheTimeout() {
        String url = queue("change", Map.of());
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("m1"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("m2"));
        List<Message> received = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertThat(received).hasSize(2);
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(received.get(0).receiptHandle())
                .visibilityTimeout(0));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages())
                .extracting(Message::messageId).containsExactly(received.get(0).messageId());
        assertThatThrownBy(() -> sqs.changeMessageVisibility(r -> r.queueUrl(url)
                .receiptHandle(received.get(1).receiptHandle()).visibilityTimeout(43201)))
                .isInstanceOf(SqsException.class).hasMessageContaining("VisibilityTimeout");

        ChangeMessageVisibilityBatchResponse batch = sqs.changeMessageVisibilityBatch(r -> r.queueUrl(url).entries(
                e -> e.id("ok").receiptHandle(received.get(1).receiptHandle()).visibilityTimeout(0),
                e -> e.id("bad").receiptHandle("garbage").visibilityTimeout(5)));
        assertThat(batch.successful()).extracting(e -> e.id()).containsExactly("ok");
        assertThat(batch.failed()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("bad");
            assertThat(f.senderFault()).isTrue();
            assertThat(f.code()).isEqualTo("ReceiptHandleIsInvalid");
            assertThat(f.message()).isEqualTo("The input receipt handle \"garbage\" is not a valid receipt handle.");
        });
        Message again = sqs.receiveMessage(r -> r.queueUrl(url)).messages().get(0);
        assertThat(again.messageId()).isEqualTo(received.get(1).messageId());
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(again.receiptHandle()));
        assertThatThrownBy(() -> sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(again.receiptHandle())
                .visibilityTimeout(10)))
                .isInstanceOf(SqsException.class).hasMessageContaining("Message does not exist or is not available");
    }

    @Test
    void batchesReportPartialFailuresInAwsShape() {
        String url = queue("batch", Map.of());
        SendMessageBatchResponse sent = sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("a").messageBody("first").messageAttributes(Map.of("k",
                        MessageAttributeValue.builder().dataType("String").stringValue("v").build())),
                e -> e.id("b").messageBody("bad \u0000"),
                e -> e.id("c").messageBody("third").delaySeconds(1000),
                e -> e.id("d").messageBody("fourth")));
        assertThat(sent.successful()).extracting(e -> e.id()).containsExactly("a", "d");
        assertThat(sent.successful().get(0).md5OfMessageAttributes()).hasSize(32);
        assertThat(sent.failed()).extracting(BatchResultErrorEntry::id, BatchResultErrorEntry::senderFault,
                        BatchResultErrorEntry::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", true, "InvalidMessageContents"),
                        org.assertj.core.groups.Tuple.tuple("c", true, "InvalidParameterValue"));
        assertThat(sent.failed().get(1).message()).contains("DelaySeconds");

        List<Message> received = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertThat(received).extracting(Message::body).containsExactlyInAnyOrder("first", "fourth");
        DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("x").receiptHandle(received.get(0).receiptHandle()),
                e -> e.id("y").receiptHandle("nonsense"),
                e -> e.id("z").receiptHandle(received.get(1).receiptHandle())));
        assertThat(deleted.successful()).extracting(e -> e.id()).containsExactly("x", "z");
        assertThat(deleted.failed()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("y");
            assertThat(f.code()).isEqualTo("ReceiptHandleIsInvalid");
        });
        assertThat(counts(url)).containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
    }

    @Test
    void batchRequestLevelErrors() {
        String url = queue("batcherr", Map.of());
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(List.of())))
                .isInstanceOfSatisfying(EmptyBatchRequestException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("There should be at least one SendMessageBatchRequestEntry in the request."));
        List<SendMessageBatchRequestEntry> eleven = IntStream.range(0, 11)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("x").build()).toList();
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(eleven)))
                .isInstanceOfSatisfying(TooManyEntriesInBatchRequestException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Maximum number of entries per request are 10. You have sent 11."));
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("same").messageBody("1"), e -> e.id("same").messageBody("2"))))
                .isInstanceOfSatisfying(BatchEntryIdsNotDistinctException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Id same repeated."));
        assertThatThrownBy(() -> sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("has space").receiptHandle("h"))))
                .isInstanceOf(InvalidBatchEntryIdException.class);
        String half = "h".repeat(600_000);
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("a").messageBody(half), e -> e.id("b").messageBody(half))))
                .isInstanceOfSatisfying(BatchRequestTooLongException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Batch requests cannot be longer than 1048576 bytes. "
                        + "You have sent 1200000 bytes."));
    }

    @Test
    void delayedMessagesBecomeVisibleAfterTheirDelay() {
        String url = queue("delay", Map.of());
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("soon").delaySeconds(2));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
        assertThat(counts(url)).containsEntry("ApproximateNumberOfMessagesDelayed", "1");
        long started = System.nanoTime();
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(10)).messages();
        long waited = (System.nanoTime() - started) / 1_000_000;
        assertThat(messages).extracting(Message::body).containsExactly("soon");
        assertThat(waited).isBetween(300L, 8000L);

        String delayQueue = queue("delayq", Map.of(QueueAttributeName.DELAY_SECONDS, "60"));
        sqs.sendMessage(r -> r.queueUrl(delayQueue).messageBody("queue delay"));
        sqs.sendMessage(r -> r.queueUrl(delayQueue).messageBody("no delay").delaySeconds(0));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(delayQueue).maxNumberOfMessages(10)).messages())
                .extracting(Message::body).containsExactly("no delay");
    }

    @Test
    void longPollReturnsAsSoonAsAMessageArrives() throws Exception {
        String url = queue("longpoll", Map.of());
        long emptyStart = System.nanoTime();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages()).isEmpty();
        assertThat((System.nanoTime() - emptyStart) / 1_000_000).isBetween(950L, 5000L);

        CompletableFuture<Long> receivedAt = CompletableFuture.supplyAsync(() -> {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(20)).messages();
            assertThat(messages).extracting(Message::body).containsExactly("wake up");
            return System.nanoTime();
        });
        Thread.sleep(500);
        long sentAt = System.nanoTime();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("wake up"));
        long latencyMillis = (receivedAt.get(10, TimeUnit.SECONDS) - sentAt) / 1_000_000;
        assertThat(latencyMillis).as("a 20 s poll returns when the message arrives").isLessThan(2000);
    }

    @Test
    void receiveWaitsForTheQueueDefaultWaitTime() {
        String url = queue("defaultwait", Map.of(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "2"));
        long start = System.nanoTime();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1950);
        long zero = System.nanoTime();
        sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(0));
        assertThat((System.nanoTime() - zero) / 1_000_000).isLessThan(1500);
    }

    @Test
    void messagesMoveToTheDeadLetterQueueAfterMaxReceiveCount() {
        String dlqName = unique("dlq");
        String dlq = sqs.createQueue(r -> r.queueName(dlqName)).queueUrl();
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:" + dlqName;
        String sourceName = unique("source");
        String source = sqs.createQueue(r -> r.queueName(sourceName).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":2}"))).queueUrl();
        String messageId = sqs.sendMessage(r -> r.queueUrl(source).messageBody("poison").messageAttributes(Map.of("k",
                MessageAttributeValue.builder().dataType("String").stringValue("v").build()))).messageId();
        for (int i = 1; i <= 2; i++) {
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(source).visibilityTimeout(0)
                    .attributeNamesWithStrings("ApproximateReceiveCount")).messages();
            assertThat(got).singleElement().satisfies(m -> assertThat(m.messageId()).isEqualTo(messageId));
            assertThat(got.get(0).attributesAsStrings().get("ApproximateReceiveCount")).isEqualTo(Integer.toString(i));
        }
        assertThat(sqs.receiveMessage(r -> r.queueUrl(source).visibilityTimeout(0)).messages()).isEmpty();
        assertThat(counts(source)).containsEntry("ApproximateNumberOfMessages", "0");
        assertThat(counts(dlq)).containsEntry("ApproximateNumberOfMessages", "1");

        Message dead = sqs.receiveMessage(r -> r.queueUrl(dlq).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages().get(0);
        assertThat(dead.messageId()).isEqualTo(messageId);
        assertThat(dead.body()).isEqualTo("poison");
        assertThat(dead.messageAttributes()).containsOnlyKeys("k");
        assertThat(dead.attributesAsStrings())
                .containsEntry("DeadLetterQueueSourceArn", "arn:aws:sqs:us-east-1:000000000000:" + sourceName)
                .containsEntry("ApproximateReceiveCount", "3");
    }

    @Test
    void messageMoveTaskRedrivesDeadLettersBackToTheirSource() throws Exception {
        String dlqName = unique("movedlq");
        String dlq = sqs.createQueue(r -> r.queueName(dlqName)).queueUrl();
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:" + dlqName;
        assertThatThrownBy(() -> sqs.startMessageMoveTask(r -> r.sourceArn(dlqArn)))
                .isInstanceOf(SqsException.class).hasMessageContaining("Dead Letter Queue");
        String source = sqs.createQueue(r -> r.queueName(unique("movesrc")).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}")))
                .queueUrl();
        for (int i = 0; i < 3; i++) {
            int n = i;
            sqs.sendMessage(r -> r.queueUrl(source).messageBody("m" + n));
        }
        while (!sqs.receiveMessage(r -> r.queueUrl(source).maxNumberOfMessages(10).visibilityTimeout(0))
                .messages().isEmpty()) {
            Thread.onSpinWait();
        }
        assertThat(counts(dlq)).containsEntry("ApproximateNumberOfMessages", "3");

        String handle = sqs.startMessageMoveTask(r -> r.sourceArn(dlqArn)).taskHandle();
        assertThat(handle).isNotBlank();
        HttpResponse<String> drained = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                eddy.endpoint().resolve("/_eddy/drain?timeout=20s")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
        ListMessageMoveTasksResultEntry task = sqs.listMessageMoveTasks(r -> r.sourceArn(dlqArn)).results().get(0);
        assertThat(task.status()).isEqualTo("COMPLETED");
        assertThat(task.approximateNumberOfMessagesMoved()).isEqualTo(3);
        assertThat(task.approximateNumberOfMessagesToMove()).isEqualTo(3);
        assertThat(task.sourceArn()).isEqualTo(dlqArn);
        assertThat(task.taskHandle()).isNull();
        assertThat(counts(dlq)).containsEntry("ApproximateNumberOfMessages", "0");
        List<Message> back = new ArrayList<>(sqs.receiveMessage(r -> r.queueUrl(source).maxNumberOfMessages(10)
                .attributeNamesWithStrings("ApproximateReceiveCount")).messages());
        assertThat(back).extracting(Message::body).containsExactlyInAnyOrder("m0", "m1", "m2");
        assertThat(back).allSatisfy(m -> assertThat(m.attributesAsStrings().get("ApproximateReceiveCount")).isEqualTo("1"));
        assertThatThrownBy(() -> sqs.cancelMessageMoveTask(r -> r.taskHandle(handle)))
                .isInstanceOf(SqsException.class);
    }

    @Test
    void slowMessageMoveTaskCanBeCancelled() throws Exception {
        String dlqName = unique("slowdlq");
        String dlq = sqs.createQueue(r -> r.queueName(dlqName)).queueUrl();
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:" + dlqName;
        sqs.createQueue(r -> r.queueName(unique("slowsrc")).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}")));
        String destination = sqs.createQueue(r -> r.queueName(unique("slowdest"))).queueUrl();
        String destinationArn = sqs.getQueueAttributes(r -> r.queueUrl(destination)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributesAsStrings().get("QueueArn");
        for (int i = 0; i < 10; i++) sqs.sendMessage(r -> r.queueUrl(dlq).messageBody("x"));
        String handle = sqs.startMessageMoveTask(r -> r.sourceArn(dlqArn).destinationArn(destinationArn)
                .maxNumberOfMessagesPerSecond(1)).taskHandle();
        assertThatThrownBy(() -> sqs.startMessageMoveTask(r -> r.sourceArn(dlqArn)))
                .isInstanceOf(SqsException.class).hasMessageContaining("already a task running");
        ListMessageMoveTasksResultEntry running = sqs.listMessageMoveTasks(r -> r.sourceArn(dlqArn)).results().get(0);
        assertThat(running.status()).isEqualTo("RUNNING");
        assertThat(running.taskHandle()).isEqualTo(handle);
        assertThat(running.destinationArn()).isEqualTo(destinationArn);
        assertThat(running.maxNumberOfMessagesPerSecond()).isEqualTo(1);
        long moved = sqs.cancelMessageMoveTask(r -> r.taskHandle(handle)).approximateNumberOfMessagesMoved();
        assertThat(moved).isBetween(1L, 9L);
        ListMessageMoveTasksResultEntry cancelled = sqs.listMessageMoveTasks(r -> r.sourceArn(dlqArn)).results().get(0);
        assertThat(cancelled.status()).isEqualTo("CANCELLED");
        assertThat(counts(destination).get("ApproximateNumberOfMessages")).isEqualTo(Long.toString(moved));
        assertThat(counts(dlq).get("ApproximateNumberOfMessages")).isEqualTo(Long.toString(10 - moved));
    }

    @Test
    void purgeDeletesEverythingOncePerMinute() {
        String url = queue("purge", Map.of());
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("visible"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("in flight"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("delayed").delaySeconds(60));
        sqs.receiveMessage(r -> r.queueUrl(url));
        sqs.purgeQueue(r -> r.queueUrl(url));
        assertThat(counts(url)).containsOnly(Map.entry("ApproximateNumberOfMessages", "0"),
                Map.entry("ApproximateNumberOfMessagesNotVisible", "0"),
                Map.entry("ApproximateNumberOfMessagesDelayed", "0"));
        assertThatThrownBy(() -> sqs.purgeQueue(r -> r.queueUrl(url)))
                .isInstanceOfSatisfying(PurgeQueueInProgressException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("Only one PurgeQueue operation on");
                });
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("after"));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).extracting(Message::body).containsExactly("after");
    }
}
