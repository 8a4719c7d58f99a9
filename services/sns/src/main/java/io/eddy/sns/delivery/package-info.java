/**
 * How SNS hands messages to the services it delivers to.
 *
 * <p>SNS reaches SQS through a {@link io.eddy.sns.delivery.QueueSender} and delivers HTTP/S, email,
 * SMS and mobile push itself. Protocols it cannot reach by itself ({@code lambda}, {@code firehose})
 * plug in a {@link io.eddy.sns.delivery.SubscriberDelivery} with
 * {@code SnsService.registerDelivery(protocol, delivery)}; for Lambda that is an asynchronous
 * ("Event") invocation of {@link io.eddy.sns.delivery.Delivery#endpoint()} with
 * {@link io.eddy.sns.delivery.Delivery#lambdaEvent()} as the payload, throwing
 * {@link io.eddy.sns.delivery.DeliveryException#permanent} when the function does not exist and
 * {@link io.eddy.sns.delivery.DeliveryException#retryable} when it cannot take the event now
 * (throttled, service unavailable). SNS retries and dead-letters on its own, under AWS's policy for
 * the protocol.
 */
package io.eddy.sns.delivery;
