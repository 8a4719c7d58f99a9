package io.eddy.it.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * Runs {@code src/test/python/sns_fanout_e2e.py} with boto3 against a fresh Eddy: filtered fan-out to
 * three queues, a FIFO pipeline, and a poison message reaching an SQS dead-letter queue.
 */
class SnsBoto3FanoutTest {

    private static boolean boto3Available() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import boto3").redirectErrorStream(true).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void boto3FanOutFifoPipelineAndPoisonMessage() throws Exception {
        assumeTrue(boto3Available(), "python3 with boto3 is needed for this test");
        Path script = Path.of("src/test/python/sns_fanout_e2e.py").toAbsolutePath();
        assertThat(script).exists();
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory())) {
            ProcessBuilder builder = new ProcessBuilder("python3", script.toString()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("AWS_ENDPOINT_URL", eddy.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", "test");
            env.put("AWS_SECRET_ACCESS_KEY", "test");
            env.put("AWS_DEFAULT_REGION", "us-east-1");
            env.remove("AWS_PROFILE");
            Path output = Files.createTempFile("sns-boto3", ".log");
            builder.redirectOutput(output.toFile());
            Process python = builder.start();
            boolean finished = python.waitFor(180, TimeUnit.SECONDS);
            if (!finished) python.destroyForcibly();
            String log = Files.readString(output, StandardCharsets.UTF_8);
            Files.deleteIfExists(output);
            assertThat(finished).as("script finished; output:\n" + log).isTrue();
            assertThat(python.exitValue()).as("script output:\n" + log).isZero();
            assertThat(log).contains("SNS fan-out end-to-end: OK");
        }
    }
}
