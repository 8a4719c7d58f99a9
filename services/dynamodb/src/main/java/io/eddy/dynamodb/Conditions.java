package io.eddy.dynamodb;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.dynamodb.expression.Condition;
import io.eddy.dynamodb.expression.ExpressionContext;
import io.eddy.dynamodb.expression.LegacyParameters;
import io.eddy.dynamodb.expression.Projection;
import io.eddy.dynamodb.expression.Update;

/**
 * Reads a request's expressions (ConditionExpression, ProjectionExpression, UpdateExpression) and
 * checks their placeholders: every expression of a request shares one {@link ExpressionContext}, and
 * names or values no expression used are rejected.
 */
final class Conditions {

    private Conditions() {
    }

    private static boolean has(JsonNode in, String member) {
        return Input.member(in, member) != null;
    }

    /** The ConditionExpression of PutItem or DeleteItem, or null. */
    static Condition writeCondition(JsonNode in) {
        String expression = Input.string(in, "ConditionExpression");
        ExpressionContext.checkParameterUse(ItemRequests.present(in, "Expected", "ConditionalOperator"),
                ItemRequests.present(in, "ConditionExpression"),
                has(in, "ExpressionAttributeNames"), has(in, "ExpressionAttributeValues"));
        ExpressionContext context = ItemRequests.expressions(in);
        Condition condition = expression == null ? legacyExpected(in) : context.parseCondition(expression, "ConditionExpression");
        context.checkAllUsed();
        return condition;
    }

    /** Expected with ConditionalOperator, or null when the request has none. */
    private static Condition legacyExpected(JsonNode in) {
        JsonNode expected = Input.object(in, "Expected");
        String operator = Input.string(in, "ConditionalOperator");
        if (expected == null) {
            if (operator != null) {
                throw io.eddy.dynamodb.model.DynamoDbErrors.validation(
                        "ConditionalOperator can only be used when Filter or Expected conditions are present");
            }
            return null;
        }
        return LegacyParameters.expected(expected, operator);
    }

    /** The ProjectionExpression of GetItem (or a Get of a transaction), or null for the whole item. */
    static Projection projection(JsonNode in) {
        String expression = Input.string(in, "ProjectionExpression");
        ExpressionContext.checkParameterUse(ItemRequests.present(in, "AttributesToGet"),
                ItemRequests.present(in, "ProjectionExpression"),
                has(in, "ExpressionAttributeNames"), has(in, "ExpressionAttributeValues"));
        ExpressionContext context = ItemRequests.expressions(in);
        JsonNode attributesToGet = Input.array(in, "AttributesToGet");
        Projection projection = expression != null ? context.parseProjection(expression)
                : attributesToGet != null ? LegacyParameters.attributesToGet(attributesToGet) : null;
        context.checkAllUsed();
        return projection;
    }

    record UpdateRequest(Update update, Condition condition) {
    }

    /** The UpdateExpression and ConditionExpression of UpdateItem (or an Update of a transaction). */
    static UpdateRequest update(JsonNode in, TableInfo table) {
        String updateExpression = Input.string(in, "UpdateExpression");
        String conditionExpression = Input.string(in, "ConditionExpression");
        ExpressionContext.checkParameterUse(ItemRequests.present(in, "AttributeUpdates", "Expected", "ConditionalOperator"),
                ItemRequests.present(in, "UpdateExpression", "ConditionExpression"),
                has(in, "ExpressionAttributeNames"), has(in, "ExpressionAttributeValues"));
        ExpressionContext context = ItemRequests.expressions(in);
        List<String> keys = ItemOperations.keyNames(table);
        JsonNode attributeUpdates = Input.object(in, "AttributeUpdates");
        Update update = updateExpression != null ? context.parseUpdate(updateExpression, keys)
                : attributeUpdates != null ? LegacyParameters.attributeUpdates(attributeUpdates, keys) : null;
        Condition condition = conditionExpression != null
                ? context.parseCondition(conditionExpression, "ConditionExpression") : legacyExpected(in);
        context.checkAllUsed();
        return new UpdateRequest(update, condition);
    }
}
