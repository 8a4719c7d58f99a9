package io.eddy.dynamodb.streams;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Shard iterators in AWS's visible form {@code <streamArn>|1|<base64>}. The opaque part names the
 * shard (generation and index), the log position to read after, and when the iterator was issued
 * (iterators expire).
 */
final class ShardIterators {

    private static final byte VERSION = 1;
    private static final int LENGTH = 1 + 4 + 1 + 8 + 8;

    record Decoded(String streamArn, int generation, int shardIndex, long position, long issuedMillis) {
    }

    private ShardIterators() {
    }

    static String encode(String streamArn, int generation, int shardIndex, long position, long issuedMillis) {
        ByteBuffer bytes = ByteBuffer.allocate(LENGTH);
        bytes.put(VERSION).putInt(generation).put((byte) shardIndex).putLong(position).putLong(issuedMillis);
        return streamArn + "|1|" + Base64.getEncoder().encodeToString(bytes.array());
    }

    /** The iterator's content, or null if {@code iterator} is not one of ours. */
    static Decoded decode(String iterator) {
        int bar = iterator.indexOf('|');
        if (bar <= 0 || !iterator.startsWith("|1|", bar)) return null;
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(iterator.substring(bar + 3));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length != LENGTH || bytes[0] != VERSION) return null;
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, LENGTH - 1);
        int generation = in.getInt();
        int shardIndex = in.get();
        long position = in.getLong();
        long issued = in.getLong();
        if (generation < 0 || shardIndex < 0 || position < -1) return null;
        return new Decoded(iterator.substring(0, bar), generation, shardIndex, position, issued);
    }
}
