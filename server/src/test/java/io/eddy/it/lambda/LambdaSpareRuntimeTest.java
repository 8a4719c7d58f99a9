package io.eddy.it.lambda;

import static io.eddy.it.lambda.LambdaTestSupport.ROLE;
import static io.eddy.it.lambda.LambdaTestSupport.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * Cold starts that take a runtime process started ahead of need (a spare): the process must behave
 * exactly as one started for the function, and never run code or configuration of an older deployment.
 */
class LambdaSpareRuntimeTest {

    static Eddy eddy;
    static LambdaClient lambda;
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        lambda = LambdaTestSupport.client(eddy);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        eddy.close();
    }

    private static JsonNode invoke(String name) throws Exception {
        InvokeResponse response = lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String("{}")));
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        return json.readTree(response.payload().asUtf8String());
    }

    private static void updateEnvironment(String name, Map<String, String> variables) {
        lambda.updateFunctionConfiguration(b -> b.functionName(name).environment(e -> e.variables(variables)));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName(name));
    }

    private static void updateCode(String name, String file, String source) {
        lambda.updateFunctionCode(b -> b.functionName(name).zipFile(zip(Map.of(file, source))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName(name));
    }

    @Test
    void nodeSpareTakesOnTheFunctionsEnvironmentDirectoryAndModulePath() throws Exception {
        lambda.createFunction(b -> b.functionName("node-spare-env").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                .environment(e -> e.variables(Map.of("TABLE", "orders", "TZ", "America/New_York")))
                .code(c -> c.zipFile(zip(Map.of("index.js", """
                        const helper = require('helper');
                        exports.handler = async () => ({
                          table: process.env.TABLE,
                          functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
                          taskRoot: process.env.LAMBDA_TASK_ROOT,
                          nodePath: process.env.NODE_PATH,
                          runtimeApi: process.env.AWS_LAMBDA_RUNTIME_API,
                          cwd: process.cwd(),
                          argv: process.argv.length,
                          utcOffsetMinutes: -new Date(Date.UTC(2024, 0, 15)).getTimezoneOffset(),
                          helper: helper.name,
                          pid: process.pid,
                          startedAtMillis: performance.timeOrigin,
                        });
                        """, "helper.js", "exports.name = 'found through NODE_PATH';")))));
        LambdaTestSupport.awaitActive(lambda, "node-spare-env");
        JsonNode first = invoke("node-spare-env");
        assertThat(first.path("table").asText()).isEqualTo("orders");

        // the first cold start's spare was replaced at once; the next cold start takes that replacement
        updateEnvironment("node-spare-env", Map.of("TABLE", "invoices", "TZ", "Asia/Kolkata"));
        long sentAt = System.currentTimeMillis();
        JsonNode taken = invoke("node-spare-env");
        assertThat(taken.path("pid").asLong()).isNotEqualTo(first.path("pid").asLong());
        assertThat(taken.path("startedAtMillis").asDouble()).as("a process started before the event was sent").isLessThan(sentAt);
        assertThat(taken.path("table").asText()).isEqualTo("invoices");
        assertThat(taken.path("utcOffsetMinutes").asInt()).isEqualTo(330);
        assertThat(taken.path("functionName").asText()).isEqualTo("node-spare-env");
        assertThat(taken.path("cwd").asText()).isEqualTo(taken.path("taskRoot").asText());
        assertThat(taken.path("nodePath").asText()).endsWith(":" + taken.path("taskRoot").asText());
        assertThat(taken.path("runtimeApi").asText()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(taken.path("argv").asInt()).isEqualTo(2);
        assertThat(taken.path("helper").asText()).isEqualTo("found through NODE_PATH");
        assertThat(first.path("utcOffsetMinutes").asInt()).isEqualTo(-300);
    }

    @Test
    void nodeRedeploysWhileSparesWaitNeverRunOldCode() throws Exception {
        lambda.createFunction(b -> b.functionName("node-spare-deploy").runtime(Runtime.NODEJS22_X).role(ROLE)
                .handler("index.handler").environment(e -> e.variables(Map.of("STAGE", "a")))
                .code(c -> c.zipFile(zip(Map.of("index.mjs", handlerVersion(0))))));
        LambdaTestSupport.awaitActive(lambda, "node-spare-deploy");
        assertThat(invoke("node-spare-deploy").path("version").asText()).isEqualTo("v0a");
        for (int version = 1; version <= 3; version++) {
            updateCode("node-spare-deploy", "index.mjs", handlerVersion(version));
            assertThat(invoke("node-spare-deploy").path("version").asText()).isEqualTo("v" + version + "a");
        }
        updateEnvironment("node-spare-deploy", Map.of("STAGE", "b"));
        assertThat(invoke("node-spare-deploy").path("version").asText()).isEqualTo("v3b");

        // a burst of cold starts keeps more spares; the next burst after a redeploy takes only those, all on the new code
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int version = 4; version <= 5; version++) {
                updateCode("node-spare-deploy", "index.mjs", handlerVersion(version));
                long sentAt = System.currentTimeMillis();
                List<Future<JsonNode>> runs = new ArrayList<>();
                for (int i = 0; i < 3; i++) runs.add(pool.submit(() -> invoke("node-spare-deploy")));
                List<JsonNode> results = new ArrayList<>();
                for (Future<JsonNode> run : runs) results.add(run.get());
                assertThat(results).extracting(r -> r.path("version").asText()).containsOnly("v" + version + "b");
                assertThat(results).extracting(r -> r.path("pid").asLong()).doesNotHaveDuplicates();
                if (version == 5) {
                    assertThat(results).extracting(r -> r.path("startedAtMillis").asDouble())
                            .as("every cold start of the second burst took a spare").allMatch(started -> started < sentAt);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static String handlerVersion(int version) {
        return """
                import { setTimeout } from 'node:timers/promises';
                export const handler = async () => {
                  await setTimeout(300);
                  return { version: 'v%d' + process.env.STAGE, pid: process.pid, startedAtMillis: performance.timeOrigin };
                };
                """.formatted(version);
    }

    @Test
    void nodeOptionsAreGivenToARuntimeStartedWithThem() throws Exception {
        lambda.createFunction(b -> b.functionName("node-options").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                .environment(e -> e.variables(Map.of("NODE_OPTIONS", "--require ./preload.cjs")))
                .code(c -> c.zipFile(zip(Map.of(
                        "preload.cjs", "globalThis.preloaded = 'yes';",
                        "index.mjs", "export const handler = async () => ({ preloaded: globalThis.preloaded ?? 'no' });")))));
        LambdaTestSupport.awaitActive(lambda, "node-options");
        assertThat(invoke("node-options").path("preloaded").asText()).isEqualTo("yes");
        updateEnvironment("node-options", Map.of("NODE_OPTIONS", "--require ./preload.cjs", "RUN", "2"));
        assertThat(invoke("node-options").path("preloaded").asText()).isEqualTo("yes");
    }

    @Test
    void pythonSpareTakesOnTheFunctionsEnvironment() throws Exception {
        lambda.createFunction(b -> b.functionName("py-spare-env").runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("lambda_function.handler").environment(e -> e.variables(Map.of("TABLE", "orders", "TZ", "America/New_York")))
                .code(c -> c.zipFile(zip(Map.of("lambda_function.py", """
                        import calendar, os, sys, time
                        def age_seconds():
                            # /proc/self/stat field 22: the start time in clock ticks after boot
                            with open('/proc/self/stat') as f:
                                started = int(f.read().rsplit(')', 1)[1].split()[19]) / os.sysconf('SC_CLK_TCK')
                            with open('/proc/uptime') as f:
                                return float(f.read().split()[0]) - started
                        def handler(event, context):
                            return {
                                "table": os.environ.get("TABLE"),
                                "cwd": os.getcwd(),
                                "taskRoot": os.environ.get("LAMBDA_TASK_ROOT"),
                                "argv": len(sys.argv),
                                "utcOffsetMinutes": time.localtime(calendar.timegm((2024, 1, 15, 0, 0, 0))).tm_gmtoff // 60,
                                "ageSeconds": age_seconds(),
                            }
                        """)))));
        LambdaTestSupport.awaitActive(lambda, "py-spare-env");
        assertThat(invoke("py-spare-env").path("table").asText()).isEqualTo("orders");
        updateEnvironment("py-spare-env", Map.of("TABLE", "invoices", "TZ", "Asia/Kolkata"));
        // the spare that replaced the first cold start's has been waiting at least this long
        Thread.sleep(600);
        long start = System.nanoTime();
        JsonNode taken = invoke("py-spare-env");
        double callSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(taken.path("ageSeconds").asDouble()).as("a process started before the event was sent")
                .isGreaterThan(callSeconds + 0.3);
        assertThat(taken.path("table").asText()).isEqualTo("invoices");
        assertThat(taken.path("utcOffsetMinutes").asInt()).isEqualTo(330);
        assertThat(taken.path("cwd").asText()).isEqualTo(taken.path("taskRoot").asText());
        assertThat(taken.path("argv").asInt()).isEqualTo(1);
    }

    @Test
    void pythonStartupVariablesAreGivenToARuntimeStartedWithThem() throws Exception {
        lambda.createFunction(b -> b.functionName("py-startup").runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("lambda_function.handler").environment(e -> e.variables(Map.of("PYTHONDONTWRITEBYTECODE", "1")))
                .code(c -> c.zipFile(zip(Map.of("lambda_function.py", """
                        import sys
                        def handler(event, context):
                            return {"dontWriteBytecode": sys.flags.dont_write_bytecode}
                        """)))));
        LambdaTestSupport.awaitActive(lambda, "py-startup");
        assertThat(invoke("py-startup").path("dontWriteBytecode").asInt()).isEqualTo(1);
        updateEnvironment("py-startup", Map.of("PYTHONDONTWRITEBYTECODE", "1", "RUN", "2"));
        assertThat(invoke("py-startup").path("dontWriteBytecode").asInt()).isEqualTo(1);
    }
}
