package io.eddy.lambda.esm.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.eddy.protocol.AwsException;

/** What queue mappings need from SQS: long-poll receiving (which hides messages) and deleting. */
public interface QueueSource {

    /**
     * The queue behind {@code queueArn}.
     *
     * @throws AwsException Lambda's InvalidParameterValueException when there is no such queue
     */
    QueueInfo queue(String queueArn);

    /**
     * Receives up to {@code max} (1-10) messages, waiting up to {@code wait} for the first, hiding
     * them for {@code visibilityTimeoutSeconds}; the receive counts toward the queue's redrive policy.
     */
    List<QueueMessage> receive(String queueArn, int max, int visibilityTimeoutSeconds, Duration wait)
            throws InterruptedException;

    /**
     * Whether the queue holds messages that are visible or in flight (received and not yet deleted or
     * back): a mapping is caught up only once its queue has neither.
     */
    boolean hasPendingMessages(String queueArn);

    void delete(String queueArn, String receiptHandle);

    /** A queue's settings that matter to a mapping. */
    record QueueInfo(String queueArn, boolean fifo, int visibilityTimeoutSeconds) {
    }

    /**
     * One received message.
     *
     * @param attributes        system attributes as Lambda shows them (ApproximateReceiveCount, SentTimestamp,
     *                          SenderId, ApproximateFirstReceiveTimestamp, and for FIFO SequenceNumber,
     *                          MessageGroupId, MessageDeduplicationId)
     * @param messageAttributes the message's attributes by name
     * @param md5OfMessageAttributes null when the message has no attributes
     */
    record QueueMessage(String messageId, String receiptHandle, String body, Map<String, String> attributes,
                        Map<String, MessageAttribute> messageAttributes, String md5OfBody,
                        String md5OfMessageAttributes) {

        /** The FIFO message group, or null on a standard queue. */
        public String messageGroupId() {
            return attributes.get("MessageGroupId");
        }
    }

    /** A message attribute: a string value (String, Number) or binary bytes, with its data type. */
    record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {
    }
}
