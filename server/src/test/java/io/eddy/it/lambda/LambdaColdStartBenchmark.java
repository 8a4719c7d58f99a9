package io.eddy.it.lambda;

import static io.eddy.it.lambda.LambdaTestSupport.ROLE;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

import io.eddy.lambda.InvocationResult;
import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * Measures Python and Node.js cold starts (not part of the test suite; run its main, optionally with
 * the number of cold starts per series and {@code python} or {@code node} to measure only one): back to back (each configuration update retires the warm
 * environment, so the next event starts a new one), paused (the spare that replaces a taken one has
 * time to finish starting), and in bursts of concurrent cold starts. Prints percentiles in
 * milliseconds of the whole call and of the REPORT line's Init Duration and Duration (the first event).
 */
public final class LambdaColdStartBenchmark {

    private static final Pattern INIT_DURATION = Pattern.compile("Init Duration: ([0-9.]+) ms");

    private LambdaColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory()); LambdaClient lambda = LambdaTestSupport.client(eddy)) {
            LambdaTestSupport.createPython(lambda, "cold-python", """
                    import time
                    def handler(event, context):
                        time.sleep(event.get('sleep', 0))
                        return event['n']
                    """);
            lambda.createFunction(b -> b.functionName("cold-node").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                    .code(c -> c.zipFile(LambdaTestSupport.zip(Map.of("index.mjs", """
                            export const handler = async (event) => {
                              if (event.sleep) await new Promise((resolve) => setTimeout(resolve, event.sleep * 1000));
                              return event.n;
                            };
                            """)))));
            LambdaTestSupport.awaitActive(lambda, "cold-python");
            LambdaTestSupport.awaitActive(lambda, "cold-node");
            System.out.println("load average before: " + loadAverage());
            for (String function : List.of("cold-python", "cold-node")) {
                if (args.length > 1 && !function.equals("cold-" + args[1])) continue;
                invoke(eddy, function, 0);
                backToBack(eddy, lambda, function, count, 0);
                backToBack(eddy, lambda, function, count, 1500);
                burst(eddy, lambda, function, 4, Math.max(1, count / 4));
            }
            System.out.println("load average after: " + loadAverage());
        }
    }

    private static void backToBack(Eddy eddy, LambdaClient lambda, String function, int count, long pauseMillis)
            throws InterruptedException {
        long[] nanos = new long[count];
        long[] init = new long[count];
        long[] firstEvent = new long[count];
        for (int i = 0; i < count; i++) {
            redeploy(lambda, function, i);
            Thread.sleep(pauseMillis);
            long start = System.nanoTime();
            InvocationResult result = invoke(eddy, function, 0);
            nanos[i] = System.nanoTime() - start;
            init[i] = initDurationNanos(result);
            firstEvent[i] = (long) (result.durationMillis() * 1e6);
        }
        report(function + " back to back, pause " + pauseMillis + " ms, whole call", nanos);
        report(function + " back to back, pause " + pauseMillis + " ms, Init Duration", init);
        report(function + " back to back, pause " + pauseMillis + " ms, first Duration", firstEvent);
    }

    /** {@code size} events at once on a function without a warm environment, {@code rounds} times. */
    private static void burst(Eddy eddy, LambdaClient lambda, String function, int size, int rounds) throws Exception {
        long[] init = new long[size * rounds];
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try {
            for (int round = 0; round < rounds; round++) {
                redeploy(lambda, function, 1000 + round);
                Thread.sleep(1500);
                List<Future<InvocationResult>> results = new ArrayList<>();
                for (int i = 0; i < size; i++) results.add(pool.submit(() -> invoke(eddy, function, 0.3)));
                for (int i = 0; i < size; i++) init[round * size + i] = initDurationNanos(results.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
        report(function + " burst of " + size + ", Init Duration", init);
    }

    private static void redeploy(LambdaClient lambda, String function, int run) {
        lambda.updateFunctionConfiguration(b -> b.functionName(function)
                .environment(e -> e.variables(Map.of("RUN", Integer.toString(run)))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName(function));
    }

    private static InvocationResult invoke(Eddy eddy, String function, double sleepSeconds) {
        byte[] payload = ("{\"n\":1,\"sleep\":" + sleepSeconds + "}").getBytes(StandardCharsets.UTF_8);
        InvocationResult result = eddy.lambda().invoke("000000000000", "us-east-1", function, null, payload);
        if (result.failed()) throw new IllegalStateException(new String(result.payload(), StandardCharsets.UTF_8));
        return result;
    }

    private static long initDurationNanos(InvocationResult result) {
        Matcher m = INIT_DURATION.matcher(result.log());
        if (!m.find()) throw new IllegalStateException("not a cold start: " + result.log());
        return (long) (Double.parseDouble(m.group(1)) * 1e6);
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-55s n=%d p50=%.1f p90=%.1f max=%.1f ms (load %s)%n", what, sorted.length, ms(sorted, 0.50),
                ms(sorted, 0.90), sorted[sorted.length - 1] / 1e6, loadAverage().split(" ")[0]);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }

    private static String loadAverage() {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
