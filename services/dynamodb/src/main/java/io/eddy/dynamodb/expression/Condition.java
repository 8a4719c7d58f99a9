package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed ConditionExpression or FilterExpression (or a legacy Expected/QueryFilter/ScanFilter).
 * Comparisons between values of different types are false, never errors, as in DynamoDB.
 */
public sealed interface Condition {

    boolean test(Map<String, AttributeValue> item);

    enum Comparator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean holds(AttributeValue left, AttributeValue right) {
            if (this == EQ) return left != null && left.equals(right);
            if (this == NE) return left == null || !left.equals(right);
            if (left == null || right == null) return false;
            Integer order = Values.compare(left, right);
            if (order == null) return false;
            return switch (this) {
                case LT -> order < 0;
                case LE -> order <= 0;
                case GT -> order > 0;
                case GE -> order >= 0;
                default -> throw new IllegalStateException();
            };
        }
    }

    record Comparison(Comparator comparator, Operand left, Operand right) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return comparator.holds(left.evaluate(item), right.evaluate(item));
        }
    }

    record Between(Operand value, Operand lower, Operand upper) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.evaluate(item);
            AttributeValue lo = lower.evaluate(item);
            AttributeValue hi = upper.evaluate(item);
            if (v == null || lo == null || hi == null) return false;
            Integer fromLower = Values.compare(v, lo);
            Integer toUpper = Values.compare(v, hi);
            return fromLower != null && toUpper != null && fromLower >= 0 && toUpper <= 0;
        }
    }

    record In(Operand value, List<Operand> candidates) implements Condition {
        public In {
            candidates = List.copyOf(candidates);
        }

        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.evaluate(item);
            if (v == null) return false;
            for (Operand candidate : candidates) {
                if (v.equals(candidate.evaluate(item))) return true;
            }
            return false;
        }
    }

    record And(Condition left, Condition right) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return left.test(item) && right.test(item);
        }
    }

    record Or(Condition left, Condition right) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return left.test(item) || right.test(item);
        }
    }

    record Not(Condition condition) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return !condition.test(item);
        }
    }

    record AttributeExists(DocumentPath path) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return path.resolve(item) != null;
        }
    }

    record AttributeNotExists(DocumentPath path) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return path.resolve(item) == null;
        }
    }

    record AttributeType(Operand value, Operand type) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.evaluate(item);
            return v != null && type.evaluate(item) instanceof AttributeValue.S s && s.value().equals(v.typeName());
        }
    }

    record BeginsWith(Operand value, Operand prefix) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.evaluate(item);
            AttributeValue p = prefix.evaluate(item);
            if (v instanceof AttributeValue.S s && p instanceof AttributeValue.S ps) {
                byte[] bytes = s.value().getBytes(StandardCharsets.UTF_8);
                byte[] start = ps.value().getBytes(StandardCharsets.UTF_8);
                return startsWith(bytes, start);
            }
            if (v instanceof AttributeValue.B b && p instanceof AttributeValue.B pb) return startsWith(b.value(), pb.value());
            return false;
        }

        private static boolean startsWith(byte[] bytes, byte[] prefix) {
            return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
        }
    }

    record Contains(Operand container, Operand element) implements Condition {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue c = container.evaluate(item);
            AttributeValue e = element.evaluate(item);
            if (c == null || e == null) return false;
            return switch (c) {
                case AttributeValue.S s -> e instanceof AttributeValue.S sub && s.value().contains(sub.value());
                case AttributeValue.SS ss -> e instanceof AttributeValue.S member && ss.values().contains(member.value());
                case AttributeValue.NS ns -> e instanceof AttributeValue.N member && ns.values().contains(member.value());
                case AttributeValue.BS bs -> e instanceof AttributeValue.B member && bs.elements().contains(member);
                case AttributeValue.B b -> e instanceof AttributeValue.B sub && indexOf(b.value(), sub.value()) >= 0;
                case AttributeValue.L l -> l.value().contains(e);
                default -> false;
            };
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) continue outer;
                }
                return i;
            }
            return -1;
        }
    }

    /** Combines conditions with AND (or OR); null when the list is empty. */
    static Condition combine(List<Condition> conditions, boolean or) {
        Condition result = null;
        for (Condition condition : conditions) {
            Objects.requireNonNull(condition);
            result = result == null ? condition : or ? new Or(result, condition) : new And(result, condition);
        }
        return result;
    }
}
