package io.eddy.it.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;

import io.eddy.server.Eddy;

/** Builds deployment packages from source strings and creates functions through the SDK. */
final class LambdaTestSupport {

    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    private LambdaTestSupport() {
    }

    static LambdaClient client(Eddy eddy) {
        return LambdaClient.builder()
                .endpointOverride(eddy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
                .build();
    }

    static CloudWatchLogsClient logsClient(Eddy eddy) {
        return CloudWatchLogsClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static CloudWatchClient cloudWatchClient(Eddy eddy) {
        return CloudWatchClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static SqsClient sqsClient(Eddy eddy) {
        return SqsClient.builder().endpointOverride(eddy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Waits until Eddy's background work (asynchronous invocations, log and metric delivery) is done. */
    static void drain(Eddy eddy) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            eddy.endpoint().resolve("/_eddy/drain?timeout=60s"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) throw new AssertionError("drain: " + response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every event of a log group, in order, through FilterLogEvents. */
    static java.util.List<FilteredLogEvent> logEvents(CloudWatchLogsClient logs, String group, String pattern) {
        return logs.filterLogEventsPaginator(b -> b.logGroupName(group).filterPattern(pattern)).events().stream().toList();
    }

    /** A zip of {@code files} (path to content); paths listed in {@code executables} get mode 755. */
    static SdkBytes zip(Map<String, String> files, String... executables) {
        try {
            Path dir = Files.createTempDirectory("eddy-zip");
            Path zip = dir.resolve("code.zip");
            try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()),
                    Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
                for (Map.Entry<String, String> file : files.entrySet()) {
                    Path target = fs.getPath("/" + file.getKey());
                    if (target.getParent() != null) Files.createDirectories(target.getParent());
                    Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
                    boolean executable = java.util.Arrays.asList(executables).contains(file.getKey());
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            byte[] bytes = Files.readAllBytes(zip);
            Files.delete(zip);
            Files.delete(dir);
            return SdkBytes.fromByteArray(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CreateFunctionResponse createPython(LambdaClient lambda, String name, String source) {
        return lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("lambda_function.handler")
                .code(c -> c.zipFile(zip(Map.of("lambda_function.py", source)))));
    }

    static CreateFunctionResponse createNode(LambdaClient lambda, String name, String source) {
        return lambda.createFunction(b -> b.functionName(name).runtime(Runtime.NODEJS20_X).role(ROLE)
                .handler("index.handler")
                .code(c -> c.zipFile(zip(Map.of("index.mjs", source)))));
    }

    static void awaitActive(LambdaClient lambda, String name) {
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(name));
    }
}
