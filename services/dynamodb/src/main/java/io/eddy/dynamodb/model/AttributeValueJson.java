package io.eddy.dynamodb.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.protocol.AwsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DynamoDB JSON ({@code {"S":"x"}}, {@code {"N":"1"}}, ...) to and from {@link AttributeValue}, with
 * AWS's validation and messages. Binary values are base64 on the wire.
 */
public final class AttributeValueJson {

    /** DynamoDB allows values nested up to 32 levels, so a document at level 32, even an empty one, is too deep. */
    public static final int MAX_DEPTH = 32;

    private static final String NESTING_TOO_DEEP =
            "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

    private static final String INVALID = "One or more parameter values were invalid: ";

    private AttributeValueJson() {
    }

    /** Decodes and validates one attribute value. */
    public static AttributeValue fromJson(JsonNode node) {
        return decode(node, 1);
    }

    /** Decodes an item (or key): a JSON object of attribute name to value. Null members are skipped. */
    public static Map<String, AttributeValue> itemFromJson(JsonNode node) {
        requireObject(node);
        Map<String, AttributeValue> item = new LinkedHashMap<>(Math.max(4, node.size() * 2));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) continue;
            if (field.getKey().isEmpty()) throw DynamoDbErrors.validation("Empty attribute name");
            item.put(field.getKey(), decode(field.getValue(), 1));
        }
        return item;
    }

    /**
     * Decodes ExpressionAttributeValues; invalid values are reported as AWS does, e.g.
     * "ExpressionAttributeValues contains invalid value: ... for key :v".
     */
    public static Map<String, AttributeValue> expressionValuesFromJson(JsonNode node) {
        requireObject(node);
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) continue;
            try {
                values.put(field.getKey(), decode(field.getValue(), 1));
            } catch (AwsException e) {
                // AWS reports a too deep value the same way wherever it appears, without naming the placeholder.
                if (!e.type().endsWith("#ValidationException") || NESTING_TOO_DEEP.equals(e.getMessage())) throw e;
                throw DynamoDbErrors.validation("ExpressionAttributeValues contains invalid value: "
                        + e.getMessage() + " for key " + field.getKey());
            }
        }
        return values;
    }

    private static AttributeValue decode(JsonNode node, int depth) {
        requireObject(node);
        String type = null;
        JsonNode content = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull() || !isTypeName(field.getKey())) continue;
            if (type != null) {
                throw DynamoDbErrors.validation("Supplied AttributeValue has more than one datatypes set, "
                        + "must contain exactly one of the supported datatypes");
            }
            type = field.getKey();
            content = field.getValue();
        }
        if (type == null) {
            throw DynamoDbErrors.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        return switch (type) {
            case "S" -> new AttributeValue.S(text(content, "String"));
            case "N" -> new AttributeValue.N(Numbers.parse(text(content, "String")));
            case "B" -> new AttributeValue.B(binary(content));
            case "BOOL" -> AttributeValue.bool(bool(content));
            case "NULL" -> {
                // AWS used to reject {"NULL": false}; since 2026 it stores it as NULL true.
                bool(content);
                yield AttributeValue.NULL;
            }
            case "SS" -> decodeStringSet(content);
            case "NS" -> decodeNumberSet(content);
            case "BS" -> decodeBinarySet(content);
            case "L" -> {
                checkDepth(depth);
                requireArray(content);
                List<AttributeValue> list = new ArrayList<>(content.size());
                for (JsonNode element : content) {
                    if (element.isNull()) continue;
                    list.add(decode(element, depth + 1));
                }
                yield new AttributeValue.L(list);
            }
            case "M" -> {
                checkDepth(depth);
                requireObject(content);
                Map<String, AttributeValue> map = new LinkedHashMap<>(Math.max(4, content.size() * 2));
                for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (field.getValue().isNull()) continue;
                    map.put(field.getKey(), decode(field.getValue(), depth + 1));
                }
                yield new AttributeValue.M(map);
            }
            default -> throw new IllegalStateException(type);
        };
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw DynamoDbErrors.validation(NESTING_TOO_DEEP);
        }
    }

    private static AttributeValue decodeStringSet(JsonNode content) {
        requireArray(content);
        if (content.isEmpty()) throw DynamoDbErrors.validation(INVALID + "An string set  may not be empty");
        List<String> values = new ArrayList<>(content.size());
        for (JsonNode element : content) values.add(text(element, "String"));
        if (new HashSet<>(values).size() != values.size()) {
            throw DynamoDbErrors.validation(INVALID + "Input collection " + values + " contains duplicates.");
        }
        return new AttributeValue.SS(values);
    }

    private static AttributeValue decodeNumberSet(JsonNode content) {
        requireArray(content);
        if (content.isEmpty()) throw DynamoDbErrors.validation(INVALID + "An number set  may not be empty");
        List<BigDecimal> values = new ArrayList<>(content.size());
        List<String> texts = new ArrayList<>(content.size());
        Set<BigDecimal> seen = new HashSet<>();
        boolean duplicate = false;
        for (JsonNode element : content) {
            String text = text(element, "String");
            BigDecimal value = Numbers.parse(text);
            duplicate |= !seen.add(value);
            values.add(value);
            texts.add(text);
        }
        if (duplicate) {
            throw DynamoDbErrors.validation(INVALID + "Input collection " + texts + " contains duplicates.");
        }
        return new AttributeValue.NS(values);
    }

    private static AttributeValue decodeBinarySet(JsonNode content) {
        requireArray(content);
        if (content.isEmpty()) throw DynamoDbErrors.validation(INVALID + "Binary sets should not be empty");
        List<byte[]> values = new ArrayList<>(content.size());
        Set<AttributeValue.B> seen = new HashSet<>();
        List<String> texts = new ArrayList<>(content.size());
        boolean duplicate = false;
        for (JsonNode element : content) {
            byte[] value = binary(element);
            duplicate |= !seen.add(new AttributeValue.B(value));
            values.add(value);
            texts.add(Base64.getEncoder().encodeToString(value));
        }
        if (duplicate) {
            throw DynamoDbErrors.validation(INVALID + "Input collection " + texts + " contains duplicates.");
        }
        return new AttributeValue.BS(values);
    }

    private static boolean isTypeName(String name) {
        return switch (name) {
            case "S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL" -> true;
            default -> false;
        };
    }

    private static String text(JsonNode node, String target) {
        if (node.isTextual()) return node.textValue();
        throw mismatch(node, target);
    }

    private static boolean bool(JsonNode node) {
        if (node.isBoolean()) return node.booleanValue();
        throw mismatch(node, "Boolean");
    }

    private static byte[] binary(JsonNode node) {
        if (node.isBinary()) {
            try {
                return node.binaryValue();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String text = text(node, "ByteBuffer");
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw DynamoDbErrors.serialization("Base64 encoded value is invalid: " + e.getMessage());
        }
    }

    private static void requireObject(JsonNode node) {
        if (!node.isObject()) throw mismatch(node, "Structure");
    }

    private static void requireArray(JsonNode node) {
        if (!node.isArray()) throw mismatch(node, "List");
    }

    /** The error AWS's JSON deserializer raises when a member has the wrong JSON type. */
    private static AwsException mismatch(JsonNode node, String target) {
        if (node.isObject()) return DynamoDbErrors.serialization("Start of structure or map found where not expected.");
        if (node.isArray()) return DynamoDbErrors.serialization("Start of list found where not expected");
        String token = node.isNumber() ? "NUMBER_VALUE" : node.isBoolean() ? "BOOLEAN_VALUE"
                : node.isTextual() ? "STRING_VALUE" : "VALUE";
        return DynamoDbErrors.serialization(token + " cannot be converted to " + target);
    }

    // ---- encoding

    /** Streams one value as DynamoDB JSON. */
    public static void write(JsonGenerator out, AttributeValue value) throws IOException {
        out.writeStartObject();
        switch (value) {
            case AttributeValue.S s -> out.writeStringField("S", s.value());
            case AttributeValue.N n -> out.writeStringField("N", Numbers.format(n.value()));
            case AttributeValue.B b -> out.writeStringField("B", Base64.getEncoder().encodeToString(b.value()));
            case AttributeValue.Bool b -> out.writeBooleanField("BOOL", b.value());
            case AttributeValue.Null ignored -> out.writeBooleanField("NULL", true);
            case AttributeValue.SS ss -> {
                out.writeArrayFieldStart("SS");
                for (String element : ss.values()) out.writeString(element);
                out.writeEndArray();
            }
            case AttributeValue.NS ns -> {
                out.writeArrayFieldStart("NS");
                for (BigDecimal element : ns.values()) out.writeString(Numbers.format(element));
                out.writeEndArray();
            }
            case AttributeValue.BS bs -> {
                out.writeArrayFieldStart("BS");
                for (byte[] element : bs.values()) out.writeString(Base64.getEncoder().encodeToString(element));
                out.writeEndArray();
            }
            case AttributeValue.L l -> {
                out.writeArrayFieldStart("L");
                for (AttributeValue element : l.value()) write(out, element);
                out.writeEndArray();
            }
            case AttributeValue.M m -> {
                out.writeFieldName("M");
                writeItem(out, m.value());
            }
        }
        out.writeEndObject();
    }

    /** Streams an item as a JSON object of attribute name to DynamoDB JSON value. */
    public static void writeItem(JsonGenerator out, Map<String, AttributeValue> item) throws IOException {
        out.writeStartObject();
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            out.writeFieldName(attribute.getKey());
            write(out, attribute.getValue());
        }
        out.writeEndObject();
    }

    public static ObjectNode toJson(AttributeValue value) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        switch (value) {
            case AttributeValue.S s -> node.put("S", s.value());
            case AttributeValue.N n -> node.put("N", Numbers.format(n.value()));
            case AttributeValue.B b -> node.put("B", Base64.getEncoder().encodeToString(b.value()));
            case AttributeValue.Bool b -> node.put("BOOL", b.value());
            case AttributeValue.Null ignored -> node.put("NULL", true);
            case AttributeValue.SS ss -> {
                ArrayNode array = node.putArray("SS");
                ss.values().forEach(array::add);
            }
            case AttributeValue.NS ns -> {
                ArrayNode array = node.putArray("NS");
                ns.values().forEach(element -> array.add(Numbers.format(element)));
            }
            case AttributeValue.BS bs -> {
                ArrayNode array = node.putArray("BS");
                bs.values().forEach(element -> array.add(Base64.getEncoder().encodeToString(element)));
            }
            case AttributeValue.L l -> {
                ArrayNode array = node.putArray("L");
                l.value().forEach(element -> array.add(toJson(element)));
            }
            case AttributeValue.M m -> node.set("M", itemToJson(m.value()));
        }
        return node;
    }

    public static ObjectNode itemToJson(Map<String, AttributeValue> item) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        item.forEach((name, value) -> node.set(name, toJson(value)));
        return node;
    }
}
