package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.DynamoDbErrors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Query's key condition: the partition key value and an optional sort key condition
 * (=, <, <=, >, >=, BETWEEN, begins_with).
 */
public record KeyCondition(String hashKeyName, AttributeValue hashValue, String rangeKeyName, RangeCondition range) {

    public enum RangeOperator { EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH }

    /** The sort key condition; {@code values} has two elements for BETWEEN, one otherwise. */
    public record RangeCondition(RangeOperator operator, List<AttributeValue> values) {
        public RangeCondition {
            values = List.copyOf(values);
        }

        public boolean matches(AttributeValue sortKey) {
            AttributeValue first = values.getFirst();
            if (operator == RangeOperator.BEGINS_WITH) {
                return new Condition.BeginsWith(new Operand.ValueOperand(":k", sortKey), new Operand.ValueOperand(":v", first))
                        .test(Map.of());
            }
            Integer order = Values.compare(sortKey, first);
            if (order == null) return false;
            return switch (operator) {
                case EQ -> order == 0;
                case LT -> order < 0;
                case LE -> order <= 0;
                case GT -> order > 0;
                case GE -> order >= 0;
                case BETWEEN -> {
                    Integer toUpper = Values.compare(sortKey, values.get(1));
                    yield order >= 0 && toUpper != null && toUpper <= 0;
                }
                case BEGINS_WITH -> throw new IllegalStateException();
            };
        }
    }

    /** Whether an item's sort key satisfies the range condition (always true without one). */
    public boolean rangeMatches(AttributeValue sortKey) {
        return range == null || (sortKey != null && range.matches(sortKey));
    }

    /**
     * Checks the condition's values against the key schema's types ("S", "N" or "B"; rangeType may be
     * null for tables without a sort key).
     */
    public void checkTypes(String hashType, String rangeType) {
        boolean ok = hashValue.typeName().equals(hashType);
        if (range != null) {
            for (AttributeValue value : range.values()) ok &= value.typeName().equals(rangeType);
        }
        if (!ok) {
            throw DynamoDbErrors.validation(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
    }

    static KeyCondition fromCondition(Condition condition, String hashKeyName, String rangeKeyName, String parameterName) {
        List<Condition> parts = new ArrayList<>();
        flatten(condition, parts, parameterName);
        AttributeValue hashValue = null;
        RangeCondition range = null;
        boolean hashSeen = false;
        boolean rangeSeen = false;
        boolean otherSeen = false;
        for (Condition part : parts) {
            Term term = term(part, parameterName);
            String name = term.path().attributeName();
            if (term.path().size() > 1) {
                throw invalid(parameterName, "KeyConditionExpressions cannot have conditions on nested attributes");
            }
            if (name.equals(hashKeyName)) {
                if (hashSeen) throw invalid(parameterName, "KeyConditionExpressions must only contain one condition per key");
                hashSeen = true;
                if (term.operator() != RangeOperator.EQ) throw DynamoDbErrors.validation("Query key condition not supported");
                hashValue = term.values().getFirst();
            } else if (name.equals(rangeKeyName)) {
                if (rangeSeen) throw invalid(parameterName, "KeyConditionExpressions must only contain one condition per key");
                rangeSeen = true;
                range = new RangeCondition(term.operator(), term.values());
            } else {
                otherSeen = true;
            }
        }
        if (!hashSeen) throw DynamoDbErrors.validation("Query condition missed key schema element: " + hashKeyName);
        if (otherSeen) {
            throw DynamoDbErrors.validation(rangeKeyName != null
                    ? "Query condition missed key schema element: " + rangeKeyName
                    : "Query key condition not supported");
        }
        return new KeyCondition(hashKeyName, hashValue, rangeKeyName, range);
    }

    private record Term(DocumentPath path, RangeOperator operator, List<AttributeValue> values) {
    }

    private static void flatten(Condition condition, List<Condition> parts, String parameterName) {
        switch (condition) {
            case Condition.And and -> {
                flatten(and.left(), parts, parameterName);
                flatten(and.right(), parts, parameterName);
            }
            case Condition.Or ignored -> throw invalidOperator(parameterName, "OR");
            case Condition.Not ignored -> throw invalidOperator(parameterName, "NOT");
            case Condition.In ignored -> throw invalidOperator(parameterName, "IN");
            case Condition.AttributeExists ignored -> throw invalidOperator(parameterName, "attribute_exists");
            case Condition.AttributeNotExists ignored -> throw invalidOperator(parameterName, "attribute_not_exists");
            case Condition.AttributeType ignored -> throw invalidOperator(parameterName, "attribute_type");
            case Condition.Contains ignored -> throw invalidOperator(parameterName, "contains");
            default -> parts.add(condition);
        }
        if (parts.size() > 2) throw invalid(parameterName, "KeyConditionExpressions must only contain one condition per key");
    }

    private static Term term(Condition condition, String parameterName) {
        switch (condition) {
            case Condition.Comparison comparison -> {
                if (comparison.comparator() == Condition.Comparator.NE) throw invalidOperator(parameterName, "<>");
                rejectSize(comparison.left(), parameterName);
                rejectSize(comparison.right(), parameterName);
                if (comparison.left() instanceof Operand.PathOperand path && comparison.right() instanceof Operand.ValueOperand value) {
                    return new Term(path.path(), operator(comparison.comparator(), false), List.of(value.value()));
                }
                if (comparison.right() instanceof Operand.PathOperand path && comparison.left() instanceof Operand.ValueOperand value) {
                    return new Term(path.path(), operator(comparison.comparator(), true), List.of(value.value()));
                }
                throw DynamoDbErrors.validation("Query key condition not supported");
            }
            case Condition.Between between -> {
                if (between.value() instanceof Operand.PathOperand path && between.lower() instanceof Operand.ValueOperand lo
                        && between.upper() instanceof Operand.ValueOperand hi) {
                    return new Term(path.path(), RangeOperator.BETWEEN, List.of(lo.value(), hi.value()));
                }
                throw DynamoDbErrors.validation("Query key condition not supported");
            }
            case Condition.BeginsWith beginsWith -> {
                if (beginsWith.value() instanceof Operand.PathOperand path && beginsWith.prefix() instanceof Operand.ValueOperand v) {
                    return new Term(path.path(), RangeOperator.BEGINS_WITH, List.of(v.value()));
                }
                throw DynamoDbErrors.validation("Query key condition not supported");
            }
            default -> throw new IllegalStateException(condition.toString());
        }
    }

    private static void rejectSize(Operand operand, String parameterName) {
        if (operand instanceof Operand.Size) throw invalidOperator(parameterName, "size");
    }

    private static RangeOperator operator(Condition.Comparator comparator, boolean reversed) {
        return switch (comparator) {
            case EQ -> RangeOperator.EQ;
            case LT -> reversed ? RangeOperator.GT : RangeOperator.LT;
            case LE -> reversed ? RangeOperator.GE : RangeOperator.LE;
            case GT -> reversed ? RangeOperator.LT : RangeOperator.GT;
            case GE -> reversed ? RangeOperator.LE : RangeOperator.GE;
            case NE -> throw new IllegalStateException();
        };
    }

    private static io.eddy.protocol.AwsException invalidOperator(String parameterName, String operator) {
        return invalid(parameterName, "Invalid operator used in KeyConditionExpression: " + operator);
    }

    private static io.eddy.protocol.AwsException invalid(String parameterName, String detail) {
        return DynamoDbErrors.validation("Invalid " + parameterName + ": " + detail);
    }
}
