package io.eddy.logs.filter;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The right-hand side of a comparison in JSON and space-delimited patterns: a number compared
 * numerically, or a string, quoted or not, compared exactly but for {@code *} wildcards at its start and end.
 */
final class ValueMatcher {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    enum Operator {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        static Operator of(String symbol) {
            for (Operator op : values()) if (op.symbol.equals(symbol)) return op;
            throw new InvalidFilterPatternException("Unknown operator " + symbol);
        }

        boolean isEquality() {
            return this == EQ || this == NE;
        }
    }

    private final Operator operator;
    private final String text;
    private final BigDecimal number;

    ValueMatcher(Operator operator, String text, boolean quoted) {
        this.operator = operator;
        this.text = text;
        this.number = !quoted && NUMBER.matcher(text).matches() ? new BigDecimal(text) : null;
        if (!operator.isEquality() && number == null) {
            throw new InvalidFilterPatternException("Operator " + operator.symbol + " needs a number, got " + text);
        }
    }

    static BigDecimal parseNumber(String candidate) {
        if (candidate == null || !NUMBER.matcher(candidate).matches()) return null;
        return new BigDecimal(candidate);
    }

    /** Compares against a value as found in the event (JSON scalar or space-delimited field). */
    boolean test(String value) {
        if (value == null) return false;
        if (number != null) {
            BigDecimal actual = parseNumber(value);
            if (actual == null) return operator == Operator.NE;
            int c = actual.compareTo(number);
            return switch (operator) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }
        boolean equal = wildcardEquals(value);
        return operator == Operator.EQ ? equal : !equal;
    }

    private boolean wildcardEquals(String value) {
        if (text.equals("*")) return true;
        boolean leading = text.startsWith("*");
        boolean trailing = text.length() > 1 && text.endsWith("*");
        String core = text.substring(leading ? 1 : 0, text.length() - (trailing ? 1 : 0));
        if (leading && trailing) return value.contains(core);
        if (leading) return value.endsWith(core);
        if (trailing) return value.startsWith(core);
        return value.equals(core);
    }
}
