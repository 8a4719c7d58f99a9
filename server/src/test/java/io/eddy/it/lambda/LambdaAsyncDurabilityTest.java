package io.eddy.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eddy.it.support.ServerProcess;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Event invocations accepted with 202 survive a kill -9 of the server and run after the restart. */
class LambdaAsyncDurabilityTest {

    static LambdaClient client(URI endpoint) {
        return LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static Set<String> processed(Path out) throws Exception {
        return Files.exists(out) ? new HashSet<>(Files.readAllLines(out)) : Set.of();
    }

    @Test
    void acceptedEventsSurviveKillNine(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        Path out = dir.resolve("processed.txt");
        Set<String> accepted = new HashSet<>();
        ServerProcess first = ServerProcess.launch(dataDir);
        try (LambdaClient lambda = client(first.endpoint())) {
            lambda.createFunction(b -> b.functionName("slow-writer").runtime(Runtime.PYTHON3_12).role(LambdaTestSupport.ROLE)
                    .handler("lambda_function.handler")
                    .environment(e -> e.variables(Map.of("OUT", out.toString())))
                    .code(c -> c.zipFile(LambdaTestSupport.zip(Map.of("lambda_function.py", """
                            import os, time
                            def handler(event, context):
                                time.sleep(0.3)
                                with open(os.environ["OUT"], "a") as f:
                                    f.write(event["id"] + "\\n")
                            """)))));
            LambdaTestSupport.awaitActive(lambda, "slow-writer");
            lambda.putFunctionConcurrency(b -> b.functionName("slow-writer").reservedConcurrentExecutions(1));
            for (int i = 0; i < 12; i++) {
                String id = "event-" + i;
                int status = lambda.invoke(b -> b.functionName("slow-writer").invocationType(InvocationType.EVENT)
                        .payload(SdkBytes.fromUtf8String("{\"id\":\"" + id + "\"}"))).statusCode();
                assertThat(status).isEqualTo(202);
                accepted.add(id);
            }
        } finally {
            first.process().destroyForcibly();
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(processed(out)).as("the kill came before every event ran").hasSizeLessThan(accepted.size());

        ServerProcess second = ServerProcess.launch(dataDir);
        try {
            long giveUp = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!processed(out).containsAll(accepted) && System.nanoTime() < giveUp) Thread.sleep(100);
            assertThat(processed(out)).containsAll(accepted);
        } finally {
            second.process().destroy();
            second.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
