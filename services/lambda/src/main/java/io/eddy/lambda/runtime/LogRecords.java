package io.eddy.lambda.runtime;

import java.util.function.Consumer;

/**
 * Splits a runtime's output into CloudWatch log events. Plain output becomes one event per line, as
 * Lambda treats stdout and stderr. Lambda's own runtimes write each logger record and each error
 * report to a separate telemetry channel, one frame per record, so a record that spans several lines
 * stays one event; Eddy's bootstraps frame those records in their output instead:
 * {@code RS <UTF-8 byte length> : <message>} (RS is U+001E). Anything that does not parse as a whole
 * frame is plain output.
 */
public final class LogRecords {

    static final char FRAME_START = '\u001e';

    private LogRecords() {
    }

    /** Hands each event's message to {@code event}, in order. Lines keep their {@code \n}. */
    public static void split(String output, Consumer<String> event) {
        int start = 0;
        int length = output.length();
        int frame = output.indexOf(FRAME_START);
        while (start < length) {
            if (frame >= 0 && frame < start) frame = output.indexOf(FRAME_START, start);
            if (output.charAt(start) == FRAME_START) {
                int end = frameEnd(output, start);
                if (end > 0) {
                    String message = output.substring(output.indexOf(':', start) + 1, end);
                    if (!message.isEmpty()) event.accept(message);
                    start = end;
                    continue;
                }
            }
            int newline = output.indexOf('\n', start);
            int end = newline < 0 ? length : newline + 1;
            if (frame == start) frame = output.indexOf(FRAME_START, start + 1);
            if (frame > start && frame < end && frameEnd(output, frame) > 0) end = frame;
            String line = output.substring(start, end);
            event.accept(line.endsWith("\n") ? line : line + "\n");
            start = end;
        }
    }

    /** Where the frame at {@code start} ends, or -1 when no whole frame starts there. */
    private static int frameEnd(String output, int start) {
        int colon = start + 1;
        long bytes = 0;
        while (colon < output.length() && Character.isDigit(output.charAt(colon)) && colon - start <= 10) {
            bytes = bytes * 10 + (output.charAt(colon) - '0');
            colon++;
        }
        if (colon == start + 1 || colon >= output.length() || output.charAt(colon) != ':') return -1;
        int position = colon + 1;
        while (bytes > 0 && position < output.length()) {
            int codePoint = output.codePointAt(position);
            bytes -= codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            position += Character.charCount(codePoint);
        }
        return bytes == 0 ? position : -1;
    }
}
