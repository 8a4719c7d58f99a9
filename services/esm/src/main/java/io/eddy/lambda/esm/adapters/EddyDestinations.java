package io.eddy.lambda.esm.adapters;

import io.eddy.lambda.esm.spi.FailureDestinations;
import io.eddy.sqs.OutgoingMessage;
import io.eddy.sqs.SqsService;

/** On-failure records delivered to SQS queues through the SQS service's Java API. */
public final class EddyDestinations implements FailureDestinations {

    private final SqsService sqs;

    public EddyDestinations(SqsService sqs) {
        this.sqs = sqs;
    }

    @Override
    public boolean accepts(String destinationArn) {
        String[] parts = destinationArn.split(":", 6);
        return parts.length == 6 && parts[0].equals("arn") && parts[2].equals("sqs");
    }

    @Override
    public void send(String destinationArn, String record) {
        sqs.sendMessage(destinationArn, OutgoingMessage.of(record));
    }
}
