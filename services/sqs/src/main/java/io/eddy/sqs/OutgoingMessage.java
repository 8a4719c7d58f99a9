package io.eddy.sqs;

import java.util.Map;

/**
 * A message another service sends through {@link SqsService#sendMessage}. Null fields are absent:
 * {@code delaySeconds} null uses the queue's delay, {@code senderId} null the queue owner's account,
 * and FIFO queues need {@code messageGroupId} (and {@code messageDeduplicationId} unless the queue
 * deduplicates by content). {@code traceHeader} becomes the {@code AWSTraceHeader} system attribute.
 */
public record OutgoingMessage(String body, Map<String, MessageAttribute> messageAttributes, String messageGroupId,
                              String messageDeduplicationId, Integer delaySeconds, String senderId,
                              String traceHeader) {

    public OutgoingMessage {
        messageAttributes = messageAttributes == null ? Map.of() : Map.copyOf(messageAttributes);
    }

    public static OutgoingMessage of(String body) {
        return new OutgoingMessage(body, Map.of(), null, null, null, null, null);
    }

    public OutgoingMessage withMessageAttributes(Map<String, MessageAttribute> attributes) {
        return new OutgoingMessage(body, attributes, messageGroupId, messageDeduplicationId, delaySeconds, senderId,
                traceHeader);
    }

    public OutgoingMessage withMessageGroupId(String groupId) {
        return new OutgoingMessage(body, messageAttributes, groupId, messageDeduplicationId, delaySeconds, senderId,
                traceHeader);
    }

    public OutgoingMessage withMessageDeduplicationId(String deduplicationId) {
        return new OutgoingMessage(body, messageAttributes, messageGroupId, deduplicationId, delaySeconds, senderId,
                traceHeader);
    }

    public OutgoingMessage withDelaySeconds(Integer seconds) {
        return new OutgoingMessage(body, messageAttributes, messageGroupId, messageDeduplicationId, seconds, senderId,
                traceHeader);
    }

    public OutgoingMessage withSenderId(String sender) {
        return new OutgoingMessage(body, messageAttributes, messageGroupId, messageDeduplicationId, delaySeconds, sender,
                traceHeader);
    }

    public OutgoingMessage withTraceHeader(String header) {
        return new OutgoingMessage(body, messageAttributes, messageGroupId, messageDeduplicationId, delaySeconds,
                senderId, header);
    }
}
