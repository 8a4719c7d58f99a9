package io.eddy.it.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.eddy.it.support.PythonScript;
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
            PythonScript.Result result = PythonScript.run(eddy, "cloudwatch_protocols.py");
            String output = result.output();
            assertThat(output).contains("metrics over json OK", "metrics over query OK", "metrics over smithy-rpc-v2-cbor OK",
                    "logs tail --follow polling OK", "cloudwatch-py OK");
            assertThat(result.exitCode()).as(output).isZero();
        }
    }
}
