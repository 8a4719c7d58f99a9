package io.eddy.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.Endpoint;
import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;
import io.eddy.store.Drainable;

/**
 * Eddy's own API under {@code /_eddy/}: {@code GET /_eddy/health}, and {@code POST /_eddy/drain?timeout=10s}
 * which returns 200 once every stream, queue, mapping and delivery is idle, or 503 with what is still
 * busy when the timeout (default 10 s; {@code ms} or {@code s} suffix) passes. Deliveries waiting out a retry
 * delay count as idle. {@code GET /_eddy/sns/outbox} lists the email, SMS and push messages SNS sent
 * ({@code DELETE} empties it), and {@code GET /_eddy/sns/SimpleNotificationService-<id>.pem} serves the
 * certificate SNS signs messages with.
 */
final class AdminEndpoint implements Endpoint {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Eddy eddy;

    AdminEndpoint(Eddy eddy) {
        this.eddy = eddy;
    }

    @Override
    public GatewayResponse handle(GatewayRequest request) throws Exception {
        if (request.path().equals("/_eddy/health") && request.method().equals("GET")) {
            ObjectNode body = MAPPER.createObjectNode();
            body.put("status", "running");
            body.put("version", Eddy.version());
            body.put("uptimeMillis", eddy.uptimeMillis());
            body.put("storage", eddy.config().memoryOnly() ? "in-memory" : eddy.config().dataDir().toAbsolutePath().toString());
            ObjectNode services = body.putObject("services");
            eddy.serviceStates().forEach(services::put);
            return new GatewayResponse(200, "application/json", MAPPER.writeValueAsBytes(body)).operation("Health");
        }
        if (request.path().equals("/_eddy/drain") && request.method().equals("POST")) {
            return drain(parseTimeout(request.queryParameter("timeout")));
        }
        if (request.path().equals("/_eddy/sns/outbox")) {
            if (request.method().equals("GET")) return snsOutbox(request);
            if (request.method().equals("DELETE")) {
                eddy.sns().outbox().clear();
                return new GatewayResponse(204, null, new byte[0]).operation("ClearSnsOutbox");
            }
        }
        if (request.method().equals("GET") && request.path().equals("/_eddy/sns/" + eddy.sns().signer().certificateFileName())) {
            return new GatewayResponse(200, "application/x-x509-ca-cert",
                    eddy.sns().signer().certificatePem().getBytes(StandardCharsets.US_ASCII)).operation("SnsSigningCertificate");
        }
        return GatewayResponse.json(404, "{\"message\":\"No such Eddy resource: " + request.path() + "\"}");
    }

    /**
     * The email, email-json, SMS and push messages SNS sent, oldest first, narrowed by the optional
     * {@code protocol}, {@code endpoint} and {@code topicArn} query parameters.
     */
    private GatewayResponse snsOutbox(GatewayRequest request) throws Exception {
        String protocol = request.queryParameter("protocol");
        String endpoint = request.queryParameter("endpoint");
        String topicArn = request.queryParameter("topicArn");
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode messages = body.putArray("messages");
        for (ObjectNode message : eddy.sns().outbox().messages()) {
            if (protocol != null && !protocol.equals(message.path("protocol").asText())) continue;
            if (endpoint != null && !endpoint.equals(message.path("endpoint").asText())) continue;
            if (topicArn != null && !topicArn.equals(message.path("topicArn").asText())) continue;
            messages.add(message);
        }
        return new GatewayResponse(200, "application/json", MAPPER.writeValueAsBytes(body)).operation("SnsOutbox");
    }

    /**
     * Work chains (a stream record invokes a function that sends a message), so idle must hold on
     * two looks in a row a few milliseconds apart before it counts.
     */
    private GatewayResponse drain(Duration timeout) throws Exception {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        int idleLooks = 0;
        List<Drainable> busy = List.of();
        while (System.nanoTime() < deadline) {
            busy = eddy.activities().stream().filter(d -> !d.isIdle()).toList();
            idleLooks = busy.isEmpty() ? idleLooks + 1 : 0;
            if (idleLooks >= 2) break;
            Thread.sleep(busy.isEmpty() ? 5 : 2);
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("idle", idleLooks >= 2);
        body.put("waitedMillis", (System.nanoTime() - started) / 1_000_000);
        ArrayNode list = body.putArray("busy");
        busy.forEach(d -> list.add(d.describe()));
        return new GatewayResponse(idleLooks >= 2 ? 200 : 503, "application/json", MAPPER.writeValueAsBytes(body))
                .operation("Drain");
    }

    static Duration parseTimeout(String text) {
        if (text == null || text.isBlank()) return Duration.ofSeconds(10);
        try {
            if (text.endsWith("ms")) return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            if (text.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            return Duration.ofMillis((long) (Double.parseDouble(text) * 1000));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(10);
        }
    }
}
