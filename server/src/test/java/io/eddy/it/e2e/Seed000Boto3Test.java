package io.eddy.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.eddy.it.support.PythonScript;
import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/** Seed 000's single-table exercises, driven by boto3 and the AWS CLI exactly as a user would. */
class Seed000Boto3Test {

    @Test
    void singleTableDesignWorksThroughBoto3AndTheCli() throws Exception {
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory())) {
            PythonScript.Result result = PythonScript.run(eddy, "seed000_single_table.py");
            String output = result.output();
            assertThat(output).contains("seed000 OK");
            assertThat(result.exitCode()).as(output).isZero();
        }
    }
}
