package io.eddy.logs.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Unstructured matching: every term must occur in the message (as a substring, case-sensitive),
 * {@code -term} must not occur, and {@code ?term} starts an alternative: the pattern matches when
 * any {@code ?}-group (a {@code ?term} plus the plain terms after it) matches. Quoted terms are
 * phrases; {@code %regex%} terms are regular expressions.
 */
final class TermPattern implements FilterPattern {

    private record Term(String text, Pattern regex) {
        boolean in(String message) {
            return regex != null ? regex.matcher(message).find() : message.contains(text);
        }
    }

    private final List<List<Term>> alternatives;
    private final List<Term> exclusions;

    private TermPattern(List<List<Term>> alternatives, List<Term> exclusions) {
        this.alternatives = alternatives;
        this.exclusions = exclusions;
    }

    static TermPattern parse(String pattern) {
        List<List<Term>> alternatives = new ArrayList<>();
        List<Term> exclusions = new ArrayList<>();
        List<Term> current = null;
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean or = false;
            boolean exclude = false;
            if (c == '?' || c == '-') {
                or = c == '?';
                exclude = c == '-';
                i++;
                while (i < n && Character.isWhitespace(pattern.charAt(i))) i++;
                if (i >= n) throw new InvalidFilterPatternException("Dangling " + c);
            }
            int start = i;
            Term term;
            char first = pattern.charAt(i);
            if (first == '"') {
                StringBuilder phrase = new StringBuilder();
                i++;
                while (i < n && pattern.charAt(i) != '"') {
                    if (pattern.charAt(i) == '\\' && i + 1 < n) i++;
                    phrase.append(pattern.charAt(i++));
                }
                if (i >= n) throw new InvalidFilterPatternException("Unterminated quote");
                i++;
                term = new Term(phrase.toString(), null);
            } else if (first == '%') {
                int end = pattern.indexOf('%', i + 1);
                if (end < 0) throw new InvalidFilterPatternException("Unterminated regular expression");
                try {
                    term = new Term(null, Pattern.compile(pattern.substring(i + 1, end)));
                } catch (PatternSyntaxException e) {
                    throw new InvalidFilterPatternException("Invalid regular expression");
                }
                i = end + 1;
            } else {
                while (i < n && !Character.isWhitespace(pattern.charAt(i))) i++;
                term = new Term(pattern.substring(start, i), null);
            }
            if (exclude) {
                exclusions.add(term);
            } else if (or || current == null) {
                current = new ArrayList<>();
                current.add(term);
                alternatives.add(current);
            } else {
                current.add(term);
            }
        }
        return new TermPattern(alternatives, exclusions);
    }

    @Override
    public boolean matches(String message) {
        for (Term excluded : exclusions) {
            if (excluded.in(message)) return false;
        }
        if (alternatives.isEmpty()) return true;
        for (List<Term> group : alternatives) {
            if (group.stream().allMatch(t -> t.in(message))) return true;
        }
        return false;
    }
}
