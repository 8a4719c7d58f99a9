package io.eddy.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.eddy.it.support.PythonScript;
import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * Seeds 001 and 002's order pipeline end to end: stream → processor → SNS → SQS → shipment consumer →
 * stream again, an analytics fan-out on the same stream, and a poison order bisected to a dead-letter
 * queue. The handlers call DynamoDB and SNS through boto3 with no endpoint in their code.
 */
class Seed001OrderPipelineTest {

    @Test
    void ordersFlowThroughTheWholePipelineAndThePoisonOrderIsSetAside() throws Exception {
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory())) {
            PythonScript.Result result = PythonScript.run(eddy, "seed001_order_pipeline.py");
            assertThat(result.output()).contains("seed001 order pipeline OK");
            assertThat(result.exitCode()).as(result.output()).isZero();
        }
    }
}
