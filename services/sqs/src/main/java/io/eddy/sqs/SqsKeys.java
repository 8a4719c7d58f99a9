package io.eddy.sqs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.eddy.store.Keys;

/**
 * The SQS storage layout. Every key starts {@code "sqs", account, region}, then a kind:
 * <ul>
 *   <li>{@code q, name} — the queue: attributes, tags, timestamps, incarnation (JSON)</li>
 *   <li>{@code m, name, incarnation, seq} — a message ({@link MessageRecord})</li>
 *   <li>{@code s, name, incarnation, seq} — its delivery state, once it differs from a fresh send</li>
 *   <li>{@code d, name, incarnation, dedup key} — a FIFO deduplication entry, kept 5 minutes</li>
 *   <li>{@code t, name, incarnation, task id} — a message move task</li>
 * </ul>
 * The incarnation tells a queue from an earlier one of the same name, so leftovers of a deleted
 * queue can never leak into a new one.
 */
final class SqsKeys {

    static final String QUEUE = "q";
    static final String MESSAGE = "m";
    static final String STATE = "s";
    static final String DEDUP = "d";
    static final String TASK = "t";

    private SqsKeys() {
    }

    static byte[] all() {
        return Keys.of().text("sqs").build();
    }

    static byte[] queue(QueueAddress address) {
        return Keys.of().text("sqs").text(address.account()).text(address.region()).text(QUEUE).text(address.name())
                .build();
    }

    /** The prefix of one kind of per-queue key; append the seq, dedup key or task id. */
    static byte[] prefix(QueueAddress address, String kind, long incarnation) {
        return Keys.of().text("sqs").text(address.account()).text(address.region()).text(kind).text(address.name())
                .u64(incarnation).build();
    }

    static byte[] withSeq(byte[] prefix, long seq) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + 8);
        for (int i = 0; i < 8; i++) key[prefix.length + i] = (byte) (seq >>> (56 - 8 * i));
        return key;
    }

    static byte[] withText(byte[] prefix, String text) {
        return Keys.of().raw(prefix).text(text).build();
    }

    /** Reads the components of a key written by {@link Keys}. */
    static final class Reader {
        private final byte[] key;
        private int pos;

        Reader(byte[] key) {
            this.key = key;
        }

        String text() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (pos < key.length) {
                byte b = key[pos++];
                if (b == 0) {
                    if (pos < key.length && key[pos] == (byte) 0xFF) {
                        out.write(0);
                        pos++;
                        continue;
                    }
                    return out.toString(StandardCharsets.UTF_8);
                }
                out.write(b);
            }
            throw new IllegalArgumentException("unterminated key component");
        }

        long u64() {
            long v = Keys.readU64(key, pos);
            pos += 8;
            return v;
        }
    }
}
