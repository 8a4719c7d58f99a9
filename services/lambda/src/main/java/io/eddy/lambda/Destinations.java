package io.eddy.lambda;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.protocol.AwsException;
import io.eddy.sqs.MessageAttribute;
import io.eddy.sqs.OutgoingMessage;
import io.eddy.sqs.SqsService;

/**
 * Sends invocation records and dead-letter events to the SQS queue or SNS topic an ARN names (a
 * Lambda function destination is an asynchronous invocation, see {@link AsyncInvocations}). Any
 * other target (an EventBridge bus) is one Eddy does not host, so delivery fails as it does on AWS
 * for a target that does not exist.
 */
final class Destinations {

    /** SNS messages are limited to 256 KB; Lambda drops the payloads from records that exceed it. */
    static final int SNS_MESSAGE_LIMIT = 256 * 1024;

    /** Why a record could not be delivered. */
    static final class DeliveryFailure extends Exception {
        DeliveryFailure(String message) {
            super(message);
        }
    }

    private final SqsService sqs;
    private final TopicPublisher topics;

    Destinations(SqsService sqs, TopicPublisher topics) {
        this.sqs = sqs;
        this.topics = topics;
    }

    /** The service part of an ARN ({@code sqs}, {@code sns}, {@code lambda}, {@code events}), or null. */
    static String service(String arn) {
        if (arn == null || !arn.startsWith("arn:")) return null;
        String[] parts = arn.split(":", 6);
        return parts.length < 6 ? null : parts[2];
    }

    /** Sends {@code message} with {@code attributes} to a queue or topic. */
    void send(String arn, String message, Map<String, TopicPublisher.Attribute> attributes) throws DeliveryFailure {
        try {
            switch (String.valueOf(service(arn))) {
                case "sqs" -> {
                    Map<String, MessageAttribute> sqsAttributes = new LinkedHashMap<>();
                    attributes.forEach((name, a) -> sqsAttributes.put(name, new MessageAttribute(a.dataType(), a.value(), null)));
                    sqs.sendMessage(arn, OutgoingMessage.of(message).withMessageAttributes(sqsAttributes));
                }
                case "sns" -> topics.publish(arn, message, attributes);
                default -> throw new DeliveryFailure("Eddy hosts no target " + arn);
            }
        } catch (AwsException e) {
            throw new DeliveryFailure(e.code() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new DeliveryFailure(String.valueOf(e));
        }
    }

    /** An invocation record as a destination of this kind receives it. */
    static String record(String destinationArn, ObjectNode record) {
        String text = record.toString();
        if ("sns".equals(service(destinationArn)) && text.getBytes(StandardCharsets.UTF_8).length > SNS_MESSAGE_LIMIT) {
            ObjectNode trimmed = record.deepCopy();
            trimmed.remove("requestPayload");
            trimmed.remove("responsePayload");
            return trimmed.toString();
        }
        return text;
    }
}
