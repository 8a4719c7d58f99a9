package io.eddy.lambda.esm;

import io.eddy.gateway.Endpoint;
import io.eddy.protocol.restjson.RestJsonEndpoint;
import io.eddy.protocol.restjson.RestJsonRequest;
import io.eddy.protocol.restjson.RestJsonResponse;

/**
 * The event source mapping operations of Lambda's REST-JSON API, under
 * {@link #PATH_PREFIX}, with Lambda's error shape.
 */
public final class EventSourceMappingsApi {

    public static final String PATH_PREFIX = "/2015-03-31/event-source-mappings";

    private EventSourceMappingsApi() {
    }

    public static Endpoint endpoint(EventSourceMappings mappings) {
        return new RestJsonEndpoint(RestJsonEndpoint.ErrorBody.TYPE_AND_MESSAGE, "InvalidRequestContentException",
                "UnknownOperationException")
                .route("POST", PATH_PREFIX, "CreateEventSourceMapping",
                        r -> RestJsonResponse.json(202, mappings.create(account(r), region(r), r.json())))
                .route("GET", PATH_PREFIX, "ListEventSourceMappings",
                        r -> RestJsonResponse.json(200, mappings.list(account(r), region(r), r.query("FunctionName"),
                                r.query("EventSourceArn"), r.query("Marker"), r.query("MaxItems"))))
                .route("GET", PATH_PREFIX + "/{UUID}", "GetEventSourceMapping",
                        r -> RestJsonResponse.json(200, mappings.get(account(r), region(r), r.label("UUID"))))
                .route("PUT", PATH_PREFIX + "/{UUID}", "UpdateEventSourceMapping",
                        r -> RestJsonResponse.json(202, mappings.update(account(r), region(r), r.label("UUID"), r.json())))
                .route("DELETE", PATH_PREFIX + "/{UUID}", "DeleteEventSourceMapping",
                        r -> RestJsonResponse.json(202, mappings.delete(account(r), region(r), r.label("UUID"))));
    }

    private static String account(RestJsonRequest request) {
        return request.context().accountId();
    }

    private static String region(RestJsonRequest request) {
        return request.context().region();
    }
}
