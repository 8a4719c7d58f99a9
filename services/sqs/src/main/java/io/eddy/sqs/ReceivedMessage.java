package io.eddy.sqs;

import java.util.Map;

/**
 * A message as {@link SqsService#receiveMessages} delivers it. {@code attributes} holds every system
 * attribute that applies (SenderId, SentTimestamp, ApproximateReceiveCount,
 * ApproximateFirstReceiveTimestamp, and on FIFO queues SequenceNumber, MessageGroupId,
 * MessageDeduplicationId; AWSTraceHeader and DeadLetterQueueSourceArn when present), as strings.
 */
public record ReceivedMessage(String messageId, String receiptHandle, String body, String md5OfBody,
                              String md5OfMessageAttributes, Map<String, String> attributes,
                              Map<String, MessageAttribute> messageAttributes) {
}
