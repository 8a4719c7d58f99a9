package io.eddy.sqs;

import java.nio.charset.StandardCharsets;

/**
 * One message attribute as SQS carries it: a data type ({@code String}, {@code Number},
 * {@code Binary}, optionally with a custom suffix such as {@code Number.int}) and either a string
 * value (String and Number types) or a binary value (Binary types).
 */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

    public static MessageAttribute string(String value) {
        return new MessageAttribute("String", value, null);
    }

    public static MessageAttribute number(String value) {
        return new MessageAttribute("Number", value, null);
    }

    public static MessageAttribute binary(byte[] value) {
        return new MessageAttribute("Binary", null, value);
    }

    /** Whether the data type is a Binary type, whose value is {@link #binaryValue()}. */
    public boolean isBinary() {
        return dataType != null && dataType.startsWith("Binary");
    }

    /** Bytes this attribute adds to a message's size: name, type and value. */
    int size(String name) {
        int valueSize = isBinary()
                ? (binaryValue == null ? 0 : binaryValue.length)
                : (stringValue == null ? 0 : utf8Length(stringValue));
        return utf8Length(name) + utf8Length(dataType) + valueSize;
    }

    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) bytes += 1;
                else if (Character.isHighSurrogate(c)) {
                    bytes += 2;
                    i++;
                } else bytes += 2;
            }
        }
        return bytes;
    }

    @Override
    public String toString() {
        return dataType + ":" + (isBinary() ? binaryValue.length + " bytes" : stringValue);
    }

    byte[] stringBytes() {
        return stringValue.getBytes(StandardCharsets.UTF_8);
    }
}
