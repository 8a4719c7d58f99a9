package io.eddy.dynamodb.model;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Order-preserving, self-delimiting byte encoding of key attribute values (S, N, B): comparing two
 * encodings of the same type as unsigned bytes gives DynamoDB's key order (S by UTF-8 bytes, B bytewise
 * unsigned, N numerically). Because every encoding carries its own end, encodings can be concatenated
 * (partition key then sort key) with {@code Keys.raw} and any bytes may follow them.
 *
 * <p>S and B: the bytes with 0x00 written as 0x00 0x01, then the terminator 0x00 0x00.
 * <p>N: zero is 0x80. A non-zero v = ±0.d1d2...dn × 10^E (d1 ≠ 0) is a sign byte (0xC0 positive, 0x40
 * negative), the byte E+129 (E is within -129..126), the digits in base-100 pairs as bytes 1..100, and
 * the terminator 0x00. For negatives the exponent, digit and terminator bytes are inverted (255 - b),
 * so larger magnitudes sort first.
 */
public final class KeyEncoding {

    private static final int ZERO = 0x80;
    private static final int POSITIVE = 0xC0;
    private static final int NEGATIVE = 0x40;
    private static final int EXPONENT_BIAS = 129;

    private KeyEncoding() {
    }

    /** A decoded value and the offset just past its encoding. */
    public record Decoded(AttributeValue value, int end) {
    }

    public static byte[] encode(AttributeValue keyValue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        encode(keyValue, out);
        return out.toByteArray();
    }

    public static void encode(AttributeValue keyValue, ByteArrayOutputStream out) {
        switch (keyValue) {
            case AttributeValue.S s -> encodeBytes(s.value().getBytes(StandardCharsets.UTF_8), out);
            case AttributeValue.B b -> encodeBytes(b.value(), out);
            case AttributeValue.N n -> encodeNumber(n.value(), out);
            default -> throw new IllegalArgumentException("not a key type: " + keyValue.typeName());
        }
    }

    /** Decodes a value of key type {@code typeName} ("S", "N" or "B") starting at {@code offset}. */
    public static Decoded decode(byte[] bytes, int offset, String typeName) {
        return switch (typeName) {
            case "S" -> {
                Decoded raw = decodeBytes(bytes, offset);
                yield new Decoded(new AttributeValue.S(new String(((AttributeValue.B) raw.value()).value(),
                        StandardCharsets.UTF_8)), raw.end());
            }
            case "B" -> decodeBytes(bytes, offset);
            case "N" -> decodeNumber(bytes, offset);
            default -> throw new IllegalArgumentException("not a key type: " + typeName);
        };
    }

    private static void encodeBytes(byte[] value, ByteArrayOutputStream out) {
        int copied = 0;
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                out.write(value, copied, i + 1 - copied);
                out.write(1);
                copied = i + 1;
            }
        }
        out.write(value, copied, value.length - copied);
        out.write(0);
        out.write(0);
    }

    private static Decoded decodeBytes(byte[] bytes, int offset) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        int i = offset;
        while (true) {
            byte b = bytes[i++];
            if (b != 0) {
                value.write(b);
            } else if (bytes[i++] == 0) {
                return new Decoded(new AttributeValue.B(value.toByteArray()), i);
            } else {
                value.write(0);
            }
        }
    }

    private static void encodeNumber(BigDecimal number, ByteArrayOutputStream out) {
        BigDecimal value = Numbers.normalize(number);
        if (value.signum() == 0) {
            out.write(ZERO);
            return;
        }
        boolean negative = value.signum() < 0;
        String digits = value.unscaledValue().abs().toString();
        int exponent = value.precision() - value.scale();
        int flip = negative ? 0xFF : 0;
        out.write(negative ? NEGATIVE : POSITIVE);
        out.write((exponent + EXPONENT_BIAS) ^ flip);
        for (int i = 0; i < digits.length(); i += 2) {
            int high = digits.charAt(i) - '0';
            int low = i + 1 < digits.length() ? digits.charAt(i + 1) - '0' : 0;
            out.write((high * 10 + low + 1) ^ flip);
        }
        out.write(flip);
    }

    private static Decoded decodeNumber(byte[] bytes, int offset) {
        int sign = bytes[offset] & 0xFF;
        if (sign == ZERO) return new Decoded(new AttributeValue.N(BigDecimal.ZERO), offset + 1);
        int flip = sign == NEGATIVE ? 0xFF : 0;
        int exponent = ((bytes[offset + 1] & 0xFF) ^ flip) - EXPONENT_BIAS;
        StringBuilder digits = new StringBuilder(40);
        int i = offset + 2;
        while (true) {
            int pair = (bytes[i++] & 0xFF) ^ flip;
            if (pair == 0) break;
            pair -= 1;
            digits.append((char) ('0' + pair / 10)).append((char) ('0' + pair % 10));
        }
        BigInteger unscaled = new BigInteger(digits.toString());
        if (flip != 0) unscaled = unscaled.negate();
        return new Decoded(new AttributeValue.N(new BigDecimal(unscaled, digits.length() - exponent)), i);
    }
}
