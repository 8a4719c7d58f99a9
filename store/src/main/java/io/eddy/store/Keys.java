package io.eddy.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds composite keys whose bytewise order is the order of their components: text and byte
 * components are escaped (0x00 becomes 0x00 0xFF) and terminated by 0x00, so a shorter component
 * sorts before any longer one it prefixes; numbers are fixed-width big-endian.
 */
public final class Keys {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    private Keys() {
    }

    public static Keys of() {
        return new Keys();
    }

    public Keys text(String component) {
        return bytes(component.getBytes(StandardCharsets.UTF_8));
    }

    /** A variable-length component, escaped and terminated. */
    public Keys bytes(byte[] component) {
        int copied = 0;
        for (int i = 0; i < component.length; i++) {
            if (component[i] == 0) {
                out.write(component, copied, i + 1 - copied);
                out.write(0xFF);
                copied = i + 1;
            }
        }
        out.write(component, copied, component.length - copied);
        out.write(0);
        return this;
    }

    /** A non-negative long as 8 big-endian bytes. */
    public Keys u64(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (value >>> shift));
        return this;
    }

    /** Bytes appended unescaped: only for the last component, or for self-delimiting encodings. */
    public Keys raw(byte[] component) {
        out.writeBytes(component);
        return this;
    }

    public byte[] build() {
        return out.toByteArray();
    }

    /** The smallest key greater than every key that starts with {@code prefix}; null if none. */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    /** Reads a big-endian long at {@code offset}. */
    public static long readU64(byte[] key, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (key[offset + i] & 0xFF);
        return v;
    }
}
