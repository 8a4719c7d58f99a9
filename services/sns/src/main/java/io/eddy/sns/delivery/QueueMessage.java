package io.eddy.sns.delivery;

import java.util.Map;

import io.eddy.sns.MessageAttribute;

/**
 * A message SNS sends to an SQS queue: a subscription's delivery or a dead letter. Group and
 * deduplication ids are null unless the queue is to receive them.
 */
public record QueueMessage(String body, Map<String, MessageAttribute> messageAttributes, String messageGroupId,
                           String messageDeduplicationId) {

    public QueueMessage {
        messageAttributes = messageAttributes == null ? Map.of() : Map.copyOf(messageAttributes);
    }
}
