package io.eddy.dynamodb.partiql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.dynamodb.model.Numbers;

/**
 * Turns parts of a PartiQL statement into DynamoDB expressions (condition, update, projection) with
 * generated ExpressionAttributeNames and ExpressionAttributeValues, so statements run through the
 * same evaluation as the expression API. Every attribute name becomes a placeholder, so names that
 * are reserved words in expressions need no quoting.
 */
public final class ExpressionWriter {

    private final List<AttributeValue> parameters;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, String> placeholderByName = new HashMap<>();
    private final Map<String, AttributeValue> values = new LinkedHashMap<>();

    public ExpressionWriter(List<AttributeValue> parameters) {
        this.parameters = parameters;
    }

    public Map<String, String> names() {
        return names;
    }

    public Map<String, AttributeValue> values() {
        return values;
    }

    private static io.eddy.protocol.AwsException unsupported(String what) {
        return DynamoDbErrors.validation("Statement wasn't well formed, can't be processed: " + what);
    }

    // ---- values

    /** The value of a literal, parameter, or collection of them. */
    public AttributeValue evaluate(Expr expr) {
        return switch (expr) {
            case Expr.Literal literal -> literal.value();
            case Expr.Parameter parameter -> parameters.get(parameter.index());
            case Expr.MapLiteral map -> {
                Map<String, AttributeValue> entries = new LinkedHashMap<>();
                map.entries().forEach((key, value) -> entries.put(key, evaluate(value)));
                yield new AttributeValue.M(entries);
            }
            case Expr.ListLiteral list -> {
                List<AttributeValue> elements = new ArrayList<>();
                list.elements().forEach(element -> elements.add(evaluate(element)));
                yield new AttributeValue.L(elements);
            }
            case Expr.SetLiteral set -> set(set);
            default -> throw unsupported("Expected a value but found " + describe(expr));
        };
    }

    private AttributeValue set(Expr.SetLiteral set) {
        List<AttributeValue> elements = new ArrayList<>();
        set.elements().forEach(element -> elements.add(evaluate(element)));
        String type = elements.getFirst().typeName();
        for (AttributeValue element : elements) {
            if (!element.typeName().equals(type)) throw unsupported("Set elements must all have the same type");
        }
        return switch (type) {
            case "S" -> new AttributeValue.SS(elements.stream().map(e -> ((AttributeValue.S) e).value()).distinct().toList());
            case "N" -> new AttributeValue.NS(elements.stream().map(e -> ((AttributeValue.N) e).value()).distinct().toList());
            case "B" -> new AttributeValue.BS(elements.stream().map(e -> ((AttributeValue.B) e).value()).toList());
            default -> throw unsupported("Sets hold strings, numbers or binaries, not " + type);
        };
    }

    private static boolean isValue(Expr expr) {
        return expr instanceof Expr.Literal || expr instanceof Expr.Parameter || expr instanceof Expr.MapLiteral
                || expr instanceof Expr.ListLiteral || expr instanceof Expr.SetLiteral;
    }

    private String valuePlaceholder(AttributeValue value) {
        String placeholder = ":v" + values.size();
        values.put(placeholder, value);
        return placeholder;
    }

    // ---- paths

    public String path(Expr.Path path) {
        StringBuilder out = new StringBuilder();
        for (Object element : path.elements()) {
            if (element instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (!out.isEmpty()) out.append('.');
                out.append(name((String) element));
            }
        }
        return out.toString();
    }

    public String name(String attribute) {
        return placeholderByName.computeIfAbsent(attribute, a -> {
            String placeholder = "#n" + names.size();
            names.put(placeholder, a);
            return placeholder;
        });
    }

    public String projection(List<Expr.Path> paths) {
        List<String> parts = new ArrayList<>();
        for (Expr.Path path : paths) parts.add(path(path));
        return String.join(", ", parts);
    }

    // ---- conditions

    public String condition(Expr expr) {
        return switch (expr) {
            case Expr.And and -> "(" + condition(and.left()) + ") AND (" + condition(and.right()) + ")";
            case Expr.Or or -> "(" + condition(or.left()) + ") OR (" + condition(or.right()) + ")";
            case Expr.Not not -> "NOT (" + condition(not.operand()) + ")";
            case Expr.Binary binary when isComparison(binary.operator()) -> comparison(binary);
            case Expr.Between between -> operand(between.value()) + " BETWEEN " + operand(between.lower()) + " AND "
                    + operand(between.upper());
            case Expr.In in -> {
                List<String> candidates = new ArrayList<>();
                for (Expr candidate : in.candidates()) candidates.add(operand(candidate));
                yield operand(in.value()) + " IN (" + String.join(", ", candidates) + ")";
            }
            case Expr.Is is -> {
                String path = requirePath(is.value(), is.missing() ? "IS MISSING" : "IS NULL");
                if (is.missing()) yield (is.negated() ? "attribute_exists(" : "attribute_not_exists(") + path + ")";
                String test = "attribute_type(" + path + ", " + valuePlaceholder(AttributeValue.s("NULL")) + ")";
                yield is.negated() ? "NOT " + test : test;
            }
            case Expr.Call call -> function(call);
            default -> throw unsupported("Expected a condition but found " + describe(expr));
        };
    }

    private static boolean isComparison(String operator) {
        return switch (operator) {
            case "=", "<>", "<", "<=", ">", ">=" -> true;
            default -> false;
        };
    }

    private String comparison(Expr.Binary binary) {
        boolean leftMissing = binary.left() instanceof Expr.Missing;
        boolean rightMissing = binary.right() instanceof Expr.Missing;
        if (leftMissing || rightMissing) {
            Expr other = leftMissing ? binary.right() : binary.left();
            String path = requirePath(other, "MISSING");
            return switch (binary.operator()) {
                case "=" -> "attribute_not_exists(" + path + ")";
                case "<>" -> "attribute_exists(" + path + ")";
                default -> throw unsupported("MISSING can only be compared with = or <>");
            };
        }
        return operand(binary.left()) + " " + binary.operator() + " " + operand(binary.right());
    }

    private String requirePath(Expr expr, String context) {
        if (expr instanceof Expr.Path path) return path(path);
        throw unsupported(context + " needs an attribute path");
    }

    private String function(Expr.Call call) {
        List<Expr> args = call.arguments();
        return switch (call.function()) {
            case "begins_with", "contains", "attribute_type" -> {
                if (args.size() != 2) throw unsupported(call.function() + " takes two arguments");
                yield call.function() + "(" + operand(args.get(0)) + ", " + operand(args.get(1)) + ")";
            }
            case "attribute_exists", "attribute_not_exists" -> {
                if (args.size() != 1) throw unsupported(call.function() + " takes one argument");
                yield call.function() + "(" + requirePath(args.getFirst(), call.function()) + ")";
            }
            default -> throw unsupported("Unsupported function in a condition: " + call.function());
        };
    }

    /** An operand of a condition: a path, size(path), or a value. */
    private String operand(Expr expr) {
        if (expr instanceof Expr.Path path) return path(path);
        if (expr instanceof Expr.Call call && call.function().equals("size") && call.arguments().size() == 1) {
            return "size(" + requirePath(call.arguments().getFirst(), "size") + ")";
        }
        if (isValue(expr)) return valuePlaceholder(evaluate(expr));
        throw unsupported("Unsupported operand " + describe(expr));
    }

    // ---- updates

    public String update(List<Statement.Assignment> sets, List<Expr.Path> removes) {
        List<String> setParts = new ArrayList<>();
        List<String> addParts = new ArrayList<>();
        List<String> deleteParts = new ArrayList<>();
        for (Statement.Assignment assignment : sets) {
            String target = path(assignment.path());
            if (assignment.value() instanceof Expr.Call call
                    && (call.function().equals("set_add") || call.function().equals("set_delete"))) {
                if (call.arguments().size() != 2 || !call.arguments().getFirst().equals(assignment.path())) {
                    throw unsupported(call.function() + " must name the attribute being set as its first argument");
                }
                String value = valuePlaceholder(evaluate(call.arguments().get(1)));
                (call.function().equals("set_add") ? addParts : deleteParts).add(target + " " + value);
            } else {
                setParts.add(target + " = " + updateOperand(assignment.value()));
            }
        }
        List<String> removeParts = new ArrayList<>();
        for (Expr.Path path : removes) removeParts.add(path(path));
        StringBuilder expression = new StringBuilder();
        clause(expression, "SET", setParts);
        clause(expression, "ADD", addParts);
        clause(expression, "DELETE", deleteParts);
        clause(expression, "REMOVE", removeParts);
        return expression.toString();
    }

    private static void clause(StringBuilder expression, String keyword, List<String> parts) {
        if (parts.isEmpty()) return;
        if (!expression.isEmpty()) expression.append(' ');
        expression.append(keyword).append(' ').append(String.join(", ", parts));
    }

    private String updateOperand(Expr expr) {
        return switch (expr) {
            case Expr.Path path -> path(path);
            case Expr.Binary binary when binary.operator().equals("+") || binary.operator().equals("-") ->
                    updateOperand(binary.left()) + " " + binary.operator() + " " + updateOperand(binary.right());
            case Expr.Call call when call.function().equals("list_append") && call.arguments().size() == 2 ->
                    "list_append(" + updateOperand(call.arguments().get(0)) + ", " + updateOperand(call.arguments().get(1)) + ")";
            case Expr.Call call when call.function().equals("if_not_exists") && call.arguments().size() == 2 ->
                    "if_not_exists(" + requirePath(call.arguments().get(0), "if_not_exists") + ", "
                            + updateOperand(call.arguments().get(1)) + ")";
            default -> {
                if (isValue(expr)) yield valuePlaceholder(evaluate(expr));
                throw unsupported("Unsupported value in SET: " + describe(expr));
            }
        };
    }

    static String describe(Expr expr) {
        return switch (expr) {
            case Expr.Path path -> "path " + path.elements();
            case Expr.Literal literal -> literal.value() instanceof AttributeValue.N n ? Numbers.format(n.value())
                    : literal.value().toString();
            case Expr.Call call -> call.function() + "(...)";
            case Expr.Missing ignored -> "MISSING";
            default -> expr.getClass().getSimpleName();
        };
    }
}
