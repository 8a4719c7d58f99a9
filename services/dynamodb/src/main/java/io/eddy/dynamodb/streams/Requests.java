package io.eddy.dynamodb.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.protocol.AwsException;

/**
 * Reads request members the way AWS's deserializer does (a member of the wrong JSON type is a
 * SerializationException) and collects model constraint violations into AWS's
 * "N validation errors detected: ..." message.
 */
final class Requests {

    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

    private final JsonNode input;
    private final List<String> violations = new ArrayList<>();

    Requests(JsonNode input) {
        this.input = input;
    }

    private JsonNode member(JsonNode parent, String name) {
        JsonNode node = parent == null ? null : parent.get(name);
        return node == null || node.isNull() ? null : node;
    }

    String string(String name) {
        return string(input, name);
    }

    String string(JsonNode parent, String name) {
        JsonNode node = member(parent, name);
        if (node == null) return null;
        if (!node.isTextual()) throw mismatch(node, "String");
        return node.textValue();
    }

    Integer integer(String name) {
        JsonNode node = member(input, name);
        if (node == null) return null;
        if (!node.isIntegralNumber()) throw mismatch(node, "Integer");
        return node.intValue();
    }

    JsonNode object(String name) {
        JsonNode node = member(input, name);
        if (node == null) return null;
        if (!node.isObject()) throw mismatch(node, "Structure");
        return node;
    }

    private static AwsException mismatch(JsonNode node, String target) {
        if (node.isObject()) return DynamoDbErrors.serialization("Start of structure or map found where not expected.");
        if (node.isArray()) return DynamoDbErrors.serialization("Start of list found where not expected");
        String token = node.isNumber() ? "NUMBER_VALUE" : node.isBoolean() ? "BOOLEAN_VALUE"
                : node.isTextual() ? "STRING_VALUE" : "VALUE";
        return DynamoDbErrors.serialization(token + " cannot be converted to " + target);
    }

    private void violation(Object value, String path, String constraint) {
        String shown = value == null ? "null" : "'" + value + "'";
        violations.add("Value " + shown + " at '" + path + "' failed to satisfy constraint: " + constraint);
    }

    Requests required(Object value, String path) {
        if (value == null) violation(null, path, "Member must not be null");
        return this;
    }

    Requests length(String value, String path, int min, int max) {
        if (value == null) return this;
        if (value.length() < min) violation(value, path, "Member must have length greater than or equal to " + min);
        else if (value.length() > max) violation(value, path, "Member must have length less than or equal to " + max);
        return this;
    }

    Requests range(Integer value, String path, int min, int max) {
        if (value == null) return this;
        if (value < min) violation(value, path, "Member must have value greater than or equal to " + min);
        else if (value > max) violation(value, path, "Member must have value less than or equal to " + max);
        return this;
    }

    Requests oneOf(String value, String path, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            violation(value, path, "Member must satisfy enum value set: " + allowed);
        }
        return this;
    }

    Requests tableName(String value, String path) {
        if (value == null) return this;
        length(value, path, 3, 255);
        if (!TABLE_NAME.matcher(value).matches()) {
            violation(value, path, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        return this;
    }

    void check() {
        if (violations.isEmpty()) return;
        int n = violations.size();
        throw DynamoDbErrors.validation(n + " validation error" + (n == 1 ? "" : "s") + " detected: "
                + String.join("; ", violations));
    }
}
