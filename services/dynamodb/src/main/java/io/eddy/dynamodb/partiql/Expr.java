package io.eddy.dynamodb.partiql;

import java.util.List;
import java.util.Map;

import io.eddy.dynamodb.model.AttributeValue;

/** A PartiQL expression: a path, a value, or an operator over expressions. */
public sealed interface Expr {

    /** A document path: a top-level name, then names (.x) and list indexes ([0]). */
    record Path(List<Object> elements) implements Expr {
        public Path {
            elements = List.copyOf(elements);
        }

        public String attributeName() {
            return (String) elements.getFirst();
        }

        public boolean isTopLevel() {
            return elements.size() == 1;
        }
    }

    /** A literal value (strings, numbers, booleans, NULL, maps, lists, sets). */
    record Literal(AttributeValue value) implements Expr {
    }

    /** A map literal whose values are expressions (they may hold parameters). */
    record MapLiteral(Map<String, Expr> entries) implements Expr {
    }

    /** A list literal whose elements are expressions. */
    record ListLiteral(List<Expr> elements) implements Expr {
    }

    /** A set literal {@code <<...>>}. */
    record SetLiteral(List<Expr> elements) implements Expr {
    }

    /** The {@code index}-th {@code ?} of the statement, counting from zero. */
    record Parameter(int index) implements Expr {
    }

    /** The value MISSING (an absent attribute). */
    record Missing() implements Expr {
    }

    /** Comparison (=, <>, <, <=, >, >=) or arithmetic (+, -). */
    record Binary(String operator, Expr left, Expr right) implements Expr {
    }

    record And(Expr left, Expr right) implements Expr {
    }

    record Or(Expr left, Expr right) implements Expr {
    }

    record Not(Expr operand) implements Expr {
    }

    record Between(Expr value, Expr lower, Expr upper) implements Expr {
    }

    record In(Expr value, List<Expr> candidates) implements Expr {
    }

    /** {@code x IS [NOT] MISSING} or {@code x IS [NOT] NULL}. */
    record Is(Expr value, boolean negated, boolean missing) implements Expr {
    }

    /** A function call: begins_with, contains, attribute_type, size, list_append, set_add, set_delete, exists. */
    record Call(String function, List<Expr> arguments) implements Expr {
    }
}
