package io.eddy.sns;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.eddy.sns.delivery.Delivery;
import io.eddy.sns.delivery.DeliveryException;
import io.eddy.sns.delivery.SubscriberDelivery;

/**
 * Delivery to HTTP/S endpoints: a POST with AWS's headers and the JSON envelope (or the bare message
 * with RawMessageDelivery). 2xx is success; other 4xx are the endpoint refusing (no retry, except
 * 429); 5xx, timeouts and connection failures are retried.
 */
final class HttpDelivery implements SubscriberDelivery {

    static final String USER_AGENT = "Amazon Simple Notification Service Agent";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** Built on the first delivery: a client's TLS setup reads the whole trust store, most of a second at startup. */
    private volatile HttpClient client;

    private HttpClient client() {
        HttpClient built = client;
        if (built == null) {
            synchronized (this) {
                if (client == null) {
                    client = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(TIMEOUT)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                }
                built = client;
            }
        }
        return built;
    }

    @Override
    public void deliver(Delivery delivery) throws DeliveryException {
        boolean raw = delivery.rawMessageDelivery() && delivery.isNotification();
        URI uri;
        try {
            uri = URI.create(delivery.endpoint());
        } catch (IllegalArgumentException e) {
            throw DeliveryException.permanent("invalid endpoint URL " + delivery.endpoint());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Content-Type", delivery.isNotification() ? delivery.contentType() : DeliveryPolicies.DEFAULT_CONTENT_TYPE)
                .header("User-Agent", USER_AGENT)
                .header("x-amz-sns-message-type", delivery.type())
                .header("x-amz-sns-message-id", delivery.messageId())
                .header("x-amz-sns-topic-arn", delivery.topicArn())
                .POST(HttpRequest.BodyPublishers.ofString(raw ? delivery.message() : delivery.envelope(), StandardCharsets.UTF_8));
        if (!delivery.type().equals(Delivery.SUBSCRIPTION_CONFIRMATION)) {
            request.header("x-amz-sns-subscription-arn", delivery.subscriptionArn());
        }
        if (raw) request.header("x-amz-sns-rawdelivery", "true");
        int status;
        try {
            status = client().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw DeliveryException.retryable("HTTP delivery to " + delivery.endpoint() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.retryable("interrupted");
        }
        if (status >= 200 && status < 300) return;
        if (status >= 400 && status < 500 && status != 429) {
            throw DeliveryException.permanent("HTTP endpoint " + delivery.endpoint() + " answered " + status);
        }
        throw DeliveryException.retryable("HTTP endpoint " + delivery.endpoint() + " answered " + status);
    }

    /** Aborts every request in flight; their deliveries fail as retryable. */
    void abort() {
        HttpClient built = client;
        if (built != null) built.shutdownNow();
    }
}
