package io.eddy.dynamodb.streams;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One stream record for Java consumers. {@code event} is the record as Lambda delivers it (the
 * GetRecords shape plus {@code eventSourceARN}); callers must not modify it. Records with the same
 * {@code partitionKeyHash} belong to the same partition key, whose order consumers must keep.
 */
public record ChangeRecord(String sequenceNumber, Instant approximateArrival, long sizeBytes, int partitionKeyHash,
                           ObjectNode event) {
}
