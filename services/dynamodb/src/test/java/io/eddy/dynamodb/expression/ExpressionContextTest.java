package io.eddy.dynamodb.expression;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.eddy.dynamodb.expression.Items.item;
import static io.eddy.dynamodb.expression.Items.names;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionContextTest {

    @Test
    void everyPlaceholderMustBeUsedAcrossAllExpressions() {
        ExpressionContext context = new ExpressionContext(names("#a", "a", "#b", "b"), item("{':v':{'S':'x'},':w':{'S':'y'}}"));
        context.parseCondition("#a = :v", "ConditionExpression");
        assertThatThrownBy(context::checkAllUsed)
                .hasMessage("Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
        context.parseProjection("#b");
        assertThatThrownBy(context::checkAllUsed)
                .hasMessage("Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
        context.parseUpdate("SET c = :w", List.of());
        assertThatCode(context::checkAllUsed).doesNotThrowAnyException();
    }

    @Test
    void placeholderKeysMustBeWellFormed() {
        assertThatThrownBy(() -> new ExpressionContext(names("s", "status"), null))
                .hasMessage("ExpressionAttributeNames contains invalid key: Syntax error; key: \"s\"");
        assertThatThrownBy(() -> new ExpressionContext(null, item("{'v':{'S':'x'}}")))
                .hasMessage("ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");
        assertThatThrownBy(() -> new ExpressionContext(Map.of(), null)).hasMessage("ExpressionAttributeNames must not be empty");
        assertThatThrownBy(() -> new ExpressionContext(null, Map.of())).hasMessage("ExpressionAttributeValues must not be empty");
    }

    @Test
    void legacyAndExpressionParametersDoNotMix() {
        assertThatThrownBy(() -> ExpressionContext.checkParameterUse(List.of("AttributesToGet"), List.of("ProjectionExpression"), false, false))
                .hasMessage("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
        assertThatThrownBy(() -> ExpressionContext.checkParameterUse(List.of(), List.of(), false, true))
                .hasMessage("ExpressionAttributeValues can only be specified when using expressions");
        assertThatThrownBy(() -> ExpressionContext.checkParameterUse(List.of("Expected"), List.of(), true, false))
                .hasMessage("ExpressionAttributeNames can only be specified when using expressions");
        assertThatCode(() -> ExpressionContext.checkParameterUse(List.of(), List.of("UpdateExpression"), true, true))
                .doesNotThrowAnyException();
    }
}
