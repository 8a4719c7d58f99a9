package io.eddy.dynamodb.model;

import java.math.BigDecimal;

/**
 * DynamoDB numbers: at most 38 significant digits, magnitude between 1E-130 and
 * 9.9999999999999999999999999999999999999E+125, zero included.
 */
public final class Numbers {

    public static final int MAX_DIGITS = 38;
    /** Largest allowed value of (precision - scale), the decimal exponent of the leading digit plus one. */
    private static final int MAX_MAGNITUDE = 126;
    /** Smallest allowed decimal exponent of the leading digit. */
    private static final int MIN_EXPONENT = -130;

    private Numbers() {
    }

    /** Parses and validates a number as sent by a client; throws AWS's ValidationException. */
    public static BigDecimal parse(String text) {
        BigDecimal parsed = parseSyntax(text);
        if (parsed == null) {
            throw DynamoDbErrors.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        return check(parsed);
    }

    /** Validates a computed number (e.g. the result of SET a = a + :v). */
    public static BigDecimal check(BigDecimal value) {
        BigDecimal normalized = normalize(value);
        if (normalized.signum() == 0) return normalized;
        int leadingExponent = normalized.precision() - normalized.scale() - 1;
        if (leadingExponent >= MAX_MAGNITUDE) {
            throw DynamoDbErrors.validation(
                    "Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (leadingExponent < MIN_EXPONENT) {
            throw DynamoDbErrors.validation(
                    "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        if (normalized.precision() > MAX_DIGITS) {
            throw DynamoDbErrors.validation("Attempting to store more than 38 significant digits in a Number");
        }
        return normalized;
    }

    /** Removes trailing zeros so equal numbers have equal representations. */
    public static BigDecimal normalize(BigDecimal value) {
        if (value.signum() == 0) return BigDecimal.ZERO;
        return value.stripTrailingZeros();
    }

    /** The canonical text AWS returns: plain notation, no trailing zeros, no exponent. */
    public static String format(BigDecimal value) {
        return normalize(value).toPlainString();
    }

    /** Plain decimal syntax with optional sign, fraction and exponent; null if not a number. */
    private static BigDecimal parseSyntax(String text) {
        int length = text.length();
        if (length == 0 || length > 1000) return null;
        int i = 0;
        char first = text.charAt(0);
        if (first == '+' || first == '-') i++;
        int digits = 0;
        while (i < length && isDigit(text.charAt(i))) {
            i++;
            digits++;
        }
        if (i < length && text.charAt(i) == '.') {
            i++;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) return null;
        if (i < length && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-')) i++;
            int exponentDigits = 0;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0 || exponentDigits > 9) return null;
        }
        if (i != length) return null;
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
