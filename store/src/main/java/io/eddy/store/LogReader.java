package io.eddy.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the durable logs that {@link Batch#append} writes: each record's key is its log prefix
 * followed by an 8-byte big-endian sequence number, so a log is a plain ordered key range.
 */
public final class LogReader {

    /** One record of a log. */
    public record Entry(long sequence, byte[] value) {
    }

    private LogReader() {
    }

    public static byte[] key(byte[] logPrefix, long sequence) {
        byte[] key = new byte[logPrefix.length + 8];
        System.arraycopy(logPrefix, 0, key, 0, logPrefix.length);
        for (int i = 0; i < 8; i++) key[logPrefix.length + i] = (byte) (sequence >>> (56 - 8 * i));
        return key;
    }

    /** Up to {@code max} records with sequence numbers greater than {@code afterSequence}, in order. */
    public static List<Entry> readAfter(ReadView view, byte[] logPrefix, long afterSequence, int max) {
        List<Entry> entries = new ArrayList<>(Math.min(max, 64));
        try (Cursor cursor = view.scan(key(logPrefix, afterSequence + 1), Keys.prefixEnd(logPrefix))) {
            while (entries.size() < max && cursor.next()) {
                byte[] k = cursor.key();
                entries.add(new Entry(Keys.readU64(k, k.length - 8), cursor.value()));
            }
        }
        return entries;
    }

    /** Deletes every record with a sequence number below {@code sequence} into {@code batch}. */
    public static void trimBefore(ReadView view, Batch batch, byte[] logPrefix, long sequence) {
        try (Cursor cursor = view.scan(logPrefix, key(logPrefix, sequence))) {
            while (cursor.next()) batch.delete(cursor.key());
        }
    }
}
