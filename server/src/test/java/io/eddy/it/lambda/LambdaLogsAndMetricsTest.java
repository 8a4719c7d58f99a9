package io.eddy.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/** Function logs in CloudWatch Logs and AWS/Lambda metrics in CloudWatch, read back through the SDK. */
class LambdaLogsAndMetricsTest {

    static Eddy eddy;
    static LambdaClient lambda;
    static CloudWatchLogsClient logs;
    static CloudWatchClient cloudWatch;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        lambda = LambdaTestSupport.client(eddy);
        logs = LambdaTestSupport.logsClient(eddy);
        cloudWatch = LambdaTestSupport.cloudWatchClient(eddy);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        logs.close();
        cloudWatch.close();
        eddy.close();
    }

    private static InvokeResponse invoke(String name, String qualifier, String payload) {
        return lambda.invoke(b -> b.functionName(name).qualifier(qualifier).payload(SdkBytes.fromUtf8String(payload)));
    }

    @Test
    void handlerOutputAndStartEndReportLinesGoToOneStreamPerExecutionEnvironment() throws Exception {
        LambdaTestSupport.createPython(lambda, "logs-ddb", """
                import time
                def handler(event, context):
                    for record in event["Records"]:
                        print("Processing %s for item: %s" % (record["eventName"], record["dynamodb"]["Keys"]["id"]["S"]))
                    time.sleep(event.get("sleep", 0))
                    return len(event["Records"])
                """);
        LambdaTestSupport.awaitActive(lambda, "logs-ddb");
        String event = """
                {"Records":[{"eventName":"INSERT","dynamodb":{"Keys":{"id":{"S":"X"}}}},
                            {"eventName":"MODIFY","dynamodb":{"Keys":{"id":{"S":"Y"}}}}],"sleep":SLEEP}""";
        InvokeResponse first = invoke("logs-ddb", null, event.replace("SLEEP", "0"));
        String requestId = first.responseMetadata().requestId();
        // two events at once need a second execution environment, which logs to a stream of its own
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<InvokeResponse>> both = new ArrayList<>();
            for (int i = 0; i < 2; i++) both.add(pool.submit(() -> invoke("logs-ddb", null, event.replace("SLEEP", "1"))));
            for (Future<InvokeResponse> f : both) assertThat(f.get().functionError()).isNull();
        } finally {
            pool.shutdown();
        }
        LambdaTestSupport.drain(eddy);

        List<LogStream> streams = logs.describeLogStreams(b -> b.logGroupName("/aws/lambda/logs-ddb")).logStreams();
        assertThat(streams).hasSize(2);
        assertThat(streams).extracting(LogStream::logStreamName)
                .allMatch(n -> n.matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST][0-9a-f]{32}"), "Lambda's stream name format");

        List<FilteredLogEvent> inserts = LambdaTestSupport.logEvents(logs, "/aws/lambda/logs-ddb", "\"Processing INSERT\"");
        assertThat(inserts).hasSize(3).extracting(FilteredLogEvent::message).containsOnly("Processing INSERT for item: X\n");

        String firstStream = LambdaTestSupport.logEvents(logs, "/aws/lambda/logs-ddb", "\"START RequestId: " + requestId + "\"")
                .get(0).logStreamName();
        List<String> lines = logs.getLogEvents(b -> b.logGroupName("/aws/lambda/logs-ddb").logStreamName(firstStream)
                .startFromHead(true)).events().stream().map(OutputLogEvent::message).toList();
        int start = lines.indexOf("START RequestId: " + requestId + " Version: $LATEST\n");
        assertThat(start).isNotNegative();
        assertThat(lines.subList(start, start + 4)).containsExactly(
                "START RequestId: " + requestId + " Version: $LATEST\n",
                "Processing INSERT for item: X\n",
                "Processing MODIFY for item: Y\n",
                "END RequestId: " + requestId + "\n");
        assertThat(lines.get(start + 4)).startsWith("REPORT RequestId: " + requestId + "\tDuration: ");
    }

    private static double statistic(String metric, Statistic statistic, Map<String, String> dimensions) {
        Instant now = Instant.now();
        List<Datapoint> points = cloudWatch.getMetricStatistics(b -> b.namespace("AWS/Lambda").metricName(metric)
                .dimensions(dimensions.entrySet().stream().map(e -> Dimension.builder().name(e.getKey()).value(e.getValue())
                        .build()).toList())
                .startTime(now.minus(30, ChronoUnit.MINUTES)).endTime(now.plus(30, ChronoUnit.MINUTES)).period(3600)
                .statistics(statistic)).datapoints();
        if (points.isEmpty()) return 0;
        Datapoint p = points.get(0);
        return switch (statistic) {
            case SUM -> p.sum();
            case SAMPLE_COUNT -> p.sampleCount();
            case MAXIMUM -> p.maximum();
            case MINIMUM -> p.minimum();
            default -> p.average();
        };
    }

    @Test
    void invocationsErrorsDurationConcurrencyAndThrottlesAreMetricsPerFunctionVersionAndAlias() {
        LambdaTestSupport.createPython(lambda, "metered", """
                def handler(event, context):
                    if event.get("fail"):
                        raise ValueError("asked to fail")
                    return "ok"
                """);
        LambdaTestSupport.awaitActive(lambda, "metered");
        for (int i = 0; i < 3; i++) assertThat(invoke("metered", null, "{}").functionError()).isNull();
        for (int i = 0; i < 2; i++) assertThat(invoke("metered", null, "{\"fail\":true}").functionError()).isEqualTo("Unhandled");
        lambda.publishVersion(b -> b.functionName("metered"));
        lambda.createAlias(b -> b.functionName("metered").name("live").functionVersion("1"));
        assertThat(invoke("metered", "live", "{}").executedVersion()).isEqualTo("1");
        assertThat(invoke("metered", "1", "{\"fail\":true}").functionError()).isEqualTo("Unhandled");
        lambda.putFunctionConcurrency(b -> b.functionName("metered").reservedConcurrentExecutions(0));
        assertThatThrownBy(() -> invoke("metered", null, "{}")).isInstanceOf(TooManyRequestsException.class);
        LambdaTestSupport.drain(eddy);

        Map<String, String> function = Map.of("FunctionName", "metered");
        assertThat(statistic("Invocations", Statistic.SUM, function)).isEqualTo(7);
        assertThat(statistic("Errors", Statistic.SUM, function)).isEqualTo(3);
        assertThat(statistic("Errors", Statistic.SAMPLE_COUNT, function)).isEqualTo(7);
        assertThat(statistic("Duration", Statistic.SAMPLE_COUNT, function)).isEqualTo(7);
        assertThat(statistic("Duration", Statistic.MAXIMUM, function)).isPositive();
        assertThat(statistic("Throttles", Statistic.SUM, function)).isEqualTo(1);
        assertThat(statistic("ConcurrentExecutions", Statistic.MAXIMUM, function)).isEqualTo(1);

        Map<String, String> alias = Map.of("FunctionName", "metered", "Resource", "metered:live");
        assertThat(statistic("Invocations", Statistic.SUM, alias)).isEqualTo(1);
        assertThat(statistic("Invocations", Statistic.SUM,
                Map.of("FunctionName", "metered", "Resource", "metered:live", "ExecutedVersion", "1"))).isEqualTo(1);
        Map<String, String> version = Map.of("FunctionName", "metered", "Resource", "metered:1");
        assertThat(statistic("Errors", Statistic.SUM, version)).isEqualTo(1);
        assertThat(statistic("ConcurrentExecutions", Statistic.MAXIMUM, alias)).isEqualTo(1);
        assertThat(statistic("ConcurrentExecutions", Statistic.SAMPLE_COUNT, alias)).isEqualTo(1);
        assertThat(statistic("ConcurrentExecutions", Statistic.MAXIMUM, version)).isEqualTo(1);
        assertThat(statistic("ConcurrentExecutions", Statistic.SAMPLE_COUNT, version)).isEqualTo(1);
        assertThat(statistic("Invocations", Statistic.SUM, Map.of())).isGreaterThanOrEqualTo(7);
        assertThat(cloudWatch.listMetrics(b -> b.namespace("AWS/Lambda").metricName("Invocations")).metrics())
                .anySatisfy(m -> assertThat(m.dimensions()).isEmpty());
    }
}
