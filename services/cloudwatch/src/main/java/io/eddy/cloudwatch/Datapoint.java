package io.eddy.cloudwatch;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One stored PutMetricData datum: raw values with their counts (a single Value is one value with
 * count 1), or a statistic set. Raw values are kept so percentiles stay exact.
 */
record Datapoint(String unit, double[] values, double[] counts, double sampleCount, double sum, double minimum,
                 double maximum, boolean statisticSet) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Datapoint ofValues(String unit, double[] values, double[] counts) {
        double n = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            n += counts[i];
            sum += values[i] * counts[i];
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        return new Datapoint(unit, values, counts, n, sum, min, max, false);
    }

    static Datapoint ofStatisticSet(String unit, double sampleCount, double sum, double minimum, double maximum) {
        return new Datapoint(unit, new double[0], new double[0], sampleCount, sum, minimum, maximum, true);
    }

    /** Whether percentile-style statistics can use this datum: raw values, or a set of identical values. */
    boolean hasDistribution() {
        return !statisticSet || sampleCount == 1 || minimum == maximum;
    }

    /** The values with their weights, for distribution statistics. */
    double[][] distribution() {
        if (!statisticSet) return new double[][] {values, counts};
        return new double[][] {{minimum}, {sampleCount}};
    }

    byte[] encode() {
        ObjectNode node = JSON.createObjectNode();
        node.put("u", unit);
        if (statisticSet) {
            node.put("n", sampleCount).put("s", sum).put("lo", minimum).put("hi", maximum);
        } else {
            ArrayNode v = node.putArray("v");
            ArrayNode c = node.putArray("c");
            for (int i = 0; i < values.length; i++) {
                v.add(values[i]);
                c.add(counts[i]);
            }
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Datapoint decode(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            String unit = node.path("u").asText();
            if (node.has("n")) {
                return ofStatisticSet(unit, node.get("n").asDouble(), node.get("s").asDouble(),
                        node.get("lo").asDouble(), node.get("hi").asDouble());
            }
            JsonNode v = node.get("v");
            JsonNode c = node.get("c");
            double[] values = new double[v.size()];
            double[] counts = new double[v.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = v.get(i).asDouble();
                counts[i] = c.get(i).asDouble();
            }
            return ofValues(unit, values, counts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
