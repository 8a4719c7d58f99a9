package io.eddy.logs.filter;

/** Reads the tokens JSON and space-delimited patterns share: names, operators, values, quoted strings. */
final class Lexer {

    private final String text;
    private int pos;

    Lexer(String text, int start) {
        this.text = text;
        this.pos = start;
    }

    int position() {
        return pos;
    }

    void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    boolean atEnd() {
        skipSpaces();
        return pos >= text.length();
    }

    char peek() {
        skipSpaces();
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    boolean consume(String token) {
        skipSpaces();
        if (text.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    /** A keyword such as IS or NULL, case-insensitive, followed by a non-word character. */
    boolean consumeKeyword(String keyword) {
        skipSpaces();
        int end = pos + keyword.length();
        if (end <= text.length() && text.regionMatches(true, pos, keyword, 0, keyword.length())
                && (end == text.length() || !isNameChar(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    void expect(String token) {
        if (!consume(token)) throw new InvalidFilterPatternException("Expected '" + token + "' at position " + pos);
    }

    String name() {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && isNameChar(text.charAt(pos))) pos++;
        return text.substring(start, pos);
    }

    /** {@code = != < <= > >=}, or null. */
    String operator() {
        skipSpaces();
        for (String op : new String[] {"!=", "<=", ">=", "=", "<", ">"}) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return op;
            }
        }
        return null;
    }

    record Value(String text, boolean quoted) {
    }

    /** A quoted string, or the unquoted run of characters up to a space or one of {@code stops}. */
    Value value(String stops) {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == '"') {
            StringBuilder out = new StringBuilder();
            pos++;
            while (pos < text.length() && text.charAt(pos) != '"') {
                if (text.charAt(pos) == '\\' && pos + 1 < text.length()) pos++;
                out.append(text.charAt(pos++));
            }
            if (pos >= text.length()) throw new InvalidFilterPatternException("Unterminated quote");
            pos++;
            return new Value(out.toString(), true);
        }
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || stops.indexOf(c) >= 0) break;
            if ((c == '&' || c == '|') && pos + 1 < text.length() && text.charAt(pos + 1) == c) break;
            pos++;
        }
        if (pos == start) throw new InvalidFilterPatternException("Expected a value at position " + pos);
        return new Value(text.substring(start, pos), false);
    }

    static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }
}
