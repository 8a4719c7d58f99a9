package io.eddy.lambda.esm;

import java.util.ArrayList;
import java.util.List;

import io.eddy.protocol.AwsException;

/** Lambda's errors as event source mapping operations word them. */
final class EsmErrors {

    private EsmErrors() {
    }

    static AwsException invalidParameter(String message) {
        return new AwsException(400, "InvalidParameterValueException", message);
    }

    static AwsException mappingNotFound() {
        return new AwsException(404, "ResourceNotFoundException", "The resource you requested does not exist.");
    }

    static AwsException conflict(String message) {
        return new AwsException(409, "ResourceConflictException", message);
    }

    static AwsException inUse(String message) {
        return new AwsException(400, "ResourceInUseException", message);
    }

    /** Collects constraint violations of the API model into one ValidationException, as AWS words it. */
    static final class Violations {
        private final List<String> messages = new ArrayList<>();

        void range(Integer value, String member, long min, long max) {
            if (value == null) return;
            if (value < min) add(value, member, "Member must have value greater than or equal to " + min);
            else if (value > max) add(value, member, "Member must have value less than or equal to " + max);
        }

        void maxLength(String value, String member, int max) {
            if (value != null && value.length() > max) add(value, member, "Member must have length less than or equal to " + max);
        }

        void add(Object value, String member, String constraint) {
            String shown = value == null ? "null" : "'" + value + "'";
            messages.add("Value " + shown + " at '" + member + "' failed to satisfy constraint: " + constraint);
        }

        void throwIfAny() {
            if (messages.isEmpty()) return;
            String head = messages.size() == 1 ? "1 validation error detected: " : messages.size() + " validation errors detected: ";
            throw new AwsException(400, "ValidationException", head + String.join("; ", messages));
        }
    }
}
