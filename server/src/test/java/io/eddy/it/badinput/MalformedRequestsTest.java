package io.eddy.it.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * Requests no SDK would send, over raw sockets: each gets AWS's error shape and status, the connection
 * ends cleanly where it must, and the next client on a new connection is served as usual.
 */
class MalformedRequestsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_BODY = 1024 * 1024;
    static final String DYNAMODB = "DynamoDB_20120810.";
    static final String SQS = "AmazonSQS.";
    static final String SERIALIZATION = "com.amazon.coral.service#SerializationException";

    static Eddy eddy;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory().withMaxBodyBytes(MAX_BODY));
    }

    @AfterAll
    static void stop() {
        eddy.close();
    }

    /** After every case: a new connection gets a normal answer to a normal request. */
    @AfterEach
    void serverStillServes() throws Exception {
        assertServing(eddy.port());
    }

    static void assertServing(int port) throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            RawHttp.Response response = http.send(RawHttp.jsonRequest(DYNAMODB + "ListTables", "{}".getBytes())).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).has("TableNames")).isTrue();
        }
    }

    static RawHttp.Response exchange(String target, byte[] body) throws IOException {
        try (RawHttp http = new RawHttp(eddy.port())) {
            return http.send(RawHttp.jsonRequest(target, body)).read();
        }
    }

    static RawHttp.Response exchange(String target, String body) throws IOException {
        return exchange(target, body.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(RawHttp.Response response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** DynamoDB's clients verify every response body against x-amz-crc32, errors included. */
    static void assertCrc32(RawHttp.Response response) {
        CRC32 crc = new CRC32();
        crc.update(response.body());
        assertThat(response.header("x-amz-crc32")).isEqualTo(Long.toString(crc.getValue()));
    }

    /** AWS answers a body it cannot read as a JSON object with a SerializationException and no message. */
    static void assertBareSerializationException(RawHttp.Response response) throws IOException {
        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).isEqualTo(JSON.createObjectNode().put("__type", SERIALIZATION));
        assertThat(response.header("x-amzn-RequestId")).isNotBlank();
    }

    @Test
    void malformedJsonIsABareSerializationException() throws Exception {
        for (String body : new String[] {"{\"TableName\": ", "hi", "{\"a\":1}}", "[]", "\"x\"", "{\"a\":tru}", "{'a':1}"}) {
            RawHttp.Response response = exchange(DYNAMODB + "ListTables", body);
            assertBareSerializationException(response);
            assertCrc32(response);
            assertBareSerializationException(exchange(SQS + "ListQueues", body));
        }
    }

    @Test
    void membersOfTheWrongTypeAreSerializationExceptionsWithAwsMessages() throws Exception {
        RawHttp.Response response = exchange(DYNAMODB + "PutItem", "{\"TableName\":5,\"Item\":{}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).path("__type").asText()).isEqualTo(SERIALIZATION);
        assertThat(json(response).path("Message").asText()).isEqualTo("NUMBER_VALUE cannot be converted to String");
        assertCrc32(response);
        assertThat(json(exchange(DYNAMODB + "Scan", "{\"TableName\":\"t\",\"Limit\":\"abc\"}")).path("Message").asText())
                .isEqualTo("STRING_VALUE cannot be converted to Integer");
        assertThat(json(exchange(DYNAMODB + "PutItem", "{\"TableName\":\"t\",\"Item\":[]}")).path("Message").asText())
                .isEqualTo("Unrecognized collection type java.util.Map<java.lang.String, "
                        + "com.amazonaws.dynamodb.v20120810.AttributeValue>");
        assertThat(json(exchange(DYNAMODB + "GetItem", "{\"TableName\":\"t\",\"Key\":{\"PK\":\"x\"}}")).path("Message").asText())
                .isEqualTo("Unexpected value type in payload");
        RawHttp.Response sqs = exchange(SQS + "ReceiveMessage",
                "{\"QueueUrl\":\"http://127.0.0.1/000000000000/q\",\"MaxNumberOfMessages\":\"5\"}");
        assertThat(sqs.status()).isEqualTo(400);
        assertThat(json(sqs).path("__type").asText()).isEqualTo(SERIALIZATION);
        assertThat(json(sqs).path("Message").asText()).isEqualTo("STRING_VALUE can not be converted to an Integer");
        assertThat(json(exchange(SQS + "CreateQueue", "{\"QueueName\":42}")).path("Message").asText())
                .isEqualTo("NUMBER_VALUE can not be converted to an String");
    }

    @Test
    void missingAndOutOfRangeMembersAreOneValidationException() throws Exception {
        RawHttp.Response response = exchange(DYNAMODB + "PutItem", "{}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).path("__type").asText()).isEqualTo("com.amazon.coral.validate#ValidationException");
        assertThat(json(response).path("message").asText()).isEqualTo("2 validation errors detected: "
                + "Value null at 'tableName' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'item' failed to satisfy constraint: Member must not be null");
        assertThat(json(exchange(DYNAMODB + "Scan", "{\"TableName\":\"tbl\",\"Limit\":0}")).path("message").asText())
                .isEqualTo("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1");
    }

    @Test
    void unknownMembersAndNullsAreIgnored() throws Exception {
        RawHttp.Response response = exchange(DYNAMODB + "ListTables", "{\"Whatever\":[1,{\"x\":null}],\"Limit\":null}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).has("TableNames")).isTrue();
        assertThat(exchange(SQS + "ListQueues", "{\"Whatever\":true}").status()).isEqualTo(200);
    }

    @Test
    void invalidUtf8IsABareSerializationException() throws Exception {
        byte[] inValue = {'{', '"', 'T', 'a', 'b', 'l', 'e', 'N', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertBareSerializationException(exchange(DYNAMODB + "DescribeTable", inValue));
        byte[] inName = {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'};
        assertBareSerializationException(exchange(DYNAMODB + "ListTables", inName));
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        assertBareSerializationException(exchange(SQS + "ListQueues", overlong));
    }

    @Test
    void deepNestingIsABareSerializationException() throws Exception {
        String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertBareSerializationException(exchange(DYNAMODB + "ListTables", deep));
        String deepArrays = "{\"Item\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertBareSerializationException(exchange(DYNAMODB + "PutItem", deepArrays));
        assertBareSerializationException(exchange(SQS + "ListQueues", "[".repeat(100_000)));
    }

    @Test
    void deepAttributeValuesWithinTheParserLimitAreDynamoDbValidationErrors() throws Exception {
        String nested = "{\"M\":{\"a\":".repeat(40) + "{\"S\":\"x\"}" + "}}".repeat(40);
        RawHttp.Response response = exchange(DYNAMODB + "PutItem", "{\"TableName\":\"tbl\",\"Item\":{\"pk\":" + nested + "}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).path("__type").asText()).isIn("com.amazon.coral.validate#ValidationException",
                "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
    }

    @Test
    void bodyOverTheLimitIs413AndTheConnectionEndsAfterTheAnswer() throws Exception {
        byte[] body = new byte[16 * MAX_BODY];
        java.util.Arrays.fill(body, (byte) ' ');
        try (RawHttp http = new RawHttp(eddy.port())) {
            // the client keeps sending while the answer comes back: the server must take the rest in
            // rather than reset the connection under it
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                try {
                    http.send(RawHttp.jsonRequest(DYNAMODB + "ListTables", body)).shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(json(response).path("__type").asText()).isEqualTo("RequestEntityTooLarge");
            assertThat(json(response).path("message").asText()).isEqualTo("Request must be smaller than " + MAX_BODY + " bytes");
            upload.get(30, TimeUnit.SECONDS);
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        try (RawHttp http = new RawHttp(eddy.port())) {
            http.send("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: " + DYNAMODB + "ListTables\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            String chunk = Integer.toHexString(64 * 1024) + "\r\n" + " ".repeat(64 * 1024) + "\r\n";
            RawHttp.Response response = null;
            for (int i = 0; i < 40 && response == null; i++) {
                try {
                    http.send(chunk);
                } catch (IOException closed) {
                    break;
                }
                if (i == 20) response = http.read();
            }
            if (response == null) response = http.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void expectContinueOverTheLimitIsRefusedBeforeTheBodyIsSent() throws Exception {
        try (RawHttp http = new RawHttp(eddy.port())) {
            http.send("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: " + DYNAMODB + "ListTables\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + (MAX_BODY * 4) + "\r\n\r\n");
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(json(response).path("__type").asText()).isEqualTo("RequestEntityTooLarge");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void bodyShorterThanAnnouncedThenEndOfInputIsNotAnswered() throws Exception {
        byte[] request = RawHttp.jsonRequest(DYNAMODB + "ListTables", "{}".getBytes());
        String truncated = new String(request, StandardCharsets.ISO_8859_1).replace("Content-Length: 2", "Content-Length: 1000");
        try (RawHttp http = new RawHttp(eddy.port())) {
            RawHttp.Response response = http.send(truncated).shutdownOutput().read();
            if (response != null) {
                assertThat(response.status()).isEqualTo(400);
                assertThat(http.closedByServer()).isTrue();
            }
        }
        try (RawHttp http = new RawHttp(eddy.port())) {
            http.send(truncated);
        }
    }

    @Test
    void garbageBytesAreAnswered400OrDropped() throws Exception {
        Random random = new Random();
        for (int i = 0; i < 20; i++) {
            byte[] garbage = new byte[1 + random.nextInt(4096)];
            random.nextBytes(garbage);
            try (RawHttp http = new RawHttp(eddy.port())) {
                RawHttp.Response response;
                try {
                    response = http.send(garbage).send("\r\n\r\n").read();
                } catch (IOException reset) {
                    continue;
                }
                if (response != null) {
                    assertThat(response.status()).as("garbage answered with").isEqualTo(400);
                    assertThat(http.closedByServer()).isTrue();
                }
            }
        }
    }

    @Test
    void oversizedHeadersAre400() throws Exception {
        try (RawHttp http = new RawHttp(eddy.port())) {
            RawHttp.Response response = http.send("POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100_000)
                    + "\r\nContent-Length: 2\r\n\r\n{}").read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(json(response).path("__type").asText()).isEqualTo("BadRequest");
        }
    }

    @Test
    void halfWrittenRequestsDoNotHoldUpOthers() throws Exception {
        List<RawHttp> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                RawHttp http = new RawHttp(eddy.port());
                slow.add(http);
                http.send("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar");
            }
            for (int round = 0; round < 3; round++) {
                for (RawHttp http : slow) http.send("g");
                long started = System.nanoTime();
                assertServing(eddy.port());
                assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
            }
        } finally {
            for (RawHttp http : slow) http.close();
        }
        try (RawHttp http = new RawHttp(eddy.port())) {
            http.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Le").shutdownOutput();
            assertThat(http.read()).isNull();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAfterABadOne() throws Exception {
        try (RawHttp http = new RawHttp(eddy.port())) {
            http.send(RawHttp.concat(RawHttp.jsonRequest(DYNAMODB + "PutItem", "{\"TableName\":5}".getBytes()),
                    RawHttp.jsonRequest(DYNAMODB + "ListTables", "{}".getBytes())));
            assertThat(http.read().status()).isEqualTo(400);
            RawHttp.Response second = http.read();
            assertThat(second.status()).isEqualTo(200);
            assertThat(json(second).has("TableNames")).isTrue();
        }
    }
}
