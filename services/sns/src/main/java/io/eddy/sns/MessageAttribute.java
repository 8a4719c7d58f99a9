package io.eddy.sns;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A message attribute as published: its data type ({@code String}, {@code String.Array}, {@code Number},
 * {@code Binary}, each optionally with a custom suffix) and its value, text for String and Number
 * types, base64 text for Binary ones.
 */
public record MessageAttribute(String dataType, String stringValue, String binaryValue) {

    public boolean isBinary() {
        return baseType().equals("Binary");
    }

    /** {@code String}, {@code Number} or {@code Binary}; {@code String.Array} counts as String. */
    public String baseType() {
        int dot = dataType.indexOf('.');
        return dot < 0 ? dataType : dataType.substring(0, dot);
    }

    /** Whether the type is {@code String.Array}, whose value is a JSON array. */
    public boolean isStringArray() {
        return dataType.equals("String.Array");
    }

    /** The value as it appears in a JSON envelope: the text, or the base64 of a binary value. */
    public String envelopeValue() {
        return isBinary() ? binaryValue : stringValue;
    }

    public byte[] binaryBytes() {
        return Base64.getDecoder().decode(binaryValue);
    }

    /** Bytes the attribute adds to a message's size: name, type and value. */
    int size(String name) {
        int value = isBinary() ? binaryBytes().length : stringValue.getBytes(StandardCharsets.UTF_8).length;
        return name.getBytes(StandardCharsets.UTF_8).length + dataType.getBytes(StandardCharsets.UTF_8).length + value;
    }
}
