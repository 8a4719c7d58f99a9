package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.DynamoDbErrors;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ExpressionAttributeNames and ExpressionAttributeValues of one request. Parse every expression
 * of the request through the same context, then call {@link #checkAllUsed()}: AWS rejects
 * placeholders that no expression uses.
 */
public final class ExpressionContext {

    private static final int MAX_PLACEHOLDER_BYTES = 255;
    private static final int MAX_NAME_BYTES = 65535;

    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    /**
     * {@code names} and {@code values} are null when the request does not have them; present but
     * empty maps are rejected as AWS does.
     */
    public ExpressionContext(Map<String, String> names, Map<String, AttributeValue> values) {
        if (names != null && names.isEmpty()) throw DynamoDbErrors.validation("ExpressionAttributeNames must not be empty");
        if (values != null && values.isEmpty()) throw DynamoDbErrors.validation("ExpressionAttributeValues must not be empty");
        this.names = names == null ? Map.of() : new LinkedHashMap<>(names);
        this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
        for (String key : this.names.keySet()) {
            int keySize = utf8Length(key);
            if (keySize > MAX_PLACEHOLDER_BYTES) {
                throw DynamoDbErrors.validation("ExpressionAttributeNames contains invalid key: The expression attribute map "
                        + "contains a key that is too long; size of key: " + keySize);
            }
            if (!isPlaceholder(key, '#')) {
                throw DynamoDbErrors.validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
            }
            if (this.names.get(key).isEmpty()) {
                throw DynamoDbErrors.validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key " + key);
            }
            if (utf8Length(this.names.get(key)) > MAX_NAME_BYTES) {
                throw DynamoDbErrors.validation("ExpressionAttributeNames contains invalid value: Attribute name is too large, "
                        + "must be less than " + (MAX_NAME_BYTES + 1) + " bytes for key " + key);
            }
        }
        for (String key : this.values.keySet()) {
            if (utf8Length(key) > MAX_PLACEHOLDER_BYTES) {
                throw DynamoDbErrors.validation("ExpressionAttributeValues contains invalid key: The expression attribute map "
                        + "contains a key that is too long;");
            }
            if (!isPlaceholder(key, ':')) {
                throw DynamoDbErrors.validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
            }
        }
    }

    /** A context without placeholders, e.g. for requests using only legacy parameters. */
    public static ExpressionContext empty() {
        return new ExpressionContext(null, null);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean isPlaceholder(String key, char prefix) {
        if (key.length() < 2 || key.charAt(0) != prefix) return false;
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
        }
        return true;
    }

    /** A ConditionExpression or FilterExpression; {@code parameterName} names it in error messages. */
    public Condition parseCondition(String expression, String parameterName) {
        return new ExpressionParser(expression, parameterName, this).parseCondition();
    }

    /** A KeyConditionExpression; {@code rangeKeyName} is null for tables or indexes without a sort key. */
    public KeyCondition parseKeyCondition(String expression, String hashKeyName, String rangeKeyName) {
        String parameter = "KeyConditionExpression";
        Condition condition = new ExpressionParser(expression, parameter, this).parseKeyCondition();
        return KeyCondition.fromCondition(condition, hashKeyName, rangeKeyName, parameter);
    }

    public Projection parseProjection(String expression) {
        String parameter = "ProjectionExpression";
        return Projection.validated(new ExpressionParser(expression, parameter, this).parseProjection(), parameter);
    }

    /** An UpdateExpression; updating an attribute in {@code keyNames} is rejected. */
    public Update parseUpdate(String expression, Collection<String> keyNames) {
        String parameter = "UpdateExpression";
        return Update.validated(new ExpressionParser(expression, parameter, this).parseUpdate(), parameter, keyNames);
    }

    /** Rejects names and values that no parsed expression referred to. */
    public void checkAllUsed() {
        List<String> unusedNames = names.keySet().stream().filter(k -> !usedNames.contains(k)).toList();
        if (!unusedNames.isEmpty()) {
            throw DynamoDbErrors.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        List<String> unusedValues = values.keySet().stream().filter(k -> !usedValues.contains(k)).toList();
        if (!unusedValues.isEmpty()) {
            throw DynamoDbErrors.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }

    /**
     * The checks AWS makes before parsing: legacy and expression parameters may not be mixed, and
     * placeholders need an expression. Pass the names of the parameters present in the request.
     */
    public static void checkParameterUse(Collection<String> legacyParameters, Collection<String> expressionParameters,
                                         boolean hasNames, boolean hasValues) {
        if (!legacyParameters.isEmpty() && !expressionParameters.isEmpty()) {
            throw DynamoDbErrors.validation("Can not use both expression and non-expression parameters in the same request: "
                    + "Non-expression parameters: " + braces(legacyParameters)
                    + " Expression parameters: " + braces(expressionParameters));
        }
        if (expressionParameters.isEmpty()) {
            if (hasNames) throw DynamoDbErrors.validation("ExpressionAttributeNames can only be specified when using expressions");
            if (hasValues) throw DynamoDbErrors.validation("ExpressionAttributeValues can only be specified when using expressions");
        }
    }

    private static String braces(Collection<String> parameters) {
        return parameters.stream().collect(Collectors.joining(", ", "{", "}"));
    }

    String useName(String placeholder) {
        String name = names.get(placeholder);
        if (name != null) usedNames.add(placeholder);
        return name;
    }

    AttributeValue useValue(String placeholder) {
        AttributeValue value = values.get(placeholder);
        if (value != null) usedValues.add(placeholder);
        return value;
    }
}
