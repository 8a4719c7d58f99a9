package io.eddy.sns.delivery;

/**
 * Delivers SNS messages for one subscription protocol ({@code sqs}, {@code http}, {@code lambda}, ...).
 * SNS calls it on a virtual thread per attempt, so it may block; several attempts run at once. It
 * returns normally once the endpoint has accepted the message and throws {@link DeliveryException}
 * otherwise: a retryable failure is retried under the protocol's retry policy, a permanent one
 * (AWS's "client-side error": the endpoint is gone or refuses) goes straight to the subscription's
 * dead-letter queue. Anything else it throws counts as retryable.
 */
@FunctionalInterface
public interface SubscriberDelivery {
    void deliver(Delivery delivery) throws DeliveryException;
}
