package io.eddy.it.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MessageData;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/** GetMetricData's metric math expressions through the Java SDK, over datapoints put with PutMetricData. */
class CloudWatchMetricMathTest {

    static Eddy eddy;
    static CloudWatchClient cloudWatch;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        cloudWatch = CloudWatchClient.builder()
                .endpointOverride(eddy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("000000000000", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        cloudWatch.close();
        eddy.close();
    }

    /** A fresh namespace whose metrics have one datapoint per minute from {@link #T0}; null leaves a minute empty. */
    static String putPerMinute(String metricName, Double... perMinute) {
        String namespace = "Math/" + UUID.randomUUID().toString().substring(0, 8);
        putPerMinute(namespace, metricName, perMinute);
        return namespace;
    }

    static void putPerMinute(String namespace, String metricName, Double... perMinute) {
        for (int i = 0; i < perMinute.length; i++) {
            if (perMinute[i] == null) continue;
            Instant at = T0.plusSeconds(60L * i + 10);
            double value = perMinute[i];
            cloudWatch.putMetricData(b -> b.namespace(namespace).metricData(MetricDatum.builder().metricName(metricName)
                    .value(value).timestamp(at).build()));
        }
    }

    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(30, ChronoUnit.MINUTES);

    static MetricDataQuery sum(String id, String namespace, String metricName, boolean returnData) {
        return MetricDataQuery.builder().id(id).returnData(returnData).metricStat(s -> s.period(60).stat("Sum")
                .metric(Metric.builder().namespace(namespace).metricName(metricName).build())).build();
    }

    static MetricDataQuery expression(String id, String expression) {
        return MetricDataQuery.builder().id(id).expression(expression).build();
    }

    /** GetMetricData over {@code minutes} minutes from T0, oldest datapoint first. */
    static GetMetricDataResponse ascending(int minutes, MetricDataQuery... queries) {
        return cloudWatch.getMetricData(b -> b.metricDataQueries(queries).startTime(T0)
                .endTime(T0.plusSeconds(60L * minutes)).scanBy(ScanBy.TIMESTAMP_ASCENDING));
    }

    static List<Instant> minutes(int... offsets) {
        return java.util.Arrays.stream(offsets).mapToObj(i -> T0.plusSeconds(60L * i)).toList();
    }

    @Test
    void errorRateDropsTheMinuteWithoutInvocationsAndSaysSo() {
        String ns = putPerMinute("Errors", 1.0, 0.0, 5.0, 2.0);
        putPerMinute(ns, "Invocations", 10.0, 0.0, 20.0, null);
        MetricDataQuery rate = MetricDataQuery.builder().id("rate").label("Error rate").expression("100*errors/invocations").build();

        GetMetricDataResponse response = cloudWatch.getMetricData(b -> b.metricDataQueries(
                        sum("errors", ns, "Errors", false), sum("invocations", ns, "Invocations", false), rate)
                .startTime(T0).endTime(T0.plusSeconds(240)));
        assertThat(response.metricDataResults()).singleElement().satisfies(result -> {
            assertThat(result.id()).isEqualTo("rate");
            assertThat(result.label()).isEqualTo("Error rate");
            assertThat(result.timestamps()).isEqualTo(minutes(2, 0));
            assertThat(result.values()).containsExactly(25.0, 10.0);
            assertThat(result.statusCodeAsString()).isEqualTo("Complete");
            assertThat(result.messages()).containsExactly(MessageData.builder().code("ArithmeticError")
                    .value("One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)").build());
        });

        MetricDataResult counts = ascending(4, sum("errors", ns, "Errors", false), sum("invocations", ns, "Invocations", false),
                expression("total", "errors + invocations")).metricDataResults().getFirst();
        assertThat(counts.label()).isEqualTo("total");
        assertThat(counts.values()).containsExactly(11.0, 0.0, 25.0, 2.0);
        assertThat(counts.messages()).isEmpty();
    }

    @Test
    void sumOfMetricsAndFillCoverTheRequestedRange() {
        String ns = putPerMinute("Requests", 1.0, null, null, 4.0, null);
        putPerMinute(ns, "Retries", 10.0, 20.0, null, null, null);
        MetricDataQuery requests = sum("requests", ns, "Requests", true);
        MetricDataQuery retries = sum("retries", ns, "Retries", false);

        GetMetricDataResponse response = ascending(5, requests, retries, expression("total", "SUM(METRICS())"),
                expression("zeroes", "FILL(requests, 0)"), expression("repeated", "FILL(requests, REPEAT)"),
                expression("line", "FILL(requests, LINEAR)"));
        assertThat(response.metricDataResults()).extracting(MetricDataResult::id)
                .containsExactly("requests", "total", "zeroes", "repeated", "line");
        assertThat(response.metricDataResults()).extracting(MetricDataResult::label)
                .containsExactly("Requests", "total", "zeroes", "repeated", "line");
        assertThat(response.metricDataResults()).extracting(MetricDataResult::values).containsExactly(
                List.of(1.0, 4.0),
                List.of(11.0, 20.0, 4.0),
                List.of(1.0, 0.0, 0.0, 4.0, 0.0),
                List.of(1.0, 1.0, 1.0, 4.0, 4.0),
                List.of(1.0, 2.0, 3.0, 4.0));
        assertThat(response.metricDataResults().get(2).timestamps()).isEqualTo(minutes(0, 1, 2, 3, 4));
        assertThat(response.metricDataResults().get(4).timestamps()).isEqualTo(minutes(0, 1, 2, 3));
    }

    @Test
    void rateDiffAndIfWorkDatapointByDatapoint() {
        String ns = putPerMinute("Queue", 2.0, 5.0, null, 11.0);
        MetricDataQuery queue = sum("queue", ns, "Queue", false);

        GetMetricDataResponse response = ascending(4, queue, expression("growth", "DIFF(queue)"),
                expression("perSecond", "RATE(queue)"), expression("gap", "DIFF_TIME(queue)"),
                expression("total", "RUNNING_SUM(queue)"), expression("busy", "IF(queue > 4, queue, 0)"),
                expression("perMinute", "queue / PERIOD(queue) * 60"));
        assertThat(response.metricDataResults()).extracting(MetricDataResult::values).containsExactly(
                List.of(3.0, 6.0),
                List.of(0.05, 0.05),
                List.of(60.0, 120.0),
                List.of(2.0, 7.0, 18.0),
                List.of(0.0, 5.0, 11.0),
                List.of(2.0, 5.0, 11.0));
        assertThat(response.metricDataResults().getFirst().timestamps()).isEqualTo(minutes(1, 3));
    }

    @Test
    void expressionsUseHiddenExpressionsAndAnArrayAnswersOneResultPerSeries() {
        String ns = putPerMinute("Hits", 1.0, 2.0);
        putPerMinute(ns, "Misses", 3.0, null);
        MetricDataQuery doubled = MetricDataQuery.builder().id("doubled").label("Twice").expression("METRICS() * 2").build();
        MetricDataQuery hidden = MetricDataQuery.builder().id("everything").returnData(false).expression("hits + misses").build();
        MetricDataQuery share = expression("share", "hits / everything");

        GetMetricDataResponse response = ascending(2, sum("hits", ns, "Hits", false), sum("misses", ns, "Misses", false),
                doubled, hidden, share);
        assertThat(response.metricDataResults()).extracting(MetricDataResult::id).containsExactly("doubled", "doubled", "share");
        assertThat(response.metricDataResults()).extracting(MetricDataResult::label)
                .containsExactly("Twice Hits", "Twice Misses", "share");
        assertThat(response.metricDataResults()).extracting(MetricDataResult::values)
                .containsExactly(List.of(2.0, 4.0), List.of(6.0), List.of(0.25, 1.0));
    }

    @Test
    void brokenExpressionsAnswerOneValidationErrorLinePerProblem() {
        String ns = putPerMinute("Hits", 1.0);
        MetricDataQuery hits = sum("hits", ns, "Hits", true);
        assertThatThrownBy(() -> ascending(1, hits, expression("e1", "e2 + hits"), expression("e2", "e1 * 2"),
                expression("e3", "hits + nothing"), expression("e4", "MEDIAN(hits)"), expression("e5", "hits *")))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                            "Error in expression e3: Unrecognized Id nothing.\n"
                                    + "Error in expression e4: Unknown function MEDIAN.\n"
                                    + "Error in expression e5: Unexpected end of expression.\n"
                                    + "Error in expression e1: Circular reference e1 -> e2 -> e1.\n");
                });
        assertThatThrownBy(() -> ascending(1, hits, expression("mean", "AVG(hits)")))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Error in expression mean: The result is a"
                            + " scalar; an expression must return a time series or an array of time series.\n");
                });
        assertThat(ascending(1, sum("hits", ns, "Hits", false), MetricDataQuery.builder().id("mean").returnData(false)
                .expression("AVG(hits)").build(), expression("centred", "hits - mean")).metricDataResults())
                .singleElement().satisfies(r -> assertThat(r.values()).containsExactly(0.0));
    }

    @Test
    void expressionsLongerThanTheModelAllowsAreRefusedNotEvaluated() {
        String ns = putPerMinute("Deep", 1.0);
        // deeply nested past the model's 2048 characters: refused before the parser recurses
        String deep = "(".repeat(1500) + "deep" + ")".repeat(1500);
        assertThatThrownBy(() -> ascending(1, sum("deep", ns, "Deep", false), expression("e1", deep)))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("MetricDataQueries.member.2.Expression");
                });
        String nested = "(".repeat(1000) + "deep" + ")".repeat(1000);
        assertThat(ascending(1, sum("deep", ns, "Deep", false), expression("e1", nested)).metricDataResults())
                .singleElement().satisfies(r -> assertThat(r.values()).containsExactly(1.0));
    }

    /** FILL creates datapoints only where the period's data could be: a year at one minute is 15 days of them. */
    @Test
    void fillOverAYearStopsAtWhatThePeriodRetains() {
        String ns = putPerMinute("Sparse", 7.0);
        GetMetricDataResponse response = cloudWatch.getMetricData(b -> b.metricDataQueries(sum("sparse", ns, "Sparse", false),
                        expression("filled", "FILL(sparse, 0)"))
                .startTime(T0.minus(365, ChronoUnit.DAYS)).endTime(T0.plus(365, ChronoUnit.DAYS)).maxDatapoints(100_000));
        MetricDataResult filled = response.metricDataResults().getFirst();
        assertThat(filled.timestamps().size()).isBetween(15 * 24 * 60, 15 * 24 * 60 + 2 * 60 + 2);
        assertThat(filled.values()).contains(7.0);
        assertThat(filled.timestamps()).allSatisfy(t -> assertThat(t)
                .isBetween(Instant.now().minus(15, ChronoUnit.DAYS).minusSeconds(60), Instant.now().plus(2, ChronoUnit.HOURS).plusSeconds(120)));
    }

    @Test
    void expressionResultsPageLikeMetricResults() {
        String ns = putPerMinute("Jobs", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        List<MetricDataQuery> queries = List.of(sum("jobs", ns, "Jobs", false),
                expression("tripled", "jobs * 3"), expression("squared", "jobs ^ 2"));

        GetMetricDataResponse first = cloudWatch.getMetricData(b -> b.metricDataQueries(queries).startTime(T0)
                .endTime(T0.plusSeconds(360)).maxDatapoints(4));
        assertThat(first.nextToken()).isNotNull();
        assertThat(first.metricDataResults().getFirst().values()).containsExactly(18.0, 15.0, 12.0, 9.0);
        assertThat(first.metricDataResults().getFirst().statusCodeAsString()).isEqualTo("PartialData");
        assertThat(first.metricDataResults().get(1).values()).isEmpty();

        List<Double> all = cloudWatch.getMetricDataPaginator(b -> b.metricDataQueries(queries).startTime(T0)
                        .endTime(T0.plusSeconds(360)).maxDatapoints(4).scanBy(ScanBy.TIMESTAMP_ASCENDING)).stream()
                .flatMap(page -> page.metricDataResults().stream()).flatMap(r -> r.values().stream()).toList();
        assertThat(all).containsExactly(3.0, 6.0, 9.0, 12.0, 15.0, 18.0, 1.0, 4.0, 9.0, 16.0, 25.0, 36.0);
    }

    @Test
    void metricsInsightsQueriesAreRefused() {
        assertThatThrownBy(() -> ascending(1, expression("q1", "SELECT AVG(CPUUtilization) FROM SCHEMA(\"AWS/EC2\")")))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Error in expression q1: Eddy does not evaluate Metrics Insights queries.\n"));
    }
}
