package io.eddy.lambda.esm.spi;

/** Sends a stream mapping's on-failure records to an SQS queue or SNS topic. */
public interface FailureDestinations {

    /** Whether records can be delivered to {@code destinationArn} (a queue or topic of a service Eddy runs). */
    boolean accepts(String destinationArn);

    /**
     * Delivers {@code record} (a JSON document) to the queue or topic {@code destinationArn}, as the
     * mapping's function would: a message body or an SNS message.
     *
     * @throws RuntimeException when delivery fails; the caller counts it and moves on
     */
    void send(String destinationArn, String record);
}
