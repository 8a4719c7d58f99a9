package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.dynamodb.model.Numbers;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A parsed UpdateExpression (or legacy AttributeUpdates). {@link #apply} evaluates every operand
 * against the item as it was before the update, then applies SET, ADD and DELETE actions and finally
 * REMOVE actions (highest list index first, so indexes refer to the original list).
 */
public final class Update {

    public sealed interface Action {
        DocumentPath path();
    }

    public record Set(DocumentPath path, Operand value) implements Action {
    }

    public record Remove(DocumentPath path) implements Action {
    }

    public record Add(DocumentPath path, AttributeValue value) implements Action {
    }

    public record Delete(DocumentPath path, AttributeValue value) implements Action {
    }

    private static final String MISSING_ATTRIBUTE = "The provided expression refers to an attribute that does not exist in the item";
    private static final String WRONG_TYPE = "An operand in the update expression has an incorrect data type";
    private static final String INVALID_PATH = "The document path provided in the update expression is invalid for update";

    private final List<Action> actions;

    private Update(List<Action> actions) {
        this.actions = List.copyOf(actions);
    }

    /** Validates overlapping paths and key attributes, as AWS does once an update expression parsed. */
    static Update validated(List<Action> actions, String parameterName, Collection<String> keyNames) {
        PathRules.checkDisjoint(actions.stream().map(Action::path).toList(), parameterName);
        checkKeys(actions, keyNames);
        return new Update(actions);
    }

    static void checkKeys(List<Action> actions, Collection<String> keyNames) {
        for (Action action : actions) {
            if (keyNames.contains(action.path().attributeName())) {
                throw DynamoDbErrors.validation("One or more parameter values were invalid: Cannot update attribute "
                        + action.path().attributeName() + ". This attribute is part of the key");
            }
        }
    }

    static Update ofActions(List<Action> actions) {
        return new Update(actions);
    }

    public List<Action> actions() {
        return actions;
    }

    /** The paths this update writes or removes, for ReturnValues UPDATED_OLD / UPDATED_NEW. */
    public List<DocumentPath> paths() {
        return actions.stream().map(Action::path).toList();
    }

    /** The updated item; {@code item} itself is not modified. */
    public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        List<AttributeValue> setValues = new ArrayList<>();
        for (Action action : actions) {
            if (action instanceof Set set) setValues.add(evaluate(set.value(), item));
        }
        Map<String, AttributeValue> result = new LinkedHashMap<>(item);
        int next = 0;
        for (Action action : actions) {
            switch (action) {
                case Set set -> {
                    AttributeValue value = setValues.get(next++);
                    modify(result, set.path(), current -> value, true);
                }
                case Add add -> modify(result, add.path(), current -> add(current, add.value()), true);
                case Delete delete -> modify(result, delete.path(), current -> delete(current, delete.value()), false);
                case Remove ignored -> {
                }
            }
        }
        List<DocumentPath> removals = new ArrayList<>();
        for (Action action : actions) {
            if (action instanceof Remove remove) removals.add(remove.path());
        }
        removals.sort(Update::compareForRemoval);
        for (DocumentPath path : removals) modify(result, path, current -> null, false);
        return result;
    }

    /** A total order of paths in which, within one list, higher indexes come first. */
    private static int compareForRemoval(DocumentPath a, DocumentPath b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            int order = switch (a.get(i)) {
                case DocumentPath.Index x -> b.get(i) instanceof DocumentPath.Index y ? Integer.compare(y.index(), x.index()) : 1;
                case DocumentPath.Name x -> b.get(i) instanceof DocumentPath.Name y ? x.name().compareTo(y.name()) : -1;
            };
            if (order != 0) return order;
        }
        return Integer.compare(a.size(), b.size());
    }

    static AttributeValue evaluate(Operand operand, Map<String, AttributeValue> item) {
        return switch (operand) {
            case Operand.PathOperand path -> {
                AttributeValue value = path.path().resolve(item);
                if (value == null) throw DynamoDbErrors.validation(MISSING_ATTRIBUTE);
                yield value;
            }
            case Operand.ValueOperand value -> value.value();
            case Operand.IfNotExists ifNotExists -> {
                AttributeValue value = ifNotExists.path().resolve(item);
                yield value != null ? value : evaluate(ifNotExists.fallback(), item);
            }
            case Operand.ListAppend append -> {
                AttributeValue first = evaluate(append.first(), item);
                AttributeValue second = evaluate(append.second(), item);
                if (!(first instanceof AttributeValue.L a) || !(second instanceof AttributeValue.L b)) {
                    throw DynamoDbErrors.validation(WRONG_TYPE);
                }
                List<AttributeValue> joined = new ArrayList<>(a.value());
                joined.addAll(b.value());
                yield new AttributeValue.L(joined);
            }
            case Operand.Arithmetic arithmetic -> {
                AttributeValue left = evaluate(arithmetic.left(), item);
                AttributeValue right = evaluate(arithmetic.right(), item);
                if (!(left instanceof AttributeValue.N a) || !(right instanceof AttributeValue.N b)) {
                    throw DynamoDbErrors.validation(WRONG_TYPE);
                }
                BigDecimal result = arithmetic.plus() ? a.value().add(b.value()) : a.value().subtract(b.value());
                yield new AttributeValue.N(Numbers.check(result));
            }
            case Operand.Size size -> {
                AttributeValue value = size.evaluate(item);
                if (value == null) throw DynamoDbErrors.validation(WRONG_TYPE);
                yield value;
            }
        };
    }

    private static AttributeValue add(AttributeValue current, AttributeValue delta) {
        if (current == null) return delta;
        if (current instanceof AttributeValue.N a && delta instanceof AttributeValue.N b) {
            return new AttributeValue.N(Numbers.check(a.value().add(b.value())));
        }
        if (current instanceof AttributeValue.SS a && delta instanceof AttributeValue.SS b) {
            LinkedHashSet<String> union = new LinkedHashSet<>(a.values());
            union.addAll(b.values());
            return new AttributeValue.SS(new ArrayList<>(union));
        }
        if (current instanceof AttributeValue.NS a && delta instanceof AttributeValue.NS b) {
            LinkedHashSet<BigDecimal> union = new LinkedHashSet<>(a.values());
            union.addAll(b.values());
            return new AttributeValue.NS(new ArrayList<>(union));
        }
        if (current instanceof AttributeValue.BS a && delta instanceof AttributeValue.BS b) {
            LinkedHashSet<AttributeValue.B> union = new LinkedHashSet<>(a.elements());
            union.addAll(b.elements());
            return new AttributeValue.BS(union.stream().map(AttributeValue.B::value).toList());
        }
        throw DynamoDbErrors.validation(WRONG_TYPE);
    }

    /** Removes the elements of {@code delta} from the set; null (attribute removed) when none remain. */
    private static AttributeValue delete(AttributeValue current, AttributeValue delta) {
        if (current == null) return null;
        if (current instanceof AttributeValue.SS a && delta instanceof AttributeValue.SS b) {
            List<String> rest = new ArrayList<>(a.values());
            rest.removeAll(new LinkedHashSet<>(b.values()));
            return rest.isEmpty() ? null : new AttributeValue.SS(rest);
        }
        if (current instanceof AttributeValue.NS a && delta instanceof AttributeValue.NS b) {
            List<BigDecimal> rest = new ArrayList<>(a.values());
            rest.removeAll(new LinkedHashSet<>(b.values()));
            return rest.isEmpty() ? null : new AttributeValue.NS(rest);
        }
        if (current instanceof AttributeValue.BS a && delta instanceof AttributeValue.BS b) {
            List<AttributeValue.B> rest = new ArrayList<>(a.elements());
            rest.removeAll(new LinkedHashSet<>(b.elements()));
            return rest.isEmpty() ? null : new AttributeValue.BS(rest.stream().map(AttributeValue.B::value).toList());
        }
        throw DynamoDbErrors.validation(WRONG_TYPE);
    }

    /**
     * Replaces the value at {@code path} with {@code change(current)} (null removes it). A missing
     * parent is an error when {@code parentsRequired}, otherwise the change is skipped.
     */
    private static void modify(Map<String, AttributeValue> root, DocumentPath path,
                               UnaryOperator<AttributeValue> change, boolean parentsRequired) {
        String name = path.attributeName();
        AttributeValue current = root.get(name);
        if (path.size() == 1) {
            AttributeValue updated = change.apply(current);
            if (updated == null) root.remove(name);
            else root.put(name, updated);
            return;
        }
        if (current == null) {
            if (parentsRequired) throw DynamoDbErrors.validation(INVALID_PATH);
            return;
        }
        root.put(name, modifyNested(current, path, 1, change, parentsRequired));
    }

    private static AttributeValue modifyNested(AttributeValue container, DocumentPath path, int depth,
                                               UnaryOperator<AttributeValue> change, boolean parentsRequired) {
        boolean last = depth == path.size() - 1;
        switch (path.get(depth)) {
            case DocumentPath.Name name -> {
                if (!(container instanceof AttributeValue.M map)) throw DynamoDbErrors.validation(INVALID_PATH);
                Map<String, AttributeValue> fields = new LinkedHashMap<>(map.value());
                AttributeValue child = fields.get(name.name());
                if (last) {
                    AttributeValue updated = change.apply(child);
                    if (updated == null && child == null) return container;
                    if (updated == null) fields.remove(name.name());
                    else fields.put(name.name(), updated);
                } else if (child == null) {
                    if (parentsRequired) throw DynamoDbErrors.validation(INVALID_PATH);
                    return container;
                } else {
                    fields.put(name.name(), modifyNested(child, path, depth + 1, change, parentsRequired));
                }
                return new AttributeValue.M(fields);
            }
            case DocumentPath.Index index -> {
                if (!(container instanceof AttributeValue.L list)) throw DynamoDbErrors.validation(INVALID_PATH);
                List<AttributeValue> elements = new ArrayList<>(list.value());
                int i = index.index();
                AttributeValue child = i < elements.size() ? elements.get(i) : null;
                if (last) {
                    AttributeValue updated = change.apply(child);
                    if (updated == null && child == null) return container;
                    if (updated == null) elements.remove(i);
                    else if (child != null) elements.set(i, updated);
                    else elements.add(updated);
                } else if (child == null) {
                    if (parentsRequired) throw DynamoDbErrors.validation(INVALID_PATH);
                    return container;
                } else {
                    elements.set(i, modifyNested(child, path, depth + 1, change, parentsRequired));
                }
                return new AttributeValue.L(elements);
            }
        }
    }
}
