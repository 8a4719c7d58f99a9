package io.eddy.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.protocol.AwsException;

/**
 * Typed reads of request members. A member of the wrong JSON type fails the way AWS's deserializer
 * does (SerializationException); an absent or null member reads as null.
 */
final class Input {

    private Input() {
    }

    static JsonNode member(JsonNode input, String name) {
        JsonNode node = input == null ? null : input.get(name);
        return node == null || node.isNull() ? null : node;
    }

    static String string(JsonNode input, String name) {
        JsonNode node = member(input, name);
        if (node == null) return null;
        if (!node.isTextual()) throw mismatch(node, "String");
        return node.textValue();
    }

    static Boolean bool(JsonNode input, String name) {
        JsonNode node = member(input, name);
        if (node == null) return null;
        if (!node.isBoolean()) throw mismatch(node, "Boolean");
        return node.booleanValue();
    }

    /** A Long member; a fraction is truncated, as AWS's deserializer truncates it. */
    static Long number(JsonNode input, String name) {
        JsonNode node = member(input, name);
        if (node == null) return null;
        if (!node.isNumber()) throw mismatch(node, "Long");
        return node.longValue();
    }

    /** An Integer member; a fraction is truncated, as AWS's deserializer truncates it. */
    static Integer integer(JsonNode input, String name) {
        JsonNode node = member(input, name);
        if (node == null) return null;
        if (!node.isNumber()) throw mismatch(node, "Integer");
        return node.intValue();
    }

    static JsonNode object(JsonNode input, String name) {
        JsonNode node = member(input, name);
        if (node == null) return null;
        if (!node.isObject()) throw mismatch(node, "Structure");
        return node;
    }

    static JsonNode array(JsonNode input, String name) {
        JsonNode node = member(input, name);
        if (node == null) return null;
        if (!node.isArray()) throw mismatch(node, "List");
        return node;
    }

    static AwsException mismatch(JsonNode node, String target) {
        if (node.isObject()) return DynamoDbErrors.serialization("Start of structure or map found where not expected.");
        if (node.isArray()) return DynamoDbErrors.serialization("Start of list found where not expected");
        String token = node.isNumber() ? "NUMBER_VALUE" : node.isBoolean() ? "BOOLEAN_VALUE"
                : node.isTextual() ? "STRING_VALUE" : "VALUE";
        return DynamoDbErrors.serialization(token + " cannot be converted to " + target);
    }
}
