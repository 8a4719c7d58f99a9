package io.eddy.it.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * CloudWatch metrics over AWS JSON 1.0 (botocore's choice), Query and RPC v2 CBOR, and the polling
 * that {@code aws logs tail --follow} does, all through boto3.
 */
class CloudWatchBoto3Test {

    @Test
    void allThreeMetricProtocolsAndLogTailingWorkThroughBoto3() throws Exception {
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory())) {
            ProcessBuilder pb = new ProcessBuilder("python3", Path.of("src/test/python/cloudwatch_protocols.py").toString())
                    .redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("AWS_ENDPOINT_URL", eddy.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", "test");
            env.put("AWS_SECRET_ACCESS_KEY", "test");
            env.put("AWS_DEFAULT_REGION", "us-east-1");
            env.put("AWS_CONFIG_FILE", "/dev/null");
            env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
            Process process = pb.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(output).contains("metrics over json OK", "metrics over query OK", "metrics over smithy-rpc-v2-cbor OK",
                    "logs tail --follow polling OK", "cloudwatch-py OK");
            assertThat(process.exitValue()).as(output).isZero();
        }
    }
}
