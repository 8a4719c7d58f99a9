package io.eddy.protocol.rpcv2cbor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.protocol.TimestampNode;
import io.eddy.protocol.json.JsonService;
import io.netty.handler.codec.http.DefaultHttpHeaders;

class RpcV2CborEndpointTest {

    static final JsonService ECHO = (operation, input, context) -> {
        if (operation.equals("Fail")) {
            throw new AwsException(400, "com.example#BadThingException", "it broke").withQueryCompatibleCode("BadThing");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("Echo", input);
        out.put("Operation", operation);
        out.set("When", TimestampNode.ofEpochMillis(1_700_000_000_500L));
        out.set("WhenWhole", TimestampNode.ofEpochMillis(1_700_000_000_000L));
        return out;
    };

    final RpcV2CborEndpoint endpoint = new RpcV2CborEndpoint(ECHO, "Svc2020", "com.example#SerializationException",
            "com.example#UnknownOperationException");

    static GatewayRequest request(String path, byte[] body) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("smithy-protocol", "rpc-v2-cbor");
        return new GatewayRequest("POST", path, path, Map.of(), headers, body, null,
                new RequestContext("000000000000", "us-east-1", "rid", "localhost"));
    }

    @Test
    void decodesTaggedTimestampsAndEncodesTimestampsUnderTagOne() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeFieldName("At");
            g.writeTag(1);
            g.writeNumber(1_600_000_000.25);
            g.writeFieldName("Values");
            g.writeStartArray();
            g.writeNumber(1.5);
            g.writeNumber(7);
            g.writeEndArray();
            g.writeEndObject();
        }
        GatewayResponse response = endpoint.handle(request("/service/Svc2020/operation/DoIt", bytes.toByteArray()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("smithy-protocol", "rpc-v2-cbor").containsEntry("Content-Type", "application/cbor");
        assertThat(response.operation()).isEqualTo("DoIt");
        JsonNode body = RpcV2CborEndpoint.decode(response.body());
        assertThat(body.path("Operation").asText()).isEqualTo("DoIt");
        assertThat(body.path("Echo").path("At").doubleValue()).isEqualTo(1_600_000_000.25);
        assertThat(body.path("Echo").path("Values").get(1).asInt()).isEqualTo(7);

        try (CBORParser p = new CBORFactory().createParser(response.body())) {
            int tagged = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.currentName().startsWith("When")) {
                    String name = p.currentName();
                    p.nextToken();
                    assertThat(p.getCurrentTag()).isEqualTo(1);
                    assertThat(p.getNumberValue().doubleValue())
                            .isEqualTo(name.equals("When") ? 1_700_000_000.5 : 1_700_000_000.0);
                    tagged++;
                }
            }
            assertThat(tagged).isEqualTo(2);
        }
    }

    @Test
    void errorsCarryTypeMessageAndQueryErrorHeader() {
        GatewayResponse response = endpoint.handle(request("/service/Svc2020/operation/Fail", new byte[0]));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers()).containsEntry("x-amzn-query-error", "BadThing;Sender");
        JsonNode body = RpcV2CborEndpoint.decode(response.body());
        assertThat(body.path("__type").asText()).isEqualTo("com.example#BadThingException");
        assertThat(body.path("message").asText()).isEqualTo("it broke");
    }

    @Test
    void rejectsMalformedBodiesAndUnknownPaths() {
        GatewayResponse bad = endpoint.handle(request("/service/Svc2020/operation/DoIt", new byte[] {(byte) 0xff, 0x01}));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(RpcV2CborEndpoint.decode(bad.body()).path("__type").asText()).isEqualTo("com.example#SerializationException");
        GatewayResponse notMap = endpoint.handle(request("/service/Svc2020/operation/DoIt", RpcV2CborEndpoint.encode(
                JsonNodeFactory.instance.arrayNode().add(1))));
        assertThat(notMap.status()).isEqualTo(400);
        GatewayResponse unknown = endpoint.handle(request("/service/Other/operation/DoIt", new byte[0]));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(RpcV2CborEndpoint.decode(unknown.body()).path("__type").asText()).isEqualTo("com.example#UnknownOperationException");
    }
}
