package io.eddy.lambda.esm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.lambda.esm.spi.FailureDestinations;

import software.amazon.event.ruler.JsonRuleCompiler;

/**
 * Reads Create/UpdateEventSourceMapping inputs onto a {@link Mapping}: the API model's constraints
 * first (ValidationException), then the rules that depend on the kind of event source
 * (InvalidParameterValueException).
 */
final class MappingRequests {

    static final Pattern FUNCTION_NAME = Pattern.compile("(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
            + "(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?");
    private static final Pattern ARN = Pattern.compile("arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)");
    // in the order Lambda lists them in its validation message
    private static final List<String> STARTING_POSITIONS = List.of("LATEST", "AT_TIMESTAMP", "TRIM_HORIZON");
    private static final List<String> STREAM_ONLY = List.of("ParallelizationFactor", "MaximumRetryAttempts",
            "MaximumRecordAgeInSeconds", "BisectBatchOnFunctionError", "TumblingWindowInSeconds", "DestinationConfig",
            "StartingPosition", "StartingPositionTimestamp");
    private static final List<String> QUEUE_ONLY = List.of("ScalingConfig");
    private static final List<String> METRIC_GROUPS = List.of("EventCount", "ErrorCount", "KafkaMetrics");

    private MappingRequests() {
    }

    /** Checks the API model's constraints on an input of Create ({@code creating}) or Update. */
    static void checkModel(JsonNode in, boolean creating) {
        EsmErrors.Violations v = new EsmErrors.Violations();
        String functionName = text(in, "FunctionName");
        if (creating && functionName == null) v.add(null, "functionName", "Member must not be null");
        if (functionName != null) {
            if (functionName.isEmpty()) v.add(functionName, "functionName", "Member must have length greater than or equal to 1");
            else if (functionName.length() > 256) v.maxLength(functionName, "functionName", 256);
            else if (!FUNCTION_NAME.matcher(functionName).matches()) {
                v.add(functionName, "functionName", "Member must satisfy regular expression pattern: " + FUNCTION_NAME.pattern());
            }
        }
        String arn = text(in, "EventSourceArn");
        if (arn != null && !ARN.matcher(arn).matches()) {
            v.add(arn, "eventSourceArn", "Member must satisfy regular expression pattern: " + ARN.pattern());
        }
        v.range(integer(in, "BatchSize"), "batchSize", 1, 10000);
        v.range(integer(in, "MaximumBatchingWindowInSeconds"), "maximumBatchingWindowInSeconds", 0, 300);
        v.range(integer(in, "ParallelizationFactor"), "parallelizationFactor", 1, 10);
        v.range(integer(in, "MaximumRecordAgeInSeconds"), "maximumRecordAgeInSeconds", -1, 604800);
        v.range(integer(in, "MaximumRetryAttempts"), "maximumRetryAttempts", -1, 10000);
        v.range(integer(in, "TumblingWindowInSeconds"), "tumblingWindowInSeconds", 0, 900);
        v.range(integer(in.path("ScalingConfig"), "MaximumConcurrency"), "scalingConfig.maximumConcurrency", 2, 1000);
        String position = text(in, "StartingPosition");
        if (position != null && !STARTING_POSITIONS.contains(position)) {
            v.add(position, "startingPosition", "Member must satisfy enum value set: " + STARTING_POSITIONS);
        }
        JsonNode types = in.get("FunctionResponseTypes");
        if (types != null && types.isArray()) {
            if (types.size() > 1) v.add(types.toString(), "functionResponseTypes", "Member must have length less than or equal to 1");
            for (JsonNode type : types) {
                if (!"ReportBatchItemFailures".equals(type.asText())) {
                    v.add(type.asText(), "functionResponseTypes", "Member must satisfy enum value set: [ReportBatchItemFailures]");
                }
            }
        }
        String destination = text(in.path("DestinationConfig").path("OnFailure"), "Destination");
        v.maxLength(destination, "destinationConfig.onFailure.destination", 350);
        for (JsonNode filter : in.path("FilterCriteria").path("Filters")) {
            v.maxLength(text(filter, "Pattern"), "filterCriteria.filters.member.pattern", 4096);
        }
        JsonNode metrics = in.path("MetricsConfig").get("Metrics");
        if (metrics != null && metrics.isArray()) {
            List<String> groups = new ArrayList<>();
            metrics.forEach(m -> groups.add(m.asText()));
            String shown = "[" + String.join(", ", groups) + "]";
            if (!METRIC_GROUPS.containsAll(groups)) {
                v.add(shown, "metricsConfig.metrics", "Member must satisfy constraint: [Member must satisfy enum value set: "
                        + "[" + String.join(", ", METRIC_GROUPS) + "]]");
            }
            if (groups.size() > 3) v.add(shown, "metricsConfig.metrics", "Member must have length less than or equal to 3");
        }
        v.throwIfAny();
    }

    /** The kind of source behind an ARN Create names; Lambda's error when mappings cannot read it. */
    static SourceKind kindOf(String eventSourceArn) {
        SourceKind kind = eventSourceArn == null ? null : SourceKind.of(eventSourceArn);
        if (kind == null) throw EsmErrors.invalidParameter("Unrecognized event source, must be kinesis, dynamodb stream or sqs.");
        return kind;
    }

    /** Fills a new mapping's settings with the defaults of its kind of source. */
    static void applyDefaults(Mapping m) {
        m.stateTransitionReason = userActionReason(m.kind);
        if (m.kind == SourceKind.SQS) {
            m.batchSize = 10;
        } else {
            m.batchSize = 100;
            m.lastProcessingResult = "No records processed";
        }
    }

    /** Copies every setting present in {@code in} onto {@code m}, then checks the combination. */
    static void apply(Mapping m, JsonNode in, boolean creating, boolean fifoQueue, FailureDestinations destinations) {
        if (m.kind == SourceKind.SQS && in.hasNonNull("StartingPosition")) {
            throw EsmErrors.invalidParameter("StartingPosition is not valid for SQS event sources.");
        }
        for (String field : m.kind == SourceKind.SQS ? STREAM_ONLY : QUEUE_ONLY) {
            if (in.hasNonNull(field) && !(field.equals("DestinationConfig") && isEmptyDestination(in.get(field)))) {
                throw EsmErrors.invalidParameter("Unsupported " + field + " parameter for given event source mapping type.");
            }
        }
        String onSuccess = text(in.path("DestinationConfig").path("OnSuccess"), "Destination");
        if (onSuccess != null && !onSuccess.isEmpty()) {
            // the API model allows OnSuccess, but Lambda accepts it only for Kafka sources
            throw EsmErrors.invalidParameter("Unsupported DestinationConfig parameter for given event source mapping type.");
        }
        if (in.hasNonNull("Enabled")) m.enabled = in.get("Enabled").asBoolean();
        if (in.hasNonNull("BatchSize")) m.batchSize = in.get("BatchSize").asInt();
        if (in.hasNonNull("MaximumBatchingWindowInSeconds")) m.maximumBatchingWindowInSeconds = in.get("MaximumBatchingWindowInSeconds").asInt();
        if (in.has("FilterCriteria")) m.filterPatterns = filterPatterns(in.get("FilterCriteria"));
        if (in.has("FunctionResponseTypes")) {
            List<String> types = new ArrayList<>();
            in.get("FunctionResponseTypes").forEach(t -> types.add(t.asText()));
            m.functionResponseTypes = types;
        }
        if (creating) {
            if (in.hasNonNull("StartingPosition")) m.startingPosition = in.get("StartingPosition").asText();
            if (in.hasNonNull("StartingPositionTimestamp") && !"AT_TIMESTAMP".equals(m.startingPosition)) {
                throw EsmErrors.invalidParameter("Timestamp only valid with StartingPosition AT_TIMESTAMP");
            }
        }
        if (in.hasNonNull("ParallelizationFactor")) m.parallelizationFactor = in.get("ParallelizationFactor").asInt();
        if (in.hasNonNull("MaximumRetryAttempts")) m.maximumRetryAttempts = in.get("MaximumRetryAttempts").asInt();
        if (in.hasNonNull("MaximumRecordAgeInSeconds")) m.maximumRecordAgeInSeconds = in.get("MaximumRecordAgeInSeconds").asInt();
        if (in.hasNonNull("BisectBatchOnFunctionError")) m.bisectBatchOnFunctionError = in.get("BisectBatchOnFunctionError").asBoolean();
        if (in.hasNonNull("TumblingWindowInSeconds")) m.tumblingWindowInSeconds = in.get("TumblingWindowInSeconds").asInt();
        if (in.has("DestinationConfig")) {
            String destination = text(in.path("DestinationConfig").path("OnFailure"), "Destination");
            m.onFailureDestination = destination == null || destination.isEmpty() ? null : destination;
        }
        if (in.has("ScalingConfig")) m.maximumConcurrency = integer(in.get("ScalingConfig"), "MaximumConcurrency");
        if (in.has("MetricsConfig")) {
            List<String> groups = new ArrayList<>();
            for (JsonNode group : in.path("MetricsConfig").path("Metrics")) {
                if (!groups.contains(group.asText())) groups.add(group.asText());
            }
            m.metrics = groups;
        }
        if (m.kind == SourceKind.SQS) checkQueueMapping(m, fifoQueue);
        else checkStreamMapping(m, destinations);
    }

    private static void checkStreamMapping(Mapping m, FailureDestinations destinations) {
        if (m.startingPosition == null) {
            throw EsmErrors.invalidParameter("StartingPosition is required for DynamoDB Streams event sources.");
        }
        if (m.startingPosition.equals("AT_TIMESTAMP")) {
            throw EsmErrors.invalidParameter("Unsupported starting position for arn type: " + m.eventSourceArn);
        }
        if (m.maximumRecordAgeInSeconds >= 0 && m.maximumRecordAgeInSeconds < 60) {
            throw EsmErrors.invalidParameter("MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)");
        }
        if (m.onFailureDestination != null) {
            if (!destinations.accepts(m.onFailureDestination)) {
                throw EsmErrors.invalidParameter("The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure("
                        + "destination=" + m.onFailureDestination + ")) is invalid.");
            }
        }
    }


    private static void checkQueueMapping(Mapping m, boolean fifo) {
        if (fifo && m.maximumBatchingWindowInSeconds > 0) {
            throw EsmErrors.invalidParameter("Batching window is not supported for FIFO queues");
        }
        if (fifo && m.batchSize > 10) {
            throw EsmErrors.invalidParameter("Batch size for FIFO queues must be between 1 and 10.");
        }
        if (m.batchSize > 10 && m.maximumBatchingWindowInSeconds < 1) {
            throw EsmErrors.invalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
        }
    }

    /** Lambda words a user's change differently for queue and stream sources. */
    static String userActionReason(SourceKind kind) {
        return kind == SourceKind.SQS ? "USER_INITIATED" : "User action";
    }

    private static boolean isEmptyDestination(JsonNode config) {
        String destination = text(config.path("OnFailure"), "Destination");
        return (destination == null || destination.isEmpty()) && !config.path("OnSuccess").hasNonNull("Destination");
    }

    private static List<String> filterPatterns(JsonNode criteria) {
        List<String> patterns = new ArrayList<>();
        if (criteria == null || criteria.isNull()) return patterns;
        for (JsonNode filter : criteria.path("Filters")) {
            String pattern = text(filter, "Pattern");
            if (pattern == null || JsonRuleCompiler.check(pattern) != null) {
                throw EsmErrors.invalidParameter("Invalid filter pattern definition.");
            }
            patterns.add(pattern);
        }
        return patterns;
    }

    /** A {@code Tags} map as given (absent: none). */
    static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        return tags;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asInt();
    }
}
