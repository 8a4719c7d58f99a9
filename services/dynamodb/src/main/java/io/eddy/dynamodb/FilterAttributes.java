package io.eddy.dynamodb;

import java.util.LinkedHashSet;
import java.util.Set;

import io.eddy.dynamodb.expression.Condition;
import io.eddy.dynamodb.expression.Operand;

/** The top-level attributes a condition reads. */
final class FilterAttributes {

    private FilterAttributes() {
    }

    static Set<String> of(Condition condition) {
        Set<String> names = new LinkedHashSet<>();
        collect(condition, names);
        return names;
    }

    private static void collect(Condition condition, Set<String> names) {
        switch (condition) {
            case Condition.Comparison c -> {
                collect(c.left(), names);
                collect(c.right(), names);
            }
            case Condition.Between b -> {
                collect(b.value(), names);
                collect(b.lower(), names);
                collect(b.upper(), names);
            }
            case Condition.In in -> {
                collect(in.value(), names);
                in.candidates().forEach(o -> collect(o, names));
            }
            case Condition.And and -> {
                collect(and.left(), names);
                collect(and.right(), names);
            }
            case Condition.Or or -> {
                collect(or.left(), names);
                collect(or.right(), names);
            }
            case Condition.Not not -> collect(not.condition(), names);
            case Condition.AttributeExists e -> names.add(e.path().attributeName());
            case Condition.AttributeNotExists e -> names.add(e.path().attributeName());
            case Condition.AttributeType t -> {
                collect(t.value(), names);
                collect(t.type(), names);
            }
            case Condition.BeginsWith b -> {
                collect(b.value(), names);
                collect(b.prefix(), names);
            }
            case Condition.Contains c -> {
                collect(c.container(), names);
                collect(c.element(), names);
            }
        }
    }

    private static void collect(Operand operand, Set<String> names) {
        switch (operand) {
            case Operand.PathOperand p -> names.add(p.path().attributeName());
            case Operand.ValueOperand ignored -> {
            }
            case Operand.Size s -> collect(s.argument(), names);
            case Operand.IfNotExists i -> {
                names.add(i.path().attributeName());
                collect(i.fallback(), names);
            }
            case Operand.ListAppend l -> {
                collect(l.first(), names);
                collect(l.second(), names);
            }
            case Operand.Arithmetic a -> {
                collect(a.left(), names);
                collect(a.right(), names);
            }
        }
    }
}
