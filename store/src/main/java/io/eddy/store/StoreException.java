package io.eddy.store;

/** A failure of the storage engine itself (I/O, corruption); never a user error. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
