package io.eddy.server;

import java.nio.charset.StandardCharsets;

import io.eddy.lambda.LambdaService;
import io.eddy.protocol.AwsException;
import io.eddy.sns.delivery.Delivery;
import io.eddy.sns.delivery.DeliveryException;
import io.eddy.sns.delivery.SubscriberDelivery;

/**
 * SNS's {@code lambda} protocol: each notification becomes one asynchronous invocation carrying the
 * SNS event (one record), as AWS delivers it. The subscription endpoint is the function's ARN, which
 * names the account and region the function lives in.
 */
final class SnsToLambda implements SubscriberDelivery {

    private final LambdaService lambda;

    SnsToLambda(LambdaService lambda) {
        this.lambda = lambda;
    }

    @Override
    public void deliver(Delivery delivery) throws DeliveryException {
        if (!delivery.isNotification()) return;
        String[] arn = delivery.endpoint().split(":");
        if (arn.length < 7 || !arn[0].equals("arn") || !arn[2].equals("lambda")) {
            throw DeliveryException.permanent("not a Lambda function ARN: " + delivery.endpoint());
        }
        try {
            lambda.invokeAsync(arn[4], arn[3], delivery.endpoint(), null,
                    delivery.lambdaEvent().getBytes(StandardCharsets.UTF_8));
        } catch (AwsException e) {
            if (e.status() == 404) throw DeliveryException.permanent(e.getMessage());
            throw DeliveryException.retryable(e.getMessage(), e);
        }
    }
}
