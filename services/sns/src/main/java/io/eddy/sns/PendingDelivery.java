package io.eddy.sns;

/**
 * A delivery of one dispatch to one subscription that has not succeeded yet: {@code attempt} failed
 * attempts so far, the next one due at {@code dueAt} (epoch milliseconds).
 */
record PendingDelivery(Dispatch dispatch, String subscriptionArn, int attempt, long dueAt) {

    PendingDelivery retried(long nextDueAt) {
        return new PendingDelivery(dispatch, subscriptionArn, attempt + 1, nextDueAt);
    }

    /** FIFO deliveries of one message group to one subscription go strictly one after another. */
    String orderingLane() {
        return dispatch.sequenceNumber() == null ? null : subscriptionArn + '\u0000' + dispatch.messageGroupId();
    }
}
