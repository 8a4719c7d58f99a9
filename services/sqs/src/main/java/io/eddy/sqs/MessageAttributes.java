package io.eddy.sqs;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Parsing, validation, selection and checksums of message attributes and message bodies. */
final class MessageAttributes {

    static final int MAX_ATTRIBUTES = 10;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
    private static final HexFormat HEX = HexFormat.of();
    private static final byte STRING_TRANSPORT = 1;
    private static final byte BINARY_TRANSPORT = 2;

    private MessageAttributes() {
    }

    /** Reads a JSON map of attributes ({@code {"name":{"DataType":..,"StringValue":..}}}); empty when absent. */
    static Map<String, MessageAttribute> fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isEmpty()) return Map.of();
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            String dataType = text(value.get("DataType"));
            String stringValue = text(value.get("StringValue"));
            byte[] binary = null;
            JsonNode binaryNode = value.get("BinaryValue");
            if (binaryNode != null && !binaryNode.isNull()) {
                try {
                    binary = Base64.getMimeDecoder().decode(binaryNode.asText());
                } catch (IllegalArgumentException x) {
                    throw SqsErrors.invalidParameterValue(
                            "The message attribute '" + e.getKey() + "' has an invalid binary value.");
                }
            }
            out.put(e.getKey(), new MessageAttribute(dataType, stringValue, binary));
        }
        return out;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** Checks user message attributes as SendMessage does. */
    static void validateUser(Map<String, MessageAttribute> attributes) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw SqsErrors.invalidParameterValue("Number of message attributes [" + attributes.size()
                    + "] exceeds the allowed maximum [" + MAX_ATTRIBUTES + "].");
        }
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
            String name = e.getKey();
            if (!isValidName(name)) {
                throw SqsErrors.invalidParameterValue("Message (user) attribute name '" + name + "' is invalid. "
                        + "Names can contain alphanumeric characters, hyphens, underscores and periods, must not start "
                        + "or end with a period or contain two periods in a row, must not start with AWS. or Amazon. "
                        + "and must be 1 to 256 characters long.");
            }
            validateValue("user", name, e.getValue());
        }
    }

    /** Checks system attributes: only {@code AWSTraceHeader}, a String. */
    static void validateSystem(Map<String, MessageAttribute> attributes) {
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
            if (!e.getKey().equals("AWSTraceHeader")) {
                throw SqsErrors.invalidParameterValue("Message system attribute name '" + e.getKey() + "' is invalid.");
            }
            MessageAttribute value = e.getValue();
            if (!"String".equals(value.dataType())) {
                throw SqsErrors.invalidParameterValue("The message system attribute '" + e.getKey()
                        + "' must have DataType String.");
            }
            validateValue("system", e.getKey(), value);
        }
    }

    private static boolean isValidName(String name) {
        if (!NAME.matcher(name).matches()) return false;
        if (name.startsWith(".") || name.endsWith(".") || name.contains("..")) return false;
        String lower = name.toLowerCase();
        return !lower.startsWith("aws.") && !lower.startsWith("amazon.");
    }

    private static void validateValue(String kind, String name, MessageAttribute value) {
        String dataType = value.dataType();
        if (dataType == null || dataType.isEmpty()) {
            throw SqsErrors.invalidParameterValue("The message (" + kind + ") attribute '" + name
                    + "' must contain a non-empty attribute type.");
        }
        String base = baseType(dataType);
        if (base == null || dataType.length() > 256) {
            throw SqsErrors.invalidParameterValue("The type of message (" + kind + ") attribute '" + name
                    + "' is invalid. You must use only the following supported type prefixes: Binary, Number, String.");
        }
        boolean empty = base.equals("Binary")
                ? value.binaryValue() == null || value.binaryValue().length == 0
                : value.stringValue() == null || value.stringValue().isEmpty();
        if (empty) {
            throw SqsErrors.invalidParameterValue("The message (" + kind + ") attribute '" + name
                    + "' must contain a non-empty message attribute value for message attribute type '" + base + "'.");
        }
        if (base.equals("Number") && !isNumber(value.stringValue())) {
            throw SqsErrors.invalidParameterValue("Can't cast the value of message (" + kind + ") attribute '" + name
                    + "' to a number.");
        }
        if (!base.equals("Binary")) {
            int bad = firstInvalidCharacter(value.stringValue());
            if (bad >= 0) {
                throw SqsErrors.invalidParameterValue("The message (" + kind + ") attribute '" + name
                        + "' contains invalid characters: " + describeCharacter(bad) + ".");
            }
        }
    }

    /** String, Number or Binary for a data type with that prefix (alone or followed by a {@code .suffix}); else null. */
    static String baseType(String dataType) {
        for (String base : List.of("String", "Number", "Binary")) {
            if (dataType.equals(base) || (dataType.startsWith(base + ".") && dataType.length() > base.length() + 1)) {
                return base;
            }
        }
        return null;
    }

    private static boolean isNumber(String text) {
        try {
            BigDecimal n = new BigDecimal(text.trim());
            return n.precision() <= 38 && (n.signum() == 0 || (n.precision() - n.scale() - 1 <= 126
                    && n.precision() - n.scale() - 1 >= -130));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The first code point outside {@code #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF}, or -1. */
    static int firstInvalidCharacter(String text) {
        for (int i = 0, n = text.length(); i < n; ) {
            int cp = text.codePointAt(i);
            boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
            if (!ok) return cp;
            i += Character.charCount(cp);
        }
        return -1;
    }

    static String describeCharacter(int codePoint) {
        return "#x" + Integer.toHexString(codePoint).toUpperCase();
    }

    static int size(Map<String, MessageAttribute> attributes) {
        int size = 0;
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) size += e.getValue().size(e.getKey());
        return size;
    }

    /** Lowercase hex MD5 of a body's UTF-8 bytes. */
    static String md5OfBody(String body) {
        return HEX.formatHex(md5().digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The MD5 SQS reports for attributes, null when there are none: for each attribute in name order,
     * length-prefixed name and data type, a transport byte (1 string, 2 binary), then the
     * length-prefixed value; lengths are 4-byte big-endian.
     */
    static String md5OfAttributes(Map<String, MessageAttribute> attributes) {
        if (attributes.isEmpty()) return null;
        List<String> names = new ArrayList<>(attributes.keySet());
        Collections.sort(names);
        MessageDigest digest = md5();
        for (String name : names) {
            MessageAttribute value = attributes.get(name);
            update(digest, name.getBytes(StandardCharsets.UTF_8));
            update(digest, value.dataType().getBytes(StandardCharsets.UTF_8));
            if (value.isBinary()) {
                digest.update(BINARY_TRANSPORT);
                update(digest, value.binaryValue());
            } else {
                digest.update(STRING_TRANSPORT);
                update(digest, value.stringBytes());
            }
        }
        return HEX.formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, byte[] bytes) {
        int n = bytes.length;
        digest.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        digest.update(bytes);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The attributes a ReceiveMessage asked for: {@code All} or {@code .*} selects every one,
     * {@code prefix.*} those whose name starts with {@code prefix.}, anything else that exact name.
     */
    static Map<String, MessageAttribute> select(Map<String, MessageAttribute> attributes, List<String> requested) {
        if (attributes.isEmpty() || requested.isEmpty()) return Map.of();
        for (String r : requested) {
            if (r.equals("All") || r.equals(".*")) return attributes;
        }
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
            for (String r : requested) {
                boolean match = r.endsWith(".*")
                        ? e.getKey().startsWith(r.substring(0, r.length() - 1))
                        : e.getKey().equals(r);
                if (match) {
                    out.put(e.getKey(), e.getValue());
                    break;
                }
            }
        }
        return out;
    }

    static void writeJson(ObjectNode target, Map<String, MessageAttribute> attributes) {
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
            MessageAttribute value = e.getValue();
            ObjectNode node = target.putObject(e.getKey());
            if (value.isBinary()) node.put("BinaryValue", Base64.getEncoder().encodeToString(value.binaryValue()));
            else node.put("StringValue", value.stringValue());
            node.put("DataType", value.dataType());
        }
    }
}
