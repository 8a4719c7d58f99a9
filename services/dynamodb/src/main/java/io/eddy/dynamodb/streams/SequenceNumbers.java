package io.eddy.dynamodb.streams;

/**
 * Sequence numbers as the API shows them: 21 decimal digits, a leading 1 and the position in the
 * stream's log plus one, zero-padded. They grow with commit order, so they increase within a shard
 * and a child shard's numbers are above its parent's. Position -1 ("before everything") shows as
 * {@code 100000000000000000000}.
 */
final class SequenceNumbers {

    private static final int DIGITS = 20;
    private static final String LARGEST = "0" + Long.MAX_VALUE;

    private SequenceNumbers() {
    }

    static String format(long position) {
        String digits = Long.toString(position + 1);
        return "1" + "0".repeat(DIGITS - digits.length()) + digits;
    }

    /** The log position a sequence number stands for, or {@link Long#MIN_VALUE} if it is not one of ours. */
    static long parse(String sequenceNumber) {
        if (sequenceNumber.length() != DIGITS + 1 || sequenceNumber.charAt(0) != '1') return Long.MIN_VALUE;
        for (int i = 1; i < sequenceNumber.length(); i++) {
            char c = sequenceNumber.charAt(i);
            if (c < '0' || c > '9') return Long.MIN_VALUE;
        }
        String rest = sequenceNumber.substring(1);
        if (rest.compareTo(LARGEST) > 0) return Long.MIN_VALUE;
        return Long.parseLong(rest) - 1;
    }

    static boolean isDigits(String text) {
        if (text.isEmpty()) return false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }
}
