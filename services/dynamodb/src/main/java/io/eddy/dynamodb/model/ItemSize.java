package io.eddy.dynamodb.model;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Item sizes by DynamoDB's documented rules: attribute names count their UTF-8 length; strings their
 * UTF-8 length; binaries their length; numbers about one byte per two significant digits plus one;
 * NULL and BOOL one byte; lists and maps three bytes plus one per element; sets the sum of their elements.
 */
public final class ItemSize {

    /** 400 KB: the largest item DynamoDB stores. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private ItemSize() {
    }

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8Length(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    /** Throws AWS's ValidationException if the item is larger than 400 KB. */
    public static void check(Map<String, AttributeValue> item) {
        if (of(item) > MAX_ITEM_BYTES) {
            throw DynamoDbErrors.validation("Item size has exceeded the maximum allowed size");
        }
    }

    public static long of(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S s -> utf8Length(s.value());
            case AttributeValue.N n -> numberSize(n.value());
            case AttributeValue.B b -> b.value().length;
            case AttributeValue.Bool ignored -> 1;
            case AttributeValue.Null ignored -> 1;
            case AttributeValue.SS ss -> {
                long size = 0;
                for (String element : ss.values()) size += utf8Length(element);
                yield size;
            }
            case AttributeValue.NS ns -> {
                long size = 0;
                for (BigDecimal element : ns.values()) size += numberSize(element);
                yield size;
            }
            case AttributeValue.BS bs -> {
                long size = 0;
                for (byte[] element : bs.values()) size += element.length;
                yield size;
            }
            case AttributeValue.L l -> {
                long size = 3;
                for (AttributeValue element : l.value()) size += 1 + of(element);
                yield size;
            }
            case AttributeValue.M m -> {
                long size = 3;
                for (Map.Entry<String, AttributeValue> entry : m.value().entrySet()) {
                    size += 1 + utf8Length(entry.getKey()) + of(entry.getValue());
                }
                yield size;
            }
        };
    }

    static int numberSize(BigDecimal value) {
        BigDecimal normalized = Numbers.normalize(value);
        if (normalized.signum() == 0) return 1;
        int digits = normalized.precision();
        return (digits + 1) / 2 + 1 + (normalized.signum() < 0 ? 1 : 0);
    }

    /** UTF-8 length without allocating the encoded bytes. */
    public static int utf8Length(String text) {
        int length = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
