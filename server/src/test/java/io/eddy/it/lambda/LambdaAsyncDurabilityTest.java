package io.eddy.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private static final Pattern READY = Pattern.compile("ready on (http://\\S+)");

    record Server(Process process, URI endpoint) {
    }

    static Server launch(Path dataDir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.eddy.server.Main",
                "--port", "0", "--data-dir", dataDir.toString(), "--quiet")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return new Server(process, URI.create(m.group(1)));
            }
        }
        throw new IllegalStateException("server exited before it was ready");
    }

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
        Server first = launch(dataDir);
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

        Server second = launch(dataDir);
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
