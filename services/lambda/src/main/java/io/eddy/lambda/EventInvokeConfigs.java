package io.eddy.lambda;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.protocol.restjson.RestJsonEndpoint;
import io.eddy.protocol.restjson.RestJsonRequest;
import io.eddy.protocol.restjson.RestJsonResponse;
import io.eddy.store.Batch;

/**
 * The asynchronous invocation configuration API: Put, Update, Get, Delete and
 * ListFunctionEventInvokeConfigs, one configuration per function, version or alias.
 */
final class EventInvokeConfigs {

    /** Resolves a function name and qualifier as Invoke does (404 when unknown). */
    @FunctionalInterface
    interface Resolver {
        LambdaService.Target resolve(String account, String region, String functionName, String qualifier);
    }

    private static final String PATH = "/2019-09-25/functions/{FunctionName}/event-invoke-config";
    private static final Pattern DESTINATION = Pattern.compile(
            "$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)");
    private static final List<String> DESTINATION_SERVICES = List.of("sqs", "sns", "lambda", "events");

    private final FunctionStore functions;
    private final ReentrantLock writes;
    private final Resolver resolver;

    EventInvokeConfigs(FunctionStore functions, ReentrantLock writes, Resolver resolver) {
        this.functions = functions;
        this.writes = writes;
        this.resolver = resolver;
    }

    void addRoutes(RestJsonEndpoint endpoint) {
        endpoint.route("PUT", PATH, "PutFunctionEventInvokeConfig", r -> write(r, true))
                .route("POST", PATH, "UpdateFunctionEventInvokeConfig", r -> write(r, false))
                .route("GET", PATH, "GetFunctionEventInvokeConfig", this::get)
                .route("DELETE", PATH, "DeleteFunctionEventInvokeConfig", this::delete)
                .route("GET", PATH + "/list", "ListFunctionEventInvokeConfigs", this::list);
    }

    /** The function and the qualifier a configuration belongs to ($LATEST when unqualified). */
    private record Owner(String account, String region, String name, String qualifier, String arn) {
    }

    private Owner owner(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        LambdaService.Target target = resolver.resolve(account, region, request.label("FunctionName"),
                request.query("Qualifier"));
        String qualifier = target.qualifier() == null ? "$LATEST" : target.qualifier();
        return new Owner(account, region, target.version().name, qualifier,
                target.version().unqualifiedArn() + ":" + qualifier);
    }

    private RestJsonResponse write(RestJsonRequest request, boolean replace) {
        JsonNode in = request.json();
        LambdaErrors.Violations violations = new LambdaErrors.Violations();
        Integer retries = integer(in, "MaximumRetryAttempts");
        if (retries != null && retries < 0) {
            violations.add(retries, "maximumRetryAttempts", "Member must have value greater than or equal to 0");
        }
        if (retries != null && retries > 2) {
            violations.add(retries, "maximumRetryAttempts", "Member must have value less than or equal to 2");
        }
        Integer age = integer(in, "MaximumEventAgeInSeconds");
        if (age != null && age < 60) {
            violations.add(age, "maximumEventAgeInSeconds", "Member must have value greater than or equal to 60");
        }
        if (age != null && age > 21600) {
            violations.add(age, "maximumEventAgeInSeconds", "Member must have value less than or equal to 21600");
        }
        JsonNode destinations = in.path("DestinationConfig");
        String onSuccess = destination(destinations, "OnSuccess", "onSuccess", violations);
        String onFailure = destination(destinations, "OnFailure", "onFailure", violations);
        violations.throwIfAny();
        if (retries == null && age == null && !in.has("DestinationConfig")) {
            throw LambdaErrors.invalidParameter("You must specify at least one of error handling or destination setting.");
        }
        writes.lock();
        try {
            Owner owner = owner(request);
            EventInvokeConfig config = functions.eventInvokeConfig(owner.account(), owner.region(), owner.name(),
                    owner.qualifier());
            if (replace || config == null) {
                if (!replace) throw notConfigured(owner);
                config = new EventInvokeConfig();
                config.maximumRetryAttempts = retries;
                config.maximumEventAgeInSeconds = age;
                config.onSuccess = onSuccess;
                config.onFailure = onFailure;
            } else {
                if (retries != null) config.maximumRetryAttempts = retries;
                if (age != null) config.maximumEventAgeInSeconds = age;
                if (destinations.has("OnSuccess")) config.onSuccess = onSuccess;
                if (destinations.has("OnFailure")) config.onFailure = onFailure;
            }
            config.functionArn = owner.arn();
            config.lastModified = System.currentTimeMillis();
            functions.store().write(new Batch().put(FunctionStore.eventInvokeConfigKey(owner.account(), owner.region(),
                    owner.name(), owner.qualifier()), FunctionStore.write(config)));
            return RestJsonResponse.json(200, config.toJson());
        } finally {
            writes.unlock();
        }
    }

    private static String destination(JsonNode destinations, String field, String member,
                                       LambdaErrors.Violations violations) {
        JsonNode node = destinations.path(field).path("Destination");
        if (!node.isTextual() || node.asText().isEmpty()) return null;
        String arn = node.asText();
        if (arn.length() > 350) {
            violations.add(arn, "destinationConfig." + member + ".destination", "Member must have length less than or equal to 350");
            return null;
        }
        if (!DESTINATION.matcher(arn).matches()) {
            violations.add(arn, "destinationConfig." + member + ".destination",
                    "Member must satisfy regular expression pattern: " + DESTINATION.pattern());
            return null;
        }
        if (!DESTINATION_SERVICES.contains(Destinations.service(arn))) {
            throw LambdaErrors.invalidParameter("The destination ARN " + arn + " is invalid. Asynchronous invocation "
                    + "destinations must be an SQS queue, an SNS topic, a Lambda function or an EventBridge event bus.");
        }
        return arn;
    }

    private static Integer integer(JsonNode in, String field) {
        JsonNode node = in.get(field);
        return node == null || node.isNull() ? null : node.asInt();
    }

    private static io.eddy.protocol.AwsException notConfigured(Owner owner) {
        return LambdaErrors.notFound("The function " + owner.arn() + " doesn't have an EventInvokeConfig");
    }

    private RestJsonResponse get(RestJsonRequest request) {
        Owner owner = owner(request);
        EventInvokeConfig config = functions.eventInvokeConfig(owner.account(), owner.region(), owner.name(),
                owner.qualifier());
        if (config == null) throw notConfigured(owner);
        return RestJsonResponse.json(200, config.toJson());
    }

    private RestJsonResponse delete(RestJsonRequest request) {
        writes.lock();
        try {
            Owner owner = owner(request);
            byte[] key = FunctionStore.eventInvokeConfigKey(owner.account(), owner.region(), owner.name(), owner.qualifier());
            if (functions.store().get(key) == null) throw notConfigured(owner);
            functions.store().write(new Batch().delete(key));
            return RestJsonResponse.empty(204);
        } finally {
            writes.unlock();
        }
    }

    private RestJsonResponse list(RestJsonRequest request) {
        String account = request.context().accountId();
        String region = request.context().region();
        String name = resolver.resolve(account, region, request.label("FunctionName"), null).version().name;
        int maxItems = 50;
        String max = request.query("MaxItems");
        if (max != null) {
            try {
                maxItems = Integer.parseInt(max);
            } catch (NumberFormatException e) {
                throw LambdaErrors.invalidParameter("MaxItems must be a number.");
            }
            LambdaErrors.Violations violations = new LambdaErrors.Violations();
            if (maxItems < 1) violations.add(maxItems, "maxItems", "Member must have value greater than or equal to 1");
            if (maxItems > 50) violations.add(maxItems, "maxItems", "Member must have value less than or equal to 50");
            violations.throwIfAny();
        }
        String after = null;
        String marker = request.query("Marker");
        if (marker != null && !marker.isEmpty()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw LambdaErrors.invalidParameter("Invalid marker: " + marker);
            }
        }
        List<EventInvokeConfig> all = functions.eventInvokeConfigs(account, region, name);
        ObjectNode out = LambdaJson.MAPPER.createObjectNode();
        ArrayNode page = out.putArray("FunctionEventInvokeConfigs");
        int start = 0;
        if (after != null) {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).functionArn.equals(after)) start = i + 1;
            }
        }
        int end = Math.min(all.size(), start + maxItems);
        for (int i = start; i < end; i++) page.add(all.get(i).toJson());
        if (end < all.size()) {
            out.put("NextMarker", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(all.get(end - 1).functionArn.getBytes(StandardCharsets.UTF_8)));
        }
        return RestJsonResponse.json(200, out);
    }
}
