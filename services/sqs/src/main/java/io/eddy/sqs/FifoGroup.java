package io.eddy.sqs;

import java.util.ArrayDeque;

/**
 * One FIFO message group: its messages in send order, received ones still at the head until they are
 * deleted. While any is in flight the group is blocked, so order within the group holds.
 */
final class FifoGroup {

    final String id;
    final ArrayDeque<MessageState> messages = new ArrayDeque<>();
    int inFlight;
    /** The head sequence under which the group is listed as available, or -1 when it is not listed. */
    long availableKey = -1;

    FifoGroup(String id) {
        this.id = id;
    }

    /** Whether a receive may take from this group now: nothing in flight and a visible head. */
    boolean isAvailable() {
        return inFlight == 0 && !messages.isEmpty() && messages.peekFirst().status == MessageState.Status.VISIBLE;
    }

    /** Adds a message in sequence order (moves into a dead-letter queue can arrive slightly out of order). */
    void insert(MessageState state) {
        if (messages.isEmpty() || messages.peekLast().seq < state.seq) {
            messages.addLast(state);
            return;
        }
        ArrayDeque<MessageState> tail = new ArrayDeque<>();
        while (!messages.isEmpty() && messages.peekLast().seq > state.seq) tail.addFirst(messages.pollLast());
        messages.addLast(state);
        messages.addAll(tail);
    }
}
