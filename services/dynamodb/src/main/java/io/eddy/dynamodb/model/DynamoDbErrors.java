package io.eddy.dynamodb.model;

import io.eddy.protocol.AwsException;

/** DynamoDB's errors with the exact {@code __type} strings AWS sends. */
public final class DynamoDbErrors {

    private static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";

    private DynamoDbErrors() {
    }

    public static AwsException validation(String message) {
        return new AwsException(400, "com.amazon.coral.validate#ValidationException", message);
    }

    /** AWS writes this error's message as {@code Message}. */
    public static AwsException serialization(String message) {
        return new AwsException(400, "com.amazon.coral.service#SerializationException", message)
                .withMessageMember("Message");
    }

    /** AWS answers an unknown X-Amz-Target with this type and no message. */
    public static AwsException unknownOperation() {
        return new AwsException(400, "com.amazon.coral.service#UnknownOperationException", null);
    }

    public static AwsException accessDenied(String message) {
        return new AwsException(400, "com.amazon.coral.service#AccessDeniedException", message);
    }

    public static AwsException resourceNotFound(String message) {
        return dynamo("ResourceNotFoundException", message);
    }

    public static AwsException resourceInUse(String message) {
        return dynamo("ResourceInUseException", message);
    }

    public static AwsException conditionalCheckFailed(String message) {
        return dynamo("ConditionalCheckFailedException", message);
    }

    /** The message AWS uses when a ConditionExpression/Expected evaluates to false. */
    public static AwsException conditionalCheckFailed() {
        return conditionalCheckFailed("The conditional request failed");
    }

    public static AwsException transactionCanceled(String message) {
        return dynamo("TransactionCanceledException", message);
    }

    public static AwsException transactionConflict(String message) {
        return dynamo("TransactionConflictException", message);
    }

    public static AwsException transactionInProgress(String message) {
        return dynamo("TransactionInProgressException", message);
    }

    public static AwsException idempotentParameterMismatch(String message) {
        return dynamo("IdempotentParameterMismatchException", message);
    }

    public static AwsException limitExceeded(String message) {
        return dynamo("LimitExceededException", message);
    }

    public static AwsException itemCollectionSizeLimitExceeded(String message) {
        return dynamo("ItemCollectionSizeLimitExceededException", message);
    }

    public static AwsException provisionedThroughputExceeded(String message) {
        return dynamo("ProvisionedThroughputExceededException", message);
    }

    public static AwsException requestLimitExceeded(String message) {
        return dynamo("RequestLimitExceeded", message);
    }

    /** PartiQL INSERT of an item that already exists. */
    public static AwsException duplicateItem(String message) {
        return dynamo("DuplicateItemException", message);
    }

    public static AwsException internal(String message) {
        return new AwsException(500, DYNAMODB + "InternalServerError", message);
    }

    private static AwsException dynamo(String name, String message) {
        return new AwsException(400, DYNAMODB + name, message);
    }
}
