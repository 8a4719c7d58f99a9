package io.eddy.it.sns;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SDK clients and helpers for SNS integration tests against a running Eddy. */
final class SnsTestSupport {

    static final String ACCOUNT = "000000000000";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private SnsTestSupport() {
    }

    static SnsClient sns(URI endpoint) {
        return SnsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(40)))
                .build();
    }

    static SqsClient sqs(URI endpoint) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(40)))
                .build();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A queue and its ARN. */
    record Queue(String url, String arn) {
    }

    static Queue queue(SqsClient sqs, String name) {
        return queue(sqs, name, java.util.Map.of());
    }

    static Queue queue(SqsClient sqs, String name, java.util.Map<QueueAttributeName, String> attributes) {
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new Queue(url, arn);
    }

    /** Receives until {@code count} messages arrived or {@code timeout} passed; deletes what it got. */
    static List<Message> receive(SqsClient sqs, String queueUrl, int count, Duration timeout) {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            long leftSeconds = Math.max(1, Math.min(5, (deadline - System.nanoTime()) / 1_000_000_000L));
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds((int) leftSeconds).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            for (Message m : got) {
                messages.add(m);
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return messages;
    }

    /** Every message available right now (after a drain nothing is on its way); deletes them. */
    static List<Message> receiveAvailable(SqsClient sqs, String queueUrl) {
        List<Message> messages = new ArrayList<>();
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (got.isEmpty()) return messages;
            for (Message m : got) {
                messages.add(m);
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** Waits until Eddy's background work is idle (POST /_eddy/drain). */
    static void drain(URI endpoint) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/_eddy/drain?timeout=20s"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new AssertionError("drain failed: " + response.body());
    }

    /** The outbox messages sent to {@code endpoint}. */
    static List<JsonNode> outbox(URI eddy, String endpoint) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(eddy.resolve("/_eddy/sns/outbox?endpoint="
                + URLEncoder.encode(endpoint, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new AssertionError("outbox failed: " + response.body());
        List<JsonNode> messages = new ArrayList<>();
        JSON.readTree(response.body()).path("messages").forEach(messages::add);
        return messages;
    }

    static String topicArn(String name) {
        return "arn:aws:sns:us-east-1:" + ACCOUNT + ":" + name;
    }
}
