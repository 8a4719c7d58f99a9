package io.eddy.lambda.esm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.eddy.lambda.esm.spi.MetricsSink;

/**
 * The AWS/Lambda metrics of one running mapping. IteratorAge and DestinationDeliveryFailures are
 * function metrics, always published under the dimension sets Lambda uses for its function metrics
 * (all functions; {@code FunctionName}; {@code FunctionName} and {@code Resource} when the mapping
 * names a version or alias); the EventCount group is published per mapping
 * ({@code EventSourceMappingUUID}) only when MetricsConfig opts into it, as on AWS.
 */
final class MappingMetrics {

    private final Mapping mapping;
    private final MetricsSink sink;
    private final boolean eventCounts;
    private final Map<String, String> mappingDimension;
    private final List<Map<String, String>> functionDimensions;

    MappingMetrics(Mapping mapping, MetricsSink sink) {
        this.mapping = mapping;
        this.sink = sink;
        this.eventCounts = mapping.emitsEventCounts();
        this.mappingDimension = Map.of("EventSourceMappingUUID", mapping.uuid);
        this.functionDimensions = functionDimensions(mapping);
    }

    private static List<Map<String, String>> functionDimensions(Mapping mapping) {
        String name = mapping.functionName();
        List<Map<String, String>> sets = new ArrayList<>(List.of(Map.of(), Map.of("FunctionName", name)));
        String[] arn = mapping.functionArn.split(":");
        if (arn.length > 7) sets.add(Map.of("FunctionName", name, "Resource", name + ":" + arn[7]));
        return List.copyOf(sets);
    }

    /** Events one read of the source returned; 0 for an empty read. */
    void polled(int events) {
        count("PolledEventCount", events);
    }

    /** Events of one read that the filter criteria dropped; published only for mappings with filters. */
    void filteredOut(int events) {
        if (!mapping.filterPatterns.isEmpty()) count("FilteredOutEventCount", events);
    }

    /** Events sent to the function in one invocation (retries count again). */
    void invoked(int events) {
        if (events > 0) count("InvokedEventCount", events);
    }

    /** Events of an invocation that did not succeed: rejected, failed, or reported as batch item failures. */
    void failedInvoke(int events) {
        if (events > 0) count("FailedInvokeEventCount", events);
    }

    /** Stream records given up (age or retry limit) that reached no on-failure destination. */
    void dropped(int events) {
        if (events > 0) count("DroppedEventCount", events);
    }

    void deliveredOnFailure(int events) {
        count("OnFailureDestinationDeliveredEventCount", events);
    }

    /** Queue messages deleted after a batch; 0 when deleting failed. */
    void deleted(int events) {
        count("DeletedEventCount", events);
    }

    void iteratorAge(long millis) {
        for (Map<String, String> dimensions : functionDimensions) {
            sink.put(mapping.account, mapping.region, "IteratorAge", dimensions, millis, "Milliseconds");
        }
    }

    void destinationDeliveryFailure() {
        for (Map<String, String> dimensions : functionDimensions) {
            sink.put(mapping.account, mapping.region, "DestinationDeliveryFailures", dimensions, 1, "Count");
        }
    }

    private void count(String metric, int events) {
        if (eventCounts) sink.put(mapping.account, mapping.region, metric, mappingDimension, events, "Count");
    }
}
