package io.eddy.dynamodb.partiql;

import java.util.ArrayList;
import java.util.List;

/** Splits a PartiQL statement into tokens. */
final class Lexer {

    enum Kind { IDENTIFIER, QUOTED_IDENTIFIER, STRING, NUMBER, PARAMETER, SYMBOL, END }

    record Token(Kind kind, String text, int line, int column) {
        boolean is(String symbolOrKeyword) {
            return (kind == Kind.SYMBOL || kind == Kind.IDENTIFIER) && text.equalsIgnoreCase(symbolOrKeyword);
        }
    }

    private static final String[] SYMBOLS = {"<<", ">>", "<>", "!=", "<=", ">=", "=", "<", ">", "(", ")", "[", "]",
            "{", "}", ",", ".", ":", "*", "+", "-", ";"};

    private final String text;
    private int position;
    private int line = 1;
    private int lineStart;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokenize(String statement) {
        return new Lexer(statement).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpace();
            if (position >= text.length()) {
                tokens.add(new Token(Kind.END, "", line, column()));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private int column() {
        return position - lineStart + 1;
    }

    private void skipSpace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '\n') {
                position++;
                line++;
                lineStart = position;
            } else if (Character.isWhitespace(c)) {
                position++;
            } else if (c == '-' && text.startsWith("--", position)) {
                while (position < text.length() && text.charAt(position) != '\n') position++;
            } else {
                return;
            }
        }
    }

    private Token next() {
        int startColumn = column();
        char c = text.charAt(position);
        if (c == '\'') return new Token(Kind.STRING, quoted('\''), line, startColumn);
        if (c == '"') return new Token(Kind.QUOTED_IDENTIFIER, quoted('"'), line, startColumn);
        if (c == '?') {
            position++;
            return new Token(Kind.PARAMETER, "?", line, startColumn);
        }
        if (Character.isDigit(c) || (c == '.' && position + 1 < text.length() && Character.isDigit(text.charAt(position + 1)))) {
            return new Token(Kind.NUMBER, number(), line, startColumn);
        }
        if (Character.isLetter(c) || c == '_' || c == '$') {
            int start = position;
            while (position < text.length()) {
                char d = text.charAt(position);
                if (!(Character.isLetterOrDigit(d) || d == '_' || d == '$')) break;
                position++;
            }
            return new Token(Kind.IDENTIFIER, text.substring(start, position), line, startColumn);
        }
        for (String symbol : SYMBOLS) {
            if (text.startsWith(symbol, position)) {
                position += symbol.length();
                return new Token(Kind.SYMBOL, symbol, line, startColumn);
            }
        }
        throw Parser.malformed("Unexpected character '" + c + "' at line " + line + ", column " + startColumn);
    }

    private String quoted(char quote) {
        int startLine = line;
        int startColumn = column();
        StringBuilder value = new StringBuilder();
        position++;
        while (true) {
            if (position >= text.length()) {
                throw Parser.malformed("Unterminated " + (quote == '\'' ? "string literal" : "quoted identifier")
                        + " at line " + startLine + ", column " + startColumn);
            }
            char c = text.charAt(position++);
            if (c == quote) {
                if (position < text.length() && text.charAt(position) == quote) {
                    value.append(quote);
                    position++;
                } else {
                    return value.toString();
                }
            } else {
                if (c == '\n') {
                    line++;
                    lineStart = position;
                }
                value.append(c);
            }
        }
    }

    private String number() {
        int start = position;
        while (position < text.length() && Character.isDigit(text.charAt(position))) position++;
        if (position < text.length() && text.charAt(position) == '.') {
            position++;
            while (position < text.length() && Character.isDigit(text.charAt(position))) position++;
        }
        if (position < text.length() && (text.charAt(position) == 'e' || text.charAt(position) == 'E')) {
            int mark = position;
            position++;
            if (position < text.length() && (text.charAt(position) == '+' || text.charAt(position) == '-')) position++;
            if (position < text.length() && Character.isDigit(text.charAt(position))) {
                while (position < text.length() && Character.isDigit(text.charAt(position))) position++;
            } else {
                position = mark;
            }
        }
        return text.substring(start, position);
    }
}
