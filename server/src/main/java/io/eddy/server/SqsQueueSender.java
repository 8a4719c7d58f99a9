package io.eddy.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.eddy.protocol.AwsException;
import io.eddy.sns.delivery.DeliveryException;
import io.eddy.sns.delivery.QueueMessage;
import io.eddy.sns.delivery.QueueSender;
import io.eddy.sqs.MessageAttribute;
import io.eddy.sqs.OutgoingMessage;
import io.eddy.sqs.SqsService;

/** SNS's way into SQS: sends through the SQS service's Java API, as SNS's service principal. */
final class SqsQueueSender implements QueueSender {

    /** The sender id SQS shows on messages SNS delivered. */
    static final String SNS_SENDER_ID = "AIDAIT2UOQQY3AUEKVGXU";
    private static final Set<String> TRANSIENT_CODES = Set.of("OverLimit", "RequestThrottled", "KmsThrottled", "ServiceUnavailable");

    private final SqsService sqs;

    SqsQueueSender(SqsService sqs) {
        this.sqs = sqs;
    }

    @Override
    public void send(String queueArn, QueueMessage message) throws DeliveryException {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, a) -> attributes.put(name,
                new MessageAttribute(a.dataType(), a.isBinary() ? null : a.stringValue(), a.isBinary() ? a.binaryBytes() : null)));
        try {
            sqs.sendMessage(queueArn, new OutgoingMessage(message.body(), attributes, message.messageGroupId(),
                    message.messageDeduplicationId(), null, SNS_SENDER_ID, null));
        } catch (AwsException e) {
            String reason = "SQS refused the message for " + queueArn + ": " + e.code() + ": " + e.getMessage();
            if (e.status() >= 500 || TRANSIENT_CODES.contains(e.code())) throw DeliveryException.retryable(reason);
            throw DeliveryException.permanent(reason);
        }
    }
}
