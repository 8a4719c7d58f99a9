package io.eddy.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.eddy.dynamodb.model.DynamoDbErrors;

/**
 * Collects violations of member constraints that no request shape covers (names in PartiQL statements,
 * Eddy's own requirements) and reports them as AWS reports constraint violations:
 * "2 validation errors detected: Value 'x' at 'tableName' failed to satisfy constraint: ...; Value ...".
 */
final class Constraints {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

    private final List<String> violations = new ArrayList<>();

    private static String quote(Object value) {
        return value == null ? "null" : "'" + value + "'";
    }

    private Constraints violation(Object value, String path, String constraint) {
        violations.add("Value " + quote(value) + " at '" + path + "' failed to satisfy constraint: " + constraint);
        return this;
    }

    Constraints notNull(Object value, String path) {
        if (value == null) violation(null, path, "Member must not be null");
        return this;
    }

    Constraints length(String value, String path, int min, int max) {
        if (value == null) return this;
        if (value.length() < min) {
            violation(value, path, "Member must have length greater than or equal to " + min);
        } else if (value.length() > max) {
            violation(value, path, "Member must have length less than or equal to " + max);
        }
        return this;
    }

    /** A table or index name: 3 to 255 characters of [a-zA-Z0-9_.-]; AWS names the pattern first. */
    Constraints name(String value, String path) {
        if (value == null) return this;
        if (!NAME.matcher(value).matches()) {
            violation(value, path, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        if (value.length() < 3) {
            violation(value, path, "Member must have length greater than or equal to 3");
        } else if (value.length() > 255) {
            violation(value, path, "Member must have length less than or equal to 255");
        }
        return this;
    }

    void throwIfAny() {
        if (violations.isEmpty()) return;
        int n = violations.size();
        throw DynamoDbErrors.validation(n + " validation error" + (n == 1 ? "" : "s") + " detected: "
                + String.join("; ", violations));
    }
}
