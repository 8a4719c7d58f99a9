package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.eddy.dynamodb.expression.Items.item;
import static io.eddy.dynamodb.expression.Items.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyConditionTest {

    private static final Map<String, AttributeValue> VALUES =
            item("{':pk':{'S':'p'},':a':{'S':'a'},':m':{'S':'m'},':z':{'S':'z'},':n':{'N':'1'}}");

    private static KeyCondition parse(String expression) {
        return parse(expression, "sk");
    }

    private static KeyCondition parse(String expression, String rangeKey) {
        return new ExpressionContext(names("#pk", "pk", "#sk", "sk"), VALUES).parseKeyCondition(expression, "pk", rangeKey);
    }

    @Test
    void hashOnly() {
        KeyCondition condition = parse("pk = :pk");
        assertThat(condition.hashValue()).isEqualTo(AttributeValue.s("p"));
        assertThat(condition.range()).isNull();
        assertThat(condition.rangeMatches(AttributeValue.s("anything"))).isTrue();
    }

    @Test
    void rangeOperators() {
        assertThat(parse("pk = :pk AND sk < :m").rangeMatches(AttributeValue.s("a"))).isTrue();
        assertThat(parse("pk = :pk AND sk < :m").rangeMatches(AttributeValue.s("m"))).isFalse();
        assertThat(parse("pk = :pk AND sk <= :m").rangeMatches(AttributeValue.s("m"))).isTrue();
        assertThat(parse("pk = :pk AND sk > :m").rangeMatches(AttributeValue.s("z"))).isTrue();
        assertThat(parse("pk = :pk AND sk >= :m").rangeMatches(AttributeValue.s("l"))).isFalse();
        assertThat(parse("pk = :pk AND sk = :m").rangeMatches(AttributeValue.s("m"))).isTrue();
        assertThat(parse("pk = :pk AND sk BETWEEN :a AND :m").rangeMatches(AttributeValue.s("b"))).isTrue();
        assertThat(parse("pk = :pk AND sk BETWEEN :a AND :m").rangeMatches(AttributeValue.s("n"))).isFalse();
        assertThat(parse("pk = :pk AND begins_with(sk, :m)").rangeMatches(AttributeValue.s("mango"))).isTrue();
        assertThat(parse("pk = :pk AND begins_with(sk, :m)").rangeMatches(AttributeValue.s("apple"))).isFalse();
        assertThat(parse("pk = :pk AND sk < :m").range().operator()).isEqualTo(KeyCondition.RangeOperator.LT);
    }

    @Test
    void reversedOperandsAndParentheses() {
        KeyCondition condition = parse("#pk = :pk AND :a <= #sk");
        assertThat(condition.range().operator()).isEqualTo(KeyCondition.RangeOperator.GE);
        assertThat(parse(":pk = pk").hashValue()).isEqualTo(AttributeValue.s("p"));
        assertThat(parse("((#pk = :pk)) AND ((#sk = :a))").range().operator()).isEqualTo(KeyCondition.RangeOperator.EQ);
        assertThat(parse("sk > :a AND pk = :pk").range().operator()).isEqualTo(KeyCondition.RangeOperator.GT);
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> parse("sk = :a")).hasMessage("Query condition missed key schema element: pk");
        assertThatThrownBy(() -> parse("attr1 = :a")).hasMessage("Query condition missed key schema element: pk");
        assertThatThrownBy(() -> parse("pk = :pk AND attr1 = :a")).hasMessage("Query condition missed key schema element: sk");
        assertThatThrownBy(() -> parse("pk < :pk")).hasMessage("Query key condition not supported");
        assertThatThrownBy(() -> parse("pk = :pk OR sk = :a"))
                .hasMessage("Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR");
        assertThatThrownBy(() -> parse("pk = :pk AND sk <> :a"))
                .hasMessage("Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: <>");
        assertThatThrownBy(() -> parse("pk = :pk AND attribute_exists(sk)"))
                .hasMessage("Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: attribute_exists");
        assertThatThrownBy(() -> parse("pk = :pk AND sk = :a AND sk = :m"))
                .hasMessage("Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key");
        assertThatThrownBy(() -> parse("pk = :pk AND #sk.foo = :a"))
                .hasMessage("Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes");
        assertThatThrownBy(() -> parse("pk = :pk AND begins_with(sk, :n)")).hasMessage("Invalid KeyConditionExpression: "
                + "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
        assertThatThrownBy(() -> parse("")).hasMessage("Invalid KeyConditionExpression: The expression can not be empty;");
        assertThatThrownBy(() -> parse("pk = :pk AND sk = :a", null)).hasMessage("Query key condition not supported");
    }

    @Test
    void schemaTypes() {
        parse("pk = :pk AND sk = :a").checkTypes("S", "S");
        assertThatThrownBy(() -> parse("pk = :pk AND sk = :a").checkTypes("S", "N")).hasMessage(
                "One or more parameter values were invalid: Condition parameter type does not match schema type");
    }
}
