package io.eddy.lambda.esm;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.Endpoint;
import io.eddy.gateway.GatewayRequest;
import io.eddy.protocol.restjson.RestJsonEndpoint;
import io.eddy.protocol.restjson.RestJsonRequest;
import io.eddy.protocol.restjson.RestJsonResponse;

/**
 * The event source mapping operations of Lambda's REST-JSON API, under {@link #PATH_PREFIX}, and
 * Lambda's tag operations (under {@link #TAGS_PATH_PREFIX}) when they name a mapping's ARN, with
 * Lambda's error shape.
 */
public final class EventSourceMappingsApi {

    public static final String PATH_PREFIX = "/2015-03-31/event-source-mappings";
    public static final String TAGS_PATH_PREFIX = "/2017-03-31/tags/";

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

    /**
     * Lambda's TagResource, UntagResource and ListTags: answered here for event source mapping ARNs,
     * passed to {@code functionTags} (Lambda's own endpoint) for every other resource.
     */
    public static Endpoint tagsEndpoint(EventSourceMappings mappings, Endpoint functionTags) {
        Endpoint mappingTags = new RestJsonEndpoint(RestJsonEndpoint.ErrorBody.TYPE_AND_MESSAGE,
                "InvalidRequestContentException", "UnknownOperationException")
                .route("POST", TAGS_PATH_PREFIX + "{Resource}", "TagResource", r -> {
                    mappings.tag(account(r), region(r), r.label("Resource"), MappingRequests.tags(r.json().path("Tags")));
                    return RestJsonResponse.empty(204);
                })
                .route("DELETE", TAGS_PATH_PREFIX + "{Resource}", "UntagResource", r -> {
                    mappings.untag(account(r), region(r), r.label("Resource"),
                            r.http().queryParameters().getOrDefault("tagKeys", List.of()));
                    return RestJsonResponse.empty(204);
                })
                .route("GET", TAGS_PATH_PREFIX + "{Resource}", "ListTags", r -> {
                    ObjectNode out = MappingStore.JSON.createObjectNode();
                    ObjectNode tags = out.putObject("Tags");
                    for (Map.Entry<String, String> tag : mappings.tags(account(r), region(r), r.label("Resource")).entrySet()) {
                        tags.put(tag.getKey(), tag.getValue());
                    }
                    return RestJsonResponse.json(200, out);
                });
        return request -> namesMapping(request) ? mappingTags.handle(request) : functionTags.handle(request);
    }

    /** Whether a tags request's resource is an ARN of the {@code event-source-mapping} type. */
    private static boolean namesMapping(GatewayRequest request) {
        String path = request.path();
        if (!path.startsWith(TAGS_PATH_PREFIX)) return false;
        String[] arn = path.substring(TAGS_PATH_PREFIX.length()).split(":", 7);
        return arn.length >= 6 && arn[0].equals("arn") && arn[5].equals("event-source-mapping");
    }

    private static String account(RestJsonRequest request) {
        return request.context().accountId();
    }

    private static String region(RestJsonRequest request) {
        return request.context().region();
    }
}
