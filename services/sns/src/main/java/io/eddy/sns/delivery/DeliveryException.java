package io.eddy.sns.delivery;

/** A failed delivery attempt: {@link #retryable()} decides between retrying and the dead-letter queue. */
public final class DeliveryException extends Exception {

    private final boolean retryable;

    private DeliveryException(String reason, boolean retryable, Throwable cause) {
        super(reason, cause);
        this.retryable = retryable;
    }

    /** The endpoint is unavailable for now (AWS's server-side error): retry. */
    public static DeliveryException retryable(String reason) {
        return new DeliveryException(reason, true, null);
    }

    public static DeliveryException retryable(String reason, Throwable cause) {
        return new DeliveryException(reason, true, cause);
    }

    /** The endpoint is gone or refuses the message (AWS's client-side error): no retry. */
    public static DeliveryException permanent(String reason) {
        return new DeliveryException(reason, false, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
