package io.eddy.it.esm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eddy.server.Eddy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Clients, functions from Python source strings, stream tables and queues for event source mapping
 * tests. Handlers log {@code EVENT <json>} per invocation, which tests read back from the function log.
 */
final class EsmTestSupport {

    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";
    static final ObjectMapper JSON = new ObjectMapper();

    private EsmTestSupport() {
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCOUNT, "secret"));
    }

    static LambdaClient lambda(Eddy eddy) {
        return LambdaClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60))).build();
    }

    static DynamoDbClient dynamo(Eddy eddy) {
        return DynamoDbClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    static SnsClient sns(Eddy eddy) {
        return SnsClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    static CloudWatchClient cloudWatch(Eddy eddy) {
        return CloudWatchClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    static SqsClient sqs(Eddy eddy) {
        return SqsClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Python that logs each event, then runs {@code body} (which sees {@code event} and returns the response). */
    static String handler(String body) {
        return "import json\n"
                + "def handler(event, context):\n"
                + "    print('EVENT ' + json.dumps(event))\n"
                + body.indent(4);
    }

    static String createFunction(LambdaClient lambda, String name, String pythonSource) {
        return createFunction(lambda, name, pythonSource, 5);
    }

    static String createFunction(LambdaClient lambda, String name, String pythonSource, int timeoutSeconds) {
        String arn = lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("lambda_function.handler").timeout(timeoutSeconds)
                .code(c -> c.zipFile(zip(pythonSource)))).functionArn();
        await(() -> {
            var configuration = lambda.getFunctionConfiguration(b -> b.functionName(name));
            if (configuration.stateAsString().equals("Failed")) {
                throw new AssertionError("function " + name + " failed: " + configuration.stateReason());
            }
            return configuration.stateAsString().equals("Active");
        }, Duration.ofSeconds(30));
        return arn;
    }

    static SdkBytes zip(String pythonSource) {
        try {
            Path dir = Files.createTempDirectory("eddy-esm-zip");
            Path zip = dir.resolve("code.zip");
            try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()),
                    Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
                Path source = fs.getPath("/lambda_function.py");
                Files.writeString(source, pythonSource, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
            }
            byte[] bytes = Files.readAllBytes(zip);
            Files.delete(zip);
            Files.delete(dir);
            return SdkBytes.fromByteArray(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table keyed by {@code id} (string) with a NEW_AND_OLD_IMAGES stream; returns the stream ARN. */
    static String createStreamTable(DynamoDbClient dynamo, String table) {
        return dynamo.createTable(b -> b.tableName(table)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST")
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                .tableDescription().latestStreamArn();
    }

    static void put(DynamoDbClient dynamo, String table, String id, String value) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(id), "value", AttributeValue.fromS(value))));
    }

    static String queueArn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
    }

    static void awaitState(LambdaClient lambda, String uuid, String state) {
        await(() -> state.equals(lambda.getEventSourceMapping(b -> b.uuid(uuid)).state()), Duration.ofSeconds(30));
    }

    private static final Map<URI, CloudWatchLogsClient> LOG_CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The function's log messages from CloudWatch Logs (delivered moments after each invocation), in order. */
    static List<String> logMessages(Eddy eddy, String function) {
        CloudWatchLogsClient logs = LOG_CLIENTS.computeIfAbsent(eddy.endpoint(), endpoint -> CloudWatchLogsClient.builder()
                .endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build());
        try {
            return logs.filterLogEventsPaginator(b -> b.logGroupName("/aws/lambda/" + function)).events().stream()
                    .map(FilteredLogEvent::message).toList();
        } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException e) {
            return List.of();
        }
    }

    /** The events the function's handler logged, in order. */
    static List<JsonNode> events(Eddy eddy, String function) {
        List<JsonNode> out = new ArrayList<>();
        for (String message : logMessages(eddy, function)) {
            if (!message.startsWith("EVENT ")) continue;
            try {
                out.add(JSON.readTree(message.substring(6)));
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        return out;
    }

    /** Every record of every logged event, in invocation order. */
    static List<JsonNode> records(Eddy eddy, String function) {
        List<JsonNode> out = new ArrayList<>();
        events(eddy, function).forEach(e -> e.path("Records").forEach(out::add));
        return out;
    }

    /** What the handler logged with {@code print('DONE ' + json.dumps(...))} after succeeding. */
    static List<JsonNode> done(Eddy eddy, String function) {
        List<JsonNode> out = new ArrayList<>();
        for (String message : logMessages(eddy, function)) {
            if (!message.startsWith("DONE ")) continue;
            try {
                out.add(JSON.readTree(message.substring(5)));
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        return out;
    }

    static String newValue(JsonNode streamRecord) {
        return streamRecord.at("/dynamodb/NewImage/value/S").asText();
    }

    /** POST /_eddy/drain: waits until every mapping is caught up with nothing in flight. */
    static void drain(Eddy eddy) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    eddy.endpoint().resolve("/_eddy/drain?timeout=60s")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) throw new AssertionError("drain did not finish: " + response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
