package io.eddy.it.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.eddy.server.Eddy;

/**
 * Runs one of the end-to-end scripts in {@code src/test/python} with boto3 and the AWS CLI pointed
 * at an Eddy, as a user's shell would be after {@code export AWS_ENDPOINT_URL=...}.
 */
public final class PythonScript {

    /** What the script printed (stdout and stderr together) and how it exited. */
    public record Result(int exitCode, String output) {
    }

    private PythonScript() {
    }

    public static Result run(Eddy eddy, String scriptName) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("python3", Path.of("src/test/python", scriptName).toString())
                .redirectErrorStream(true);
        AwsClientEnvironment.pointAt(eddy, pb.environment());
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(scriptName + " did not finish in 120 s:\n" + output);
        }
        return new Result(process.exitValue(), output);
    }
}
