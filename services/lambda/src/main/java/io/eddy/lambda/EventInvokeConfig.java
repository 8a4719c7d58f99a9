package io.eddy.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How Lambda handles asynchronous invocations of $LATEST, one version or one alias: retries,
 * maximum event age, and where records of successful and failed events go. Unset limits mean
 * Lambda's defaults (2 retries, 6 hours).
 */
public final class EventInvokeConfig {

    static final int DEFAULT_RETRY_ATTEMPTS = 2;
    static final int DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;

    public String functionArn;
    public Integer maximumRetryAttempts;
    public Integer maximumEventAgeInSeconds;
    public String onSuccess;
    public String onFailure;
    /** Epoch milliseconds. */
    public long lastModified;

    int retryAttempts() {
        return maximumRetryAttempts == null ? DEFAULT_RETRY_ATTEMPTS : maximumRetryAttempts;
    }

    long maximumEventAgeMillis() {
        return (maximumEventAgeInSeconds == null ? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS : maximumEventAgeInSeconds) * 1000L;
    }

    /** AWS's {@code FunctionEventInvokeConfig}. */
    ObjectNode toJson() {
        ObjectNode o = LambdaJson.MAPPER.createObjectNode();
        o.put("LastModified", lastModified / 1000.0);
        o.put("FunctionArn", functionArn);
        if (maximumRetryAttempts != null) o.put("MaximumRetryAttempts", maximumRetryAttempts);
        if (maximumEventAgeInSeconds != null) o.put("MaximumEventAgeInSeconds", maximumEventAgeInSeconds);
        ObjectNode destinations = o.putObject("DestinationConfig");
        ObjectNode success = destinations.putObject("OnSuccess");
        if (onSuccess != null) success.put("Destination", onSuccess);
        ObjectNode failure = destinations.putObject("OnFailure");
        if (onFailure != null) failure.put("Destination", onFailure);
        return o;
    }
}
