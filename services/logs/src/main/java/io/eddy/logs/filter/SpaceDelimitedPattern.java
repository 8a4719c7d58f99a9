package io.eddy.logs.filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code [ip, user, ..., status = 4* && bytes > 1000, size]}: the message is split into fields at
 * spaces ({@code "..."} and {@code [...]} are one field each), fields are bound to the pattern's
 * names in order ({@code ...} takes any number of fields), and every condition must hold.
 */
final class SpaceDelimitedPattern implements FilterPattern {

    private static final String ELLIPSIS = "...";

    private record Comparison(String field, ValueMatcher matcher) {
    }

    /** Conditions of one slot: an OR of ANDs, possibly naming other fields. */
    private record SlotCondition(List<List<Comparison>> anyOf) {
        boolean test(Map<String, String> fields) {
            for (List<Comparison> all : anyOf) {
                boolean ok = true;
                for (Comparison c : all) {
                    if (!c.matcher().test(fields.get(c.field()))) {
                        ok = false;
                        break;
                    }
                }
                if (ok) return true;
            }
            return false;
        }
    }

    private final List<String> slots;
    private final List<SlotCondition> conditions;

    private SpaceDelimitedPattern(List<String> slots, List<SlotCondition> conditions) {
        this.slots = slots;
        this.conditions = conditions;
    }

    static SpaceDelimitedPattern parse(String pattern) {
        Lexer lexer = new Lexer(pattern, 0);
        lexer.expect("[");
        List<String> slots = new ArrayList<>();
        List<SlotCondition> conditions = new ArrayList<>();
        int anonymous = 0;
        while (true) {
            if (lexer.consume(ELLIPSIS)) {
                slots.add(ELLIPSIS);
            } else if (lexer.peek() == ',' || lexer.peek() == ']') {
                slots.add("$anonymous" + anonymous++);
            } else {
                String name = lexer.name();
                if (name.isEmpty()) throw new InvalidFilterPatternException("Expected a field name at position " + lexer.position());
                slots.add(name);
                if (lexer.peek() != ',' && lexer.peek() != ']') conditions.add(parseCondition(lexer, name));
            }
            if (lexer.consume("]")) break;
            lexer.expect(",");
        }
        if (!lexer.atEnd()) throw new InvalidFilterPatternException("Unexpected text after ']'");
        return new SpaceDelimitedPattern(slots, conditions);
    }

    private static SlotCondition parseCondition(Lexer lexer, String firstField) {
        List<List<Comparison>> anyOf = new ArrayList<>();
        List<Comparison> all = new ArrayList<>();
        String field = firstField;
        while (true) {
            String op = lexer.operator();
            if (op == null) throw new InvalidFilterPatternException("Expected an operator at position " + lexer.position());
            Lexer.Value value = lexer.value(",]");
            all.add(new Comparison(field, new ValueMatcher(ValueMatcher.Operator.of(op), value.text(), value.quoted())));
            if (lexer.consume("&&")) {
                field = lexer.name();
            } else if (lexer.consume("||")) {
                anyOf.add(all);
                all = new ArrayList<>();
                field = lexer.name();
            } else {
                break;
            }
            if (field.isEmpty()) throw new InvalidFilterPatternException("Expected a field name at position " + lexer.position());
        }
        anyOf.add(all);
        return new SlotCondition(anyOf);
    }

    static List<String> split(String message) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = message.length();
        while (i < n) {
            char c = message.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            if (c == '"' || c == '[') {
                char close = c == '"' ? '"' : ']';
                int end = message.indexOf(close, i + 1);
                if (end > 0) {
                    fields.add(message.substring(i + 1, end));
                    i = end + 1;
                    continue;
                }
            }
            int start = i;
            while (i < n && message.charAt(i) != ' ' && message.charAt(i) != '\t') i++;
            fields.add(message.substring(start, i));
        }
        return fields;
    }

    @Override
    public boolean matches(String message) {
        return bind(split(message.strip()), 0, 0, new HashMap<>());
    }

    private boolean bind(List<String> values, int slot, int value, Map<String, String> bound) {
        if (slot == slots.size()) {
            if (value != values.size()) return false;
            for (SlotCondition condition : conditions) if (!condition.test(bound)) return false;
            return true;
        }
        String name = slots.get(slot);
        if (name.equals(ELLIPSIS)) {
            for (int skip = value; skip <= values.size(); skip++) {
                if (bind(values, slot + 1, skip, bound)) return true;
            }
            return false;
        }
        if (value >= values.size()) return false;
        String previous = bound.put(name, values.get(value));
        boolean ok = bind(values, slot + 1, value + 1, bound);
        if (previous == null) bound.remove(name);
        else bound.put(name, previous);
        return ok;
    }
}
