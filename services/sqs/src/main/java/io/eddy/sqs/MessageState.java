package io.eddy.sqs;

import java.nio.ByteBuffer;
import java.util.Comparator;

/**
 * A message's place in its queue's in-memory index: identity, status and the delivery state that
 * is also stored (visibility, receive count, current receipt). Guarded by the queue's lock.
 */
final class MessageState {

    enum Status { DELAYED, VISIBLE, IN_FLIGHT }

    static final Comparator<MessageState> BY_VISIBLE_AT =
            Comparator.<MessageState>comparingLong(s -> s.visibleAt).thenComparingLong(s -> s.seq);
    static final Comparator<MessageState> BY_AGE =
            Comparator.<MessageState>comparingLong(s -> s.retentionStart).thenComparingLong(s -> s.seq);

    private static final int STATE_BYTES = 36;

    final long seq;
    final String messageId;
    final String groupId;
    final long retentionStart;
    Status status;
    long visibleAt;
    int receiveCount;
    long firstReceivedAt;
    /** When the current receive happened; a receipt may not extend visibility past 12 hours from it. */
    long receivedAt;
    long receiptNonce;
    /** The FIFO message group this message waits in; null on standard queues. */
    FifoGroup group;

    MessageState(long seq, String messageId, String groupId, long retentionStart, long visibleAt) {
        this.seq = seq;
        this.messageId = messageId;
        this.groupId = groupId;
        this.retentionStart = retentionStart;
        this.visibleAt = visibleAt;
    }

    /** The stored delivery state. */
    byte[] encodeState() {
        return ByteBuffer.allocate(STATE_BYTES).putLong(visibleAt).putInt(receiveCount).putLong(firstReceivedAt)
                .putLong(receivedAt).putLong(receiptNonce).array();
    }

    void restoreState(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        visibleAt = in.getLong();
        receiveCount = in.getInt();
        firstReceivedAt = in.getLong();
        receivedAt = in.getLong();
        receiptNonce = in.getLong();
    }

    /** The status a restored message has at {@code now}. */
    Status statusAt(long now) {
        if (visibleAt <= now) return Status.VISIBLE;
        return receiveCount == 0 ? Status.DELAYED : Status.IN_FLIGHT;
    }
}
