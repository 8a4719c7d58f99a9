package io.eddy.it.sns;

import static io.eddy.it.sns.SnsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class SnsHttpDeliveryTest {

    static Eddy eddy;
    static SnsClient sns;
    static SqsClient sqs;
    final List<HttpServer> servers = new ArrayList<>();

    /** One request an endpoint received. */
    record Received(String path, Map<String, List<String>> headers, String body, long arrivedNanos) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }

        JsonNode json() throws IOException {
            return SnsTestSupport.JSON.readTree(body);
        }
    }

    /** A local HTTP endpoint that records what it gets and answers with the status {@code status} gives. */
    final class Endpoint {
        final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        final String url;

        Endpoint(IntSupplier status) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(),
                        new String(body, StandardCharsets.UTF_8), System.nanoTime()));
                exchange.sendResponseHeaders(status.getAsInt(), -1);
                exchange.close();
            });
            server.start();
            servers.add(server);
            url = "http://127.0.0.1:" + server.getAddress().getPort() + "/sns-endpoint";
        }

        Received next() throws InterruptedException {
            Received r = received.poll(15, TimeUnit.SECONDS);
            assertThat(r).as("a request to " + url).isNotNull();
            return r;
        }
    }

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

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    /** Subscribes the endpoint and confirms through the SubscribeURL it was sent; returns the subscription ARN. */
    private static String subscribeAndConfirm(String topic, Endpoint endpoint, Map<String, String> attributes) throws Exception {
        sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(endpoint.url).attributes(attributes));
        JsonNode confirmation = endpoint.next().json();
        HttpResponse<String> confirmed = SnsTestSupport.HTTP.send(HttpRequest.newBuilder(
                URI.create(confirmation.path("SubscribeURL").asText())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(confirmed.statusCode()).isEqualTo(200);
        String xml = confirmed.body();
        return xml.substring(xml.indexOf("<SubscriptionArn>") + 17, xml.indexOf("</SubscriptionArn>"));
    }

    @Test
    void confirmationThroughTheSubscribeUrlThenSignedNotifications() throws Exception {
        Endpoint endpoint = new Endpoint(() -> 200);
        String topic = sns.createTopic(b -> b.name(unique("http"))).topicArn();
        assertThat(sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(endpoint.url)).subscriptionArn())
                .isEqualTo("pending confirmation");

        Received confirmationRequest = endpoint.next();
        assertThat(confirmationRequest.path()).isEqualTo("/sns-endpoint");
        assertThat(confirmationRequest.header("x-amz-sns-message-type")).isEqualTo("SubscriptionConfirmation");
        assertThat(confirmationRequest.header("x-amz-sns-topic-arn")).isEqualTo(topic);
        assertThat(confirmationRequest.header("x-amz-sns-subscription-arn")).isNull();
        assertThat(confirmationRequest.header("Content-Type")).isEqualTo("text/plain; charset=UTF-8");
        assertThat(confirmationRequest.header("User-Agent")).isEqualTo("Amazon Simple Notification Service Agent");
        JsonNode confirmation = confirmationRequest.json();
        assertThat(fieldNames(confirmation)).containsExactly("Type", "MessageId", "Token", "TopicArn", "Message",
                "SubscribeURL", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL");
        assertThat(confirmationRequest.header("x-amz-sns-message-id")).isEqualTo(confirmation.path("MessageId").asText());
        assertThat(confirmation.path("Message").asText()).isEqualTo("You have chosen to subscribe to the topic " + topic
                + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.");
        assertThat(confirmation.path("Token").asText()).matches("[0-9a-f]{288}");
        assertThat(confirmation.path("SubscribeURL").asText()).isEqualTo(eddy.endpoint() + "/?Action=ConfirmSubscription&TopicArn="
                + topic + "&Token=" + confirmation.path("Token").asText());
        assertThat(SnsPublishTest.verify(confirmation, "SHA1withRSA")).isTrue();

        HttpResponse<String> confirmed = SnsTestSupport.HTTP.send(HttpRequest.newBuilder(
                URI.create(confirmation.path("SubscribeURL").asText())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.body()).contains("<ConfirmSubscriptionResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                + "<ConfirmSubscriptionResult><SubscriptionArn>" + topic + ":");
        String subscription = sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().get(0).subscriptionArn();
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes())
                .containsEntry("PendingConfirmation", "false").containsEntry("ConfirmationWasAuthenticated", "false");

        String messageId = sns.publish(b -> b.topicArn(topic).message("to the web").subject("Hi")).messageId();
        Received notification = endpoint.next();
        assertThat(notification.header("x-amz-sns-message-type")).isEqualTo("Notification");
        assertThat(notification.header("x-amz-sns-message-id")).isEqualTo(messageId);
        assertThat(notification.header("x-amz-sns-subscription-arn")).isEqualTo(subscription);
        assertThat(notification.header("x-amz-sns-rawdelivery")).isNull();
        JsonNode envelope = notification.json();
        assertThat(fieldNames(envelope)).containsExactly("Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
                "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL");
        assertThat(SnsPublishTest.verify(envelope, "SHA1withRSA")).isTrue();
    }

    @Test
    void rawDeliveryContentTypeAndUnsubscribeConfirmation() throws Exception {
        Endpoint endpoint = new Endpoint(() -> 200);
        String topic = sns.createTopic(b -> b.name(unique("raw"))).topicArn();
        String subscription = subscribeAndConfirm(topic, endpoint, Map.of("RawMessageDelivery", "true",
                "DeliveryPolicy", "{\"requestPolicy\":{\"headerContentType\":\"application/json\"}}"));
        Map<String, String> attributes = sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes();
        assertThat(attributes.get("DeliveryPolicy")).isEqualTo("{\"healthyRetryPolicy\":null,\"sicklyRetryPolicy\":null,"
                + "\"throttlePolicy\":null,\"requestPolicy\":{\"headerContentType\":\"application/json\"},\"guaranteed\":false}");
        assertThat(attributes.get("EffectiveDeliveryPolicy")).contains("\"requestPolicy\":{\"headerContentType\":\"application/json\"}")
                .contains("\"healthyRetryPolicy\":{\"minDelayTarget\":20,\"maxDelayTarget\":20,\"numRetries\":3");

        sns.publish(b -> b.topicArn(topic).message("{\"raw\":true}"));
        Received raw = endpoint.next();
        assertThat(raw.body()).isEqualTo("{\"raw\":true}");
        assertThat(raw.header("x-amz-sns-rawdelivery")).isEqualTo("true");
        assertThat(raw.header("Content-Type")).isEqualTo("application/json");

        sns.unsubscribe(b -> b.subscriptionArn(subscription));
        Received goodbye = endpoint.next();
        assertThat(goodbye.header("x-amz-sns-message-type")).isEqualTo("UnsubscribeConfirmation");
        assertThat(goodbye.header("x-amz-sns-subscription-arn")).isEqualTo(subscription);
        JsonNode unsubscribed = goodbye.json();
        assertThat(unsubscribed.path("Type").asText()).isEqualTo("UnsubscribeConfirmation");
        assertThat(unsubscribed.path("Message").asText()).startsWith("You have chosen to deactivate subscription " + subscription);
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions()).isEmpty();

        HttpResponse<String> restored = SnsTestSupport.HTTP.send(HttpRequest.newBuilder(
                URI.create(unsubscribed.path("SubscribeURL").asText())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(restored.statusCode()).isEqualTo(200);
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes())
                .containsEntry("RawMessageDelivery", "true");
    }

    @Test
    void serverErrorsAreRetriedWithTheSameMessageWhileOtherEndpointsKeepReceiving() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Endpoint flaky = new Endpoint(() -> calls.incrementAndGet() <= 3 ? 200 : calls.get() <= 6 ? 503 : 200);
        Endpoint healthy = new Endpoint(() -> 200);
        String topic = sns.createTopic(b -> b.name(unique("retry"))).topicArn();
        subscribeAndConfirm(topic, flaky, Map.of("DeliveryPolicy",
                "{\"healthyRetryPolicy\":{\"numRetries\":5,\"numNoDelayRetries\":0,\"minDelayTarget\":1,\"maxDelayTarget\":1}}"));
        subscribeAndConfirm(topic, healthy, Map.of());
        calls.set(3);

        String messageId = sns.publish(b -> b.topicArn(topic).message("persistent")).messageId();
        for (int i = 0; i < 3; i++) sns.publish(b -> b.topicArn(topic).message("meanwhile"));
        List<Received> toHealthy = new ArrayList<>();
        for (int i = 0; i < 4; i++) toHealthy.add(healthy.next());
        assertThat(toHealthy).extracting(r -> r.header("x-amz-sns-message-id")).contains(messageId);

        List<Received> toFlaky = new ArrayList<>();
        while (toFlaky.size() < 7) toFlaky.add(flaky.next());
        List<Received> attemptsOfFirst = toFlaky.stream().filter(r -> messageId.equals(r.header("x-amz-sns-message-id"))).toList();
        assertThat(attemptsOfFirst).as("the first message was attempted until the endpoint recovered").hasSizeGreaterThanOrEqualTo(2);
        assertThat(toFlaky.stream().map(r -> r.header("x-amz-sns-message-id")).distinct()).hasSize(4);
        long lastHealthy = toHealthy.stream().mapToLong(Received::arrivedNanos).max().orElseThrow();
        assertThat(lastHealthy).as("the healthy endpoint got everything before the failing one recovered")
                .isLessThan(attemptsOfFirst.get(attemptsOfFirst.size() - 1).arrivedNanos());
    }

    @Test
    void theThrottlePolicySpacesDeliveriesOut() throws Exception {
        Endpoint endpoint = new Endpoint(() -> 200);
        String topic = sns.createTopic(b -> b.name(unique("throttle"))).topicArn();
        subscribeAndConfirm(topic, endpoint, Map.of("DeliveryPolicy", "{\"throttlePolicy\":{\"maxReceivesPerSecond\":4}}"));
        List<PublishBatchRequestEntry> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) burst.add(PublishBatchRequestEntry.builder().id("m" + i).message("paced").build());
        sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(burst));
        long first = 0;
        long last = 0;
        for (int i = 0; i < 6; i++) {
            last = endpoint.next().arrivedNanos();
            if (i == 0) first = last;
        }
        // slots are 250 ms apart from the first one taken; a late first arrival (cold connection on a
        // loaded machine) shortens the span measured at the endpoint, so ask for three intervals of five
        assertThat(Duration.ofNanos(last - first)).as("six deliveries at four per second").isGreaterThanOrEqualTo(Duration.ofMillis(750));
    }

    @Test
    void refusalsAndExhaustedRetriesGoToTheDeadLetterQueue() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        Endpoint endpoint = new Endpoint(status::get);
        String topic = sns.createTopic(b -> b.name(unique("dlq"))).topicArn();
        SnsTestSupport.Queue dlq = SnsTestSupport.queue(sqs, unique("http-dlq"));
        subscribeAndConfirm(topic, endpoint, Map.of(
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlq.arn() + "\"}",
                "DeliveryPolicy", "{\"healthyRetryPolicy\":{\"numRetries\":2,\"numNoDelayRetries\":2}}"));

        status.set(404);
        String refused = sns.publish(b -> b.topicArn(topic).message("refused")).messageId();
        List<Message> dead = SnsTestSupport.receive(sqs, dlq.url(), 1, Duration.ofSeconds(10));
        assertThat(dead).hasSize(1);
        JsonNode envelope = SnsTestSupport.JSON.readTree(dead.get(0).body());
        assertThat(envelope.path("MessageId").asText()).isEqualTo(refused);
        assertThat(envelope.path("Message").asText()).isEqualTo("refused");
        assertThat(endpoint.next().header("x-amz-sns-message-id")).isEqualTo(refused);
        assertThat(endpoint.received.poll(300, TimeUnit.MILLISECONDS)).as("a 4xx is not retried").isNull();

        status.set(500);
        String failing = sns.publish(b -> b.topicArn(topic).message("failing")).messageId();
        dead = SnsTestSupport.receive(sqs, dlq.url(), 1, Duration.ofSeconds(10));
        assertThat(dead).hasSize(1);
        assertThat(SnsTestSupport.JSON.readTree(dead.get(0).body()).path("MessageId").asText()).isEqualTo(failing);
        int attempts = 0;
        for (Iterator<Received> it = endpoint.received.iterator(); it.hasNext(); it.next()) attempts++;
        assertThat(attempts).as("the first attempt and two immediate retries").isEqualTo(3);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
