package io.eddy.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Picks the endpoint for a request. Checked in order: path prefixes registered as overriding
 * (Eddy's own {@code /_eddy/} API), the {@code X-Amz-Target} prefix (JSON protocols), the
 * {@code Content-Type} for protocols that share a target-less wire (Smithy RPC v2 CBOR is routed by
 * path), the credential scope's service name (Query, REST protocols), then ordinary path prefixes,
 * then path patterns (unsigned requests to resource URLs such as SQS queue URLs).
 */
public final class Router {

    private final List<Map.Entry<String, Endpoint>> overridingPaths = new ArrayList<>();
    private final Map<String, Endpoint> byTargetPrefix = new LinkedHashMap<>();
    private final Map<String, Endpoint> byScopeService = new LinkedHashMap<>();
    private final List<Map.Entry<String, Endpoint>> byPath = new ArrayList<>();
    private final List<Map.Entry<Predicate<String>, Endpoint>> byPathPattern = new ArrayList<>();

    /** Requests whose path starts with {@code prefix}, whatever else they carry. */
    public Router overridingPath(String prefix, Endpoint endpoint) {
        overridingPaths.add(Map.entry(prefix, endpoint));
        return this;
    }

    /** Requests whose {@code X-Amz-Target} is {@code prefix.Operation}. */
    public Router target(String prefix, Endpoint endpoint) {
        byTargetPrefix.put(prefix, endpoint);
        return this;
    }

    /** Requests signed for {@code service} (the credential scope's fourth part). */
    public Router scopeService(String service, Endpoint endpoint) {
        byScopeService.put(service, endpoint);
        return this;
    }

    /** Requests whose path starts with {@code prefix}, when nothing more specific matched. */
    public Router path(String prefix, Endpoint endpoint) {
        byPath.add(Map.entry(prefix, endpoint));
        return this;
    }

    /** Requests whose path {@code pathTest} accepts, when nothing else matched. */
    public Router pathMatching(Predicate<String> pathTest, Endpoint endpoint) {
        byPathPattern.add(Map.entry(pathTest, endpoint));
        return this;
    }

    /** The endpoint for the request, or null when no service claims it. */
    public Endpoint route(GatewayRequest request) {
        Endpoint e = matchPath(overridingPaths, request.path());
        if (e != null) return e;
        String target = request.header("X-Amz-Target");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            e = byTargetPrefix.get(dot < 0 ? target : target.substring(0, dot));
            if (e != null) return e;
        }
        if (request.scope() != null) {
            e = byScopeService.get(request.scope().service());
            if (e != null) return e;
        }
        e = matchPath(byPath, request.path());
        if (e != null) return e;
        for (Map.Entry<Predicate<String>, Endpoint> route : byPathPattern) {
            if (route.getKey().test(request.path())) return route.getValue();
        }
        return null;
    }

    private static Endpoint matchPath(List<Map.Entry<String, Endpoint>> routes, String path) {
        for (Map.Entry<String, Endpoint> route : routes) {
            if (path.startsWith(route.getKey())) return route.getValue();
        }
        return null;
    }
}
