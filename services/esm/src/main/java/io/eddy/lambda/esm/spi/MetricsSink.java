package io.eddy.lambda.esm.spi;

import java.util.Map;

/** Where mappings publish CloudWatch metrics (namespace {@code AWS/Lambda}). */
@FunctionalInterface
public interface MetricsSink {

    void put(String account, String region, String metricName, Map<String, String> dimensions, double value, String unit);
}
