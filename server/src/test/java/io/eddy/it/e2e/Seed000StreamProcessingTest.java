package io.eddy.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.eddy.it.support.PythonScript;
import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * Seed 000's exercises 1–6 end to end: table → stream → event source mapping → Python handler,
 * checked through FilterLogEvents and GetMetricStatistics as the seed's reader checks them.
 */
class Seed000StreamProcessingTest {

    @Test
    void streamEventsReachTheHandlerAndShowInLogsAndMetrics() throws Exception {
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory())) {
            PythonScript.Result result = PythonScript.run(eddy, "seed000_stream_processing.py");
            assertThat(result.output()).contains("seed000 stream processing OK");
            assertThat(result.exitCode()).as(result.output()).isZero();
        }
    }
}
