package io.eddy.store;

import java.util.ArrayList;
import java.util.List;

/** Puts and deletes that {@link Store#write} applies atomically, in order. */
public final class Batch {

    /** One put (value non-null) or delete (value null). */
    public record Op(byte[] key, byte[] value) {
        public boolean isDelete() {
            return value == null;
        }
    }

    private final List<Op> ops = new ArrayList<>();

    public Batch put(byte[] key, byte[] value) {
        if (value == null) throw new IllegalArgumentException("null value; use delete");
        ops.add(new Op(key, value));
        return this;
    }

    public Batch delete(byte[] key) {
        ops.add(new Op(key, null));
        return this;
    }

    /** Appends every operation of {@code other}. */
    public Batch addAll(Batch other) {
        ops.addAll(other.ops);
        return this;
    }

    public List<Op> ops() {
        return ops;
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    public int size() {
        return ops.size();
    }
}
