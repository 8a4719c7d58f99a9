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
    public void send(String destinationArn, String record) {
        String service = destinationArn.split(":")[2];
        if (!service.equals("sqs")) {
            throw new IllegalArgumentException("no delivery to " + service + " destinations: " + destinationArn);
        }
        sqs.sendMessage(destinationArn, OutgoingMessage.of(record));
    }
}
