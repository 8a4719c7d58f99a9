package io.eddy.dynamodb.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One DynamoDB attribute value. Values are immutable; an item is a {@code Map<String, AttributeValue>}
 * (a LinkedHashMap, so the order the client sent is kept). Sets keep their given order but compare
 * equal regardless of it, as DynamoDB sets are unordered.
 */
public sealed interface AttributeValue {

    Null NULL = new Null();
    Bool TRUE = new Bool(true);
    Bool FALSE = new Bool(false);

    /** The DynamoDB JSON member name: S, N, B, SS, NS, BS, M, L, NULL or BOOL. */
    String typeName();

    static S s(String value) {
        return new S(value);
    }

    static N n(String value) {
        return new N(Numbers.parse(value));
    }

    static N n(long value) {
        return new N(BigDecimal.valueOf(value));
    }

    static Bool bool(boolean value) {
        return value ? TRUE : FALSE;
    }

    record S(String value) implements AttributeValue {
        public S {
            if (value == null) throw new NullPointerException("value");
        }

        @Override
        public String typeName() {
            return "S";
        }
    }

    /** A number; the value is stored normalised (no trailing zeros, zero is {@link BigDecimal#ZERO}). */
    record N(BigDecimal value) implements AttributeValue {
        public N {
            value = Numbers.normalize(value);
        }

        @Override
        public String typeName() {
            return "N";
        }

        @Override
        public String toString() {
            return "N[" + Numbers.format(value) + "]";
        }
    }

    record B(byte[] value) implements AttributeValue {
        public B {
            value = value.clone();
        }

        /** The bytes themselves; callers must not modify them. */
        @Override
        public byte[] value() {
            return value;
        }

        @Override
        public String typeName() {
            return "B";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof B other && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "B[" + Base64.getEncoder().encodeToString(value) + "]";
        }
    }

    record SS(List<String> values) implements AttributeValue {
        public SS {
            values = List.copyOf(values);
        }

        @Override
        public String typeName() {
            return "SS";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SS other && sameElements(values, other.values);
        }

        @Override
        public int hashCode() {
            return new HashSet<>(values).hashCode();
        }
    }

    record NS(List<BigDecimal> values) implements AttributeValue {
        public NS {
            List<BigDecimal> normalized = new ArrayList<>(values.size());
            for (BigDecimal value : values) normalized.add(Numbers.normalize(value));
            values = Collections.unmodifiableList(normalized);
        }

        @Override
        public String typeName() {
            return "NS";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NS other && sameElements(values, other.values);
        }

        @Override
        public int hashCode() {
            return new HashSet<>(values).hashCode();
        }

        @Override
        public String toString() {
            return "NS" + values.stream().map(Numbers::format).toList();
        }
    }

    record BS(List<byte[]> values) implements AttributeValue {
        public BS {
            List<byte[]> copies = new ArrayList<>(values.size());
            for (byte[] value : values) copies.add(value.clone());
            values = Collections.unmodifiableList(copies);
        }

        @Override
        public String typeName() {
            return "BS";
        }

        /** The elements as hashable wrappers, for set arithmetic. */
        public List<B> elements() {
            List<B> elements = new ArrayList<>(values.size());
            for (byte[] value : values) elements.add(new B(value));
            return elements;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BS other && sameElements(elements(), other.elements());
        }

        @Override
        public int hashCode() {
            return new HashSet<>(elements()).hashCode();
        }

        @Override
        public String toString() {
            return "BS" + elements().stream().map(B::toString).toList();
        }
    }

    record M(Map<String, AttributeValue> value) implements AttributeValue {
        public M {
            value = Collections.unmodifiableMap(new LinkedHashMap<>(value));
        }

        @Override
        public String typeName() {
            return "M";
        }
    }

    record L(List<AttributeValue> value) implements AttributeValue {
        public L {
            value = List.copyOf(value);
        }

        @Override
        public String typeName() {
            return "L";
        }
    }

    /** Use {@link AttributeValue#NULL}. */
    record Null() implements AttributeValue {
        @Override
        public String typeName() {
            return "NULL";
        }
    }

    record Bool(boolean value) implements AttributeValue {
        @Override
        public String typeName() {
            return "BOOL";
        }
    }

    private static <T> boolean sameElements(List<T> a, List<T> b) {
        return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
    }
}
