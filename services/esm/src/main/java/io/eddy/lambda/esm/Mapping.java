package io.eddy.lambda.esm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One event source mapping as stored: its settings, its state and what it last did. Settings hold
 * their effective values (defaults filled in), so pollers read them directly.
 */
public final class Mapping {

    public String uuid;
    public String account;
    public String region;
    public SourceKind kind;
    public String eventSourceArn;
    /** The function as the mapping reports it (qualified when created with a qualifier). */
    public String functionArn;
    public boolean enabled = true;
    public String state;
    public String stateTransitionReason;
    public String lastProcessingResult;
    /** Epoch milliseconds. */
    public long lastModified;

    public int batchSize;
    public int maximumBatchingWindowInSeconds;
    public List<String> filterPatterns = new ArrayList<>();
    public List<String> functionResponseTypes = new ArrayList<>();
    /** MetricsConfig.Metrics: the metric groups the mapping publishes per EventSourceMappingUUID. */
    public List<String> metrics = new ArrayList<>();
    public Map<String, String> tags = new LinkedHashMap<>();

    // streams
    public String startingPosition;
    public int parallelizationFactor = 1;
    public int maximumRetryAttempts = -1;
    public int maximumRecordAgeInSeconds = -1;
    public boolean bisectBatchOnFunctionError;
    public int tumblingWindowInSeconds;
    public String onFailureDestination;

    // queues
    public Integer maximumConcurrency;

    @JsonIgnore
    public boolean reportsBatchItemFailures() {
        return functionResponseTypes.contains("ReportBatchItemFailures");
    }

    /** Whether the mapping publishes the EventCount group (PolledEventCount, InvokedEventCount ...). */
    @JsonIgnore
    public boolean emitsEventCounts() {
        return metrics.contains("EventCount");
    }

    @JsonIgnore
    public String arn() {
        return "arn:aws:lambda:" + region + ":" + account + ":event-source-mapping:" + uuid;
    }

    /** The mapping's function's name, for metric dimensions. */
    @JsonIgnore
    public String functionName() {
        String[] parts = functionArn.split(":");
        return parts[6];
    }
}
