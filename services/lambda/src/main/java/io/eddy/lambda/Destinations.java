package io.eddy.lambda;

import java.util.Map;

import io.eddy.protocol.AwsException;
import io.eddy.sqs.MessageAttribute;
import io.eddy.sqs.OutgoingMessage;
import io.eddy.sqs.SqsService;

/**
 * Sends invocation records and dead-letter events to the services an ARN names. SQS queues receive
 * a message; Lambda functions an asynchronous invocation (through {@link AsyncInvocations}).
 * Any other target (an SNS topic, an EventBridge bus) is one Eddy does not host, so delivery fails
 * as it does on AWS for a target that does not exist.
 */
final class Destinations {

    /** Why a record could not be delivered. */
    static final class DeliveryFailure extends Exception {
        DeliveryFailure(String message) {
            super(message);
        }
    }

    private final SqsService sqs;

    Destinations(SqsService sqs) {
        this.sqs = sqs;
    }

    /** The service part of an ARN ({@code sqs}, {@code sns}, {@code lambda}, {@code events}), or null. */
    static String service(String arn) {
        if (arn == null || !arn.startsWith("arn:")) return null;
        String[] parts = arn.split(":", 6);
        return parts.length < 6 ? null : parts[2];
    }

    /** Sends {@code body} with {@code attributes} to a queue. */
    void sendToQueue(String queueArn, String body, Map<String, MessageAttribute> attributes) throws DeliveryFailure {
        if (!"sqs".equals(service(queueArn))) throw new DeliveryFailure("Eddy hosts no target " + queueArn);
        try {
            sqs.sendMessage(queueArn, OutgoingMessage.of(body).withMessageAttributes(attributes));
        } catch (AwsException e) {
            throw new DeliveryFailure(e.code() + ": " + e.getMessage());
        }
    }
}
