package io.eddy.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.netty.handler.codec.http.DefaultHttpHeaders;

class AwsJsonEndpointTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERIALIZATION = "com.amazon.coral.service#SerializationException";
    static final String UNKNOWN = "com.amazon.coral.service#UnknownOperationException";

    /** Echoes its input; fails the way a service does for the operation "Fail". */
    static final JsonService ECHO = (operation, input, context) -> {
        if (operation.equals("Fail")) {
            AwsException e = new AwsException(400, "com.example#Broken", "it broke");
            e.details().put("Extra", 1);
            throw e.withQueryCompatibleCode("Legacy.Broken");
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("Echo", input);
        out.put("Operation", operation);
        return out;
    };

    final AwsJsonEndpoint endpoint = new AwsJsonEndpoint(ECHO, "1.0", SERIALIZATION, UNKNOWN, true);

    static GatewayRequest request(String target, byte[] body) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        if (target != null) headers.set("X-Amz-Target", target);
        return new GatewayRequest("POST", "/", "/", Map.of(), headers, body, null,
                new RequestContext("000000000000", "us-east-1", "rid", "localhost"));
    }

    static JsonNode body(GatewayResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void dispatchesByTargetAndSignsBodyWithCrc32() throws Exception {
        GatewayResponse response = endpoint.handle(request("Svc_2012.DoIt", "{\"A\":[1,2]}".getBytes(StandardCharsets.UTF_8)));
        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).path("Operation").asText()).isEqualTo("DoIt");
        assertThat(body(response).path("Echo").path("A").get(1).asInt()).isEqualTo(2);
        CRC32 crc = new CRC32();
        crc.update(response.body());
        assertThat(response.headers()).containsEntry("x-amz-crc32", Long.toString(crc.getValue()))
                .containsEntry("Content-Type", "application/x-amz-json-1.0");
    }

    @Test
    void serviceErrorsKeepTypeMessageDetailsAndQueryCode() throws Exception {
        GatewayResponse response = endpoint.handle(request("Svc.Fail", "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(response.status()).isEqualTo(400);
        JsonNode body = body(response);
        assertThat(body.path("__type").asText()).isEqualTo("com.example#Broken");
        assertThat(body.path("message").asText()).isEqualTo("it broke");
        assertThat(body.path("Extra").asInt()).isEqualTo(1);
        assertThat(response.headers()).containsEntry("x-amzn-query-error", "Legacy.Broken;Sender");
    }

    @Test
    void malformedBodiesAreSerializationExceptionsWithoutMessage() throws Exception {
        for (String bad : new String[] {"{", "[]", "\"x\"", "{\"a\":1}{}", "nul", "{\"a\":tru}", "hi", " "}) {
            GatewayResponse response = endpoint.handle(request("Svc.Op", bad.getBytes(StandardCharsets.UTF_8)));
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(body(response)).as(bad).isEqualTo(JSON.readTree("{\"__type\":\"" + SERIALIZATION + "\"}"));
        }
    }

    @Test
    void errorsPutTheirMessageInTheMemberTheyName() throws Exception {
        JsonService failing = (operation, input, context) -> {
            throw new AwsException(400, SERIALIZATION, "NUMBER_VALUE cannot be converted to String").withMessageMember("Message");
        };
        JsonNode body = body(new AwsJsonEndpoint(failing, "1.0", SERIALIZATION, UNKNOWN, true)
                .handle(request("Svc.Op", "{}".getBytes(StandardCharsets.UTF_8))));
        assertThat(body.path("Message").asText()).isEqualTo("NUMBER_VALUE cannot be converted to String");
        assertThat(body.has("message")).isFalse();
    }

    @Test
    void invalidUtf8AndDeepNestingAreRejected() throws Exception {
        byte[] invalid = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThat(body(endpoint.handle(request("Svc.Op", invalid))).path("__type").asText()).isEqualTo(SERIALIZATION);
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        assertThat(body(endpoint.handle(request("Svc.Op", overlong))).path("__type").asText()).isEqualTo(SERIALIZATION);
        byte[] invalidName = {'{', '"', (byte) 0xFF, '"', ':', '1', '}'};
        assertThat(body(endpoint.handle(request("Svc.Op", invalidName))).path("__type").asText()).isEqualTo(SERIALIZATION);
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        GatewayResponse response = endpoint.handle(request("Svc.Op", deep.getBytes(StandardCharsets.UTF_8)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(body(response).path("__type").asText()).isEqualTo(SERIALIZATION);
    }

    @Test
    void missingOrEmptyTargetIsUnknownOperation() throws Exception {
        assertThat(body(endpoint.handle(request("NoDot", new byte[0]))).path("__type").asText()).isEqualTo(UNKNOWN);
        assertThat(body(endpoint.handle(request("Svc.", new byte[0]))).path("__type").asText()).isEqualTo(UNKNOWN);
    }

    /** Random and mutated bodies: every answer is a 200 or a 400 in the JSON error shape, never a crash. */
    @RepeatedTest(20)
    void randomizedBodiesNeverEscapeTheErrorShape() throws Exception {
        Random random = new Random();
        byte[] seed = "{\"TableName\":\"t\",\"Item\":{\"PK\":{\"S\":\"a\"},\"L\":{\"L\":[{\"N\":\"1\"},{\"M\":{}}]}}}"
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 500; i++) {
            byte[] body;
            if (random.nextBoolean()) {
                body = seed.clone();
                int mutations = 1 + random.nextInt(4);
                for (int m = 0; m < mutations; m++) body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                if (random.nextInt(4) == 0) body = java.util.Arrays.copyOf(body, random.nextInt(body.length));
            } else {
                body = new byte[random.nextInt(64)];
                random.nextBytes(body);
            }
            GatewayResponse response = endpoint.handle(request("Svc.Op", body));
            assertThat(response.status()).isIn(200, 400);
            JsonNode parsed = body(response);
            if (response.status() == 400) assertThat(parsed.path("__type").asText()).isEqualTo(SERIALIZATION);
        }
    }
}
