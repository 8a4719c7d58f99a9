package io.eddy.it.lambda;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

import io.eddy.lambda.InvocationResult;
import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * Measures what Eddy adds to an invocation (not part of the test suite; run its main): warm
 * invocations of trivial Java and Python handlers through the Java API event sources use and
 * through the SDK, and Python cold starts. Prints percentiles in milliseconds.
 */
public final class LambdaOverheadBenchmark {

    private LambdaOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory()); LambdaClient lambda = LambdaTestSupport.client(eddy)) {
            lambda.createFunction(b -> b.functionName("bench-java").runtime(Runtime.JAVA21).role(LambdaTestSupport.ROLE)
                    .handler("bench.Echo").code(c -> c.zipFile(JavaPackages.zip(Map.of("bench.Echo", """
                            package bench;
                            import com.amazonaws.services.lambda.runtime.*;
                            import java.util.Map;
                            public class Echo implements RequestHandler<Map<String, Object>, Object> {
                                public Object handleRequest(Map<String, Object> event, Context context) {
                                    return event.get("n");
                                }
                            }
                            """)))));
            LambdaTestSupport.createPython(lambda, "bench-python", "def handler(event, context):\n    return event['n']\n");
            LambdaTestSupport.awaitActive(lambda, "bench-java");
            LambdaTestSupport.awaitActive(lambda, "bench-python");
            System.out.println("load average before: " + loadAverage());

            javaApi(eddy, "bench-java", warm * 3, warm * 10);
            javaApi(eddy, "bench-python", warm / 3, warm);
            sdk(lambda, "bench-java", warm / 3, warm);
            sdk(lambda, "bench-python", warm / 3, warm);
            coldStarts(eddy, lambda, "bench-python", 20, 0);
            coldStarts(eddy, lambda, "bench-python", 20, 2000);
            System.out.println("load average after: " + loadAverage());
        }
    }

    private static void javaApi(Eddy eddy, String function, int warmup, int count) {
        byte[] payload = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < warmup; i++) eddy.lambda().invoke("000000000000", "us-east-1", function, null, payload);
        long[] nanos = new long[count];
        double handler = 0;
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            InvocationResult result = eddy.lambda().invoke("000000000000", "us-east-1", function, null, payload);
            nanos[i] = System.nanoTime() - start;
            handler += result.durationMillis();
            if (result.failed()) throw new IllegalStateException(new String(result.payload(), StandardCharsets.UTF_8));
        }
        report(function + " warm, Java API (whole call)", nanos);
        System.out.printf("    mean REPORT Duration (runtime round trip incl. handler): %.3f ms%n", handler / count);
    }

    private static void sdk(LambdaClient lambda, String function, int warmup, int count) {
        SdkBytes payload = SdkBytes.fromUtf8String("{\"n\":1}");
        for (int i = 0; i < warmup; i++) lambda.invoke(b -> b.functionName(function).payload(payload));
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            lambda.invoke(b -> b.functionName(function).payload(payload));
            nanos[i] = System.nanoTime() - start;
        }
        report(function + " warm, SDK over HTTP", nanos);
    }

    /**
     * Each configuration update retires the warm environment, so the next event starts a new one.
     * {@code pauseMillis} between them lets the spare runtime process that replaces a taken one
     * finish starting (cold starts that come in quick succession catch it half started).
     */
    private static void coldStarts(Eddy eddy, LambdaClient lambda, String function, int count, long pauseMillis)
            throws InterruptedException {
        byte[] payload = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        long[] nanos = new long[count];
        long[] init = new long[count];
        for (int i = 0; i < count; i++) {
            String value = Integer.toString(i);
            lambda.updateFunctionConfiguration(b -> b.functionName(function).environment(e -> e.variables(Map.of("RUN", value))));
            lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName(function));
            Thread.sleep(pauseMillis);
            long start = System.nanoTime();
            InvocationResult result = eddy.lambda().invoke("000000000000", "us-east-1", function, null, payload);
            nanos[i] = System.nanoTime() - start;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Init Duration: ([0-9.]+) ms").matcher(result.log());
            if (!m.find()) throw new IllegalStateException("not a cold start");
            init[i] = (long) (Double.parseDouble(m.group(1)) * 1e6);
        }
        report(function + " cold start, pause " + pauseMillis + " ms, whole call", nanos);
        report(function + " cold start, pause " + pauseMillis + " ms, Init Duration", init);
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-45s n=%d p50=%.3f p90=%.3f p99=%.3f ms%n", what, sorted.length, ms(sorted, 0.50),
                ms(sorted, 0.90), ms(sorted, 0.99));
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }

    private static String loadAverage() throws Exception {
        return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim();
    }
}
