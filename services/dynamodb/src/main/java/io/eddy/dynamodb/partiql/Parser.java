package io.eddy.dynamodb.partiql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.protocol.AwsException;

/** Parses DynamoDB's PartiQL: SELECT, INSERT, UPDATE, DELETE and (in transactions) EXISTS. */
public final class Parser {

    private final List<Lexer.Token> tokens;
    private int position;
    private int parameters;

    private Parser(List<Lexer.Token> tokens) {
        this.tokens = tokens;
    }

    static AwsException malformed(String detail) {
        return DynamoDbErrors.validation("Statement wasn't well formed, can't be processed: " + detail);
    }

    public static Statement parse(String statement) {
        if (statement == null || statement.isBlank()) throw malformed("Empty statement");
        Parser parser = new Parser(Lexer.tokenize(statement));
        Statement parsed = parser.statement();
        parser.accept(";");
        if (parser.peek().kind() != Lexer.Kind.END) throw parser.unexpected();
        return parsed;
    }

    // ---- token helpers

    private Lexer.Token peek() {
        return tokens.get(position);
    }

    private Lexer.Token peek(int ahead) {
        return tokens.get(Math.min(position + ahead, tokens.size() - 1));
    }

    private Lexer.Token advance() {
        Lexer.Token token = tokens.get(position);
        if (token.kind() != Lexer.Kind.END) position++;
        return token;
    }

    private boolean accept(String keywordOrSymbol) {
        if (peek().is(keywordOrSymbol)) {
            advance();
            return true;
        }
        return false;
    }

    private void expect(String keywordOrSymbol) {
        if (!accept(keywordOrSymbol)) {
            Lexer.Token token = peek();
            throw malformed("Expected " + keywordOrSymbol.toUpperCase() + " but found "
                    + (token.kind() == Lexer.Kind.END ? "end of statement" : "'" + token.text() + "'")
                    + " at line " + token.line() + ", column " + token.column());
        }
    }

    private AwsException unexpected() {
        Lexer.Token token = peek();
        if (token.kind() == Lexer.Kind.END) return malformed("Unexpected end of statement");
        return malformed("Unexpected token '" + token.text() + "' at line " + token.line() + ", column " + token.column());
    }

    // ---- statements

    private Statement statement() {
        if (accept("SELECT")) return select();
        if (accept("INSERT")) return insert();
        if (accept("UPDATE")) return update();
        if (accept("DELETE")) return delete();
        if (accept("EXISTS")) {
            expect("(");
            expect("SELECT");
            Statement.Select select = select();
            expect(")");
            return new Statement.Exists(select, parameters);
        }
        throw unexpected();
    }

    private Statement.Select select() {
        List<Expr.Path> projection = new ArrayList<>();
        if (!accept("*")) {
            do {
                projection.add(path());
            } while (accept(","));
        }
        expect("FROM");
        String table = name();
        String index = null;
        if (accept(".")) index = name();
        Expr where = accept("WHERE") ? expression() : null;
        Expr.Path orderBy = null;
        boolean descending = false;
        if (accept("ORDER")) {
            expect("BY");
            orderBy = path();
            if (accept("DESC")) descending = true;
            else accept("ASC");
        }
        return new Statement.Select(projection.isEmpty() ? null : projection, table, index, where, orderBy, descending,
                parameters);
    }

    private Statement.Insert insert() {
        expect("INTO");
        String table = name();
        expect("VALUE");
        Expr value = primary();
        return new Statement.Insert(table, value, parameters);
    }

    private Statement.Update update() {
        String table = name();
        List<Statement.Assignment> sets = new ArrayList<>();
        List<Expr.Path> removes = new ArrayList<>();
        while (true) {
            if (accept("SET")) {
                do {
                    Expr.Path path = path();
                    expect("=");
                    sets.add(new Statement.Assignment(path, additive()));
                } while (accept(","));
            } else if (accept("REMOVE")) {
                do {
                    removes.add(path());
                } while (accept(","));
            } else {
                break;
            }
        }
        if (sets.isEmpty() && removes.isEmpty()) throw malformed("UPDATE needs at least one SET or REMOVE clause");
        Expr where = accept("WHERE") ? expression() : null;
        String returning = returning();
        return new Statement.Update(table, sets, removes, where, returning, parameters);
    }

    private Statement.Delete delete() {
        expect("FROM");
        String table = name();
        Expr where = accept("WHERE") ? expression() : null;
        String returning = returning();
        return new Statement.Delete(table, where, returning, parameters);
    }

    /** RETURNING ALL|MODIFIED OLD|NEW * as the matching ReturnValues, or null. */
    private String returning() {
        if (!accept("RETURNING")) return null;
        String scope;
        if (accept("ALL")) scope = "ALL";
        else if (accept("MODIFIED")) scope = "UPDATED";
        else throw unexpected();
        String age;
        if (accept("OLD")) age = "OLD";
        else if (accept("NEW")) age = "NEW";
        else throw unexpected();
        expect("*");
        return scope + "_" + age;
    }

    private String name() {
        Lexer.Token token = peek();
        if (token.kind() == Lexer.Kind.IDENTIFIER || token.kind() == Lexer.Kind.QUOTED_IDENTIFIER) {
            advance();
            return token.text();
        }
        throw unexpected();
    }

    private Expr.Path path() {
        List<Object> elements = new ArrayList<>();
        elements.add(name());
        while (true) {
            if (peek().is(".") && (peek(1).kind() == Lexer.Kind.IDENTIFIER || peek(1).kind() == Lexer.Kind.QUOTED_IDENTIFIER)) {
                advance();
                elements.add(name());
            } else if (peek().is("[")) {
                advance();
                Lexer.Token token = advance();
                if (token.kind() == Lexer.Kind.NUMBER) {
                    try {
                        elements.add(Integer.parseInt(token.text()));
                    } catch (NumberFormatException e) {
                        throw malformed("Invalid list index " + token.text());
                    }
                } else if (token.kind() == Lexer.Kind.STRING) {
                    elements.add(token.text());
                } else {
                    throw malformed("Unexpected token '" + token.text() + "' in a path at line " + token.line()
                            + ", column " + token.column());
                }
                expect("]");
            } else {
                return new Expr.Path(elements);
            }
        }
    }

    // ---- expressions, lowest precedence first

    private Expr expression() {
        Expr left = conjunction();
        while (accept("OR")) left = new Expr.Or(left, conjunction());
        return left;
    }

    private Expr conjunction() {
        Expr left = negation();
        while (accept("AND")) left = new Expr.And(left, negation());
        return left;
    }

    private Expr negation() {
        if (accept("NOT")) return new Expr.Not(negation());
        return comparison();
    }

    private Expr comparison() {
        Expr left = additive();
        Lexer.Token token = peek();
        for (String operator : List.of("=", "<>", "!=", "<=", ">=", "<", ">")) {
            if (token.kind() == Lexer.Kind.SYMBOL && token.text().equals(operator)) {
                advance();
                return new Expr.Binary(operator.equals("!=") ? "<>" : operator, left, additive());
            }
        }
        if (accept("BETWEEN")) {
            Expr lower = additive();
            expect("AND");
            return new Expr.Between(left, lower, additive());
        }
        boolean negated = false;
        if (peek().is("NOT") && (peek(1).is("IN") || peek(1).is("BETWEEN"))) {
            advance();
            negated = true;
        }
        if (accept("IN")) {
            List<Expr> candidates = new ArrayList<>();
            String close = accept("[") ? "]" : null;
            if (close == null) {
                expect("(");
                close = ")";
            }
            do {
                candidates.add(additive());
            } while (accept(","));
            expect(close);
            Expr in = new Expr.In(left, candidates);
            return negated ? new Expr.Not(in) : in;
        }
        if (negated && accept("BETWEEN")) {
            Expr lower = additive();
            expect("AND");
            return new Expr.Not(new Expr.Between(left, lower, additive()));
        }
        if (accept("IS")) {
            boolean not = accept("NOT");
            if (accept("MISSING")) return new Expr.Is(left, not, true);
            if (accept("NULL")) return new Expr.Is(left, not, false);
            throw unexpected();
        }
        return left;
    }

    private Expr additive() {
        Expr left = primary();
        while (true) {
            if (accept("+")) left = new Expr.Binary("+", left, primary());
            else if (accept("-")) left = new Expr.Binary("-", left, primary());
            else return left;
        }
    }

    private Expr primary() {
        Lexer.Token token = peek();
        switch (token.kind()) {
            case STRING -> {
                advance();
                return new Expr.Literal(AttributeValue.s(token.text()));
            }
            case NUMBER -> {
                advance();
                return new Expr.Literal(AttributeValue.n(token.text()));
            }
            case PARAMETER -> {
                advance();
                return new Expr.Parameter(parameters++);
            }
            case QUOTED_IDENTIFIER -> {
                return path();
            }
            case IDENTIFIER -> {
                if (peek(1).is("(") && !token.is("EXISTS")) {
                    advance();
                    advance();
                    List<Expr> arguments = new ArrayList<>();
                    if (!accept(")")) {
                        do {
                            arguments.add(additive());
                        } while (accept(","));
                        expect(")");
                    }
                    return new Expr.Call(token.text().toLowerCase(), arguments);
                }
                if (token.is("TRUE") || token.is("FALSE")) {
                    advance();
                    return new Expr.Literal(AttributeValue.bool(token.is("TRUE")));
                }
                if (token.is("NULL")) {
                    advance();
                    return new Expr.Literal(AttributeValue.NULL);
                }
                if (token.is("MISSING")) {
                    advance();
                    return new Expr.Missing();
                }
                return path();
            }
            case SYMBOL -> {
                if (accept("(")) {
                    Expr inner = expression();
                    expect(")");
                    return inner;
                }
                if (accept("-")) {
                    Lexer.Token number = peek();
                    if (number.kind() != Lexer.Kind.NUMBER) throw unexpected();
                    advance();
                    return new Expr.Literal(AttributeValue.n("-" + number.text()));
                }
                if (accept("{")) return map();
                if (accept("[")) {
                    List<Expr> elements = new ArrayList<>();
                    if (!accept("]")) {
                        do {
                            elements.add(additive());
                        } while (accept(","));
                        expect("]");
                    }
                    return new Expr.ListLiteral(elements);
                }
                if (accept("<<")) {
                    List<Expr> elements = new ArrayList<>();
                    do {
                        elements.add(additive());
                    } while (accept(","));
                    expect(">>");
                    return new Expr.SetLiteral(elements);
                }
                throw unexpected();
            }
            default -> throw unexpected();
        }
    }

    private Expr map() {
        Map<String, Expr> entries = new LinkedHashMap<>();
        if (accept("}")) return new Expr.MapLiteral(entries);
        do {
            Lexer.Token key = advance();
            if (key.kind() != Lexer.Kind.STRING && key.kind() != Lexer.Kind.QUOTED_IDENTIFIER) {
                throw malformed("Map keys must be string literals, found '" + key.text() + "' at line " + key.line()
                        + ", column " + key.column());
            }
            expect(":");
            if (entries.put(key.text(), additive()) != null) {
                throw malformed("Duplicate map key '" + key.text() + "'");
            }
        } while (accept(","));
        expect("}");
        return new Expr.MapLiteral(entries);
    }
}
