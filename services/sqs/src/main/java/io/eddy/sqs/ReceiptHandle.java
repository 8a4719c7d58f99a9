package io.eddy.sqs;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * A receipt handle: which incarnation of a queue, which message, which receive. The checksum lets
 * garbage be told apart from handles of messages that are gone.
 */
record ReceiptHandle(long incarnation, long seq, long nonce) {

    private static final int BYTES = 28;

    String encode() {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES).putLong(incarnation).putLong(seq).putLong(nonce);
        CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, 24);
        buffer.putInt((int) crc.getValue());
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    /** The handle {@code text} encodes, or null when it is not one of ours. */
    static ReceiptHandle decode(String text) {
        if (text == null || text.length() != 40) return null;
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length != BYTES) return null;
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, 24);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        ReceiptHandle handle = new ReceiptHandle(buffer.getLong(), buffer.getLong(), buffer.getLong());
        return buffer.getInt() == (int) crc.getValue() ? handle : null;
    }
}
