package io.eddy.dynamodb;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.dynamodb.expression.Condition;
import io.eddy.dynamodb.expression.ExpressionContext;
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
        Condition condition = expression == null ? null : context.parseCondition(expression, "ConditionExpression");
        context.checkAllUsed();
        return condition;
    }

    /** The ProjectionExpression of GetItem (or a Get of a transaction), or null for the whole item. */
    static Projection projection(JsonNode in) {
        String expression = Input.string(in, "ProjectionExpression");
        ExpressionContext.checkParameterUse(ItemRequests.present(in, "AttributesToGet"),
                ItemRequests.present(in, "ProjectionExpression"),
                has(in, "ExpressionAttributeNames"), has(in, "ExpressionAttributeValues"));
        ExpressionContext context = ItemRequests.expressions(in);
        Projection projection = expression == null ? null : context.parseProjection(expression);
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
        Update update = updateExpression == null ? null : context.parseUpdate(updateExpression, keys);
        Condition condition = conditionExpression == null ? null
                : context.parseCondition(conditionExpression, "ConditionExpression");
        context.checkAllUsed();
        return new UpdateRequest(update, condition);
    }
}
