package io.eddy.sqs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A queue's settable attributes, validated and normalised the way GetQueueAttributes returns them.
 * Immutable: SetQueueAttributes builds a new one.
 */
final class QueueConfig {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Settable attributes in the order GetQueueAttributes lists them. */
    static final List<String> SETTABLE = List.of("Policy", "VisibilityTimeout", "MaximumMessageSize",
            "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue",
            "ContentBasedDeduplication", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "DeduplicationScope",
            "FifoThroughputLimit", "RedriveAllowPolicy", "SqsManagedSseEnabled");
    static final Set<String> FIFO_ONLY = Set.of("FifoQueue", "ContentBasedDeduplication", "DeduplicationScope",
            "FifoThroughputLimit");

    static final int MAX_VISIBILITY_TIMEOUT = 43_200;
    static final int MAX_MESSAGE_SIZE = 1_048_576;
    static final int DEFAULT_KMS_REUSE_PERIOD = 300;

    /** A RedrivePolicy: where messages go after {@code maxReceiveCount} receives. */
    record RedrivePolicy(String deadLetterTargetArn, int maxReceiveCount) {
    }

    /** A RedriveAllowPolicy: which source queues may use this queue as their dead-letter queue. */
    record RedriveAllowPolicy(String redrivePermission, List<String> sourceQueueArns) {
        boolean allows(String sourceArn) {
            return switch (redrivePermission) {
                case "denyAll" -> false;
                case "byQueue" -> sourceQueueArns.contains(sourceArn);
                default -> true;
            };
        }
    }

    private final boolean fifo;
    private final Map<String, String> values;
    final int visibilityTimeout;
    final int messageRetentionPeriod;
    final int delaySeconds;
    final int maximumMessageSize;
    final int receiveMessageWaitTimeSeconds;
    final RedrivePolicy redrivePolicy;
    final RedriveAllowPolicy redriveAllowPolicy;
    final boolean contentBasedDeduplication;
    final boolean deduplicationPerMessageGroup;

    private QueueConfig(boolean fifo, Map<String, String> values) {
        this.fifo = fifo;
        this.values = Collections.unmodifiableMap(values);
        this.visibilityTimeout = Integer.parseInt(values.get("VisibilityTimeout"));
        this.messageRetentionPeriod = Integer.parseInt(values.get("MessageRetentionPeriod"));
        this.delaySeconds = Integer.parseInt(values.get("DelaySeconds"));
        this.maximumMessageSize = Integer.parseInt(values.get("MaximumMessageSize"));
        this.receiveMessageWaitTimeSeconds = Integer.parseInt(values.get("ReceiveMessageWaitTimeSeconds"));
        this.redrivePolicy = values.containsKey("RedrivePolicy") ? parseRedrivePolicy(values.get("RedrivePolicy")) : null;
        this.redriveAllowPolicy = values.containsKey("RedriveAllowPolicy")
                ? parseRedriveAllowPolicy(values.get("RedriveAllowPolicy")) : null;
        this.contentBasedDeduplication = "true".equals(values.get("ContentBasedDeduplication"));
        this.deduplicationPerMessageGroup = "messageGroup".equals(values.get("DeduplicationScope"));
    }

    static QueueConfig defaults(boolean fifo) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("VisibilityTimeout", "30");
        values.put("MaximumMessageSize", Integer.toString(MAX_MESSAGE_SIZE));
        values.put("MessageRetentionPeriod", "345600");
        values.put("DelaySeconds", "0");
        values.put("ReceiveMessageWaitTimeSeconds", "0");
        if (fifo) {
            values.put("FifoQueue", "true");
            values.put("ContentBasedDeduplication", "false");
            values.put("DeduplicationScope", "queue");
            values.put("FifoThroughputLimit", "perQueue");
        }
        values.put("SqsManagedSseEnabled", "true");
        return new QueueConfig(fifo, values);
    }

    /** Restores a configuration written by {@link #values()}. */
    static QueueConfig restore(boolean fifo, Map<String, String> values) {
        return new QueueConfig(fifo, new LinkedHashMap<>(values));
    }

    boolean isFifo() {
        return fifo;
    }

    /** The normalised attributes, including defaults, in GetQueueAttributes order. */
    Map<String, String> values() {
        return values;
    }

    /** The value an attribute effectively has, defaults included; null when unset. */
    String effective(String name) {
        String value = values.get(name);
        if (value != null) return value;
        if (name.equals("FifoQueue")) return "false";
        if (name.equals("KmsDataKeyReusePeriodSeconds")) return Integer.toString(DEFAULT_KMS_REUSE_PERIOD);
        return null;
    }

    /**
     * Validates and normalises requested attribute changes. An empty value for Policy, RedrivePolicy,
     * RedriveAllowPolicy or KmsMasterKeyId removes it (normalised to "").
     */
    static Map<String, String> normalize(Map<String, String> requested, boolean fifo, boolean creating) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : requested.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (!SETTABLE.contains(name) || (!fifo && FIFO_ONLY.contains(name) && !name.equals("FifoQueue"))) {
                throw SqsErrors.invalidAttributeName(name);
            }
            if (value == null) throw SqsErrors.invalidAttributeValue(name);
            out.put(name, normalizeValue(name, value, fifo, creating));
        }
        if ("true".equals(out.get("SqsManagedSseEnabled")) && !out.getOrDefault("KmsMasterKeyId", "").isEmpty()) {
            throw SqsErrors.twoKindsOfEncryption();
        }
        return out;
    }

    private static String normalizeValue(String name, String value, boolean fifo, boolean creating) {
        return switch (name) {
            case "VisibilityTimeout" -> integer(name, value, 0, MAX_VISIBILITY_TIMEOUT);
            case "MaximumMessageSize" -> integer(name, value, 1024, MAX_MESSAGE_SIZE);
            case "MessageRetentionPeriod" -> integer(name, value, 60, 1_209_600);
            case "DelaySeconds" -> integer(name, value, 0, 900);
            case "ReceiveMessageWaitTimeSeconds" -> integer(name, value, 0, 20);
            case "KmsDataKeyReusePeriodSeconds" -> integer(name, value, 60, 86_400);
            case "SqsManagedSseEnabled", "ContentBasedDeduplication" -> bool(name, value);
            case "FifoQueue" -> {
                String normalized = bool(name, value);
                if (!creating) throw SqsErrors.invalidAttributeValue(name, "Modifying queue type is not supported.");
                if (!fifo && normalized.equals("true")) throw SqsErrors.invalidAttributeValue(name);
                yield normalized;
            }
            case "DeduplicationScope" -> oneOf(name, value, "messageGroup", "queue");
            case "FifoThroughputLimit" -> oneOf(name, value, "perQueue", "perMessageGroupId");
            case "KmsMasterKeyId" -> value;
            case "Policy" -> value.isEmpty() ? "" : policy(value);
            case "RedrivePolicy" -> value.isEmpty() ? "" : format(parseRedrivePolicy(value));
            case "RedriveAllowPolicy" -> value.isEmpty() ? "" : format(parseRedriveAllowPolicy(value));
            default -> throw SqsErrors.invalidAttributeName(name);
        };
    }

    /** This configuration with normalised changes applied. */
    QueueConfig with(Map<String, String> changes) {
        Map<String, String> next = new LinkedHashMap<>(values);
        for (Map.Entry<String, String> e : changes.entrySet()) {
            if (e.getValue().isEmpty()) next.remove(e.getKey());
            else next.put(e.getKey(), e.getValue());
        }
        if (!fifo) next.remove("FifoQueue");
        boolean kms = next.containsKey("KmsMasterKeyId");
        if (kms && changes.containsKey("KmsMasterKeyId") && !changes.containsKey("SqsManagedSseEnabled")) {
            next.put("SqsManagedSseEnabled", "false");
        }
        if (kms) next.putIfAbsent("KmsDataKeyReusePeriodSeconds", Integer.toString(DEFAULT_KMS_REUSE_PERIOD));
        else next.remove("KmsDataKeyReusePeriodSeconds");
        if ("perMessageGroupId".equals(next.get("FifoThroughputLimit"))
                && !"messageGroup".equals(next.get("DeduplicationScope"))) {
            throw SqsErrors.invalidAttributeValue("FifoThroughputLimit",
                    "perMessageGroupId is allowed only when DeduplicationScope is messageGroup.");
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : SETTABLE) {
            if (next.containsKey(name)) ordered.put(name, next.get(name));
        }
        return new QueueConfig(fifo, ordered);
    }

    private static String integer(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) throw SqsErrors.invalidAttributeValue(name);
            return Integer.toString(n);
        } catch (NumberFormatException e) {
            throw SqsErrors.invalidAttributeValue(name);
        }
    }

    private static String bool(String name, String value) {
        if (value.equalsIgnoreCase("true")) return "true";
        if (value.equalsIgnoreCase("false")) return "false";
        throw SqsErrors.invalidAttributeValue(name);
    }

    private static String oneOf(String name, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) return value;
        }
        throw SqsErrors.invalidAttributeValue(name);
    }

    private static String policy(String value) {
        try {
            JsonNode node = JSON.readTree(value);
            if (node == null || !node.isObject()) throw SqsErrors.invalidAttributeValue("Policy");
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw SqsErrors.invalidAttributeValue("Policy");
        }
    }

    static RedrivePolicy parseRedrivePolicy(String value) {
        JsonNode node = jsonObject(value);
        if (node == null) {
            throw SqsErrors.invalidAttributeValue("RedrivePolicy", "Redrive policy is not a valid JSON map.");
        }
        JsonNode count = node.get("maxReceiveCount");
        if (count == null || count.isNull()) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value,
                    "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
        }
        JsonNode target = node.get("deadLetterTargetArn");
        if (target == null || !target.isTextual()) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value,
                    "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
        }
        if (node.size() > 2) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value,
                    "Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].");
        }
        String[] arn = target.asText().split(":", -1);
        if (arn.length < 6 || !arn[0].equals("arn") || !arn[2].equals("sqs")) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value, "Only SQS queues are valid resources for deadLetterTargetArn.");
        }
        int maxReceiveCount;
        try {
            maxReceiveCount = count.isNumber() && count.canConvertToInt() && count.isIntegralNumber()
                    ? count.intValue() : Integer.parseInt(count.asText().trim());
        } catch (NumberFormatException e) {
            maxReceiveCount = 0;
        }
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value, "Invalid value for maxReceiveCount: "
                    + count.asText() + ", valid values are from 1 to 1000 both inclusive.");
        }
        return new RedrivePolicy(target.asText(), maxReceiveCount);
    }

    /** AWS words every RedriveAllowPolicy problem as "can't create the redrive allow policy", some with a reason. */
    static RedriveAllowPolicy parseRedriveAllowPolicy(String value) {
        JsonNode node = jsonObject(value);
        String permission = node == null ? "" : node.path("redrivePermission").asText("");
        JsonNode arns = node == null ? null : node.get("sourceQueueArns");
        boolean knownFieldsOnly = node != null && node.size() == (arns == null ? 1 : 2);
        if (!List.of("allowAll", "denyAll", "byQueue").contains(permission) || !knownFieldsOnly
                || arns != null && !(arns.isArray() && allText(arns))) {
            throw SqsErrors.invalidAttributeValue("RedriveAllowPolicy",
                    "Amazon SQS can't create the redrive allow policy, as it\u2019s in an unsupported format.");
        }
        List<String> sources = new ArrayList<>();
        if (permission.equals("byQueue")) {
            if (arns == null || arns.isEmpty()) {
                throw SqsErrors.invalidParameter("RedriveAllowPolicy", value, "Amazon SQS can't create the redrive allow policy. "
                        + "When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.");
            }
            if (arns.size() > 10) {
                throw SqsErrors.invalidParameter("RedriveAllowPolicy", value, "Amazon SQS can't create the redrive allow policy. "
                        + "The maximum number of source queue ARNs you can specify is 10.");
            }
            for (JsonNode arn : arns) sources.add(arn.asText());
        } else if (arns != null) {
            throw SqsErrors.invalidParameter("RedriveAllowPolicy", value, "Amazon SQS can't create the redrive allow policy. "
                    + "To specify one or more source queue ARNs, you must set redrivePermission to byQueue.");
        }
        return new RedriveAllowPolicy(permission, List.copyOf(sources));
    }

    /** {@code value} parsed as a JSON object, or null when it is not one. */
    private static JsonNode jsonObject(String value) {
        try {
            JsonNode node = JSON.readTree(value);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isTextual()) return false;
        }
        return true;
    }

    private static String format(RedrivePolicy policy) {
        ObjectNode node = JSON.createObjectNode();
        node.put("deadLetterTargetArn", policy.deadLetterTargetArn());
        node.put("maxReceiveCount", policy.maxReceiveCount());
        return node.toString();
    }

    private static String format(RedriveAllowPolicy policy) {
        ObjectNode node = JSON.createObjectNode();
        node.put("redrivePermission", policy.redrivePermission());
        if (policy.redrivePermission().equals("byQueue")) {
            ArrayNode arns = node.putArray("sourceQueueArns");
            policy.sourceQueueArns().forEach(arns::add);
        }
        return node.toString();
    }
}
