package io.eddy.sns;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subscription as stored. {@code token} is the confirmation token while one was issued;
 * {@code attributes} holds what callers set (RawMessageDelivery, FilterPolicy, FilterPolicyScope,
 * RedrivePolicy, DeliveryPolicy, SubscriptionRoleArn, ReplayPolicy).
 */
public record Subscription(String account, String region, String topicName, String id, String owner,
                           String protocol, String endpoint, boolean pendingConfirmation,
                           boolean confirmationAuthenticated, String token, Map<String, String> attributes) {

    public Subscription {
        attributes = new LinkedHashMap<>(attributes);
    }

    public String topicArn() {
        return "arn:aws:sns:" + region + ":" + account + ":" + topicName;
    }

    public String arn() {
        return topicArn() + ":" + id;
    }

    /** The ARN as listings show it: AWS hides the ARN of subscriptions still waiting for confirmation. */
    public String listedArn() {
        return pendingConfirmation ? "PendingConfirmation" : arn();
    }

    public boolean rawMessageDelivery() {
        return "true".equalsIgnoreCase(attributes.get(SubscriptionAttributes.RAW_MESSAGE_DELIVERY));
    }

    public String filterPolicy() {
        return attributes.get(SubscriptionAttributes.FILTER_POLICY);
    }

    public String filterPolicyScope() {
        return attributes.getOrDefault(SubscriptionAttributes.FILTER_POLICY_SCOPE, FilterPolicy.SCOPE_ATTRIBUTES);
    }

    /** The dead-letter queue's ARN from the RedrivePolicy, or null. */
    public String deadLetterTargetArn() {
        String policy = attributes.get(SubscriptionAttributes.REDRIVE_POLICY);
        if (policy == null) return null;
        try {
            return Json.MAPPER.readTree(policy).path("deadLetterTargetArn").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    public Subscription withAttributes(Map<String, String> changed) {
        Map<String, String> merged = new LinkedHashMap<>(attributes);
        changed.forEach((k, v) -> {
            if (v == null) merged.remove(k);
            else merged.put(k, v);
        });
        return new Subscription(account, region, topicName, id, owner, protocol, endpoint, pendingConfirmation,
                confirmationAuthenticated, token, merged);
    }

    public Subscription confirmed(boolean authenticated) {
        return new Subscription(account, region, topicName, id, owner, protocol, endpoint, false, authenticated, token,
                attributes);
    }
}
