package io.eddy.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/** Seed 000's single-table exercises, driven by boto3 and the AWS CLI exactly as a user would. */
class Seed000Boto3Test {

    @Test
    void singleTableDesignWorksThroughBoto3AndTheCli() throws Exception {
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory())) {
            ProcessBuilder pb = new ProcessBuilder("python3", Path.of("src/test/python/seed000_single_table.py").toString())
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
            assertThat(output).contains("seed000 OK");
            assertThat(process.exitValue()).as(output).isZero();
        }
    }
}
