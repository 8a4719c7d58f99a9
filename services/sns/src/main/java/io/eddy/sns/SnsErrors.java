package io.eddy.sns;

import io.eddy.protocol.AwsException;

/** SNS's errors with AWS's codes, statuses and message texts. */
public final class SnsErrors {

    private SnsErrors() {
    }

    /** {@code InvalidParameter} with the usual {@code "Invalid parameter: "} prefix. */
    public static AwsException invalidParameter(String detail) {
        return new AwsException(400, "InvalidParameter", "Invalid parameter: " + detail);
    }

    /** {@code InvalidParameter} whose message AWS writes without the prefix. */
    public static AwsException invalidParameterMessage(String message) {
        return new AwsException(400, "InvalidParameter", message);
    }

    public static AwsException parameterValueInvalid(String message) {
        return new AwsException(400, "ParameterValueInvalid", message);
    }

    /** The generic validation error for a required member the request left out. */
    public static AwsException missing(String memberPath) {
        return new AwsException(400, "ValidationError", "1 validation error detected: Value null at '" + memberPath
                + "' failed to satisfy constraint: Member must not be null");
    }

    public static AwsException topicNotFound() {
        return new AwsException(404, "NotFound", "Topic does not exist");
    }

    public static AwsException subscriptionNotFound() {
        return new AwsException(404, "NotFound", "Subscription does not exist");
    }

    public static AwsException resourceNotFound() {
        return new AwsException(404, "ResourceNotFound", "Resource does not exist");
    }

    public static AwsException tagLimitExceeded() {
        return new AwsException(400, "TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded");
    }

    public static AwsException emptyBatch() {
        return new AwsException(400, "EmptyBatchRequest", "The batch request doesn't contain any entries.");
    }

    public static AwsException tooManyEntries() {
        return new AwsException(400, "TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.");
    }

    public static AwsException batchIdsNotDistinct() {
        return new AwsException(400, "BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
    }

    public static AwsException invalidBatchEntryId() {
        return new AwsException(400, "InvalidBatchEntryId",
                "The Id of a batch entry in a batch request doesn't abide by the specification.");
    }

    public static AwsException batchTooLong() {
        return new AwsException(400, "BatchRequestTooLong", "The length of all the messages put together is more than the limit.");
    }

    public static AwsException filterPolicyLimitExceeded() {
        return new AwsException(403, "FilterPolicyLimitExceeded", "Filter policy limit exceeded");
    }
}
