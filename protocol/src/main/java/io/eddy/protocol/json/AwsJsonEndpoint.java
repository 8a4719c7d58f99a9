package io.eddy.protocol.json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.Endpoint;
import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;
import io.eddy.protocol.AwsException;

/**
 * The AWS JSON 1.0 and 1.1 protocols: {@code POST /} with {@code X-Amz-Target: <prefix>.<Operation>}
 * and a JSON object body; errors as {@code {"__type": ..., "message": ...}}.
 */
public final class AwsJsonEndpoint implements Endpoint {

    /** Deeper documents are rejected before any service sees them; DynamoDB's own limit is 32 levels. */
    private static final int MAX_NESTING_DEPTH = 100;

    /**
     * Buffers are pooled across threads: the default pool keeps them per thread, and each request
     * runs on a new virtual thread.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build());

    private final JsonService service;
    private final String contentType;
    private final String serializationErrorType;
    private final String unknownOperationType;
    private final boolean crc32;

    /**
     * @param jsonVersion "1.0" or "1.1"
     * @param serializationErrorType the service's {@code __type} for bodies that are not a JSON object
     * @param unknownOperationType the service's {@code __type} for a target it does not know
     * @param crc32 whether responses carry {@code x-amz-crc32} (DynamoDB's clients verify it)
     */
    public AwsJsonEndpoint(JsonService service, String jsonVersion, String serializationErrorType,
                           String unknownOperationType, boolean crc32) {
        this.service = service;
        this.contentType = "application/x-amz-json-" + jsonVersion;
        this.serializationErrorType = serializationErrorType;
        this.unknownOperationType = unknownOperationType;
        this.crc32 = crc32;
    }

    @Override
    public GatewayResponse handle(GatewayRequest request) {
        String target = request.header("X-Amz-Target");
        int dot = target == null ? -1 : target.lastIndexOf('.');
        String operation = dot < 0 ? null : target.substring(dot + 1);
        try {
            if (!"POST".equals(request.method()) || operation == null || operation.isEmpty()) {
                throw new AwsException(400, unknownOperationType, null);
            }
            JsonNode input = parse(request.body());
            ObjectNode output = service.invoke(operation, input, request.context());
            return respond(200, MAPPER.writeValueAsBytes(output)).operation(operation);
        } catch (AwsException e) {
            return error(e).operation(operation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
    }

    /**
     * The body as a JSON object. AWS answers a body it cannot read as one (malformed JSON, invalid
     * UTF-8, nesting too deep, trailing content, or JSON that is not an object) with a bare
     * serialization error that carries no message.
     */
    private JsonNode parse(byte[] body) {
        if (body.length == 0) return MAPPER.createObjectNode();
        if (!isUtf8(body)) throw new AwsException(400, serializationErrorType, null);
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null || !node.isObject() || parser.nextToken() != null) {
                throw new AwsException(400, serializationErrorType, null);
            }
            return node;
        } catch (IOException e) {
            throw new AwsException(400, serializationErrorType, null);
        }
    }

    /** Strictly: the JSON parser itself lets overlong encodings through. Most bodies are ASCII, checked byte by byte. */
    private static boolean isUtf8(byte[] bytes) {
        int first = 0;
        while (first < bytes.length && bytes[first] >= 0) first++;
        if (first == bytes.length) return true;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, first, bytes.length - first);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) return false;
            if (result.isUnderflow()) return !decoder.flush(out).isError();
            out.clear();
        }
    }

    private GatewayResponse error(AwsException e) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("__type", e.type());
        if (e.getMessage() != null) body.put(e.messageMember(), e.getMessage());
        body.setAll(e.details());
        try {
            GatewayResponse response = respond(e.status(), MAPPER.writeValueAsBytes(body));
            response.header("x-amzn-ErrorType", e.code());
            if (e.queryCompatibleCode() != null) {
                response.header("x-amzn-query-error",
                        e.queryCompatibleCode() + (e.isSenderFault() ? ";Sender" : ";Receiver"));
            }
            return response;
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("cannot serialize error", x);
        }
    }

    private GatewayResponse respond(int status, byte[] body) {
        GatewayResponse response = new GatewayResponse(status, contentType, body);
        if (crc32) {
            CRC32 crc = new CRC32();
            crc.update(body);
            response.header("x-amz-crc32", Long.toString(crc.getValue()));
        }
        return response;
    }
}
