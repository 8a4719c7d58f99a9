package io.eddy.lambda;

import java.util.ArrayList;
import java.util.List;

import io.eddy.protocol.AwsException;

/** Lambda's error types and the messages it uses for them. */
final class LambdaErrors {

    private LambdaErrors() {
    }

    static AwsException notFound(String message) {
        return new AwsException(404, "ResourceNotFoundException", message);
    }

    static AwsException functionNotFound(String arn) {
        return notFound("Function not found: " + arn);
    }

    static AwsException invalidParameter(String message) {
        return new AwsException(400, "InvalidParameterValueException", message);
    }

    static AwsException conflict(String message) {
        return new AwsException(409, "ResourceConflictException", message);
    }

    static AwsException preconditionFailed() {
        return new AwsException(412, "PreconditionFailedException", "The Revision Id provided does not match the latest "
                + "Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
    }

    /** Collects constraint violations into one ValidationException, as AWS words it. */
    static final class Violations {
        private final List<String> messages = new ArrayList<>();

        Violations add(Object value, String member, String constraint) {
            String shown = value == null ? "null" : "'" + value + "'";
            messages.add("Value " + shown + " at '" + member + "' failed to satisfy constraint: " + constraint);
            return this;
        }

        void throwIfAny() {
            if (messages.isEmpty()) return;
            String head = messages.size() == 1 ? "1 validation error detected: " : messages.size() + " validation errors detected: ";
            throw new AwsException(400, "ValidationException", head + String.join("; ", messages));
        }
    }
}
