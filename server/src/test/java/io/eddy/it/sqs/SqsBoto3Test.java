package io.eddy.it.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.eddy.it.support.PythonScript;
import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/** SQS through boto3 and the AWS CLI: botocore's classic error codes, resources, long polling, FIFO. */
class SqsBoto3Test {

    @Test
    void boto3AndTheCliWorkAgainstSqs() throws Exception {
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory())) {
            PythonScript.Result result = PythonScript.run(eddy, "sqs_boto3.py");
            String output = result.output();
            assertThat(output).contains("queues and errors OK", "messages OK", "fifo OK", "cli OK", "sqs-py OK");
            assertThat(result.exitCode()).as(output).isZero();
        }
    }
}
