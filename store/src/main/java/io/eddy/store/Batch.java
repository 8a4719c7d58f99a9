package io.eddy.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts, deletes and log appends that {@link Store#write} applies atomically, in order, plus
 * callbacks to run once the batch is durable.
 */
public final class Batch {

    /** One put (value non-null) or delete (value null). */
    public record Op(byte[] key, byte[] value) {
        public boolean isDelete() {
            return value == null;
        }
    }

    /**
     * A record appended to the log under {@code logPrefix}; its key is the prefix followed by the
     * 8-byte sequence number the store assigns at commit, readable through {@link #sequence()} after.
     */
    public static final class Append {
        private final byte[] logPrefix;
        private final byte[] value;
        private long sequence = -1;

        Append(byte[] logPrefix, byte[] value) {
            this.logPrefix = logPrefix;
            this.value = value;
        }

        public byte[] logPrefix() {
            return logPrefix;
        }

        public byte[] value() {
            return value;
        }

        /** The assigned sequence number; -1 until the batch committed. */
        public long sequence() {
            return sequence;
        }

        void assign(long sequence) {
            this.sequence = sequence;
        }
    }

    private final List<Op> ops = new ArrayList<>();
    private final List<Append> appends = new ArrayList<>(0);
    private final List<Runnable> afterCommit = new ArrayList<>(0);

    public Batch put(byte[] key, byte[] value) {
        if (value == null) throw new IllegalArgumentException("null value; use delete");
        ops.add(new Op(key, value));
        return this;
    }

    public Batch delete(byte[] key) {
        ops.add(new Op(key, null));
        return this;
    }

    /** Appends {@code value} to the durable log {@code logPrefix} (see {@link LogReader}). */
    public Append append(byte[] logPrefix, byte[] value) {
        Append append = new Append(logPrefix, value);
        appends.add(append);
        return append;
    }

    /** Runs {@code callback} after the batch is written; never if the write fails. */
    public Batch afterCommit(Runnable callback) {
        afterCommit.add(callback);
        return this;
    }

    /** Moves every operation, append and callback of {@code other} into this batch. */
    public Batch addAll(Batch other) {
        ops.addAll(other.ops);
        appends.addAll(other.appends);
        afterCommit.addAll(other.afterCommit);
        return this;
    }

    public List<Op> ops() {
        return ops;
    }

    public List<Append> appends() {
        return appends;
    }

    List<Runnable> afterCommitCallbacks() {
        return afterCommit;
    }

    public boolean isEmpty() {
        return ops.isEmpty() && appends.isEmpty();
    }

    public int size() {
        return ops.size() + appends.size();
    }
}
