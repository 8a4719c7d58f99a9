package io.eddy.dynamodb.streams;

import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.protocol.AwsException;

/** The errors DynamoDB Streams answers with; the service shares DynamoDB's error namespace. */
final class StreamsErrors {

    private static final String NAMESPACE = "com.amazonaws.dynamodb.v20120810#";

    private StreamsErrors() {
    }

    static AwsException streamNotFound(String streamArn) {
        return DynamoDbErrors.resourceNotFound("Requested resource not found: Stream: " + streamArn + " not found");
    }

    static AwsException shardNotFound() {
        return DynamoDbErrors.resourceNotFound("Requested resource not found: Shard does not exist");
    }

    static AwsException tableNotFound(String tableName) {
        return DynamoDbErrors.resourceNotFound("Requested resource not found: Table: " + tableName + " not found");
    }

    static AwsException trimmed() {
        return new AwsException(400, NAMESPACE + "TrimmedDataAccessException",
                "The data you are trying to access has been trimmed");
    }

    static AwsException expiredIterator(String message) {
        return new AwsException(400, NAMESPACE + "ExpiredIteratorException", message);
    }

    static AwsException invalidStreamArn() {
        return DynamoDbErrors.validation("Invalid StreamArn");
    }

    static AwsException invalidShardIterator() {
        return DynamoDbErrors.validation("Invalid ShardIterator");
    }
}
