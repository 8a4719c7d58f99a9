package io.eddy.dynamodb.expression;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.AttributeValueJson;
import io.eddy.dynamodb.model.DynamoDbErrors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pre-expression parameters (Expected, QueryFilter, ScanFilter, KeyConditions, AttributeUpdates,
 * AttributesToGet), translated to the same model as the expressions. Inputs are the request's JSON
 * members as sent.
 */
public final class LegacyParameters {

    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final List<String> OPERATORS = List.of(
            "IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS");

    private LegacyParameters() {
    }

    /** Expected (+ ConditionalOperator, null meaning AND); null when there are no conditions. */
    public static Condition expected(JsonNode expected, String conditionalOperator) {
        List<Condition> conditions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            conditions.add(expectedCondition(entry.getKey(), entry.getValue()));
        }
        return Condition.combine(conditions, "OR".equals(conditionalOperator));
    }

    /** QueryFilter or ScanFilter (+ ConditionalOperator); null when there are no conditions. */
    public static Condition filter(JsonNode filter, String conditionalOperator) {
        List<Condition> conditions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            conditions.add(comparison(entry.getKey(), text(entry.getValue().get("ComparisonOperator")),
                    values(entry.getValue().get("AttributeValueList"))));
        }
        return Condition.combine(conditions, "OR".equals(conditionalOperator));
    }

    /** KeyConditions of a Query; {@code rangeKeyName} is null without a sort key. */
    public static KeyCondition keyConditions(JsonNode keyConditions, String hashKeyName, String rangeKeyName) {
        List<Condition> conditions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = keyConditions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String operator = text(entry.getValue().get("ComparisonOperator"));
            List<AttributeValue> arguments = values(entry.getValue().get("AttributeValueList"));
            if (!Set.of("EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN").contains(operator)) {
                checkOperator(operator);
                throw DynamoDbErrors.validation("Attempted conditional constraint is not an indexable operation");
            }
            conditions.add(comparison(entry.getKey(), operator, arguments));
        }
        if (conditions.isEmpty()) throw DynamoDbErrors.validation("Query condition missed key schema element: " + hashKeyName);
        return KeyCondition.fromCondition(Condition.combine(conditions, false), hashKeyName, rangeKeyName, "KeyConditions");
    }

    /** AttributeUpdates of an UpdateItem; attributes in {@code keyNames} cannot be updated. */
    public static Update attributeUpdates(JsonNode attributeUpdates, Collection<String> keyNames) {
        List<Update.Action> actions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = attributeUpdates.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            JsonNode update = entry.getValue();
            DocumentPath path = DocumentPath.of(name);
            String action = update.hasNonNull("Action") ? text(update.get("Action")) : "PUT";
            AttributeValue value = update.hasNonNull("Value") ? AttributeValueJson.fromJson(update.get("Value")) : null;
            switch (action) {
                case "PUT" -> {
                    if (value == null) {
                        throw DynamoDbErrors.validation(INVALID + "Only DELETE action is allowed when no attribute value is specified");
                    }
                    actions.add(new Update.Set(path, new Operand.ValueOperand(":" + name, value)));
                }
                case "DELETE" -> {
                    if (value == null) {
                        actions.add(new Update.Remove(path));
                    } else if (isSet(value)) {
                        actions.add(new Update.Delete(path, value));
                    } else {
                        throw DynamoDbErrors.validation(INVALID + "DELETE action with value is not supported for the type "
                                + value.typeName());
                    }
                }
                case "ADD" -> {
                    if (value == null) {
                        throw DynamoDbErrors.validation(INVALID + "Only DELETE action is allowed when no attribute value is specified");
                    }
                    if (value instanceof AttributeValue.L) {
                        Operand existing = new Operand.IfNotExists(path,
                                new Operand.ValueOperand(":empty", new AttributeValue.L(List.of())));
                        actions.add(new Update.Set(path, new Operand.ListAppend(existing, new Operand.ValueOperand(":" + name, value))));
                    } else if (isSet(value) || value instanceof AttributeValue.N) {
                        actions.add(new Update.Add(path, value));
                    } else {
                        throw DynamoDbErrors.validation(INVALID + "ADD action is not supported for the type " + value.typeName());
                    }
                }
                default -> throw DynamoDbErrors.validation("1 validation error detected: Value '" + action
                        + "' at 'attributeUpdates." + name + ".member.action' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [ADD, PUT, DELETE]");
            }
        }
        Update.checkKeys(actions, keyNames);
        return Update.ofActions(actions);
    }

    /** AttributesToGet: a projection of top-level attributes. */
    public static Projection attributesToGet(JsonNode attributesToGet) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode name : attributesToGet) {
            if (!names.add(name.asText())) {
                throw DynamoDbErrors.validation(INVALID + "Duplicate value in attribute name: " + name.asText());
            }
        }
        return Projection.of(names.stream().map(DocumentPath::of).toList());
    }

    private static Condition expectedCondition(String name, JsonNode expected) {
        AttributeValue value = expected.hasNonNull("Value") ? AttributeValueJson.fromJson(expected.get("Value")) : null;
        if (expected.hasNonNull("ComparisonOperator")) {
            List<AttributeValue> list = values(expected.get("AttributeValueList"));
            if (value != null && !list.isEmpty()) {
                throw DynamoDbErrors.validation(INVALID + "Value and AttributeValueList cannot be used together for Attribute: " + name);
            }
            if (expected.hasNonNull("Exists")) {
                throw DynamoDbErrors.validation(INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: " + name);
            }
            return comparison(name, text(expected.get("ComparisonOperator")), value != null ? List.of(value) : list);
        }
        boolean exists = !expected.hasNonNull("Exists") || expected.get("Exists").asBoolean();
        if (exists && value == null) {
            throw DynamoDbErrors.validation(INVALID + "Exists is set to TRUE for attribute (" + name + "), Value must also be set");
        }
        if (!exists && value != null) {
            throw DynamoDbErrors.validation(INVALID + "Value cannot be used when Exists is false for attribute (" + name + ")");
        }
        DocumentPath path = DocumentPath.of(name);
        return exists
                ? new Condition.Comparison(Condition.Comparator.EQ, new Operand.PathOperand(path), constant(value))
                : new Condition.AttributeNotExists(path);
    }

    private static Condition comparison(String name, String operator, List<AttributeValue> arguments) {
        checkOperator(operator);
        int expected = switch (operator) {
            case "NULL", "NOT_NULL" -> 0;
            case "BETWEEN" -> 2;
            case "IN" -> -1;
            default -> 1;
        };
        if (expected >= 0 ? arguments.size() != expected : arguments.isEmpty()) {
            throw DynamoDbErrors.validation(INVALID + "Invalid number of argument(s) for the " + operator + " ComparisonOperator");
        }
        for (AttributeValue argument : arguments) {
            boolean allowed = switch (operator) {
                case "LT", "LE", "GT", "GE", "BETWEEN", "IN", "CONTAINS", "NOT_CONTAINS" -> Values.isScalarKeyType(argument);
                case "BEGINS_WITH" -> argument instanceof AttributeValue.S || argument instanceof AttributeValue.B;
                default -> true;
            };
            if (!allowed) {
                throw DynamoDbErrors.validation(INVALID + "ComparisonOperator " + operator + " is not valid for "
                        + argument.typeName() + " AttributeValue type");
            }
        }
        DocumentPath path = DocumentPath.of(name);
        Operand attribute = new Operand.PathOperand(path);
        return switch (operator) {
            case "EQ" -> new Condition.Comparison(Condition.Comparator.EQ, attribute, constant(arguments.getFirst()));
            case "NE" -> new Condition.Comparison(Condition.Comparator.NE, attribute, constant(arguments.getFirst()));
            case "LT" -> new Condition.Comparison(Condition.Comparator.LT, attribute, constant(arguments.getFirst()));
            case "LE" -> new Condition.Comparison(Condition.Comparator.LE, attribute, constant(arguments.getFirst()));
            case "GT" -> new Condition.Comparison(Condition.Comparator.GT, attribute, constant(arguments.getFirst()));
            case "GE" -> new Condition.Comparison(Condition.Comparator.GE, attribute, constant(arguments.getFirst()));
            case "NULL" -> new Condition.AttributeNotExists(path);
            case "NOT_NULL" -> new Condition.AttributeExists(path);
            case "CONTAINS" -> new Condition.Contains(attribute, constant(arguments.getFirst()));
            case "NOT_CONTAINS" -> new Condition.Not(new Condition.Contains(attribute, constant(arguments.getFirst())));
            case "BEGINS_WITH" -> new Condition.BeginsWith(attribute, constant(arguments.getFirst()));
            case "BETWEEN" -> new Condition.Between(attribute, constant(arguments.get(0)), constant(arguments.get(1)));
            default -> new Condition.In(attribute, arguments.stream().map(LegacyParameters::constant).toList());
        };
    }

    private static void checkOperator(String operator) {
        if (!OPERATORS.contains(operator)) {
            throw DynamoDbErrors.validation("1 validation error detected: Value '" + operator + "' at 'comparisonOperator' "
                    + "failed to satisfy constraint: Member must satisfy enum value set: " + OPERATORS);
        }
    }

    private static Operand constant(AttributeValue value) {
        return new Operand.ValueOperand(":legacy", value);
    }

    private static boolean isSet(AttributeValue value) {
        return value instanceof AttributeValue.SS || value instanceof AttributeValue.NS || value instanceof AttributeValue.BS;
    }

    private static List<AttributeValue> values(JsonNode list) {
        List<AttributeValue> values = new ArrayList<>();
        if (list != null && !list.isNull()) {
            for (JsonNode value : list) values.add(AttributeValueJson.fromJson(value));
        }
        return values;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.asText();
    }
}
