package io.eddy.sqs;

import io.eddy.protocol.AwsException;

/**
 * SQS's errors. Every one carries its legacy Query code too: JSON responses put it in
 * {@code x-amzn-query-error} (SQS is {@code awsQueryCompatible}), Query responses use it as the code.
 */
final class SqsErrors {

    private static final String NAMESPACE = "com.amazonaws.sqs#";

    private SqsErrors() {
    }

    static AwsException error(int status, String shape, String queryCode, String message) {
        return new AwsException(status, NAMESPACE + shape, message).withQueryCompatibleCode(queryCode);
    }

    static AwsException queueDoesNotExist() {
        return error(400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
                "The specified queue does not exist.");
    }

    static AwsException queueNameExists(String attribute) {
        return error(400, "QueueNameExists", "QueueAlreadyExists",
                "A queue already exists with the same name and a different value for attribute " + attribute);
    }

    static AwsException invalidAddress(String address) {
        return error(400, "InvalidAddress", "InvalidAddress", "The address " + address + " is not valid for this endpoint.");
    }

    static AwsException invalidParameterValue(String message) {
        return error(400, "InvalidParameterValue", "InvalidParameterValue", message);
    }

    /** AWS's usual wording: {@code Value <v> for parameter <p> is invalid. Reason: <reason>}. */
    static AwsException invalidParameter(String parameter, Object value, String reason) {
        return invalidParameterValue("Value " + value + " for parameter " + parameter + " is invalid. Reason: " + reason);
    }

    static AwsException missingParameter(String parameter) {
        return error(400, "MissingParameter", "MissingParameter",
                "The request must contain the parameter " + parameter + ".");
    }

    static AwsException invalidAttributeName(String name) {
        return error(400, "InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute " + name + ".");
    }

    /** A request asking for SSE-SQS and SSE-KMS at once; AWS reports it under InvalidAttributeName. */
    static AwsException twoKindsOfEncryption() {
        return error(400, "InvalidAttributeName", "InvalidAttributeName",
                "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.");
    }

    static AwsException invalidAttributeValue(String name) {
        return error(400, "InvalidAttributeValue", "InvalidAttributeValue", "Invalid value for the parameter " + name + ".");
    }

    static AwsException invalidAttributeValue(String name, String reason) {
        return error(400, "InvalidAttributeValue", "InvalidAttributeValue",
                "Invalid value for the parameter " + name + ". Reason: " + reason);
    }

    static AwsException receiptHandleIsInvalid(String handle) {
        return error(400, "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
                "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
    }

    static AwsException messageNotInflight() {
        return error(400, "MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight",
                "Message does not exist or is not available for visibility timeout change.");
    }

    static AwsException invalidMessageContents(String message) {
        return error(400, "InvalidMessageContents", "InvalidMessageContents", message);
    }

    static AwsException purgeQueueInProgress(String queueName) {
        return error(403, "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress",
                "Only one PurgeQueue operation on " + queueName + " is allowed every 60 seconds.");
    }

    static AwsException emptyBatchRequest(String entryName) {
        return error(400, "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
                "There should be at least one " + entryName + " in the request.");
    }

    static AwsException tooManyEntriesInBatchRequest(int count) {
        return error(400, "TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                "Maximum number of entries per request are 10. You have sent " + count + ".");
    }

    static AwsException batchEntryIdsNotDistinct(String id) {
        return error(400, "BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                "Id " + id + " repeated.");
    }

    static AwsException invalidBatchEntryId() {
        return error(400, "InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                        + "It can be at most 80 letters long.");
    }

    static AwsException batchRequestTooLong(int limit, long sent) {
        return error(400, "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
                "Batch requests cannot be longer than " + limit + " bytes. You have sent " + sent + " bytes.");
    }

    static AwsException resourceNotFound(String message) {
        return error(404, "ResourceNotFoundException", "ResourceNotFoundException", message);
    }

    static AwsException unsupportedOperation(String message) {
        return error(400, "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", message);
    }

    static AwsException unknownOperation(String operation) {
        return new AwsException(400, "com.amazon.coral.service#UnknownOperationException",
                "The operation " + operation + " is not supported by Amazon SQS.");
    }

    /** The code a batch result entry reports for a failed entry: the legacy code, as AWS writes it there. */
    static String batchCode(AwsException e) {
        return e.queryCompatibleCode() != null ? e.queryCompatibleCode() : e.code();
    }
}
