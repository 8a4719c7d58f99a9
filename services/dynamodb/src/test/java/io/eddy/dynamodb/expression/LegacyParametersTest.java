package io.eddy.dynamodb.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.dynamodb.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.eddy.dynamodb.expression.Items.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LegacyParametersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, AttributeValue> ITEM =
            item("{'pk':{'S':'k'},'n':{'N':'5'},'s':{'S':'hello'},'ss':{'SS':['a','b']},'l':{'L':[{'S':'x'}]}}");

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean expected(String expected, String operator) {
        return LegacyParameters.expected(json(expected), operator).test(ITEM);
    }

    private static boolean filter(String filter) {
        return LegacyParameters.filter(json(filter), null).test(ITEM);
    }

    @Test
    void expectedValueAndExists() {
        assertThat(expected("{'n':{'Value':{'N':'5'}}}", null)).isTrue();
        assertThat(expected("{'n':{'Value':{'N':'5'},'Exists':true}}", null)).isTrue();
        assertThat(expected("{'nothing':{'Exists':false}}", null)).isTrue();
        assertThat(expected("{'n':{'Exists':false}}", null)).isFalse();
        assertThat(expected("{'n':{'Exists':false},'s':{'Value':{'S':'hello'}}}", "OR")).isTrue();
        assertThat(expected("{'n':{'Exists':false},'s':{'Value':{'S':'hello'}}}", "AND")).isFalse();
    }

    @Test
    void expectedErrors() {
        assertThatThrownBy(() -> expected("{'n':{'Exists':true}}", null)).hasMessage("One or more parameter values were "
                + "invalid: Exists is set to TRUE for attribute (n), Value must also be set");
        assertThatThrownBy(() -> expected("{'n':{'Exists':false,'Value':{'N':'1'}}}", null)).hasMessage(
                "One or more parameter values were invalid: Value cannot be used when Exists is false for attribute (n)");
        assertThatThrownBy(() -> expected("{'n':{'ComparisonOperator':'EQ'}}", null)).hasMessage(
                "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator");
    }

    @Test
    void comparisonOperators() {
        assertThat(expected("{'n':{'ComparisonOperator':'GT','AttributeValueList':[{'N':'4'}]}}", null)).isTrue();
        assertThat(filter("{'n':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'N':'1'},{'N':'5'}]}}")).isTrue();
        assertThat(filter("{'n':{'ComparisonOperator':'IN','AttributeValueList':[{'N':'1'},{'N':'5'}]}}")).isTrue();
        assertThat(filter("{'s':{'ComparisonOperator':'BEGINS_WITH','AttributeValueList':[{'S':'he'}]}}")).isTrue();
        assertThat(filter("{'ss':{'ComparisonOperator':'CONTAINS','AttributeValueList':[{'S':'a'}]}}")).isTrue();
        assertThat(filter("{'ss':{'ComparisonOperator':'NOT_CONTAINS','AttributeValueList':[{'S':'z'}]}}")).isTrue();
        assertThat(filter("{'nothing':{'ComparisonOperator':'NULL'},'n':{'ComparisonOperator':'NOT_NULL'}}")).isTrue();
        assertThat(filter("{'n':{'ComparisonOperator':'NE','AttributeValueList':[{'N':'5'}]}}")).isFalse();
        assertThatThrownBy(() -> filter("{'n':{'ComparisonOperator':'LT','AttributeValueList':[{'BOOL':true}]}}"))
                .hasMessage("One or more parameter values were invalid: ComparisonOperator LT is not valid for BOOL AttributeValue type");
    }

    @Test
    void keyConditions() {
        KeyCondition condition = LegacyParameters.keyConditions(json("{'pk':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'k'}]},"
                + "'sk':{'ComparisonOperator':'BEGINS_WITH','AttributeValueList':[{'S':'a'}]}}"), "pk", "sk");
        assertThat(condition.hashValue()).isEqualTo(AttributeValue.s("k"));
        assertThat(condition.range().operator()).isEqualTo(KeyCondition.RangeOperator.BEGINS_WITH);
        assertThatThrownBy(() -> LegacyParameters.keyConditions(json("{'pk':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'k'}]},"
                + "'sk':{'ComparisonOperator':'NE','AttributeValueList':[{'S':'a'}]}}"), "pk", "sk"))
                .hasMessage("Attempted conditional constraint is not an indexable operation");
        assertThatThrownBy(() -> LegacyParameters.keyConditions(json("{'sk':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'a'}]}}"), "pk", "sk"))
                .hasMessage("Query condition missed key schema element: pk");
    }

    @Test
    void attributeUpdates() {
        Update update = LegacyParameters.attributeUpdates(json("{'s':{'Action':'PUT','Value':{'S':'new'}},'n':{'Action':'ADD','Value':{'N':'2'}},"
                + "'ss':{'Action':'DELETE','Value':{'SS':['a']}},'l':{'Action':'ADD','Value':{'L':[{'S':'y'}]}},"
                + "'fresh':{'Action':'ADD','Value':{'L':[{'S':'z'}]}},'pkless':{'Action':'DELETE'}}"), List.of("pk"));
        assertThat(Items.json(update.apply(ITEM))).isEqualTo("{'pk':{'S':'k'},'n':{'N':'7'},'s':{'S':'new'},'ss':{'SS':['b']},"
                + "'l':{'L':[{'S':'x'},{'S':'y'}]},'fresh':{'L':[{'S':'z'}]}}");
        assertThatThrownBy(() -> LegacyParameters.attributeUpdates(json("{'pk':{'Value':{'S':'x'}}}"), List.of("pk")))
                .hasMessage("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
        assertThatThrownBy(() -> LegacyParameters.attributeUpdates(json("{'s':{'Action':'PUT'}}"), List.of()))
                .hasMessageContaining("Only DELETE action is allowed when no attribute value is specified");
    }

    @Test
    void attributesToGet() {
        Projection projection = LegacyParameters.attributesToGet(json("['s','n','absent']"));
        assertThat(Items.json(projection.apply(ITEM))).isEqualTo("{'s':{'S':'hello'},'n':{'N':'5'}}");
        assertThatThrownBy(() -> LegacyParameters.attributesToGet(json("['s','s']"))).hasMessageContaining("Duplicate");
    }
}
