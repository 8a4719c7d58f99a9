package io.eddy.sns;

import java.util.Map;

import io.eddy.sns.delivery.Delivery;
import io.eddy.sns.delivery.DeliveryException;
import io.eddy.sns.delivery.QueueMessage;
import io.eddy.sns.delivery.QueueSender;
import io.eddy.sns.delivery.SubscriberDelivery;

/**
 * Delivery to SQS subscriptions: the JSON envelope, or with RawMessageDelivery the bare message with
 * the SNS attributes as SQS message attributes. FIFO queues get the topic's group and deduplication
 * ids; standard queues get a publisher's group id (fair queues).
 */
final class QueueDelivery implements SubscriberDelivery {

    private final QueueSender queues;

    QueueDelivery(QueueSender queues) {
        this.queues = queues;
    }

    @Override
    public void deliver(Delivery delivery) throws DeliveryException {
        queues.send(delivery.endpoint(), message(delivery, delivery.endpoint()));
    }

    /** What a queue receives for this delivery; dead letters take the same form. */
    static QueueMessage message(Delivery delivery, String queueArn) {
        boolean raw = delivery.rawMessageDelivery() && delivery.isNotification();
        String body = raw ? delivery.message() : delivery.envelope();
        Map<String, io.eddy.sns.MessageAttribute> attributes = raw ? delivery.messageAttributes() : Map.of();
        boolean fifoQueue = queueArn.endsWith(".fifo");
        if (delivery.sequenceNumber() != null) {
            return fifoQueue
                    ? new QueueMessage(body, attributes, delivery.messageGroupId(), delivery.messageDeduplicationId())
                    : new QueueMessage(body, attributes, null, null);
        }
        return new QueueMessage(body, attributes, fifoQueue ? null : delivery.messageGroupId(), null);
    }
}
