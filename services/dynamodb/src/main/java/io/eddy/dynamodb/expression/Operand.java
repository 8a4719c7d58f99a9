package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;

import java.util.Map;

/** An operand in a condition or update expression. */
public sealed interface Operand {

    /** The operand's value for {@code item}; null when it refers to something the item lacks. */
    AttributeValue evaluate(Map<String, AttributeValue> item);

    record PathOperand(DocumentPath path) implements Operand {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            return path.resolve(item);
        }
    }

    /** An expression attribute value such as {@code :v}. */
    record ValueOperand(String placeholder, AttributeValue value) implements Operand {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            return value;
        }
    }

    /** {@code size(path)}: a number, or null when the operand is missing or has no size. */
    record Size(Operand argument) implements Operand {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            AttributeValue value = argument.evaluate(item);
            Integer size = value == null ? null : Values.size(value);
            return size == null ? null : AttributeValue.n(size);
        }
    }

    /** {@code if_not_exists(path, fallback)} (update expressions). */
    record IfNotExists(DocumentPath path, Operand fallback) implements Operand {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            AttributeValue value = path.resolve(item);
            return value != null ? value : fallback.evaluate(item);
        }
    }

    /** {@code list_append(first, second)} (update expressions); evaluated by {@link Update}. */
    record ListAppend(Operand first, Operand second) implements Operand {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            return Update.evaluate(this, item);
        }
    }

    /** {@code left + right} or {@code left - right} (update expressions); evaluated by {@link Update}. */
    record Arithmetic(boolean plus, Operand left, Operand right) implements Operand {
        @Override
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            return Update.evaluate(this, item);
        }
    }
}
