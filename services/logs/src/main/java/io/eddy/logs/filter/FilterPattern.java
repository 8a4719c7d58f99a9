package io.eddy.logs.filter;

/**
 * A CloudWatch Logs filter pattern: terms (unstructured text), a JSON pattern in braces, or a
 * space-delimited pattern in brackets. Case-sensitive; an empty pattern, {@code ""} and {@code " "} match
 * every event.
 */
public interface FilterPattern {

    FilterPattern MATCH_ALL = message -> true;

    boolean matches(String message);

    /** Parses {@code pattern}; throws {@link InvalidFilterPatternException} when it is malformed. */
    static FilterPattern parse(String pattern) {
        if (pattern == null) return MATCH_ALL;
        String trimmed = pattern.strip();
        if (trimmed.isEmpty() || trimmed.equals("\"\"") || trimmed.equals("\" \"")) return MATCH_ALL;
        if (trimmed.startsWith("{")) return JsonPattern.parse(trimmed);
        if (trimmed.startsWith("[")) return SpaceDelimitedPattern.parse(trimmed);
        return TermPattern.parse(trimmed);
    }
}
