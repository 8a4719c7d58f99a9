package io.eddy.sns;

import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.sns.delivery.RetryPolicy;

/**
 * HTTP/S delivery policies: the topic's {@code DeliveryPolicy} ({@code {"http": {"defaultHealthyRetryPolicy",
 * "disableSubscriptionOverrides", "defaultThrottlePolicy", "defaultRequestPolicy"}}}), a subscription's
 * ({@code {"healthyRetryPolicy", "throttlePolicy", "requestPolicy"}}), and the effective policy AWS
 * reports and delivers by.
 */
final class DeliveryPolicies {

    static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=UTF-8";
    private static final Set<String> BACKOFF_FUNCTIONS = Set.of("arithmetic", "exponential", "geometric", "linear");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DeliveryPolicies() {
    }

    /** Checks a topic DeliveryPolicy and returns the text to store. */
    static String checkTopicPolicy(String text) {
        ObjectNode policy = parseObject(text);
        JsonNode http = policy.get("http");
        if (http != null) {
            if (!http.isObject()) throw invalid("http must be an object");
            checkRetryPolicy(http.get("defaultHealthyRetryPolicy"), "http.defaultHealthyRetryPolicy");
            checkThrottlePolicy(http.get("defaultThrottlePolicy"), "http.defaultThrottlePolicy");
            checkRequestPolicy(http.get("defaultRequestPolicy"), "http.defaultRequestPolicy");
            JsonNode disable = http.get("disableSubscriptionOverrides");
            if (disable != null && !disable.isBoolean()) throw invalid("http.disableSubscriptionOverrides must be a boolean");
        }
        return Json.text(policy);
    }

    /** Checks a subscription DeliveryPolicy and returns it in the normalized form AWS stores. */
    static String checkSubscriptionPolicy(String text) {
        ObjectNode policy = parseObject(text);
        checkRetryPolicy(policy.get("healthyRetryPolicy"), "healthyRetryPolicy");
        checkThrottlePolicy(policy.get("throttlePolicy"), "throttlePolicy");
        checkRequestPolicy(policy.get("requestPolicy"), "requestPolicy");
        ObjectNode normalized = NODES.objectNode();
        normalized.set("healthyRetryPolicy", orNull(policy.get("healthyRetryPolicy")));
        normalized.set("sicklyRetryPolicy", orNull(policy.get("sicklyRetryPolicy")));
        normalized.set("throttlePolicy", orNull(policy.get("throttlePolicy")));
        normalized.set("requestPolicy", orNull(policy.get("requestPolicy")));
        normalized.put("guaranteed", policy.path("guaranteed").asBoolean(false));
        return Json.text(normalized);
    }

    /** The topic's EffectiveDeliveryPolicy: its own DeliveryPolicy over AWS's defaults. */
    static ObjectNode effectiveTopicPolicy(Topic topic) {
        JsonNode http = policyTree(topic.attribute(TopicAttributes.DELIVERY_POLICY)).path("http");
        ObjectNode effectiveHttp = NODES.objectNode();
        effectiveHttp.set("defaultHealthyRetryPolicy", completeRetryPolicy(http.get("defaultHealthyRetryPolicy")));
        effectiveHttp.put("disableSubscriptionOverrides", http.path("disableSubscriptionOverrides").asBoolean(false));
        if (http.hasNonNull("defaultThrottlePolicy")) effectiveHttp.set("defaultThrottlePolicy", http.get("defaultThrottlePolicy"));
        ObjectNode request = NODES.objectNode();
        request.put("headerContentType", http.path("defaultRequestPolicy").path("headerContentType").asText(DEFAULT_CONTENT_TYPE));
        effectiveHttp.set("defaultRequestPolicy", request);
        ObjectNode effective = NODES.objectNode();
        effective.set("http", effectiveHttp);
        return effective;
    }

    /** A subscription's EffectiveDeliveryPolicy: its own settings, else the topic's defaults, else AWS's. */
    static ObjectNode effectiveSubscriptionPolicy(Topic topic, Subscription subscription) {
        ObjectNode topicHttp = (ObjectNode) effectiveTopicPolicy(topic).get("http");
        boolean overridesDisabled = topicHttp.path("disableSubscriptionOverrides").asBoolean(false);
        JsonNode own = overridesDisabled ? NODES.objectNode() : policyTree(subscription.attributes().get(SubscriptionAttributes.DELIVERY_POLICY));
        ObjectNode effective = NODES.objectNode();
        JsonNode healthy = own.get("healthyRetryPolicy");
        effective.set("healthyRetryPolicy", healthy != null && healthy.isObject()
                ? completeRetryPolicy(healthy) : topicHttp.get("defaultHealthyRetryPolicy"));
        effective.putNull("sicklyRetryPolicy");
        JsonNode throttle = own.get("throttlePolicy");
        effective.set("throttlePolicy", throttle != null && throttle.isObject() ? throttle : orNull(topicHttp.get("defaultThrottlePolicy")));
        JsonNode request = own.get("requestPolicy");
        effective.set("requestPolicy", request != null && request.isObject() ? request : topicHttp.get("defaultRequestPolicy"));
        effective.put("guaranteed", false);
        return effective;
    }

    static RetryPolicy retryPolicy(ObjectNode effectiveSubscriptionPolicy) {
        JsonNode p = effectiveSubscriptionPolicy.get("healthyRetryPolicy");
        return new RetryPolicy(p.path("numRetries").asInt(), p.path("numNoDelayRetries").asInt(),
                p.path("numMinDelayRetries").asInt(), p.path("numMaxDelayRetries").asInt(),
                p.path("minDelayTarget").asInt(), p.path("maxDelayTarget").asInt(), p.path("backoffFunction").asText("linear"));
    }

    /** The subscription's delivery rate limit per second, or 0 for none. */
    static int maxReceivesPerSecond(ObjectNode effectiveSubscriptionPolicy) {
        return effectiveSubscriptionPolicy.path("throttlePolicy").path("maxReceivesPerSecond").asInt(0);
    }

    static String contentType(ObjectNode effectiveSubscriptionPolicy) {
        return effectiveSubscriptionPolicy.path("requestPolicy").path("headerContentType").asText(DEFAULT_CONTENT_TYPE);
    }

    private static ObjectNode completeRetryPolicy(JsonNode given) {
        JsonNode g = given == null || !given.isObject() ? NODES.objectNode() : given;
        ObjectNode p = NODES.objectNode();
        p.put("minDelayTarget", g.path("minDelayTarget").asInt(20));
        p.put("maxDelayTarget", g.path("maxDelayTarget").asInt(20));
        p.put("numRetries", g.path("numRetries").asInt(3));
        p.put("numMaxDelayRetries", g.path("numMaxDelayRetries").asInt(0));
        p.put("numNoDelayRetries", g.path("numNoDelayRetries").asInt(0));
        p.put("numMinDelayRetries", g.path("numMinDelayRetries").asInt(0));
        p.put("backoffFunction", g.path("backoffFunction").asText("linear"));
        return p;
    }

    private static void checkRetryPolicy(JsonNode policy, String path) {
        if (policy == null || policy.isNull()) return;
        if (!policy.isObject()) throw invalid(path + " must be an object");
        for (Iterator<String> it = policy.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            JsonNode value = policy.get(field);
            if (field.equals("backoffFunction")) {
                if (!BACKOFF_FUNCTIONS.contains(value.asText())) {
                    throw invalid(path + ".backoffFunction must be one of arithmetic, exponential, geometric or linear");
                }
            } else if (Set.of("minDelayTarget", "maxDelayTarget", "numRetries", "numNoDelayRetries", "numMinDelayRetries",
                    "numMaxDelayRetries").contains(field)) {
                if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
                    throw invalid(path + "." + field + " must be a non-negative integer");
                }
            } else {
                throw invalid(path + " has an unknown field: " + field);
            }
        }
        ObjectNode p = completeRetryPolicy(policy);
        int min = p.get("minDelayTarget").asInt();
        int max = p.get("maxDelayTarget").asInt();
        int retries = p.get("numRetries").asInt();
        if (min < 1) throw invalid(path + ".minDelayTarget must be at least 1");
        if (max < min) throw invalid(path + ".maxDelayTarget must be greater than or equal to minDelayTarget");
        if (max > 3600) throw invalid(path + ".maxDelayTarget must be at most 3600");
        if (retries > 100) throw invalid(path + ".numRetries must be at most 100");
        int phases = p.get("numNoDelayRetries").asInt() + p.get("numMinDelayRetries").asInt() + p.get("numMaxDelayRetries").asInt();
        if (phases > retries) {
            throw invalid(path + ".numRetries must be at least numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries");
        }
    }

    private static void checkThrottlePolicy(JsonNode policy, String path) {
        if (policy == null || policy.isNull()) return;
        JsonNode rate = policy.get("maxReceivesPerSecond");
        if (!policy.isObject() || rate == null || !rate.isIntegralNumber() || rate.asInt() < 1) {
            throw invalid(path + ".maxReceivesPerSecond must be an integer of at least 1");
        }
    }

    private static void checkRequestPolicy(JsonNode policy, String path) {
        if (policy == null || policy.isNull()) return;
        if (!policy.isObject() || !policy.path("headerContentType").isTextual()) {
            throw invalid(path + ".headerContentType must be a string");
        }
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? NODES.nullNode() : node;
    }

    private static JsonNode policyTree(String text) {
        if (text == null || text.isEmpty()) return NODES.objectNode();
        try {
            JsonNode tree = Json.MAPPER.readTree(text);
            return tree.isObject() ? tree : NODES.objectNode();
        } catch (IOException e) {
            return NODES.objectNode();
        }
    }

    private static ObjectNode parseObject(String text) {
        JsonNode tree;
        try {
            tree = Json.readClientDocument(text);
        } catch (IOException e) {
            throw SnsErrors.invalidParameter("DeliveryPolicy: failed to parse JSON. " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) throw invalid("must be a JSON object");
        return (ObjectNode) tree;
    }

    private static io.eddy.protocol.AwsException invalid(String detail) {
        return SnsErrors.invalidParameter("DeliveryPolicy: " + detail);
    }
}
