package io.eddy.protocol.shape;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.eddy.protocol.AwsException;

/**
 * Checks a JSON request against its operation's input shape the way AWS's JSON services do, in two
 * passes. First the body is read as the shape's types: the first member of the wrong JSON type fails the
 * request with a serialization error worded as AWS's deserializer words it. Then the constraints are
 * checked (required members, lengths, ranges, patterns, enums) and every violation is reported in one
 * validation error: {@code 2 validation errors detected: Value 'x' at 'tableName' failed to satisfy
 * constraint: ...; Value null at 'item' failed to satisfy constraint: Member must not be null}, members
 * in model order, at most ten. Unknown members and members set to null are ignored, as AWS ignores them.
 */
public final class ShapeValidator {

    /** How the service's deserializer words a value it cannot convert. */
    public enum Wording {
        /** {@code NUMBER_VALUE cannot be converted to String} (DynamoDB). */
        CANNOT_BE_CONVERTED_TO,
        /** {@code STRING_VALUE can not be converted to an Integer} (SQS). */
        CAN_NOT_BE_CONVERTED_TO_AN
    }

    /** AWS lists at most this many violations in one message. */
    static final int MAX_REPORTED = 10;

    /** AWS's deserializer fails this way on a scalar where a list or map nested in a collection belongs. */
    static final String NESTED_COLLECTION_MISMATCH = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl "
            + "cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl "
            + "and java.lang.Class are in module java.base of loader 'bootstrap')";

    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final ShapeModel model;
    private final String javaPackage;
    private final Wording wording;
    private final Function<String, AwsException> serializationError;
    private final Function<String, AwsException> validationError;

    /**
     * @param javaPackage the package AWS's messages name the service's types in, e.g.
     *                    {@code com.amazonaws.dynamodb.v20120810}
     */
    public ShapeValidator(ShapeModel model, String javaPackage, Wording wording,
                          Function<String, AwsException> serializationError,
                          Function<String, AwsException> validationError) {
        this.model = model;
        this.javaPackage = javaPackage;
        this.wording = wording;
        this.serializationError = serializationError;
        this.validationError = validationError;
    }

    /** A validator for services that check constraints themselves: only {@link #checkTypes} applies. */
    public static ShapeValidator typesOnly(ShapeModel model, String javaPackage, Wording wording,
                                           Function<String, AwsException> serializationError) {
        return new ShapeValidator(model, javaPackage, wording, serializationError, null);
    }

    /** Type pass then constraint pass; operations the model does not know pass unchecked. */
    public void validate(String operation, JsonNode input) {
        if (validationError == null) throw new IllegalStateException("this validator checks types only");
        Shape shape = model.input(operation);
        if (shape == null) return;
        checkTypes(input, shape, true);
        Violations violations = new Violations();
        checkStructure(input, shape, "", violations);
        violations.throwIfAny();
    }

    /** The type pass alone, for services that check constraints themselves. */
    public void checkTypes(String operation, JsonNode input) {
        Shape shape = model.input(operation);
        if (shape != null) checkTypes(input, shape, true);
    }

    // ------------------------------------------------------------------ type pass

    /** @param field whether the value is a structure member (rather than a list element or map value) */
    private void checkTypes(JsonNode node, Shape shape, boolean field) {
        switch (shape.type) {
            case STRUCTURE -> {
                if (!node.isObject()) throw serialization(collectionMismatch(node, shape, field, "Unexpected value type in payload"));
                for (Map.Entry<String, Shape> member : shape.members.entrySet()) {
                    JsonNode child = node.get(member.getKey());
                    if (present(child)) checkTypes(child, member.getValue(), true);
                }
            }
            case LIST -> {
                if (!node.isArray()) throw serialization(collectionMismatch(node, shape, field, NESTED_COLLECTION_MISMATCH));
                for (JsonNode element : node) {
                    if (present(element)) checkTypes(element, shape.member, false);
                }
            }
            case MAP -> {
                if (!node.isObject()) throw serialization(collectionMismatch(node, shape, field, NESTED_COLLECTION_MISMATCH));
                for (Iterator<JsonNode> values = node.elements(); values.hasNext(); ) {
                    JsonNode value = values.next();
                    if (present(value)) checkTypes(value, shape.value, false);
                }
            }
            default -> {
                String problem = scalarMismatch(node, shape);
                if (problem != null) throw serialization(problem);
            }
        }
    }

    private String collectionMismatch(JsonNode node, Shape shape, boolean field, String scalarInCollection) {
        if (node.isObject()) return "Start of structure or map found where not expected";
        if (node.isArray()) return "Unrecognized collection type " + javaType(shape, true);
        return field ? "Unexpected field type" : scalarInCollection;
    }

    private String scalarMismatch(JsonNode node, Shape shape) {
        if (node.isObject()) return "Start of structure or map found where not expected";
        if (node.isArray()) return "Unrecognized collection type " + javaType(shape, true);
        return switch (shape.type) {
            case STRING -> node.isTextual() ? null : notConvertible(node, "String");
            case BOOLEAN -> node.isBoolean() ? null
                    : node.isTextual() ? "Unexpected token received from parser" : notConvertible(node, "Boolean");
            case INTEGER -> integral(node, "Integer", INT_MIN, INT_MAX);
            case LONG -> integral(node, "Long", LONG_MIN, LONG_MAX);
            case DOUBLE -> node.isNumber() ? null : notConvertible(node, "Double");
            case FLOAT -> node.isNumber() ? null : notConvertible(node, "Float");
            case TIMESTAMP -> node.isNumber() || node.isTextual() ? null : notConvertible(node, "Date");
            case BLOB -> node.isTextual() ? base64Problem(node.textValue()) : "only base-64-encoded strings are convertible to bytes";
            default -> throw new IllegalStateException(shape.type.name());
        };
    }

    /** Fractions are truncated as AWS's deserializer truncates them; values out of the type's range fail. */
    private String integral(JsonNode node, String type, BigDecimal min, BigDecimal max) {
        if (!node.isNumber() || !isFinite(node)) return notConvertible(node, type);
        BigDecimal value = node.decimalValue().setScale(0, RoundingMode.DOWN);
        return value.compareTo(min) < 0 || value.compareTo(max) > 0 ? notConvertible(node, type) : null;
    }

    /** Numbers too large for a double (1e400) are read as infinite, which no decimal value represents. */
    private static boolean isFinite(JsonNode node) {
        return !node.isFloatingPointNumber() || node.isBigDecimal() || Double.isFinite(node.doubleValue());
    }

    private String notConvertible(JsonNode node, String type) {
        String token = node.isTextual() ? "STRING_VALUE"
                : node.isBoolean() ? (node.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE")
                : node.isIntegralNumber() ? "NUMBER_VALUE" : "DECIMAL_VALUE";
        return switch (wording) {
            case CANNOT_BE_CONVERTED_TO -> token + " cannot be converted to " + type;
            case CAN_NOT_BE_CONVERTED_TO_AN -> token + " can not be converted to an " + type;
        };
    }

    private static String base64Problem(String text) {
        if (text.length() % 4 != 0) {
            return "Base64 encoded length is expected a multiple of 4 bytes but found: " + text.length();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            if (Base64.getEncoder().encodeToString(bytes).equals(text)) return null;
        } catch (IllegalArgumentException e) {
            // reported below, in AWS's words
        }
        return "Invalid last non-pad Base64 character dectected";
    }

    /** The Java type AWS's messages name for a shape, e.g. {@code java.util.Map<java.lang.String, ...>}. */
    private String javaType(Shape shape, boolean asClass) {
        String prefix = asClass ? "class " : "";
        return switch (shape.type) {
            case STRUCTURE -> prefix + javaPackage + "." + shape.name;
            case LIST -> "java.util.List<" + javaType(shape.member, false) + ">";
            case MAP -> "java.util.Map<java.lang.String, " + javaType(shape.value, false) + ">";
            case STRING -> prefix + "java.lang.String";
            case INTEGER -> prefix + "java.lang.Integer";
            case LONG -> prefix + "java.lang.Long";
            case DOUBLE -> prefix + "java.lang.Double";
            case FLOAT -> prefix + "java.lang.Float";
            case BOOLEAN -> prefix + "java.lang.Boolean";
            case BLOB -> prefix + "java.nio.ByteBuffer";
            case TIMESTAMP -> prefix + "java.util.Date";
        };
    }

    private AwsException serialization(String message) {
        return serializationError.apply(message);
    }

    // ------------------------------------------------------------------ constraint pass

    private void checkStructure(JsonNode node, Shape shape, String prefix, Violations violations) {
        for (Map.Entry<String, Shape> member : shape.members.entrySet()) {
            JsonNode child = node.get(member.getKey());
            String path = prefix + lowerFirst(member.getKey());
            if (!present(child)) {
                if (shape.required.contains(member.getKey())) violations.add(null, member.getValue(), path, "Member must not be null");
                continue;
            }
            checkValue(child, member.getValue(), path, violations);
        }
    }

    private void checkValue(JsonNode node, Shape shape, String path, Violations violations) {
        List<String> failed = new ArrayList<>(2);
        failures(node, shape, failed);
        for (String constraint : failed) violations.add(node, shape, path, constraint);
        checkContents(node, shape, path, violations);
    }

    private void checkContents(JsonNode node, Shape shape, String path, Violations violations) {
        switch (shape.type) {
            case STRUCTURE -> checkStructure(node, shape, path + ".", violations);
            case LIST -> {
                int index = 0;
                for (JsonNode element : node) {
                    index++;
                    if (!present(element)) {
                        String elementPath = path + "." + index + ".member";
                        if (shape.member.type == Shape.Type.STRUCTURE) checkNullStructure(element, shape.member, elementPath, violations);
                        else violations.add(null, shape.member, elementPath, "Member must not be null");
                        continue;
                    }
                    Shape failing = failures(element, shape.member, null);
                    if (failing != null) {
                        violations.add(node, shape, path, "Member must satisfy constraint: " + describe(failing));
                    }
                    checkContents(element, shape.member, path + "." + index + ".member", violations);
                }
            }
            case MAP -> {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    if (!present(entry.getValue())) {
                        checkNullStructure(entry.getValue(), shape.value, path + "." + entry.getKey() + ".member", violations);
                        continue;
                    }
                    Shape failingKey = failures(TextNode.valueOf(entry.getKey()), shape.key, null);
                    if (failingKey != null) {
                        violations.add(node, shape, path, "Map keys must satisfy constraint: " + describe(failingKey));
                    }
                    Shape failingValue = failures(entry.getValue(), shape.value, null);
                    if (failingValue != null) {
                        violations.add(node, shape, path, "Map value must satisfy constraint: " + describe(failingValue));
                    }
                    checkContents(entry.getValue(), shape.value, path + "." + entry.getKey() + ".member", violations);
                }
            }
            default -> {
                // scalars have no contents
            }
        }
    }

    /**
     * A null element of a list or map stays in the collection AWS deserializes; one that should be a
     * structure is checked as a structure with no members, so its required members are reported. A
     * null list element of any other type is reported as missing; null map values are left out.
     */
    private void checkNullStructure(JsonNode element, Shape shape, String path, Violations violations) {
        if (element != null && shape.type == Shape.Type.STRUCTURE) checkStructure(element, shape, path + ".", violations);
    }

    /**
     * The shape whose constraints {@code node} fails ({@code shape}, or its alternate), or null when it
     * satisfies them; the failed constraints are added to {@code failed} when given, pattern first.
     */
    private static Shape failures(JsonNode node, Shape shape, List<String> failed) {
        if (!shape.hasConstraints()) return null;
        List<String> own = new ArrayList<>(2);
        if (shape.pattern != null && node.isTextual() && !shape.pattern.matcher(node.textValue()).matches()) {
            own.add("Member must satisfy regular expression pattern: " + shape.pattern.pattern());
        }
        if (shape.isNumeric() && isFinite(node)) {
            BigDecimal value = node.decimalValue();
            if (shape.min != null && value.compareTo(shape.min) < 0) {
                own.add("Member must have value greater than or equal to " + shape.min.toPlainString());
            }
            if (shape.max != null && value.compareTo(shape.max) > 0) {
                own.add("Member must have value less than or equal to " + shape.max.toPlainString());
            }
        } else if (!shape.isNumeric()) {
            long length = length(node, shape);
            if (shape.min != null && BigDecimal.valueOf(length).compareTo(shape.min) < 0) {
                own.add("Member must have length greater than or equal to " + shape.min.toPlainString());
            }
            if (shape.max != null && BigDecimal.valueOf(length).compareTo(shape.max) > 0) {
                own.add("Member must have length less than or equal to " + shape.max.toPlainString());
            }
        }
        if (shape.enumValues != null && !shape.enumValues.contains(node.asText())) {
            own.add("Member must satisfy enum value set: [" + String.join(", ", shape.enumValues) + "]");
        }
        if (!own.isEmpty()) {
            if (failed != null) failed.addAll(own);
            return shape;
        }
        if (shape.alternate != null && node.isTextual() && !node.textValue().startsWith(shape.alternatePrefix)) {
            return failures(node, shape.alternate, failed);
        }
        return null;
    }

    private static long length(JsonNode node, Shape shape) {
        if (shape.type == Shape.Type.BLOB) return Base64.getDecoder().decode(node.textValue()).length;
        if (node.isTextual()) return node.textValue().length();
        return node.size();
    }

    /** A shape's constraints as AWS lists them for members of collections: maxima, minima, pattern, enum. */
    private static String describe(Shape shape) {
        List<String> parts = new ArrayList<>(3);
        String unit = shape.isNumeric() ? "value" : "length";
        if (shape.max != null) parts.add("Member must have " + unit + " less than or equal to " + shape.max.toPlainString());
        if (shape.min != null) parts.add("Member must have " + unit + " greater than or equal to " + shape.min.toPlainString());
        if (shape.pattern != null) parts.add("Member must satisfy regular expression pattern: " + shape.pattern.pattern());
        if (shape.enumValues != null) parts.add("Member must satisfy enum value set: [" + String.join(", ", shape.enumValues) + "]");
        return parts.toString();
    }

    /** A value as AWS's messages print it: the Java rendering of the deserialized request object. */
    private String render(JsonNode node, Shape shape) {
        if (!present(node)) return "null";
        return switch (shape.type) {
            case STRUCTURE -> {
                if (shape.opaque) yield javaPackage + "." + shape.name + "@" + Integer.toHexString(node.hashCode());
                StringBuilder out = new StringBuilder(shape.name).append('(');
                boolean first = true;
                for (Map.Entry<String, Shape> member : shape.members.entrySet()) {
                    if (!first) out.append(", ");
                    first = false;
                    out.append(lowerFirst(member.getKey())).append('=').append(render(node.get(member.getKey()), member.getValue()));
                }
                yield out.append(')').toString();
            }
            case LIST -> {
                List<String> parts = new ArrayList<>(node.size());
                for (JsonNode element : node) parts.add(render(element, shape.member));
                yield parts.toString();
            }
            case MAP -> {
                List<String> parts = new ArrayList<>(node.size());
                node.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + render(e.getValue(), shape.value)));
                yield "{" + String.join(", ", parts) + "}";
            }
            case INTEGER, LONG -> node.decimalValue().setScale(0, RoundingMode.DOWN).toBigInteger().toString();
            case BLOB -> {
                int size = Base64.getDecoder().decode(node.textValue()).length;
                yield "java.nio.HeapByteBuffer[pos=0 lim=" + size + " cap=" + size + "]";
            }
            default -> node.isBigInteger() ? new BigInteger(node.asText()).toString() : node.asText();
        };
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static String lowerFirst(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private final class Violations {
        private final List<String> messages = new ArrayList<>();

        /** A violation by {@code node} (null when absent) of {@code shape}'s constraint, at {@code path}. */
        void add(JsonNode node, Shape shape, String path, String constraint) {
            if (messages.size() == MAX_REPORTED) return;
            String value = !present(node) ? "Value null" : shape.valueOmitted ? "Value" : "Value '" + render(node, shape) + "'";
            messages.add(value + " at '" + path + "' failed to satisfy constraint: " + constraint);
        }

        void throwIfAny() {
            if (messages.isEmpty()) return;
            int n = messages.size();
            throw validationError.apply(n + " validation error" + (n == 1 ? "" : "s") + " detected: "
                    + String.join("; ", messages));
        }
    }
}
