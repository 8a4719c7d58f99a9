package io.eddy.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import io.eddy.server.Training;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * The launcher's training run (the traffic behind its ahead-of-time cache) must drive the flows it claims
 * to: stream records of inserts and updates reach the Python function through the mapping.
 * Training.run() itself fails on any request that does not succeed.
 */
class TrainingTest {

    static Eddy eddy;
    static CloudWatchLogsClient logs;
    static CloudWatchClient cloudWatch;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        logs = LambdaTestSupport.logsClient(eddy);
        cloudWatch = LambdaTestSupport.cloudWatchClient(eddy);
    }

    @AfterAll
    static void stop() {
        logs.close();
        cloudWatch.close();
        eddy.close();
    }

    @Test
    void trainingTrafficRunsTheStreamMappingAndLambdaFlows() throws Exception {
        new Training(eddy.endpoint(), 20).run();
        LambdaTestSupport.drain(eddy);

        assertThat(LambdaTestSupport.logEvents(logs, "/aws/lambda/training-stream", "\"Processing INSERT\""))
                .isNotEmpty();
        assertThat(LambdaTestSupport.logEvents(logs, "/aws/lambda/training-stream", "\"Processing MODIFY\""))
                .isNotEmpty();
        List<Datapoint> invocations = cloudWatch.getMetricStatistics(b -> b.namespace("AWS/Lambda")
                .metricName("Invocations").dimensions(d -> d.name("FunctionName").value("training-stream"))
                .startTime(Instant.now().minusSeconds(600)).endTime(Instant.now().plusSeconds(60)).period(60)
                .statistics(Statistic.SUM)).datapoints();
        // the 10 direct invokes (rounds / 4 per client) plus at least one batch of stream records
        assertThat(invocations.stream().mapToDouble(Datapoint::sum).sum()).isGreaterThan(10);
    }
}
