package io.eddy.cloudwatch;

import java.util.List;

import io.eddy.protocol.AwsException;

/**
 * CloudWatch's errors. The service is {@code awsQueryCompatible}: JSON and CBOR responses carry the
 * shape name in {@code __type} and the legacy Query code in {@code x-amzn-query-error}.
 */
final class CloudWatchErrors {

    private static final String NAMESPACE = "com.amazonaws.cloudwatch#";

    private CloudWatchErrors() {
    }

    static AwsException invalidParameterValue(String message) {
        return error(400, "InvalidParameterValueException", "InvalidParameterValue", message);
    }

    static AwsException missingParameter(String parameter) {
        return error(400, "MissingRequiredParameterException", "MissingParameter",
                "The parameter " + parameter + " is required.");
    }

    static AwsException invalidParameterCombination(String message) {
        return error(400, "InvalidParameterCombinationException", "InvalidParameterCombination", message);
    }

    /**
     * A request failing the checks that AWS reports together (GetMetricData's query ids and
     * statistics): every problem on its own line, each line ending in a newline as AWS's do.
     */
    static AwsException validationError(List<String> problems) {
        StringBuilder message = new StringBuilder();
        for (String problem : problems) message.append(problem).append('\n');
        return error(400, "ValidationError", "ValidationError", message.toString());
    }

    static AwsException invalidNextToken() {
        return error(400, "InvalidNextToken", "InvalidNextToken", "The service returned an invalid NextToken.");
    }

    static AwsException invalidValue(Object value, String parameter) {
        return invalidParameterValue("The value " + value + " for parameter " + parameter + " is invalid.");
    }

    static AwsException unknownOperation(String operation) {
        return new AwsException(400, "UnknownOperationException", operation == null ? null
                : "Operation " + operation + " is not supported by this endpoint.")
                .withQueryCompatibleCode("InvalidAction");
    }

    private static AwsException error(int status, String shape, String queryCode, String message) {
        return new AwsException(status, NAMESPACE + shape, message).withQueryCompatibleCode(queryCode);
    }
}
