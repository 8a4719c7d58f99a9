import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.eddy.lambda.InvocationResult;
import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * What Eddy adds to a warm invocation without HTTP in front of it: trivial Java (in-process) and Python
 * handlers invoked through the Java API Eddy's own event sources (mappings, SNS, destinations) call.
 * Run by bench/lambda.sh as a single-file program on the server jar's class path:
 *
 * <pre>java -cp server/target/eddy-server.jar bench/lambda/LambdaOverhead.java JAVA_ZIP PYTHON_ZIP COUNT WARMUP [DATA_DIR]</pre>
 *
 * Starts its own Eddy (in memory, or persistent in DATA_DIR), creates the functions over its HTTP API and
 * prints one line {@code RESULT key=value ...} in microseconds.
 */
public final class LambdaOverhead {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";
    private static final byte[] PAYLOAD = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);

    private LambdaOverhead() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: LambdaOverhead JAVA_ZIP PYTHON_ZIP COUNT WARMUP [DATA_DIR]");
            System.exit(2);
        }
        Path javaZip = Path.of(args[0]);
        Path pythonZip = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        EddyConfig config = args.length > 4 ? EddyConfig.persistent(Path.of(args[4])) : EddyConfig.inMemory();
        try (Eddy eddy = Eddy.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            createFunction(http, eddy, "echo-java", "java21", "bench.Echo", javaZip);
            createFunction(http, eddy, "echo-python", "python3.12", "echo.handler", pythonZip);
            Map<String, String> results = new LinkedHashMap<>();
            results.putAll(measure(eddy, "java", "echo-java", count, warmup));
            results.putAll(measure(eddy, "python", "echo-python", count, warmup));
            StringBuilder line = new StringBuilder("RESULT");
            results.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
            System.out.println(line);
        }
    }

    private static void createFunction(HttpClient http, Eddy eddy, String name, String runtime, String handler, Path zip)
            throws Exception {
        Map<String, Object> request = Map.of("FunctionName", name, "Runtime", runtime, "Handler", handler,
                "Role", "arn:aws:iam::" + ACCOUNT + ":role/bench-lambda", "Timeout", 60, "MemorySize", 512,
                "Code", Map.of("ZipFile", Base64.getEncoder().encodeToString(Files.readAllBytes(zip))));
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(eddy.endpoint().resolve("/2015-03-31/functions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) throw new IllegalStateException("CreateFunction " + name + ": " + created.body());
        URI function = eddy.endpoint().resolve("/2015-03-31/functions/" + name);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"Active".equals(JSON.readTree(http.send(HttpRequest.newBuilder(function).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("Configuration").path("State").asText())) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(name + " not Active after 30 s");
            Thread.sleep(10);
        }
    }

    /** Whole-call times of {@code count} warm invocations, and the mean Duration Eddy reported for them. */
    private static Map<String, String> measure(Eddy eddy, String prefix, String function, int count, int warmup) {
        for (int i = 0; i < warmup; i++) invoke(eddy, function);
        long[] nanos = new long[count];
        double reportedMillis = 0;
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            InvocationResult result = invoke(eddy, function);
            nanos[i] = System.nanoTime() - started;
            reportedMillis += result.durationMillis();
        }
        Arrays.sort(nanos);
        Map<String, String> results = new LinkedHashMap<>();
        results.put(prefix + "_p50_us", micros(nanos, 0.50));
        results.put(prefix + "_p90_us", micros(nanos, 0.90));
        results.put(prefix + "_p99_us", micros(nanos, 0.99));
        results.put(prefix + "_max_us", String.format("%.1f", nanos[nanos.length - 1] / 1e3));
        results.put(prefix + "_report_duration_mean_us", String.format("%.1f", reportedMillis * 1000 / count));
        return results;
    }

    private static InvocationResult invoke(Eddy eddy, String function) {
        InvocationResult result = eddy.lambda().invoke(ACCOUNT, REGION, function, null, PAYLOAD);
        if (result.failed()) throw new IllegalStateException(function + ": " + new String(result.payload(), StandardCharsets.UTF_8));
        return result;
    }

    private static String micros(long[] sorted, double fraction) {
        return String.format("%.1f", sorted[(int) Math.min(sorted.length - 1, Math.round(fraction * (sorted.length - 1)))] / 1e3);
    }
}
