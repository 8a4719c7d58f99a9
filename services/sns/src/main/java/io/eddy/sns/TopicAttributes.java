package io.eddy.sns;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/** Topic attribute names, their checks on CreateTopic and SetTopicAttributes, and GetTopicAttributes' view. */
final class TopicAttributes {

    static final String DISPLAY_NAME = "DisplayName";
    static final String POLICY = "Policy";
    static final String DELIVERY_POLICY = "DeliveryPolicy";
    static final String TRACING_CONFIG = "TracingConfig";
    static final String KMS_MASTER_KEY_ID = "KmsMasterKeyId";
    static final String SIGNATURE_VERSION = "SignatureVersion";
    static final String FIFO_TOPIC = "FifoTopic";
    static final String CONTENT_BASED_DEDUPLICATION = "ContentBasedDeduplication";
    static final String FIFO_THROUGHPUT_SCOPE = "FifoThroughputScope";

    private static final Set<String> FEEDBACK_PREFIXES = Set.of("Application", "Firehose", "HTTP", "Lambda", "SQS");
    private static final Set<String> SETTABLE = Set.of(DISPLAY_NAME, POLICY, DELIVERY_POLICY, TRACING_CONFIG,
            KMS_MASTER_KEY_ID, SIGNATURE_VERSION, CONTENT_BASED_DEDUPLICATION, FIFO_THROUGHPUT_SCOPE);
    private static final Set<String> FIFO_ONLY = Set.of(CONTENT_BASED_DEDUPLICATION, FIFO_THROUGHPUT_SCOPE);

    private TopicAttributes() {
    }

    static boolean isKnown(String name) {
        return SETTABLE.contains(name) || isFeedbackAttribute(name);
    }

    private static boolean isFeedbackAttribute(String name) {
        for (String prefix : FEEDBACK_PREFIXES) {
            if (name.equals(prefix + "SuccessFeedbackRoleArn") || name.equals(prefix + "SuccessFeedbackSampleRate")
                    || name.equals(prefix + "FailureFeedbackRoleArn")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks attributes given to CreateTopic (without FifoTopic, which decides the topic's kind) and
     * returns them as stored.
     */
    static Map<String, String> checkForCreate(Map<String, String> given, boolean fifo) {
        Map<String, String> stored = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (e.getKey().equals(FIFO_TOPIC)) continue;
            if (!isKnown(e.getKey())) throw SnsErrors.invalidParameter("Attributes Reason: Unknown attribute " + e.getKey());
            String value = check(e.getKey(), e.getValue(), fifo, "Attributes Reason: ");
            if (value != null) stored.put(e.getKey(), value);
        }
        return stored;
    }

    /** Checks one SetTopicAttributes value; null means the attribute goes back to its default. */
    static String checkForSet(String name, String value, boolean fifo) {
        if (!isKnown(name)) throw SnsErrors.invalidParameter("AttributeName");
        return check(name, value == null ? "" : value, fifo, "");
    }

    private static String check(String name, String value, boolean fifo, String reason) {
        if (FIFO_ONLY.contains(name) && !fifo) {
            if (name.equals(CONTENT_BASED_DEDUPLICATION)) {
                throw SnsErrors.invalidParameter(reason + "ContentBasedDeduplication Reason: Content-based deduplication can only be set for FIFO topics");
            }
            throw SnsErrors.invalidParameter(reason + name + " Reason: " + name + " can only be set for FIFO topics");
        }
        switch (name) {
            case DISPLAY_NAME -> {
                if (value.length() > 100) throw SnsErrors.invalidParameter(reason + "DisplayName");
                return value;
            }
            case POLICY -> {
                if (value.isEmpty()) return null;
                requireJsonObject(value, reason + "Policy");
                return value;
            }
            case DELIVERY_POLICY -> {
                return value.isEmpty() ? null : DeliveryPolicies.checkTopicPolicy(value);
            }
            case TRACING_CONFIG -> {
                if (!value.equals("PassThrough") && !value.equals("Active")) {
                    throw SnsErrors.invalidParameter(reason + "TracingConfig: Invalid value [" + value + "]. Must be PassThrough or Active.");
                }
                return value;
            }
            case SIGNATURE_VERSION -> {
                if (!value.equals("1") && !value.equals("2")) {
                    throw SnsErrors.invalidParameter(reason + "SignatureVersion: Invalid value [" + value + "]. Must be 1 or 2.");
                }
                return value;
            }
            case CONTENT_BASED_DEDUPLICATION -> {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw SnsErrors.invalidParameter(reason + "ContentBasedDeduplication: Invalid value [" + value + "]. Must be true or false.");
                }
                return value.toLowerCase();
            }
            case FIFO_THROUGHPUT_SCOPE -> {
                if (!value.equals("Topic") && !value.equals("MessageGroup")) {
                    throw SnsErrors.invalidParameter(reason + "FifoThroughputScope: Invalid value [" + value + "]. Please use either Topic or MessageGroup");
                }
                return value;
            }
            case KMS_MASTER_KEY_ID -> {
                return value.isEmpty() ? null : value;
            }
            default -> {
                if (name.endsWith("SampleRate")) {
                    int rate;
                    try {
                        rate = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw SnsErrors.invalidParameter(reason + name);
                    }
                    if (rate < 0 || rate > 100) throw SnsErrors.invalidParameter(reason + name);
                }
                return value.isEmpty() ? null : value;
            }
        }
    }

    private static void requireJsonObject(String value, String what) {
        try {
            JsonNode tree = Json.MAPPER.readTree(value);
            if (tree == null || !tree.isObject()) throw SnsErrors.invalidParameter(what);
        } catch (IOException e) {
            throw SnsErrors.invalidParameter(what);
        }
    }

    /** The policy a topic has until someone sets one: its owner may do everything. */
    static String defaultPolicy(Topic topic) {
        return "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":\"__default_statement_ID\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"SNS:GetTopicAttributes\","
                + "\"SNS:SetTopicAttributes\",\"SNS:AddPermission\",\"SNS:RemovePermission\",\"SNS:DeleteTopic\","
                + "\"SNS:Subscribe\",\"SNS:ListSubscriptionsByTopic\",\"SNS:Publish\"],\"Resource\":\"" + topic.arn()
                + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"" + topic.account() + "\"}}}]}";
    }

    /** Everything GetTopicAttributes reports, in name order as AWS lists them. */
    static Map<String, String> view(Topic topic, int confirmed, int pending) {
        Map<String, String> view = new TreeMap<>(topic.attributes());
        view.putIfAbsent(DISPLAY_NAME, "");
        view.putIfAbsent(POLICY, defaultPolicy(topic));
        view.put("EffectiveDeliveryPolicy", Json.text(DeliveryPolicies.effectiveTopicPolicy(topic)));
        view.put("Owner", topic.account());
        view.put("SubscriptionsConfirmed", Integer.toString(confirmed));
        view.put("SubscriptionsDeleted", "0");
        view.put("SubscriptionsPending", Integer.toString(pending));
        view.put("TopicArn", topic.arn());
        if (topic.fifo()) {
            view.put(FIFO_TOPIC, "true");
            view.putIfAbsent(CONTENT_BASED_DEDUPLICATION, "false");
        }
        return view;
    }
}
