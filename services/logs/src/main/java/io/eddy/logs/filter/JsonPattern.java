package io.eddy.logs.filter;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code { $.a.b[0] = "x" && ($.n > 5 || $.f IS TRUE) }}: comparisons on selected values of a JSON
 * message; precedence is parentheses, then {@code &&}, then {@code ||}. Messages that are not a
 * JSON document never match.
 */
final class JsonPattern implements FilterPattern {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private interface Condition {
        boolean test(JsonNode document);
    }

    private final Condition condition;

    private JsonPattern(Condition condition) {
        this.condition = condition;
    }

    static JsonPattern parse(String pattern) {
        Lexer lexer = new Lexer(pattern, 0);
        lexer.expect("{");
        Condition condition = parseOr(lexer);
        lexer.expect("}");
        if (!lexer.atEnd()) throw new InvalidFilterPatternException("Unexpected text after '}'");
        return new JsonPattern(condition);
    }

    private static Condition parseOr(Lexer lexer) {
        List<Condition> any = new ArrayList<>();
        any.add(parseAnd(lexer));
        while (lexer.consume("||")) any.add(parseAnd(lexer));
        return any.size() == 1 ? any.get(0) : doc -> any.stream().anyMatch(c -> c.test(doc));
    }

    private static Condition parseAnd(Lexer lexer) {
        List<Condition> all = new ArrayList<>();
        all.add(parsePrimary(lexer));
        while (lexer.consume("&&")) all.add(parsePrimary(lexer));
        return all.size() == 1 ? all.get(0) : doc -> all.stream().allMatch(c -> c.test(doc));
    }

    private static Condition parsePrimary(Lexer lexer) {
        if (lexer.consume("(")) {
            Condition inner = parseOr(lexer);
            lexer.expect(")");
            return inner;
        }
        List<Object> selector = parseSelector(lexer);
        if (lexer.consumeKeyword("IS")) {
            if (lexer.consumeKeyword("NULL")) return doc -> select(doc, selector) instanceof JsonNode n && n.isNull();
            if (lexer.consumeKeyword("TRUE")) return doc -> select(doc, selector) instanceof JsonNode n && n.isBoolean() && n.booleanValue();
            if (lexer.consumeKeyword("FALSE")) return doc -> select(doc, selector) instanceof JsonNode n && n.isBoolean() && !n.booleanValue();
            throw new InvalidFilterPatternException("Expected NULL, TRUE or FALSE after IS");
        }
        if (lexer.consumeKeyword("NOT")) {
            if (!lexer.consumeKeyword("EXISTS")) throw new InvalidFilterPatternException("Expected EXISTS after NOT");
            return doc -> select(doc, selector) == null;
        }
        String op = lexer.operator();
        if (op == null) throw new InvalidFilterPatternException("Expected an operator at position " + lexer.position());
        Lexer.Value value = lexer.value(")}");
        ValueMatcher matcher = new ValueMatcher(ValueMatcher.Operator.of(op), value.text(), value.quoted());
        return doc -> {
            JsonNode node = select(doc, selector);
            if (node == null || node.isContainerNode() || node.isNull()) return false;
            return matcher.test(node.asText());
        };
    }

    /** {@code $} then {@code .name} and {@code [index]} steps; names are Strings, indexes Integers. */
    private static List<Object> parseSelector(Lexer lexer) {
        lexer.expect("$");
        List<Object> steps = new ArrayList<>();
        while (true) {
            if (lexer.consume(".")) {
                String name = lexer.name();
                if (name.isEmpty()) throw new InvalidFilterPatternException("Expected a property name after '.'");
                steps.add(name);
            } else if (lexer.consume("[")) {
                String index = lexer.name();
                lexer.expect("]");
                try {
                    steps.add(Integer.parseInt(index));
                } catch (NumberFormatException e) {
                    throw new InvalidFilterPatternException("Array index must be a number");
                }
            } else {
                break;
            }
        }
        if (steps.isEmpty()) throw new InvalidFilterPatternException("A selector needs at least one property");
        return steps;
    }

    /** The selected node, or null when the path does not exist. */
    private static JsonNode select(JsonNode document, List<Object> steps) {
        JsonNode node = document;
        for (Object step : steps) {
            if (step instanceof String name) {
                if (!node.isObject() || !node.has(name)) return null;
                node = node.get(name);
            } else {
                int index = (Integer) step;
                if (!node.isArray() || index >= node.size()) return null;
                node = node.get(index);
            }
        }
        return node;
    }

    @Override
    public boolean matches(String message) {
        String trimmed = message.strip();
        if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return false;
        JsonNode document;
        try {
            document = MAPPER.readTree(trimmed);
        } catch (JsonProcessingException e) {
            return false;
        }
        return document != null && condition.test(document);
    }
}
