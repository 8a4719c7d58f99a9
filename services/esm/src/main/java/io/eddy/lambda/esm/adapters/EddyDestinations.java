package io.eddy.lambda.esm.adapters;

import java.util.Map;

import io.eddy.lambda.TopicPublisher;
import io.eddy.lambda.esm.spi.FailureDestinations;
import io.eddy.sqs.OutgoingMessage;
import io.eddy.sqs.SqsService;

/**
 * On-failure records delivered to SQS queues through the SQS service's Java API, and to SNS topics
 * through the publisher Lambda's own destinations use.
 */
public final class EddyDestinations implements FailureDestinations {

    private final SqsService sqs;
    private final TopicPublisher topics;

    public EddyDestinations(SqsService sqs, TopicPublisher topics) {
        this.sqs = sqs;
        this.topics = topics;
    }

    @Override
    public boolean accepts(String destinationArn) {
        String service = service(destinationArn);
        return "sqs".equals(service) || "sns".equals(service);
    }

    @Override
    public void send(String destinationArn, String record) {
        if ("sns".equals(service(destinationArn))) topics.publish(destinationArn, record, Map.of());
        else sqs.sendMessage(destinationArn, OutgoingMessage.of(record));
    }

    /** The service an ARN names when it is a full resource ARN, else null. */
    private static String service(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 && parts[0].equals("arn") && !parts[5].isEmpty() ? parts[2] : null;
    }
}
