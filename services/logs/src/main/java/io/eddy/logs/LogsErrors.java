package io.eddy.logs;

import java.util.Collection;

import io.eddy.protocol.AwsException;

/** The errors CloudWatch Logs answers with, worded as AWS words them. */
final class LogsErrors {

    private LogsErrors() {
    }

    static AwsException invalidParameter(String message) {
        return new AwsException(400, "InvalidParameterException", message);
    }

    static AwsException validationException(String message) {
        return new AwsException(400, "ValidationException", message);
    }

    static AwsException groupNotFound() {
        return new AwsException(400, "ResourceNotFoundException", "The specified log group does not exist.");
    }

    static AwsException streamNotFound() {
        return new AwsException(400, "ResourceNotFoundException", "The specified log stream does not exist.");
    }

    static AwsException groupExists() {
        return new AwsException(400, "ResourceAlreadyExistsException", "The specified log group already exists");
    }

    static AwsException streamExists() {
        return new AwsException(400, "ResourceAlreadyExistsException", "The specified log stream already exists");
    }

    static AwsException unknownOperation(String operation) {
        return new AwsException(400, "UnknownOperationException", operation == null ? null
                : "Operation " + operation + " is not supported by this endpoint.");
    }

    static AwsException serialization(String message) {
        return new AwsException(400, "SerializationException", message);
    }

    static AwsException invalidToken() {
        return invalidParameter("The specified nextToken is invalid.");
    }

    static AwsException validation(String value, String member, String constraint) {
        return invalidParameter("1 validation error detected: Value " + value + " at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }

    static AwsException missing(String member) {
        return validation("null", member, "Member must not be null");
    }

    static String quote(Object value) {
        return "'" + value + "'";
    }

    static String enumConstraint(Collection<?> values) {
        return "Member must satisfy enum value set: " + values;
    }
}
