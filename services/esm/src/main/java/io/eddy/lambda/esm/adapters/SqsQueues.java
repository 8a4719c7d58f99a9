package io.eddy.lambda.esm.adapters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eddy.lambda.esm.spi.QueueSource;
import io.eddy.protocol.AwsException;
import io.eddy.sqs.ReceivedMessage;
import io.eddy.sqs.SqsService;

/** SQS queues as mappings poll them, through the SQS service's Java API. */
public final class SqsQueues implements QueueSource {

    /** The system attributes a Lambda SQS event carries, in the order Lambda lists them. */
    private static final List<String> EVENT_ATTRIBUTES = List.of("ApproximateReceiveCount", "AWSTraceHeader",
            "SentTimestamp", "SequenceNumber", "MessageGroupId", "SenderId", "MessageDeduplicationId",
            "ApproximateFirstReceiveTimestamp");

    private final SqsService sqs;

    public SqsQueues(SqsService sqs) {
        this.sqs = sqs;
    }

    @Override
    public QueueInfo queue(String queueArn) {
        Map<String, String> attributes = attributes(queueArn);
        return new QueueInfo(queueArn, "true".equals(attributes.get("FifoQueue")),
                Integer.parseInt(attributes.getOrDefault("VisibilityTimeout", "30")));
    }

    private Map<String, String> attributes(String queueArn) {
        return sqs.queueAttributes(queueArn).orElseThrow(() -> new AwsException(400, "InvalidParameterValueException",
                "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. "
                        + "SQS Error Message: The specified queue does not exist for this wsdl version."));
    }

    @Override
    public List<QueueMessage> receive(String queueArn, int max, int visibilityTimeoutSeconds, Duration wait)
            throws InterruptedException {
        List<QueueMessage> out = new ArrayList<>();
        for (ReceivedMessage m : sqs.receiveMessages(queueArn, max, visibilityTimeoutSeconds, wait)) {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String name : EVENT_ATTRIBUTES) {
                String value = m.attributes().get(name);
                if (value != null) attributes.put(name, value);
            }
            Map<String, QueueSource.MessageAttribute> messageAttributes = new LinkedHashMap<>();
            for (Map.Entry<String, io.eddy.sqs.MessageAttribute> e : m.messageAttributes().entrySet()) {
                io.eddy.sqs.MessageAttribute a = e.getValue();
                messageAttributes.put(e.getKey(), new QueueSource.MessageAttribute(a.dataType(), a.stringValue(), a.binaryValue()));
            }
            out.add(new QueueMessage(m.messageId(), m.receiptHandle(), m.body(), attributes, messageAttributes,
                    m.md5OfBody(), m.md5OfMessageAttributes()));
        }
        return out;
    }

    @Override
    public boolean hasPendingMessages(String queueArn) {
        return sqs.queueAttributes(queueArn)
                .map(a -> Long.parseLong(a.getOrDefault("ApproximateNumberOfMessages", "0"))
                        + Long.parseLong(a.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0")) > 0)
                .orElse(false);
    }

    @Override
    public void delete(String queueArn, String receiptHandle) {
        sqs.deleteMessage(queueArn, receiptHandle);
    }
}
