package io.eddy.it.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SqsDurabilityTest {

    @Test
    void queuesMessagesAndDeliveryStateSurviveARestart(@TempDir Path data) {
        String standard;
        String fifo;
        String inFlightHandle;
        String deletedId;
        String fifoFirstId;
        String oldSequence;
        Map<String, String> attributesBefore;
        String staleHandle;
        try (Eddy eddy = Eddy.start(EddyConfig.persistent(data)); SqsClient sqs = SqsTestSupport.client(eddy.endpoint())) {
            standard = sqs.createQueue(r -> r.queueName("durable").tags(Map.of("k", "v"))
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
            fifo = sqs.createQueue(r -> r.queueName("durable.fifo")
                    .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
            String s = standard;
            sqs.sendMessage(r -> r.queueUrl(s).messageBody("gone"));
            Message gone = sqs.receiveMessage(r -> r.queueUrl(s)).messages().get(0);
            deletedId = gone.messageId();
            sqs.deleteMessage(r -> r.queueUrl(s).receiptHandle(gone.receiptHandle()));
            sqs.sendMessage(r -> r.queueUrl(s).messageBody("in flight").messageAttributes(Map.of("a",
                    MessageAttributeValue.builder().dataType("String").stringValue("b").build())));
            inFlightHandle = sqs.receiveMessage(r -> r.queueUrl(s)).messages().get(0).receiptHandle();
            sqs.sendMessage(r -> r.queueUrl(s).messageBody("visible"));
            sqs.sendMessage(r -> r.queueUrl(s).messageBody("delayed").delaySeconds(900));

            String f = fifo;
            oldSequence = sqs.sendMessage(r -> r.queueUrl(f).messageBody("f1").messageGroupId("g")
                    .messageDeduplicationId("d1")).sequenceNumber();
            sqs.sendMessage(r -> r.queueUrl(f).messageBody("f2").messageGroupId("g").messageDeduplicationId("d2"));
            fifoFirstId = sqs.receiveMessage(r -> r.queueUrl(f)).messages().get(0).messageId();
            attributesBefore = sqs.getQueueAttributes(r -> r.queueUrl(s).attributeNames(QueueAttributeName.ALL))
                    .attributesAsStrings();
            String last = sqs.createQueue(r -> r.queueName("last")).queueUrl();
            sqs.sendMessage(r -> r.queueUrl(last).messageBody("newest, then deleted"));
            staleHandle = sqs.receiveMessage(r -> r.queueUrl(last)).messages().get(0).receiptHandle();
            sqs.deleteMessage(r -> r.queueUrl(last).receiptHandle(staleHandle));
        }

        try (Eddy eddy = Eddy.start(EddyConfig.persistent(data)); SqsClient sqs = SqsTestSupport.client(eddy.endpoint())) {
            String last = sqs.getQueueUrl(r -> r.queueName("last")).queueUrl();
            sqs.sendMessage(r -> r.queueUrl(last).messageBody("after restart"));
            sqs.deleteMessage(r -> r.queueUrl(last).receiptHandle(staleHandle));
            assertThat(sqs.receiveMessage(r -> r.queueUrl(last)).messages()).extracting(Message::body)
                    .as("a receipt handle from before the restart never names a newer message")
                    .containsExactly("after restart");

            String s = sqs.getQueueUrl(r -> r.queueName("durable")).queueUrl();
            String f = sqs.getQueueUrl(r -> r.queueName("durable.fifo")).queueUrl();
            Map<String, String> attributesAfter = sqs.getQueueAttributes(r -> r.queueUrl(s)
                    .attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
            assertThat(attributesAfter).isEqualTo(attributesBefore);
            assertThat(attributesAfter).containsEntry("ApproximateNumberOfMessages", "1")
                    .containsEntry("ApproximateNumberOfMessagesNotVisible", "1")
                    .containsEntry("ApproximateNumberOfMessagesDelayed", "1")
                    .containsEntry("VisibilityTimeout", "60");
            assertThat(sqs.listQueueTags(r -> r.queueUrl(s)).tags()).containsEntry("k", "v");

            List<Message> visible = sqs.receiveMessage(r -> r.queueUrl(s).maxNumberOfMessages(10)).messages();
            assertThat(visible).extracting(Message::body).containsExactly("visible");
            assertThat(visible.get(0).messageId()).isNotEqualTo(deletedId);

            sqs.changeMessageVisibility(r -> r.queueUrl(s).receiptHandle(inFlightHandle).visibilityTimeout(0));
            Message again = sqs.receiveMessage(r -> r.queueUrl(s).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().get(0);
            assertThat(again.body()).isEqualTo("in flight");
            assertThat(again.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");
            assertThat(again.messageAttributes()).containsKey("a");

            assertThat(sqs.receiveMessage(r -> r.queueUrl(f)).messages()).isEmpty();
            assertThat(sqs.sendMessage(r -> r.queueUrl(f).messageBody("f1").messageGroupId("g")
                    .messageDeduplicationId("d1")).messageId()).isEqualTo(fifoFirstId);
            String newSequence = sqs.sendMessage(r -> r.queueUrl(f).messageBody("f3").messageGroupId("h")
                    .messageDeduplicationId("d3")).sequenceNumber();
            assertThat(new java.math.BigInteger(newSequence)).isGreaterThan(new java.math.BigInteger(oldSequence));
            assertThat(sqs.getQueueAttributes(r -> r.queueUrl(f).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributesAsStrings())
                    .containsEntry("ApproximateNumberOfMessages", "2");
        }
    }

    @Test
    void nothingAcknowledgedIsLostAndNothingDeletedComesBackAfterKillDashNine(@TempDir Path data) throws Exception {
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED",
                "io.eddy.server.Main", "--port", "0", "--quiet", "--data-dir", data.toString())
                .redirectErrorStream(true).start();
        Set<String> kept = new HashSet<>();
        Set<String> deleted = new HashSet<>();
        try {
            URI endpoint = awaitReady(server);
            try (SqsClient sqs = SqsTestSupport.client(endpoint)) {
                String url = sqs.createQueue(r -> r.queueName("crash")).queueUrl();
                for (int i = 0; i < 50; i++) {
                    int n = i;
                    String id = sqs.sendMessage(r -> r.queueUrl(url).messageBody("m" + n)).messageId();
                    kept.add(id);
                }
                List<Message> received = new ArrayList<>(sqs.receiveMessage(r -> r.queueUrl(url)
                        .maxNumberOfMessages(10)).messages());
                received.addAll(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages());
                for (Message m : received.subList(0, 15)) {
                    sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
                    kept.remove(m.messageId());
                    deleted.add(m.messageId());
                }
                for (Message m : received.subList(15, received.size())) {
                    sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
                }
            }
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }

        try (Eddy eddy = Eddy.start(EddyConfig.persistent(data)); SqsClient sqs = SqsTestSupport.client(eddy.endpoint())) {
            String url = sqs.getQueueUrl(r -> r.queueName("crash")).queueUrl();
            Set<String> seen = new HashSet<>();
            List<Message> batch;
            while (!(batch = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).isEmpty()) {
                batch.forEach(m -> seen.add(m.messageId()));
            }
            assertThat(seen).isEqualTo(kept).doesNotContainAnyElementsOf(deleted).hasSize(35);
        }
    }

    private static URI awaitReady(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Pattern ready = Pattern.compile("ready on (http://\\S+)");
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = ready.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return URI.create(m.group(1));
            }
        }
        throw new IllegalStateException("server exited before it was ready:\n" + seen);
    }
}
