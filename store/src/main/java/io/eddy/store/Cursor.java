package io.eddy.store;

/**
 * A forward-only cursor: call {@link #next()} before reading the first entry.
 * The arrays returned by {@link #key()} and {@link #value()} belong to the caller.
 */
public interface Cursor extends AutoCloseable {
    boolean next();

    byte[] key();

    byte[] value();

    @Override
    void close();
}
