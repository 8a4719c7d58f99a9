package io.eddy.sqs;

import static io.eddy.protocol.query.QueryShape.BLOB;
import static io.eddy.protocol.query.QueryShape.BOOLEAN;
import static io.eddy.protocol.query.QueryShape.INTEGER;
import static io.eddy.protocol.query.QueryShape.LONG;
import static io.eddy.protocol.query.QueryShape.STRING;
import static io.eddy.protocol.query.QueryShape.flatList;
import static io.eddy.protocol.query.QueryShape.flatMap;
import static io.eddy.protocol.query.QueryShape.structure;

import io.eddy.protocol.query.QueryApi;
import io.eddy.protocol.query.QueryShape;

/** SQS's operations as the Query protocol names them (API version 2012-11-05). */
final class SqsQueryApi {

    static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

    private SqsQueryApi() {
    }

    private static QueryShape.Structure attributeValue() {
        return structure()
                .member("StringValue", STRING)
                .member("BinaryValue", BLOB)
                .member("StringListValues", "StringListValue", flatList("StringListValue", STRING))
                .member("BinaryListValues", "BinaryListValue", flatList("BinaryListValue", BLOB))
                .member("DataType", STRING);
    }

    private static QueryShape.MapShape attributeMap() {
        return flatMap("Name", "Value", STRING);
    }

    private static QueryShape.MapShape tagMap() {
        return flatMap("Key", "Value", STRING);
    }

    private static QueryShape.Structure sendEntryFields(QueryShape.Structure shape) {
        return shape
                .member("MessageBody", STRING)
                .member("DelaySeconds", INTEGER)
                .member("MessageAttributes", "MessageAttribute", flatMap("Name", "Value", attributeValue()))
                .member("MessageSystemAttributes", "MessageSystemAttribute", flatMap("Name", "Value", attributeValue()))
                .member("MessageDeduplicationId", STRING)
                .member("MessageGroupId", STRING);
    }

    private static QueryShape.Structure batchResult(String successName, QueryShape.Structure successEntry) {
        return structure()
                .member("Successful", flatList(successName, successEntry))
                .member("Failed", flatList("BatchResultErrorEntry", structure()
                        .member("Id", STRING)
                        .member("SenderFault", BOOLEAN)
                        .member("Code", STRING)
                        .member("Message", STRING)));
    }

    static QueryApi create() {
        QueryShape.Structure queueUrlOnly = structure().member("QueueUrl", STRING);
        QueryShape.Structure queueUrlResult = structure().member("QueueUrl", STRING);
        return new QueryApi(NAMESPACE)
                .errorDetailElement(true)
                .operation("AddPermission", structure()
                        .member("QueueUrl", STRING)
                        .member("Label", STRING)
                        .member("AWSAccountIds", flatList("AWSAccountId", STRING))
                        .member("Actions", flatList("ActionName", STRING)), null)
                .operation("CancelMessageMoveTask", structure().member("TaskHandle", STRING),
                        structure().member("ApproximateNumberOfMessagesMoved", LONG))
                .operation("ChangeMessageVisibility", structure()
                        .member("QueueUrl", STRING)
                        .member("ReceiptHandle", STRING)
                        .member("VisibilityTimeout", INTEGER), null)
                .operation("ChangeMessageVisibilityBatch", structure()
                                .member("QueueUrl", STRING)
                                .member("Entries", flatList("ChangeMessageVisibilityBatchRequestEntry", structure()
                                        .member("Id", STRING)
                                        .member("ReceiptHandle", STRING)
                                        .member("VisibilityTimeout", INTEGER))),
                        batchResult("ChangeMessageVisibilityBatchResultEntry", structure().member("Id", STRING)))
                .operation("CreateQueue", structure()
                        .member("QueueName", STRING)
                        .member("Attributes", "Attribute", attributeMap())
                        .member("tags", "Tag", tagMap()), queueUrlResult)
                .operation("DeleteMessage", structure()
                        .member("QueueUrl", STRING)
                        .member("ReceiptHandle", STRING), null)
                .operation("DeleteMessageBatch", structure()
                                .member("QueueUrl", STRING)
                                .member("Entries", flatList("DeleteMessageBatchRequestEntry", structure()
                                        .member("Id", STRING)
                                        .member("ReceiptHandle", STRING))),
                        batchResult("DeleteMessageBatchResultEntry", structure().member("Id", STRING)))
                .operation("DeleteQueue", queueUrlOnly, null)
                .operation("GetQueueAttributes", structure()
                                .member("QueueUrl", STRING)
                                .member("AttributeNames", flatList("AttributeName", STRING)),
                        structure().member("Attributes", "Attribute", attributeMap()))
                .operation("GetQueueUrl", structure()
                        .member("QueueName", STRING)
                        .member("QueueOwnerAWSAccountId", STRING), queueUrlResult)
                .operation("ListDeadLetterSourceQueues", structure()
                                .member("QueueUrl", STRING)
                                .member("NextToken", STRING)
                                .member("MaxResults", INTEGER),
                        structure()
                                .member("queueUrls", flatList("QueueUrl", STRING))
                                .member("NextToken", STRING))
                .operation("ListMessageMoveTasks", structure()
                                .member("SourceArn", STRING)
                                .member("MaxResults", INTEGER),
                        structure().member("Results", flatList("ListMessageMoveTasksResultEntry", structure()
                                .member("TaskHandle", STRING)
                                .member("Status", STRING)
                                .member("SourceArn", STRING)
                                .member("DestinationArn", STRING)
                                .member("MaxNumberOfMessagesPerSecond", INTEGER)
                                .member("ApproximateNumberOfMessagesMoved", LONG)
                                .member("ApproximateNumberOfMessagesToMove", LONG)
                                .member("FailureReason", STRING)
                                .member("StartedTimestamp", LONG))))
                .operation("ListQueueTags", queueUrlOnly, structure().member("Tags", "Tag", tagMap()))
                .operation("ListQueues", structure()
                                .member("QueueNamePrefix", STRING)
                                .member("NextToken", STRING)
                                .member("MaxResults", INTEGER),
                        structure()
                                .member("QueueUrls", flatList("QueueUrl", STRING))
                                .member("NextToken", STRING))
                .operation("PurgeQueue", queueUrlOnly, null)
                .operation("ReceiveMessage", structure()
                                .member("QueueUrl", STRING)
                                .member("AttributeNames", flatList("AttributeName", STRING))
                                .member("MessageSystemAttributeNames", flatList("MessageSystemAttributeName", STRING))
                                .member("MessageAttributeNames", flatList("MessageAttributeName", STRING))
                                .member("MaxNumberOfMessages", INTEGER)
                                .member("VisibilityTimeout", INTEGER)
                                .member("WaitTimeSeconds", INTEGER)
                                .member("ReceiveRequestAttemptId", STRING),
                        structure().member("Messages", flatList("Message", structure()
                                .member("MessageId", STRING)
                                .member("ReceiptHandle", STRING)
                                .member("MD5OfBody", STRING)
                                .member("Body", STRING)
                                .member("Attributes", "Attribute", attributeMap())
                                .member("MD5OfMessageAttributes", STRING)
                                .member("MessageAttributes", "MessageAttribute",
                                        flatMap("Name", "Value", attributeValue())))))
                .operation("RemovePermission", structure()
                        .member("QueueUrl", STRING)
                        .member("Label", STRING), null)
                .operation("SendMessage", sendEntryFields(structure().member("QueueUrl", STRING)),
                        structure()
                                .member("MD5OfMessageBody", STRING)
                                .member("MD5OfMessageAttributes", STRING)
                                .member("MD5OfMessageSystemAttributes", STRING)
                                .member("MessageId", STRING)
                                .member("SequenceNumber", STRING))
                .operation("SendMessageBatch", structure()
                                .member("QueueUrl", STRING)
                                .member("Entries", flatList("SendMessageBatchRequestEntry",
                                        sendEntryFields(structure().member("Id", STRING)))),
                        batchResult("SendMessageBatchResultEntry", structure()
                                .member("Id", STRING)
                                .member("MessageId", STRING)
                                .member("MD5OfMessageBody", STRING)
                                .member("MD5OfMessageAttributes", STRING)
                                .member("MD5OfMessageSystemAttributes", STRING)
                                .member("SequenceNumber", STRING)))
                .operation("SetQueueAttributes", structure()
                        .member("QueueUrl", STRING)
                        .member("Attributes", "Attribute", attributeMap()), null)
                .operation("StartMessageMoveTask", structure()
                                .member("SourceArn", STRING)
                                .member("DestinationArn", STRING)
                                .member("MaxNumberOfMessagesPerSecond", INTEGER),
                        structure().member("TaskHandle", STRING))
                .operation("TagQueue", structure()
                        .member("QueueUrl", STRING)
                        .member("Tags", "Tag", tagMap()), null)
                .operation("UntagQueue", structure()
                        .member("QueueUrl", STRING)
                        .member("TagKeys", flatList("TagKey", STRING)), null);
    }
}
