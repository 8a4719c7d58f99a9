package io.eddy.it.sns;

import static io.eddy.it.sns.SnsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Nothing SNS acknowledged is lost: not across a restart, not across SIGKILL. */
class SnsDurabilityTest {

    /** Child process entry point: serves an Eddy on the data directory until killed. */
    public static void main(String[] args) throws Exception {
        Eddy eddy = Eddy.start(EddyConfig.persistent(Path.of(args[0])));
        System.out.println(eddy.port());
        Thread.sleep(Long.MAX_VALUE);
    }

    @Test
    void everyAcknowledgedPublishReachesItsQueueAcrossSigkill(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), SnsDurabilityTest.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> acknowledged = new HashSet<>();
        String queueName = unique("durable");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            URI endpoint = URI.create("http://127.0.0.1:" + out.readLine().trim());
            try (SnsClient sns = SnsTestSupport.sns(endpoint); SqsClient sqs = SnsTestSupport.sqs(endpoint)) {
                String topic = sns.createTopic(b -> b.name("durable-topic")).topicArn();
                SnsTestSupport.Queue queue = SnsTestSupport.queue(sqs, queueName);
                sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue.arn()));
                for (int i = 0; i < 150; i++) {
                    int n = i;
                    acknowledged.add(sns.publish(b -> b.topicArn(topic).message("message " + n)).messageId());
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL right after the last acknowledgement: no shutdown, no flush
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        try (Eddy eddy = Eddy.start(EddyConfig.persistent(dir)); SqsClient sqs = SnsTestSupport.sqs(eddy.endpoint())) {
            String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
            Set<String> delivered = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!delivered.containsAll(acknowledged) && System.nanoTime() < deadline) {
                for (Message m : SnsTestSupport.receive(sqs, url, 10, Duration.ofSeconds(2))) {
                    delivered.add(SnsTestSupport.JSON.readTree(m.body()).path("MessageId").asText());
                }
            }
            assertThat(delivered).containsAll(acknowledged);
        }
    }

    @Test
    void subscriptionsSigningKeyAndPendingRetriesSurviveARestart(@TempDir Path dir) throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(SnsTestSupport.JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        try {
            String topic;
            String subscription;
            String certificate;
            String messageId;
            try (Eddy eddy = Eddy.start(EddyConfig.persistent(dir)); SnsClient sns = SnsTestSupport.sns(eddy.endpoint())) {
                topic = sns.createTopic(b -> b.name("restart-topic").attributes(Map.of("DisplayName", "Kept"))).topicArn();
                sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(url).attributes(Map.of("DeliveryPolicy",
                        "{\"healthyRetryPolicy\":{\"numRetries\":20,\"minDelayTarget\":1,\"maxDelayTarget\":1}}")));
                JsonNode confirmation = next(received);
                confirm(confirmation.path("SubscribeURL").asText());
                subscription = sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().get(0).subscriptionArn();
                certificate = confirmation.path("SigningCertURL").asText();
                certificate = certificate.substring(certificate.lastIndexOf('/'));

                status.set(503);
                messageId = sns.publish(b -> b.topicArn(topic).message("survives")).messageId();
                assertThat(next(received).path("MessageId").asText()).isEqualTo(messageId);
            }
            received.clear();
            status.set(200);
            try (Eddy eddy = Eddy.start(EddyConfig.persistent(dir)); SnsClient sns = SnsTestSupport.sns(eddy.endpoint())) {
                JsonNode redelivered = next(received);
                assertThat(redelivered.path("MessageId").asText()).isEqualTo(messageId);
                assertThat(redelivered.path("Message").asText()).isEqualTo("survives");
                assertThat(redelivered.path("SigningCertURL").asText()).endsWith(certificate);
                assertThat(SnsPublishTest.verify(rebase(redelivered, eddy.endpoint()), "SHA1withRSA")).isTrue();

                assertThat(sns.getTopicAttributes(b -> b.topicArn(topic)).attributes()).containsEntry("DisplayName", "Kept")
                        .containsEntry("SubscriptionsConfirmed", "1");
                assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes())
                        .containsEntry("Endpoint", url).containsEntry("PendingConfirmation", "false");
                String after = sns.publish(b -> b.topicArn(topic).message("after restart")).messageId();
                assertThat(next(received).path("MessageId").asText()).isEqualTo(after);
            }
        } finally {
            server.stop(0);
        }
    }

    private static JsonNode next(BlockingQueue<JsonNode> received) throws InterruptedException {
        JsonNode node = received.poll(20, TimeUnit.SECONDS);
        assertThat(node).as("a delivery").isNotNull();
        return node;
    }

    private static void confirm(String subscribeUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = SnsTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(subscribeUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    /** The message's links name the Eddy that accepted it; the restarted one serves the same certificate on another port. */
    private static JsonNode rebase(JsonNode message, URI eddy) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = message.deepCopy();
        String certificate = copy.path("SigningCertURL").asText();
        copy.put("SigningCertURL", eddy + certificate.substring(certificate.indexOf("/_eddy/")));
        return copy;
    }

}
