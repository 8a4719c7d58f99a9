package io.eddy.sqs;

import java.util.regex.Pattern;

/** SQS's rules for queue names: 1 to 80 of {@code [A-Za-z0-9_-]}, FIFO names ending in {@code .fifo} within the 80. */
final class QueueNames {

    private static final Pattern STANDARD = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern FIFO = Pattern.compile("[A-Za-z0-9_-]{1,75}\\.fifo");

    private QueueNames() {
    }

    static boolean isValidName(String name) {
        return STANDARD.matcher(name).matches() || FIFO.matcher(name).matches();
    }

    /** Checks a name for CreateQueue, where {@code fifo} is what the FifoQueue attribute asked for. */
    static void checkForCreate(String name, boolean fifo) {
        if (fifo || name.endsWith(".fifo")) {
            if (!fifo || !FIFO.matcher(name).matches()) {
                throw SqsErrors.invalidParameterValue("The name of a FIFO queue can only include alphanumeric characters, "
                        + "hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.");
            }
        } else if (!STANDARD.matcher(name).matches()) {
            throw SqsErrors.invalidParameterValue(
                    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
    }
}
