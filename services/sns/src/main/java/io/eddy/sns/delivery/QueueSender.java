package io.eddy.sns.delivery;

/**
 * How SNS reaches SQS; Eddy wires it to the SQS service. A queue that does not exist (or refuses
 * the message as invalid) is a permanent {@link DeliveryException}, anything transient a retryable one.
 */
@FunctionalInterface
public interface QueueSender {
    void send(String queueArn, QueueMessage message) throws DeliveryException;
}
