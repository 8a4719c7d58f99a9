package io.eddy.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.Endpoint;
import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;

/** Eddy's own API under {@code /_eddy/}: health now; drain and outboxes as services need them. */
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
        return GatewayResponse.json(404, "{\"message\":\"No such Eddy resource: " + request.path() + "\"}");
    }
}
