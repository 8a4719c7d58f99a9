package io.eddy.lambda;

import java.util.Map;

/**
 * Publishes to an SNS topic, for asynchronous invocation destinations and dead-letter topics. SNS
 * and Lambda do not depend on each other; the server plugs in the implementation.
 */
@FunctionalInterface
public interface TopicPublisher {

    /** A message attribute: data type {@code String} or {@code Number}, and its value. */
    record Attribute(String dataType, String value) {
    }

    /** Publishes {@code message}; throws SNS's {@code AwsException} (e.g. NotFound) when it cannot. */
    void publish(String topicArn, String message, Map<String, Attribute> attributes);
}
