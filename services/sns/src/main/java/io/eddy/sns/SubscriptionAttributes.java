package io.eddy.sns;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/** Subscription attribute names, their checks on Subscribe and SetSubscriptionAttributes, and GetSubscriptionAttributes' view. */
final class SubscriptionAttributes {

    static final String DELIVERY_POLICY = "DeliveryPolicy";
    static final String FILTER_POLICY = "FilterPolicy";
    static final String FILTER_POLICY_SCOPE = "FilterPolicyScope";
    static final String RAW_MESSAGE_DELIVERY = "RawMessageDelivery";
    static final String REDRIVE_POLICY = "RedrivePolicy";
    static final String SUBSCRIPTION_ROLE_ARN = "SubscriptionRoleArn";

    private static final Set<String> SETTABLE = Set.of(DELIVERY_POLICY, FILTER_POLICY, FILTER_POLICY_SCOPE,
            RAW_MESSAGE_DELIVERY, REDRIVE_POLICY, SUBSCRIPTION_ROLE_ARN);
    private static final Set<String> RAW_PROTOCOLS = Set.of("sqs", "http", "https", "firehose");

    private SubscriptionAttributes() {
    }

    /** Checks the attributes given to Subscribe and returns them as stored. */
    static Map<String, String> checkForSubscribe(Map<String, String> given, String protocol, String endpoint, Topic topic) {
        Map<String, String> stored = new LinkedHashMap<>();
        String scope = given.getOrDefault(FILTER_POLICY_SCOPE, FilterPolicy.SCOPE_ATTRIBUTES);
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!SETTABLE.contains(e.getKey())) throw SnsErrors.invalidParameter("Attributes Reason: Unknown attribute " + e.getKey());
            String value = check(e.getKey(), e.getValue() == null ? "" : e.getValue(), protocol, endpoint, topic, scope,
                    given.get(FILTER_POLICY), "Attributes Reason: ");
            if (value != null) stored.put(e.getKey(), value);
        }
        return stored;
    }

    /** Checks one SetSubscriptionAttributes value; null removes the attribute. */
    static String checkForSet(String name, String value, Subscription subscription, Topic topic) {
        if (!SETTABLE.contains(name)) throw SnsErrors.invalidParameter("AttributeName");
        String scope = name.equals(FILTER_POLICY_SCOPE) ? value : subscription.filterPolicyScope();
        return check(name, value == null ? "" : value, subscription.protocol(), subscription.endpoint(), topic, scope,
                name.equals(FILTER_POLICY) ? value : subscription.filterPolicy(), "");
    }

    private static String check(String name, String value, String protocol, String endpoint, Topic topic, String scope,
                                String filterPolicy, String reason) {
        switch (name) {
            case RAW_MESSAGE_DELIVERY -> {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw SnsErrors.invalidParameter(reason + "RawMessageDelivery: Invalid value [" + value + "]. Must be true or false.");
                }
                if (value.equalsIgnoreCase("true") && !RAW_PROTOCOLS.contains(protocol)) {
                    throw SnsErrors.invalidParameter(reason + "Delivery protocol [" + protocol + "] does not support raw message delivery.");
                }
                return value.toLowerCase();
            }
            case FILTER_POLICY -> {
                if (value.isEmpty()) return null;
                FilterPolicy.check(value, scope, reason);
                return value;
            }
            case FILTER_POLICY_SCOPE -> {
                if (!value.equals(FilterPolicy.SCOPE_ATTRIBUTES) && !value.equals(FilterPolicy.SCOPE_BODY)) {
                    throw SnsErrors.invalidParameter(reason + "FilterPolicyScope: Invalid value [" + value
                            + "]. Please use either MessageBody or MessageAttributes");
                }
                if (filterPolicy != null && !filterPolicy.isEmpty()) FilterPolicy.check(filterPolicy, value, reason);
                return value;
            }
            case REDRIVE_POLICY -> {
                if (value.isEmpty()) return null;
                return checkRedrivePolicy(value, protocol, endpoint, topic, reason);
            }
            case DELIVERY_POLICY -> {
                if (value.isEmpty()) return null;
                if (!protocol.equals("http") && !protocol.equals("https")) {
                    throw SnsErrors.invalidParameter(reason + "DeliveryPolicy: Delivery policy can only be set for HTTP/S subscriptions");
                }
                return DeliveryPolicies.checkSubscriptionPolicy(value);
            }
            default -> {
                return value.isEmpty() ? null : value;
            }
        }
    }

    private static String checkRedrivePolicy(String value, String protocol, String endpoint, Topic topic, String reason) {
        JsonNode policy;
        try {
            policy = Json.readClientDocument(value);
        } catch (IOException e) {
            throw SnsErrors.invalidParameter(reason + "RedrivePolicy: failed to parse JSON. " + e.getMessage());
        }
        JsonNode target = policy == null ? null : policy.get("deadLetterTargetArn");
        if (target == null || !target.isTextual() || !Arns.isQueueArn(target.asText())) {
            throw SnsErrors.invalidParameter(reason + "RedrivePolicy: deadLetterTargetArn is an invalid arn");
        }
        if (topic.fifo() && protocol.equals("sqs") && endpoint.endsWith(".fifo") && !target.asText().endsWith(".fifo")) {
            throw SnsErrors.invalidParameter(reason + "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.");
        }
        return value;
    }

    /** Everything GetSubscriptionAttributes reports. {@code topic} is null once the topic is gone. */
    static Map<String, String> view(Subscription subscription, Topic topic) {
        Map<String, String> view = new TreeMap<>();
        subscription.attributes().forEach((k, v) -> {
            if (!k.equals(FILTER_POLICY_SCOPE)) view.put(k, v);
        });
        if (subscription.filterPolicy() != null) view.put(FILTER_POLICY_SCOPE, subscription.filterPolicyScope());
        view.put("ConfirmationWasAuthenticated", Boolean.toString(subscription.confirmationAuthenticated()));
        view.put("Endpoint", subscription.endpoint());
        view.put("Owner", subscription.owner());
        view.put("PendingConfirmation", Boolean.toString(subscription.pendingConfirmation()));
        view.put("Protocol", subscription.protocol());
        view.put(RAW_MESSAGE_DELIVERY, Boolean.toString(subscription.rawMessageDelivery()));
        view.put("SubscriptionArn", subscription.arn());
        view.put("SubscriptionPrincipal", "arn:aws:iam::" + subscription.owner() + ":root");
        view.put("TopicArn", subscription.topicArn());
        if (topic != null && (subscription.protocol().equals("http") || subscription.protocol().equals("https"))) {
            view.put("EffectiveDeliveryPolicy", Json.text(DeliveryPolicies.effectiveSubscriptionPolicy(topic, subscription)));
        }
        return view;
    }
}
