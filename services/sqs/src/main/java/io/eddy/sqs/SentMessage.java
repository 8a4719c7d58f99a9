package io.eddy.sqs;

/** What a send returns: the message id, the checksums SendMessage reports, and the FIFO sequence number (null on standard queues). */
public record SentMessage(String messageId, String md5OfMessageBody, String md5OfMessageAttributes,
                          String sequenceNumber) {
}
