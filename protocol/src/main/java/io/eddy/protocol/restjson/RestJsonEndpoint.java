package io.eddy.protocol.restjson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.Endpoint;
import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;
import io.eddy.protocol.AwsException;

/**
 * The REST-JSON protocol: the operation is chosen by HTTP method and path template, inputs come
 * from path labels, query, headers and a JSON body. Errors carry their code in the
 * {@code x-amzn-ErrorType} header; the body shape is the service's (see {@link ErrorBody}).
 */
public final class RestJsonEndpoint implements Endpoint {

    /** How a service writes the body of an error. */
    @FunctionalInterface
    public interface ErrorBody {
        ObjectNode render(AwsException error);

        /** Lambda's shape: {@code {"Type":"User"|"Service","message":...}} plus the error's details. */
        ErrorBody TYPE_AND_MESSAGE = error -> {
            ObjectNode body = RestJson.MAPPER.createObjectNode();
            body.setAll(error.details());
            body.put("Type", error.isSenderFault() ? "User" : "Service");
            body.put("message", error.getMessage());
            return body;
        };
    }

    private record Route(String method, PathTemplate template, String operation, RestJsonOperation handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final ErrorBody errorBody;
    private final String serializationErrorType;
    private final String unknownOperationType;

    /**
     * @param serializationErrorType the error for a body that is not a JSON object
     * @param unknownOperationType the error (404) for a method and path no operation has
     */
    public RestJsonEndpoint(ErrorBody errorBody, String serializationErrorType, String unknownOperationType) {
        this.errorBody = errorBody;
        this.serializationErrorType = serializationErrorType;
        this.unknownOperationType = unknownOperationType;
    }

    public RestJsonEndpoint route(String method, String pathTemplate, String operation, RestJsonOperation handler) {
        routes.add(new Route(method, PathTemplate.of(pathTemplate), operation, handler));
        return this;
    }

    @Override
    public GatewayResponse handle(GatewayRequest request) {
        String operation = null;
        try {
            for (Route route : routes) {
                if (!route.method.equals(request.method())) continue;
                Map<String, String> labels = route.template.match(request.path());
                if (labels == null) continue;
                operation = route.operation;
                RestJsonResponse response = route.handler.handle(
                        new RestJsonRequest(operation, labels, request, serializationErrorType));
                return toGateway(response).operation(operation);
            }
            throw new AwsException(404, unknownOperationType, "The operation " + request.method() + " "
                    + request.path() + " is not supported.");
        } catch (AwsException e) {
            return error(e).operation(operation);
        }
    }

    private static GatewayResponse toGateway(RestJsonResponse response) {
        GatewayResponse http = new GatewayResponse(response.status(), response.contentType(), response.body());
        response.headers().forEach(http::header);
        return http;
    }

    private GatewayResponse error(AwsException e) {
        try {
            GatewayResponse response = new GatewayResponse(e.status(), "application/json",
                    RestJson.MAPPER.writeValueAsBytes(errorBody.render(e)));
            response.header("x-amzn-ErrorType", e.code());
            if (e instanceof AwsExceptionWithHeaders withHeaders) withHeaders.headers().forEach(response::header);
            return response;
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("cannot serialize error", x);
        }
    }
}
