package io.eddy.sns;

import java.util.regex.Pattern;

/** SNS's rules for topic names: 1 to 256 of {@code [A-Za-z0-9_-]}, FIFO topics ending in {@code .fifo} within the 256. */
final class TopicNames {

    private static final Pattern STANDARD = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern FIFO = Pattern.compile("[A-Za-z0-9_-]{1,251}\\.fifo");

    private TopicNames() {
    }

    static boolean isValidArnName(String name) {
        return STANDARD.matcher(name).matches() || FIFO.matcher(name).matches();
    }

    /** Checks a CreateTopic name against what the FifoTopic attribute asked for. */
    static void checkForCreate(String name, boolean fifo) {
        if (fifo) {
            if (!FIFO.matcher(name).matches()) {
                throw SnsErrors.invalidParameter("Fifo Topic names must end with .fifo and must be made up of only uppercase and "
                        + "lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
            }
        } else if (!STANDARD.matcher(name).matches()) {
            throw SnsErrors.invalidParameter("Topic Name");
        }
    }
}
