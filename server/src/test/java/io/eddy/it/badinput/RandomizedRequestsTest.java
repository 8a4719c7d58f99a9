package io.eddy.it.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * Valid DynamoDB and SQS requests, mutated at random (members deleted, values swapped for values of
 * other types, unknown members added, random bytes, truncation), sent to a running Eddy from several
 * clients at once. Every answer must be one AWS's SDKs accept as a result or as an error: a 200 with a
 * JSON object, or a 4xx with {@code __type} (and a message, except for the bare errors AWS sends for
 * unreadable bodies); DynamoDB's always with a matching x-amz-crc32. Never a 5xx, never a hang; the
 * server keeps answering valid requests throughout.
 */
class RandomizedRequestsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int CLIENTS = 4;
    static final int REQUESTS_PER_CLIENT = 250;

    static Eddy eddy;
    static HttpClient http;
    static String queueUrl;

    record Seed(String target, String body) {
        boolean dynamoDb() {
            return target.startsWith("DynamoDB_20120810.");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        eddy = Eddy.start(EddyConfig.inMemory().withMaxBodyBytes(256 * 1024));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThat(send("DynamoDB_20120810.CreateTable", """
                {"TableName":"fuzz","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],
                 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]}"""
                .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> queue = send("AmazonSQS.CreateQueue", "{\"QueueName\":\"fuzz\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(queue.statusCode()).isEqualTo(200);
        queueUrl = JSON.readTree(queue.body()).path("QueueUrl").asText();
    }

    @AfterAll
    static void stop() {
        eddy.close();
    }

    static List<Seed> seeds() {
        String q = queueUrl;
        return List.of(
                new Seed("DynamoDB_20120810.PutItem", """
                        {"TableName":"fuzz","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"m":{"M":{"l":{"L":[{"N":"1"},{"SS":["x"]},
                         {"B":"AAEC"},{"NULL":true},{"BOOL":true}]}}}},"ConditionExpression":"attribute_not_exists(#v)",
                         "ExpressionAttributeNames":{"#v":"v"},"ReturnValues":"ALL_OLD"}"""),
                new Seed("DynamoDB_20120810.GetItem", """
                        {"TableName":"fuzz","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ProjectionExpression":"m.l[1]",
                         "ConsistentRead":true}"""),
                new Seed("DynamoDB_20120810.UpdateItem", """
                        {"TableName":"fuzz","Key":{"pk":{"S":"a"},"sk":{"N":"2"}},"UpdateExpression":"SET c = if_not_exists(c, :z) + :o",
                         "ExpressionAttributeValues":{":z":{"N":"0"},":o":{"N":"1"}},"ReturnValues":"ALL_NEW"}"""),
                new Seed("DynamoDB_20120810.DeleteItem", """
                        {"TableName":"fuzz","Key":{"pk":{"S":"b"},"sk":{"N":"1"}},"ReturnValues":"ALL_OLD"}"""),
                new Seed("DynamoDB_20120810.Query", """
                        {"TableName":"fuzz","KeyConditionExpression":"pk = :p AND sk > :s","FilterExpression":"attribute_exists(m)",
                         "ExpressionAttributeValues":{":p":{"S":"a"},":s":{"N":"0"}},"Limit":5,"ScanIndexForward":false}"""),
                new Seed("DynamoDB_20120810.Scan", """
                        {"TableName":"fuzz","Segment":0,"TotalSegments":2,"ScanFilter":{"c":{"ComparisonOperator":"NOT_NULL"}}}"""),
                new Seed("DynamoDB_20120810.BatchWriteItem", """
                        {"RequestItems":{"fuzz":[{"PutRequest":{"Item":{"pk":{"S":"c"},"sk":{"N":"1"}}}},
                         {"DeleteRequest":{"Key":{"pk":{"S":"d"},"sk":{"N":"1"}}}}]}}"""),
                new Seed("DynamoDB_20120810.BatchGetItem", """
                        {"RequestItems":{"fuzz":{"Keys":[{"pk":{"S":"a"},"sk":{"N":"1"}}],"ProjectionExpression":"pk"}}}"""),
                new Seed("DynamoDB_20120810.TransactWriteItems", """
                        {"TransactItems":[{"Put":{"TableName":"fuzz","Item":{"pk":{"S":"t"},"sk":{"N":"1"}}}},
                         {"ConditionCheck":{"TableName":"fuzz","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
                          "ConditionExpression":"attribute_exists(pk)"}}]}"""),
                new Seed("DynamoDB_20120810.ExecuteStatement", """
                        {"Statement":"SELECT * FROM \\"fuzz\\" WHERE pk = ?","Parameters":[{"S":"a"}],"Limit":2}"""),
                new Seed("DynamoDB_20120810.DescribeTable", "{\"TableName\":\"fuzz\"}"),
                new Seed("DynamoDB_20120810.ListTables", "{\"Limit\":5}"),
                new Seed("AmazonSQS.SendMessage", """
                        {"QueueUrl":"%s","MessageBody":"hello","DelaySeconds":0,"MessageAttributes":{"a":{"DataType":"String",
                         "StringValue":"b"},"n":{"DataType":"Number","StringValue":"1"},"c":{"DataType":"Binary","BinaryValue":"AAEC"}}}"""
                        .formatted(q)),
                new Seed("AmazonSQS.SendMessageBatch", """
                        {"QueueUrl":"%s","Entries":[{"Id":"1","MessageBody":"x"},{"Id":"2","MessageBody":"y","DelaySeconds":1}]}"""
                        .formatted(q)),
                new Seed("AmazonSQS.ReceiveMessage", """
                        {"QueueUrl":"%s","MaxNumberOfMessages":10,"WaitTimeSeconds":0,"VisibilityTimeout":0,
                         "MessageAttributeNames":["All"],"MessageSystemAttributeNames":["All"]}""".formatted(q)),
                new Seed("AmazonSQS.DeleteMessage", "{\"QueueUrl\":\"%s\",\"ReceiptHandle\":\"nope\"}".formatted(q)),
                new Seed("AmazonSQS.ChangeMessageVisibilityBatch", """
                        {"QueueUrl":"%s","Entries":[{"Id":"a","ReceiptHandle":"nope","VisibilityTimeout":5}]}""".formatted(q)),
                new Seed("AmazonSQS.GetQueueAttributes", "{\"QueueUrl\":\"%s\",\"AttributeNames\":[\"All\"]}".formatted(q)),
                new Seed("AmazonSQS.SetQueueAttributes", """
                        {"QueueUrl":"%s","Attributes":{"VisibilityTimeout":"30","MaximumMessageSize":"2048"}}""".formatted(q)),
                new Seed("AmazonSQS.CreateQueue", """
                        {"QueueName":"fuzz-2","Attributes":{"DelaySeconds":"0"},"tags":{"k":"v"}}"""),
                new Seed("AmazonSQS.ListQueues", "{\"QueueNamePrefix\":\"fu\",\"MaxResults\":5}"),
                new Seed("AmazonSQS.TagQueue", "{\"QueueUrl\":\"%s\",\"Tags\":{\"a\":\"b\"}}".formatted(q)));
    }

    static HttpResponse<byte[]> send(String target, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(eddy.endpoint() + "/"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", target)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/"
                        + (target.startsWith("AmazonSQS") ? "sqs" : "dynamodb") + "/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void mutatedRequestsGetWellFormedAnswersAndTheServerKeepsServing() throws Exception {
        List<Seed> seeds = seeds();
        for (Seed seed : seeds) {
            HttpResponse<byte[]> response = send(seed.target(), seed.body().getBytes(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(seed + " -> " + new String(response.body(), StandardCharsets.UTF_8))
                    .isIn(200, 400);
        }
        long seedValue = new Random().nextLong();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Random random = new Random(seedValue + c);
                runs.add(clients.submit(() -> {
                    fuzz(seeds, random, "seed " + seedValue + " client");
                    return null;
                }));
            }
            for (Future<?> run : runs) run.get();
        } finally {
            clients.shutdownNow();
        }
        MalformedRequestsTest.assertServing(eddy.port());
    }

    static void fuzz(List<Seed> seeds, Random random, String label) throws Exception {
        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
            Seed seed = seeds.get(random.nextInt(seeds.size()));
            byte[] body = mutate(seed, random);
            String description = label + " #" + i + ": " + seed.target() + " " + printable(body);
            HttpResponse<byte[]> response = send(seed.target(), body);
            assertWellFormed(seed, response, description);
            if (i % 50 == 49) {
                Seed valid = seeds.get(random.nextInt(seeds.size()));
                assertThat(send(valid.target(), valid.body().getBytes(StandardCharsets.UTF_8)).statusCode())
                        .as(label + " valid " + valid.target()).isIn(200, 400);
                MalformedRequestsTest.assertServing(eddy.port());
            }
        }
    }

    static void assertWellFormed(Seed seed, HttpResponse<byte[]> response, String request) throws IOException {
        String description = request + " -> " + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(description).isIn(200, 400, 403, 404, 413);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).as(description).isPresent();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body).as(description).isNotNull();
        assertThat(body.isObject()).as(description).isTrue();
        if (seed.dynamoDb()) {
            CRC32 crc = new CRC32();
            crc.update(response.body());
            assertThat(response.headers().firstValue("x-amz-crc32")).as(description).hasValue(Long.toString(crc.getValue()));
        }
        if (response.statusCode() == 200) return;
        String type = body.path("__type").asText();
        assertThat(type).as(description).isNotBlank();
        boolean bare = type.equals("com.amazon.coral.service#SerializationException") && body.size() == 1
                || type.equals("com.amazon.coral.service#UnknownOperationException");
        if (!bare) {
            JsonNode message = body.has("message") ? body.get("message") : body.get("Message");
            assertThat(message != null && message.isTextual()).as(description + ": a message").isTrue();
        }
        response.headers().firstValue("x-amzn-query-error").ifPresent(header ->
                assertThat(header).as(description).matches("[A-Za-z0-9_.]+;(Sender|Receiver)"));
    }

    /** One to three mutations, at the JSON level or on the bytes. */
    static byte[] mutate(Seed seed, Random random) throws IOException {
        JsonNode tree = JSON.readTree(seed.body());
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) tree = mutateTree(tree, random);
        boundLongPolls(seed, tree);
        byte[] bytes = JSON.writeValueAsBytes(tree);
        return switch (random.nextInt(6)) {
            case 0 -> Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 1 -> {
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                yield bytes;
            }
            case 2 -> {
                byte[] garbage = new byte[random.nextInt(200)];
                random.nextBytes(garbage);
                yield random.nextBoolean() ? garbage : RawHttp.concat(bytes, garbage);
            }
            default -> bytes;
        };
    }

    /** A mutation may ask ReceiveMessage to wait for messages; keep the test fast by not letting it. */
    static void boundLongPolls(Seed seed, JsonNode tree) {
        if (seed.target().endsWith("ReceiveMessage") && tree instanceof ObjectNode request
                && request.path("WaitTimeSeconds").isNumber() && request.path("WaitTimeSeconds").asLong() > 0) {
            request.put("WaitTimeSeconds", 0);
        }
    }

    static JsonNode mutateTree(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target.isEmpty()) {
            if (target instanceof ObjectNode object) object.set("Extra", randomValue(random, 0));
            else ((ArrayNode) target).add(randomValue(random, 0));
            return root;
        }
        int index = random.nextInt(target.size());
        String name = target.isObject() ? fieldName((ObjectNode) target, index) : null;
        switch (random.nextInt(5)) {
            case 0 -> {
                if (name != null) ((ObjectNode) target).remove(name);
                else ((ArrayNode) target).remove(index);
            }
            case 4 -> set(target, name, index, NODES.nullNode());
            case 1 -> set(target, name, index, randomValue(random, 0));
            case 2 -> {
                if (target instanceof ObjectNode object) object.set("Unknown" + random.nextInt(5), randomValue(random, 0));
                else ((ArrayNode) target).add(randomValue(random, 0));
            }
            default -> set(target, name, index, switch (random.nextInt(7)) {
                case 6 -> NODES.numberNode(new java.math.BigDecimal("1e400"));
                case 0 -> NODES.textNode("");
                case 1 -> NODES.numberNode(0);
                case 2 -> NODES.numberNode(-1);
                case 3 -> NODES.numberNode(Long.MAX_VALUE);
                case 4 -> NODES.arrayNode();
                default -> NODES.objectNode();
            });
        }
        return root;
    }

    static void set(JsonNode container, String name, int index, JsonNode value) {
        if (name != null) ((ObjectNode) container).set(name, value);
        else ((ArrayNode) container).set(index, value);
    }

    static String fieldName(ObjectNode object, int index) {
        var names = object.fieldNames();
        for (int i = 0; i < index; i++) names.next();
        return names.next();
    }

    static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (JsonNode child : node) collect(child, containers);
        }
    }

    static JsonNode randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 1 ? 7 : 9)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(201) - 100);
            case 3 -> NODES.numberNode(random.nextDouble() * 1000);
            case 4 -> NODES.numberNode(new BigInteger(90, random));
            case 5 -> NODES.textNode(List.of("S", "N", "fuzz", "HASH", ":p", "#v", "1", "AAEC", "All", "\u0000\uFFFF")
                    .get(random.nextInt(10)));
            case 6 -> NODES.textNode(Long.toString(random.nextLong(), 36));
            case 7 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(3); i > 0; i--) array.add(randomValue(random, depth + 1));
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    object.set(List.of("S", "N", "M", "L", "Key", "Item", "Id").get(random.nextInt(7)), randomValue(random, depth + 1));
                }
                yield object;
            }
        };
    }

    static String printable(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }
}
