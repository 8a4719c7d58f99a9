package io.eddy.store;

/** Point reads and ordered range scans over byte keys, compared bytewise (unsigned). */
public interface ReadView {

    /** The value stored under {@code key}, or null. */
    byte[] get(byte[] key);

    /** Keys in {@code [from, to)} in ascending order; a null bound is open. */
    Cursor scan(byte[] from, byte[] to);

    /** Keys in {@code [from, to)} in descending order; a null bound is open. */
    Cursor scanReverse(byte[] from, byte[] to);

    /** All keys starting with {@code prefix}, ascending. */
    default Cursor scanPrefix(byte[] prefix) {
        return scan(prefix, Keys.prefixEnd(prefix));
    }
}
