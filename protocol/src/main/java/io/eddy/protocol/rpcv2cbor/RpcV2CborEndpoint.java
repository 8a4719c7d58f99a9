package io.eddy.protocol.rpcv2cbor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;

import io.eddy.gateway.Endpoint;
import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;
import io.eddy.protocol.AwsException;
import io.eddy.protocol.TimestampNode;
import io.eddy.protocol.json.JsonService;

/**
 * The Smithy RPC v2 CBOR protocol: {@code POST /service/<ServiceName>/operation/<Operation>} with
 * {@code smithy-protocol: rpc-v2-cbor} and a CBOR map body. The service sees the same JSON tree the
 * AWS JSON protocols give it (tag-1 timestamps arrive as epoch seconds, byte strings as binary
 * nodes); errors are a CBOR map with {@code __type} and {@code message}.
 */
public final class RpcV2CborEndpoint implements Endpoint {

    public static final String PROTOCOL_HEADER = "smithy-protocol";
    public static final String PROTOCOL = "rpc-v2-cbor";
    public static final String CONTENT_TYPE = "application/cbor";

    private static final int MAX_NESTING_DEPTH = 100;
    private static final int EPOCH_SECONDS_TAG = 1;

    private static final CBORMapper MAPPER = new CBORMapper(CBORFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build());

    private final JsonService service;
    private final String servicePath;
    private final String serializationErrorType;
    private final String unknownOperationType;

    /**
     * @param serviceName the service shape's name, the second path segment
     * @param serializationErrorType the service's {@code __type} for bodies that are not a CBOR map
     * @param unknownOperationType the service's {@code __type} for a path naming no operation
     */
    public RpcV2CborEndpoint(JsonService service, String serviceName, String serializationErrorType,
                             String unknownOperationType) {
        this.service = service;
        this.servicePath = "/service/" + serviceName + "/operation/";
        this.serializationErrorType = serializationErrorType;
        this.unknownOperationType = unknownOperationType;
    }

    /** Whether a request path names this protocol's wire form (any service). */
    public static boolean isRpcV2CborPath(String path) {
        return path.startsWith("/service/") && path.contains("/operation/");
    }

    @Override
    public GatewayResponse handle(GatewayRequest request) {
        String operation = request.path().startsWith(servicePath) ? request.path().substring(servicePath.length()) : null;
        try {
            if (!"POST".equals(request.method()) || operation == null || operation.isEmpty() || operation.contains("/")) {
                throw new AwsException(404, unknownOperationType, null);
            }
            JsonNode input = parse(request.body());
            ObjectNode output = service.invoke(operation, input, request.context());
            return respond(200, encode(output)).operation(operation);
        } catch (AwsException e) {
            return error(e).operation(operation);
        }
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) return MAPPER.createObjectNode();
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonNode node = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                throw new AwsException(400, serializationErrorType, "Unexpected content after the CBOR document");
            }
            if (node == null || node.isNull()) return MAPPER.createObjectNode();
            if (!node.isObject()) {
                throw new AwsException(400, serializationErrorType, "Expected a CBOR map as the request body");
            }
            return node;
        } catch (IOException e) {
            throw new AwsException(400, serializationErrorType, "Malformed CBOR: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private GatewayResponse error(AwsException e) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("__type", e.type());
        if (e.getMessage() != null) body.put("message", e.getMessage());
        body.setAll(e.details());
        GatewayResponse response = respond(e.status(), encode(body));
        response.header("x-amzn-ErrorType", e.code());
        if (e.queryCompatibleCode() != null) {
            response.header("x-amzn-query-error", e.queryCompatibleCode() + (e.isSenderFault() ? ";Sender" : ";Receiver"));
        }
        return response;
    }

    private static GatewayResponse respond(int status, byte[] body) {
        return new GatewayResponse(status, CONTENT_TYPE, body).header(PROTOCOL_HEADER, PROTOCOL);
    }

    /** Encodes a JSON tree as CBOR, writing {@link TimestampNode}s as tag-1 epoch seconds. */
    public static byte[] encode(JsonNode tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (CBORGenerator generator = (CBORGenerator) MAPPER.createGenerator(out)) {
            write(generator, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes a CBOR body into a JSON tree, as requests are decoded. */
    public static JsonNode decode(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(CBORGenerator g, JsonNode node) throws IOException {
        if (node instanceof TimestampNode timestamp) {
            g.writeTag(EPOCH_SECONDS_TAG);
            long millis = timestamp.epochMillis();
            if (millis % 1000 == 0) g.writeNumber(millis / 1000);
            else g.writeNumber(millis / 1000.0);
            return;
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject(node, node.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    g.writeFieldName(field.getKey());
                    write(g, field.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray(node, node.size());
                for (JsonNode element : node) write(g, element);
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case BINARY -> g.writeBinary(node.binaryValue());
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    if (node.canConvertToLong()) g.writeNumber(node.longValue());
                    else g.writeNumber(node.bigIntegerValue());
                } else {
                    // Smithy's CBOR carries doubles, never decimal fractions (tag 4)
                    g.writeNumber(node.doubleValue());
                }
            }
            case NULL, MISSING -> g.writeNull();
            case POJO -> throw new IllegalArgumentException("POJO nodes cannot be encoded as CBOR");
        }
    }
}
