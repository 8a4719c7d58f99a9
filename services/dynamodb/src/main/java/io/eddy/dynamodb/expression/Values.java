package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;

import java.util.Arrays;

/** Comparison and size rules shared by the expression evaluators. */
final class Values {

    private Values() {
    }

    /**
     * Orders two values of the same scalar type (N numerically, S by UTF-8 bytes, B by unsigned bytes);
     * null when they are not comparable (different types, or not N/S/B).
     */
    static Integer compare(AttributeValue a, AttributeValue b) {
        if (a instanceof AttributeValue.N x && b instanceof AttributeValue.N y) return x.value().compareTo(y.value());
        if (a instanceof AttributeValue.S x && b instanceof AttributeValue.S y) return compareUtf8(x.value(), y.value());
        if (a instanceof AttributeValue.B x && b instanceof AttributeValue.B y) return Arrays.compareUnsigned(x.value(), y.value());
        return null;
    }

    /** Comparing code points gives the same order as comparing UTF-8 bytes. */
    static int compareUtf8(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    static boolean isScalarKeyType(AttributeValue value) {
        return value instanceof AttributeValue.N || value instanceof AttributeValue.S || value instanceof AttributeValue.B;
    }

    /** The size() function: string length, binary length, element count; null for types without a size. */
    static Integer size(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S s -> s.value().codePointCount(0, s.value().length());
            case AttributeValue.B b -> b.value().length;
            case AttributeValue.SS ss -> ss.values().size();
            case AttributeValue.NS ns -> ns.values().size();
            case AttributeValue.BS bs -> bs.values().size();
            case AttributeValue.M m -> m.value().size();
            case AttributeValue.L l -> l.value().size();
            default -> null;
        };
    }

    /** The long type names AWS uses in ADD/DELETE operand errors. */
    static String longTypeName(AttributeValue value) {
        return switch (value.typeName()) {
            case "S" -> "STRING";
            case "N" -> "NUMBER";
            case "B" -> "BINARY";
            case "BOOL" -> "BOOLEAN";
            case "NULL" -> "NULL";
            case "M" -> "MAP";
            case "L" -> "LIST";
            case "SS" -> "STRING_SET";
            case "NS" -> "NUMBER_SET";
            case "BS" -> "BINARY_SET";
            default -> throw new IllegalArgumentException(value.typeName());
        };
    }

    /** The short type names AWS prints for attribute values in messages, e.g. {@code {N:10}}. */
    static String describe(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S s -> "{S:" + s.value() + "}";
            case AttributeValue.N n -> "{N:" + io.eddy.dynamodb.model.Numbers.format(n.value()) + "}";
            default -> "{" + value.typeName() + ":" + value + "}";
        };
    }
}
