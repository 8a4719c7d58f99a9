package io.eddy.protocol.query;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.NavigableMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.protocol.AwsException;

/**
 * Turns Query form parameters ({@code QueueName=a&Attribute.1.Name=b&Attribute.1.Value=c}) into the
 * JSON tree of an operation's input, guided by its shape. Parameters the shape does not name are
 * ignored, as AWS ignores them; lists and maps are read from index 1 up to the first missing index.
 */
final class QueryDecoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final NavigableMap<String, String> params;
    private final String invalidValueCode;

    QueryDecoder(NavigableMap<String, String> params, String invalidValueCode) {
        this.params = params;
        this.invalidValueCode = invalidValueCode;
    }

    ObjectNode decode(QueryShape.Structure shape) {
        return decodeStructure(shape, "");
    }

    private ObjectNode decodeStructure(QueryShape.Structure shape, String prefix) {
        ObjectNode out = NODES.objectNode();
        for (QueryShape.Member member : shape.members()) {
            String name = prefix.isEmpty() ? member.wireName() : prefix + "." + member.wireName();
            JsonNode value = decode(member.shape(), name);
            if (value != null) out.set(member.name(), value);
        }
        return out;
    }

    /** The value at {@code name}, or null when the parameters hold none. */
    private JsonNode decode(QueryShape shape, String name) {
        return switch (shape) {
            case QueryShape.Scalar scalar -> {
                String text = params.get(name);
                yield text == null ? null : scalar(scalar.type(), name, text);
            }
            case QueryShape.Structure structure -> hasAnyUnder(name) ? decodeStructure(structure, name) : null;
            case QueryShape.ListShape list -> decodeList(list, name);
            case QueryShape.MapShape map -> decodeMap(map, name);
        };
    }

    private JsonNode decodeList(QueryShape.ListShape list, String name) {
        String base;
        if (list.flattened()) {
            base = list.memberName() == null ? name : replaceLast(name, list.memberName());
        } else {
            base = name + "." + (list.memberName() == null ? "member" : list.memberName());
        }
        ArrayNode out = NODES.arrayNode();
        for (int i = 1; ; i++) {
            JsonNode element = decode(list.member(), base + "." + i);
            if (element == null) break;
            out.add(element);
        }
        if (out.isEmpty()) {
            // botocore sends an empty list as the bare name with an empty value
            return params.containsKey(name) || params.containsKey(base) ? out : null;
        }
        return out;
    }

    private JsonNode decodeMap(QueryShape.MapShape map, String name) {
        String base = map.flattened() ? name : name + ".entry";
        ObjectNode out = NODES.objectNode();
        for (int i = 1; ; i++) {
            String key = params.get(base + "." + i + "." + map.keyName());
            if (key == null) break;
            JsonNode value = decode(map.value(), base + "." + i + "." + map.valueName());
            out.set(key, value == null ? NODES.nullNode() : value);
        }
        return out.isEmpty() && !params.containsKey(name) ? null : out;
    }

    private boolean hasAnyUnder(String name) {
        String prefix = name + ".";
        String next = params.ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    private JsonNode scalar(QueryShape.ScalarType type, String name, String text) {
        try {
            return switch (type) {
                case STRING, BLOB -> NODES.textNode(text);
                case INTEGER -> NODES.numberNode(Integer.parseInt(text.trim()));
                case LONG -> NODES.numberNode(Long.parseLong(text.trim()));
                case DOUBLE -> NODES.numberNode(Double.parseDouble(text.trim()));
                case BOOLEAN -> {
                    if (text.equalsIgnoreCase("true")) yield NODES.booleanNode(true);
                    if (text.equalsIgnoreCase("false")) yield NODES.booleanNode(false);
                    throw new IllegalArgumentException(text);
                }
                case TIMESTAMP -> NODES.numberNode(epochSeconds(text.trim()));  // a double, as Jackson reads JSON timestamps
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new AwsException(400, invalidValueCode, "Value " + text + " for parameter " + name + " is invalid.");
        }
    }

    private static double epochSeconds(String text) {
        if (!text.isEmpty() && Character.isDigit(text.charAt(0)) && !text.contains("-")) {
            return Double.parseDouble(text);
        }
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            instant = OffsetDateTime.parse(text).toInstant();
        }
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    private static String replaceLast(String name, String last) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? last : name.substring(0, dot + 1) + last;
    }
}
