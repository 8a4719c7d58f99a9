package io.eddy.it.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/** CloudWatch metrics through the Java SDK, which speaks Smithy RPC v2 CBOR to CloudWatch. */
class CloudWatchMetricsTest {

    static Eddy eddy;
    static CloudWatchClient cloudWatch;
    static final java.util.Set<String> protocolsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        cloudWatch = CloudWatchClient.builder()
                .endpointOverride(eddy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("000000000000", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        protocolsSeen.add(context.httpRequest().firstMatchingHeader("smithy-protocol").orElse("none")
                                + " " + context.httpRequest().encodedPath().replaceAll("/operation/.*", ""));
                    }
                }))
                .build();
    }

    @AfterAll
    static void stop() {
        cloudWatch.close();
        eddy.close();
    }

    static String namespace() {
        return "Test/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A whole minute comfortably in the past, so every bucket of the tests is complete. */
    static Instant minuteAgo(int minutes) {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(minutes, ChronoUnit.MINUTES);
    }

    static void put(String namespace, MetricDatum... data) {
        cloudWatch.putMetricData(b -> b.namespace(namespace).metricData(data));
    }

    static MetricDatum value(String name, double value, Instant at, Dimension... dimensions) {
        return MetricDatum.builder().metricName(name).value(value).timestamp(at).unit(StandardUnit.COUNT)
                .dimensions(dimensions).build();
    }

    @Test
    void theJavaSdkSpeaksRpcV2CborToCloudWatch() {
        cloudWatch.listMetrics(b -> b.namespace(namespace()));
        assertThat(protocolsSeen).contains("rpc-v2-cbor /service/GraniteServiceVersion20100801");
    }

    @Test
    void getMetricStatisticsBucketsByPeriodFromTheFlooredStartTime() {
        String ns = namespace();
        Dimension fn = Dimension.builder().name("FunctionName").value("f").build();
        Instant t0 = minuteAgo(10);
        put(ns, value("Invocations", 1, t0.plusSeconds(5), fn), value("Invocations", 3, t0.plusSeconds(50), fn),
                value("Invocations", 10, t0.plusSeconds(70), fn), value("Invocations", 7, t0.plusSeconds(250), fn),
                value("Invocations", 100, t0.plusSeconds(70)));

        GetMetricStatisticsResponse response = cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("Invocations")
                .dimensions(fn).startTime(t0.plusSeconds(20)).endTime(t0.plusSeconds(240)).period(60)
                .statistics(Statistic.SUM, Statistic.SAMPLE_COUNT, Statistic.AVERAGE, Statistic.MINIMUM, Statistic.MAXIMUM));
        assertThat(response.label()).isEqualTo("Invocations");
        List<Datapoint> points = response.datapoints().stream().sorted(Comparator.comparing(Datapoint::timestamp)).toList();
        assertThat(points).hasSize(2);
        assertThat(points.get(0).timestamp()).isEqualTo(t0);
        assertThat(points.get(0).sum()).isEqualTo(4.0);
        assertThat(points.get(0).sampleCount()).isEqualTo(2.0);
        assertThat(points.get(0).average()).isEqualTo(2.0);
        assertThat(points.get(0).minimum()).isEqualTo(1.0);
        assertThat(points.get(0).maximum()).isEqualTo(3.0);
        assertThat(points.get(0).unit()).isEqualTo(StandardUnit.COUNT);
        assertThat(points.get(1).timestamp()).isEqualTo(t0.plusSeconds(60));
        assertThat(points.get(1).sum()).isEqualTo(10.0);

        List<Datapoint> fiveMinutes = cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("Invocations")
                .dimensions(fn).startTime(t0).endTime(t0.plusSeconds(600)).period(300).statistics(Statistic.SUM)).datapoints();
        assertThat(fiveMinutes).hasSize(1);
        assertThat(fiveMinutes.get(0).sum()).isEqualTo(21.0);
        assertThat(fiveMinutes.get(0).average()).isNull();

        assertThat(cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("Invocations").startTime(t0)
                .endTime(t0.plusSeconds(600)).period(600).statistics(Statistic.SUM)).datapoints())
                .extracting(Datapoint::sum).containsExactly(100.0);
        assertThat(cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("Invocations").dimensions(fn)
                .startTime(t0).endTime(t0.plusSeconds(600)).period(600).statistics(Statistic.SUM)
                .unit(StandardUnit.SECONDS)).datapoints()).isEmpty();
    }

    @Test
    void highResolutionDataAnswersSubMinutePeriods() {
        String ns = namespace();
        Instant t0 = minuteAgo(5);
        put(ns, MetricDatum.builder().metricName("Latency").value(5.0).timestamp(t0.plusSeconds(3)).storageResolution(1).build(),
                MetricDatum.builder().metricName("Latency").value(7.0).timestamp(t0.plusSeconds(12)).storageResolution(1).build(),
                MetricDatum.builder().metricName("Latency").value(9.0).timestamp(t0.plusSeconds(18)).storageResolution(1).build());
        List<Datapoint> points = cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("Latency")
                .startTime(t0.plusSeconds(4)).endTime(t0.plusSeconds(60)).period(10).statistics(Statistic.MAXIMUM))
                .datapoints().stream().sorted(Comparator.comparing(Datapoint::timestamp)).toList();
        // StartTime t0+4 is floored to the 10-second boundary t0, so the value at t0+3 counts
        assertThat(points).extracting(Datapoint::timestamp).containsExactly(t0, t0.plusSeconds(10));
        assertThat(points).extracting(Datapoint::maximum).containsExactly(5.0, 9.0);
        assertThat(points.get(0).unit()).isEqualTo(StandardUnit.NONE);
    }

    @Test
    void percentilesComeFromRawValuesAndValueCounts() {
        String ns = namespace();
        Instant t0 = minuteAgo(3);
        List<Double> values = IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();
        put(ns, MetricDatum.builder().metricName("Duration").values(values.subList(0, 50)).timestamp(t0).unit(StandardUnit.MILLISECONDS).build(),
                MetricDatum.builder().metricName("Duration").values(values.subList(50, 100)).timestamp(t0.plusSeconds(1)).unit(StandardUnit.MILLISECONDS).build(),
                MetricDatum.builder().metricName("Weighted").values(1.0, 10.0).counts(9.0, 1.0).timestamp(t0).build(),
                MetricDatum.builder().metricName("Summarised").statisticValues(StatisticSet.builder()
                        .sampleCount(4.0).sum(40.0).minimum(5.0).maximum(15.0).build()).timestamp(t0).build(),
                MetricDatum.builder().metricName("Negative").values(-1.0, 2.0).timestamp(t0).build());

        Datapoint duration = cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("Duration").startTime(t0)
                .endTime(t0.plusSeconds(60)).period(60).extendedStatistics("p50", "p90", "p99", "p100", "tm90", "IQM", "tc(10:20)"))
                .datapoints().get(0);
        assertThat(duration.extendedStatistics()).containsEntry("p50", 50.0).containsEntry("p90", 90.0)
                .containsEntry("p99", 99.0).containsEntry("p100", 100.0).containsEntry("tc(10:20)", 10.0);
        assertThat(duration.extendedStatistics().get("tm90")).isCloseTo(45.5, within(1e-9));
        assertThat(duration.extendedStatistics().get("IQM")).isCloseTo(50.5, within(1e-9));
        assertThat(duration.sampleCount()).isNull();
        assertThat(duration.unit()).isEqualTo(StandardUnit.MILLISECONDS);

        Datapoint weighted = cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("Weighted").startTime(t0)
                .endTime(t0.plusSeconds(60)).period(60).extendedStatistics("p90", "p95")).datapoints().get(0);
        assertThat(weighted.extendedStatistics()).containsEntry("p90", 1.0).containsEntry("p95", 10.0);
        assertThat(cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("Weighted").startTime(t0)
                .endTime(t0.plusSeconds(60)).period(60).statistics(Statistic.SAMPLE_COUNT, Statistic.SUM)).datapoints().get(0))
                .satisfies(p -> {
                    assertThat(p.sampleCount()).isEqualTo(10.0);
                    assertThat(p.sum()).isEqualTo(19.0);
                });

        Datapoint summarised = cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("Summarised").startTime(t0)
                .endTime(t0.plusSeconds(60)).period(60).extendedStatistics("p50")).datapoints().get(0);
        assertThat(summarised.extendedStatistics()).isEmpty();
        Datapoint negative = cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("Negative").startTime(t0)
                .endTime(t0.plusSeconds(60)).period(60).extendedStatistics("p50")).datapoints().get(0);
        assertThat(negative.extendedStatistics()).isEmpty();
    }

    @Test
    void getMetricDataReturnsSeriesInScanOrderAndPaginates() {
        String ns = namespace();
        Instant t0 = minuteAgo(20);
        for (int i = 0; i < 6; i++) put(ns, value("Errors", i + 1, t0.plusSeconds(60L * i)));
        Metric errors = Metric.builder().namespace(ns).metricName("Errors").build();
        MetricDataQuery sum = MetricDataQuery.builder().id("sum1").metricStat(s -> s.metric(errors).period(60).stat("Sum")).build();
        MetricDataQuery max = MetricDataQuery.builder().id("max2").label("Biggest").metricStat(s -> s.metric(errors).period(120).stat("Maximum")).build();
        MetricDataQuery hidden = MetricDataQuery.builder().id("hidden").returnData(false).metricStat(s -> s.metric(errors).period(60).stat("p50")).build();

        GetMetricDataResponse response = cloudWatch.getMetricData(b -> b.metricDataQueries(sum, max, hidden)
                .startTime(t0).endTime(t0.plusSeconds(360)));
        assertThat(response.metricDataResults()).extracting(MetricDataResult::id).containsExactly("sum1", "max2");
        MetricDataResult sums = response.metricDataResults().get(0);
        assertThat(sums.label()).isEqualTo("Errors");
        assertThat(sums.values()).containsExactly(6.0, 5.0, 4.0, 3.0, 2.0, 1.0);
        assertThat(sums.timestamps().get(0)).isEqualTo(t0.plusSeconds(300));
        assertThat(sums.statusCodeAsString()).isEqualTo("Complete");
        assertThat(response.metricDataResults().get(1).label()).isEqualTo("Biggest");
        assertThat(response.metricDataResults().get(1).values()).containsExactly(6.0, 4.0, 2.0);

        assertThat(cloudWatch.getMetricData(b -> b.metricDataQueries(sum).startTime(t0).endTime(t0.plusSeconds(360))
                .scanBy(ScanBy.TIMESTAMP_ASCENDING)).metricDataResults().get(0).values()).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);

        GetMetricDataResponse firstPage = cloudWatch.getMetricData(b -> b.metricDataQueries(sum, max).startTime(t0)
                .endTime(t0.plusSeconds(360)).maxDatapoints(4));
        assertThat(firstPage.nextToken()).isNotNull();
        assertThat(firstPage.metricDataResults().get(0).statusCodeAsString()).isEqualTo("PartialData");
        List<Double> allValues = cloudWatch.getMetricDataPaginator(b -> b.metricDataQueries(sum, max).startTime(t0)
                .endTime(t0.plusSeconds(360)).maxDatapoints(4)).stream()
                .flatMap(page -> page.metricDataResults().stream()).flatMap(r -> r.values().stream()).toList();
        assertThat(allValues).containsExactly(6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 6.0, 4.0, 2.0);
    }

    @Test
    void getMetricDataReportsEveryBadQueryOnItsOwnLineOfOneValidationError() {
        Instant t0 = minuteAgo(10);
        Metric errors = Metric.builder().namespace(namespace()).metricName("Errors").build();
        MetricDataQuery badId = MetricDataQuery.builder().id("A").metricStat(s -> s.metric(errors).period(60).stat("Sum")).build();
        MetricDataQuery good = MetricDataQuery.builder().id("good").metricStat(s -> s.metric(errors).period(60).stat("Sum")).build();
        MetricDataQuery badStat = MetricDataQuery.builder().id("m3").metricStat(s -> s.metric(errors).period(60).stat("Foo")).build();

        assertThatThrownBy(() -> cloudWatch.getMetricData(b -> b.metricDataQueries(badId, good, badStat)
                .startTime(t0).endTime(t0.plusSeconds(300))))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                            "The value A for parameter MetricDataQueries.member.1.Id is not matching the expected pattern"
                                    + " ^[a-z][a-zA-Z0-9_]*$.\n"
                                    + "The value Foo for parameter MetricDataQueries.member.3.MetricStat.Stat is not a valid"
                                    + " statistic.\n");
                });
        assertThatThrownBy(() -> cloudWatch.getMetricData(b -> b.metricDataQueries(good).startTime(t0).endTime(t0)))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("The parameter StartTime must not equal parameter EndTime.\n");
                });
    }

    @Test
    void listMetricsFiltersByNamespaceNameAndDimensions() {
        String ns = namespace();
        Instant now = Instant.now();
        Dimension a = Dimension.builder().name("FunctionName").value("a").build();
        Dimension b2 = Dimension.builder().name("FunctionName").value("b").build();
        Dimension resource = Dimension.builder().name("Resource").value("a:live").build();
        put(ns, value("Invocations", 1, now, a), value("Invocations", 1, now, b2), value("Errors", 1, now, a),
                value("Invocations", 1, now, resource, a), value("Invocations", 2, now, a));
        assertThat(cloudWatch.listMetrics(b -> b.namespace(ns)).metrics()).hasSize(4);
        assertThat(cloudWatch.listMetrics(b -> b.namespace(ns).metricName("Errors")).metrics())
                .extracting(Metric::metricName).containsExactly("Errors");
        List<Metric> forA = cloudWatch.listMetrics(b -> b.namespace(ns).metricName("Invocations")
                .dimensions(DimensionFilter.builder().name("FunctionName").value("a").build())).metrics();
        assertThat(forA).hasSize(2);
        assertThat(cloudWatch.listMetrics(b -> b.namespace(ns).dimensions(DimensionFilter.builder().name("Resource").build()))
                .metrics()).singleElement().satisfies(m -> assertThat(m.dimensions()).containsExactlyInAnyOrder(resource, a));
        assertThat(cloudWatch.listMetrics(b -> b.namespace(ns).recentlyActive("PT3H")).metrics()).hasSize(4);
    }

    @Test
    void putMetricDataAndQueriesAreValidatedWithAwsErrors() {
        String ns = namespace();
        Instant now = Instant.now();
        assertThatThrownBy(() -> put(ns, MetricDatum.builder().metricName("m").value(1.0)
                .statisticValues(StatisticSet.builder().sampleCount(1.0).sum(1.0).minimum(1.0).maximum(1.0).build()).build()))
                .isInstanceOfSatisfying(InvalidParameterCombinationException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterCombination");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The parameters MetricData.member.1.Value and "
                            + "MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThatThrownBy(() -> put("AWS/Lambda", value("m", 1, now)))
                .isInstanceOfSatisfying(InvalidParameterValueException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> put(ns, MetricDatum.builder().metricName("m").values(1.0, 2.0).counts(1.0).build()))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("must be of the same size");
        assertThatThrownBy(() -> put(ns, value("m", 1, now.minus(15, ChronoUnit.DAYS))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("Timestamp");
        assertThatThrownBy(() -> put(ns, MetricDatum.builder().metricName("m").build()))
                .isInstanceOfSatisfying(MissingRequiredParameterException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter"));
        Instant minute = minuteAgo(0);
        assertThatThrownBy(() -> cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("m")
                .startTime(minute.minus(2, ChronoUnit.DAYS)).endTime(minute).period(60).statistics(Statistic.SUM)))
                .isInstanceOfSatisfying(InvalidParameterCombinationException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterCombination");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("You have requested up to 2880 datapoints,"
                            + " which exceeds the limit of 1440. You may reduce the datapoints requested by increasing"
                            + " Period, or decreasing the time range.");
                });
        assertThatThrownBy(() -> cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("m")
                .startTime(minute).endTime(minute).period(60).statistics(Statistic.SUM)))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The parameter StartTime must not equal parameter EndTime."));
        assertThatThrownBy(() -> cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("m")
                .startTime(now.minusSeconds(600)).endTime(now).period(7).statistics(Statistic.SUM)))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("m")
                .startTime(now.minusSeconds(600)).endTime(now).period(60).statistics(Statistic.SUM).extendedStatistics("p99")))
                .isInstanceOf(InvalidParameterCombinationException.class);
        assertThatThrownBy(() -> cloudWatch.getMetricStatistics(b -> b.namespace(ns).metricName("m")
                .startTime(now.minusSeconds(600)).endTime(now).period(60)))
                .isInstanceOfSatisfying(InvalidParameterCombinationException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterCombination");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Must specify either Statistics or ExtendedStatistics");
                });
    }

    @Test
    void javaApiPublishesAwsNamespaceMetrics() {
        String fn = "fn-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = minuteAgo(2);
        eddy.cloudWatch().put("000000000000", "us-east-1", "AWS/Lambda", "Duration", Map.of("FunctionName", fn),
                12.5, "Milliseconds", t0.plusSeconds(1));
        eddy.cloudWatch().put("000000000000", "us-east-1", "AWS/Lambda", "Duration", Map.of("FunctionName", fn),
                20.0, "Milliseconds", t0.plusSeconds(2));
        Datapoint point = cloudWatch.getMetricStatistics(b -> b.namespace("AWS/Lambda").metricName("Duration")
                .dimensions(Dimension.builder().name("FunctionName").value(fn).build()).startTime(t0)
                .endTime(t0.plusSeconds(60)).period(60).statistics(Statistic.AVERAGE, Statistic.MAXIMUM)).datapoints().get(0);
        assertThat(point.average()).isEqualTo(16.25);
        assertThat(point.maximum()).isEqualTo(20.0);
        assertThat(point.unit()).isEqualTo(StandardUnit.MILLISECONDS);
    }
}
