package io.eddy.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.eddy.server.Eddy;

/**
 * AWS CLI v2 (Debian's {@code awscli} package at /usr/bin/aws; the machine image's {@code aws} on PATH
 * is v1, which has no {@code logs tail}). Its 2.9 release predates {@code AWS_ENDPOINT_URL}, so the
 * endpoint goes on the command line, as users of that release give it.
 */
public final class AwsCliV2 {

    /** Set by {@code .ci/run}, which installs the CLI: there a missing CLI v2 fails instead of skipping. */
    public static final boolean REQUIRED = "true".equals(System.getenv("EDDY_REQUIRE_AWS_CLI_V2"));
    private static final Path BINARY = Path.of("/usr/bin/aws");

    private AwsCliV2() {
    }

    public static boolean installed() {
        if (!Files.isExecutable(BINARY)) return false;
        try {
            Process version = new ProcessBuilder(BINARY.toString(), "--version").redirectErrorStream(true).start();
            if (!version.waitFor(30, TimeUnit.SECONDS)) {
                version.destroyForcibly();
                return false;
            }
            return new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).startsWith("aws-cli/2.");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A long-running CLI command whose output lines are read as they come. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        private Running(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) lines.add(line);
                } catch (IOException closed) {
                    // the process was stopped
                }
            });
        }

        /** Every line printed so far, waiting up to {@code timeout} until one satisfies {@code wanted}. */
        public List<String> awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen.stream().noneMatch(wanted)) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) break;
                seen.add(line);
            }
            return List.copyOf(seen);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    public static Running start(Eddy eddy, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--endpoint-url", eddy.endpoint().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        AwsClientEnvironment.pointAt(eddy, pb.environment());
        return new Running(pb.start());
    }
}
