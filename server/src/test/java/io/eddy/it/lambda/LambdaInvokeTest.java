package io.eddy.it.lambda;

import static io.eddy.it.lambda.LambdaTestSupport.ROLE;
import static io.eddy.it.lambda.LambdaTestSupport.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

import io.eddy.lambda.InvocationResult;
import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

class LambdaInvokeTest {

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

    private static InvokeResponse invoke(String name, String payload) {
        return lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
    }

    private static JsonNode body(InvokeResponse response) throws Exception {
        return json.readTree(response.payload().asUtf8String());
    }

    @Test
    void pythonHandlerReturnsValueAndWarmEnvironmentIsReused() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-value", """
                import os
                count = 0
                def handler(event, context):
                    global count
                    count += 1
                    return {"echo": event["x"], "count": count, "pid": os.getpid()}
                """);
        InvokeResponse first = invoke("py-value", "{\"x\": 41}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.functionError()).as(first.payload().asUtf8String()).isNull();
        assertThat(first.executedVersion()).isEqualTo("$LATEST");
        assertThat(body(first).path("echo").asInt()).isEqualTo(41);
        InvokeResponse second = invoke("py-value", "{\"x\": 42}");
        assertThat(body(second).path("count").asInt()).isEqualTo(2);
        assertThat(body(second).path("pid").asLong()).isEqualTo(body(first).path("pid").asLong());
    }

    /** A client context reaches the handler as one header even when the caller pretty-printed its JSON. */
    @Test
    void aPrettyPrintedClientContextReachesTheHandler() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-client-context", """
                def handler(event, context):
                    return {"custom": context.client_context.custom, "env": context.client_context.env}
                """);
        String clientContext = "{\n  \"custom\": {\"tenant\": \"acme\"},\r\n  \"env\": {\"locale\": \"en-GB\"}\n}";
        InvokeResponse response = lambda.invoke(b -> b.functionName("py-client-context")
                .clientContext(java.util.Base64.getEncoder().encodeToString(clientContext.getBytes(StandardCharsets.UTF_8)))
                .payload(SdkBytes.fromUtf8String("{}")));
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        assertThat(body(response).path("custom").path("tenant").asText()).isEqualTo("acme");
        assertThat(body(response).path("env").path("locale").asText()).isEqualTo("en-GB");
        for (String notAnObject : new String[] {"not json", "[1, 2]"}) {
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("py-client-context")
                    .clientContext(java.util.Base64.getEncoder().encodeToString(notAnObject.getBytes(StandardCharsets.UTF_8)))
                    .payload(SdkBytes.fromUtf8String("{}"))))
                    .isInstanceOf(InvalidParameterValueException.class)
                    .hasMessageContaining("Client context must be a valid Base64-encoded JSON object.");
        }
    }

    /** Events larger than a socket takes at once reach the runtime whole (the rest follows through the event loop). */
    @Test
    void eventsOfSeveralMegabytesReachTheHandlerWhole() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-large", """
                import hashlib
                def handler(event, context):
                    data = event["data"]
                    return {"length": len(data), "sha256": hashlib.sha256(data.encode()).hexdigest(),
                            "request": context.aws_request_id}
                """);
        for (int size : new int[] {5_500_000, 100, 3_000_000}) {
            StringBuilder data = new StringBuilder(size);
            for (int i = 0; i < size; i++) data.append((char) ('a' + i % 26));
            InvokeResponse response = invoke("py-large", "{\"data\":\"" + data + "\"}");
            assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
            assertThat(body(response).path("length").asInt()).isEqualTo(size);
            assertThat(body(response).path("sha256").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(data.toString().getBytes(StandardCharsets.UTF_8))));
            assertThat(body(response).path("request").asText()).isEqualTo(response.responseMetadata().requestId());
        }
    }

    /** A response over 6 MB fails that invocation only: the runtime is told 413 and serves the next one. */
    @Test
    void anOversizedResponseFailsItsInvocationAndTheEnvironmentCarriesOn() throws Exception {
        for (String runtime : new String[] {"python", "node"}) {
            String name = runtime + "-oversized";
            if (runtime.equals("python")) {
                LambdaTestSupport.createPython(lambda, name, """
                        def handler(event, context):
                            return "x" * event["size"]
                        """);
            } else {
                LambdaTestSupport.createNode(lambda, name, """
                        export const handler = async (event) => "x".repeat(event.size);
                        """);
            }
            InvokeResponse small = invoke(name, "{\"size\": 3}");
            InvokeResponse large = invoke(name, "{\"size\": 6300000}");
            assertThat(large.functionError()).as(runtime).isEqualTo("Unhandled");
            assertThat(body(large).path("errorType").asText()).isEqualTo("Function.ResponseSizeTooLarge");
            assertThat(body(large).path("errorMessage").asText())
                    .isEqualTo("Response payload size exceeded maximum allowed payload size (6291556 bytes).");
            InvokeResponse after = invoke(name, "{\"size\": 2}");
            assertThat(after.functionError()).as(after.payload().asUtf8String()).isNull();
            assertThat(after.payload().asUtf8String()).isEqualTo("\"xx\"");
            assertThat(small.payload().asUtf8String()).isEqualTo("\"xxx\"");
        }
    }

    @Test
    void pythonExceptionIsReportedAsUnhandledWithAwsErrorShape() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-raise", """
                def handler(event, context):
                    raise ValueError("boom " + str(event["n"]))
                """);
        InvokeResponse response = invoke("py-raise", "{\"n\": 7}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = body(response);
        assertThat(error.path("errorType").asText()).isEqualTo("ValueError");
        assertThat(error.path("errorMessage").asText()).isEqualTo("boom 7");
        assertThat(error.path("stackTrace").isArray()).isTrue();
        assertThat(error.path("stackTrace").get(0).asText()).contains("lambda_function.py").contains("in handler");
        // the environment survives a handled exception
        assertThat(invoke("py-raise", "{\"n\": 8}").functionError()).isEqualTo("Unhandled");
    }

    @Test
    void pythonImportErrorIsAnInitError() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-import", "import no_such_module_here\n");
        InvokeResponse response = lambda.invoke(b -> b.functionName("py-import").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{}")));
        assertThat(response.functionError()).isEqualTo("Unhandled");
        // the init failed: REPORT gives its status and error type, and no Init Duration
        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        assertThat(log).containsPattern("REPORT RequestId: [0-9a-f-]{36}\tDuration: \\d+\\.\\d\\d ms\t.*"
                + "\tStatus: error\tError Type: Runtime\\.ImportModuleError\n$").doesNotContain("Init Duration");
        JsonNode error = body(response);
        assertThat(error.path("errorType").asText()).isEqualTo("Runtime.ImportModuleError");
        assertThat(error.path("errorMessage").asText())
                .isEqualTo("Unable to import module 'lambda_function': No module named 'no_such_module_here'");
    }

    @Test
    void nodeHandlerAsyncAndErrors() throws Exception {
        lambda.createFunction(b -> b.functionName("node-fn").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                .code(c -> c.zipFile(zip(Map.of("index.mjs", """
                        export const handler = async (event, context) => {
                          if (event.fail) throw new TypeError('bad input');
                          console.log('hello', event.name);
                          return { greeting: `hi ${event.name}`, fn: context.functionName, remaining: context.getRemainingTimeInMillis() };
                        };
                        """)))));
        InvokeResponse ok = lambda.invoke(b -> b.functionName("node-fn").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"ada\"}")));
        assertThat(ok.functionError()).isNull();
        assertThat(body(ok).path("greeting").asText()).isEqualTo("hi ada");
        assertThat(body(ok).path("fn").asText()).isEqualTo("node-fn");
        assertThat(body(ok).path("remaining").asLong()).isBetween(1L, 3000L);
        String log = new String(Base64.getDecoder().decode(ok.logResult()), StandardCharsets.UTF_8);
        assertThat(log).containsPattern("\\tINFO\\thello ada\\n");

        InvokeResponse failed = invoke("node-fn", "{\"fail\":true}");
        assertThat(failed.functionError()).isEqualTo("Unhandled");
        assertThat(body(failed).path("errorType").asText()).isEqualTo("TypeError");
        assertThat(body(failed).path("errorMessage").asText()).isEqualTo("bad input");
        assertThat(body(failed).path("trace").get(0).asText()).isEqualTo("TypeError: bad input");
    }

    @Test
    void nodeCommonJsCallbackHandler() throws Exception {
        lambda.createFunction(b -> b.functionName("node-cjs").runtime(Runtime.NODEJS18_X).role(ROLE).handler("app.main")
                .code(c -> c.zipFile(zip(Map.of("app.js", """
                        exports.main = function (event, context, callback) {
                          callback(null, { doubled: event.n * 2 });
                        };
                        """)))));
        assertThat(body(invoke("node-cjs", "{\"n\":21}")).path("doubled").asInt()).isEqualTo(42);
    }

    /**
     * A callback handler is answered once its timers have run, unless it opts out as Lambda allows; one
     * that never calls back is answered with null once it has nothing left to run.
     */
    @Test
    void nodeCallbackHandlersWaitForAnEmptyEventLoopUnlessTheyOptOut() throws Exception {
        lambda.createFunction(b -> b.functionName("node-wait").runtime(Runtime.NODEJS20_X).role(ROLE).handler("app.main")
                .code(c -> c.zipFile(zip(Map.of("app.js", """
                        exports.main = function (event, context, callback) {
                          context.callbackWaitsForEmptyEventLoop = event.wait;
                          setTimeout(() => console.log("late work done"), 1500);
                          callback(null, "answered");
                        };
                        exports.silent = function (event, context, callback) {
                          setTimeout(() => console.log("done without answering"), 200);
                        };
                        """)))));
        for (boolean wait : new boolean[] {true, false}) {
            InvokeResponse response = lambda.invoke(b -> b.functionName("node-wait").logType(LogType.TAIL)
                    .payload(SdkBytes.fromUtf8String("{\"wait\":" + wait + "}")));
            assertThat(response.payload().asUtf8String()).isEqualTo("\"answered\"");
            String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
            if (wait) {
                assertThat(reportedDurationMillis(log)).isGreaterThanOrEqualTo(1500);
                assertThat(log.indexOf("late work done")).isBetween(0, log.indexOf("END RequestId"));
            } else {
                assertThat(reportedDurationMillis(log)).isLessThan(1500);
                assertThat(log).doesNotContain("late work done");
            }
        }
        lambda.updateFunctionConfiguration(b -> b.functionName("node-wait").handler("app.silent"));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("node-wait"));
        InvokeResponse silent = lambda.invoke(b -> b.functionName("node-wait").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{}")));
        assertThat(silent.functionError()).isNull();
        assertThat(silent.payload().asUtf8String()).isEqualTo("null");
        assertThat(new String(Base64.getDecoder().decode(silent.logResult()), StandardCharsets.UTF_8))
                .contains("done without answering");
    }

    private static double reportedDurationMillis(String log) {
        java.util.regex.Matcher duration = java.util.regex.Pattern.compile("REPORT RequestId: \\S+\tDuration: ([0-9.]+) ms")
                .matcher(log);
        assertThat(duration.find()).as(log).isTrue();
        return Double.parseDouble(duration.group(1));
    }

    @Test
    void customRuntimeBootstrapInBash() throws Exception {
        String bootstrap = """
                #!/bin/bash
                set -euo pipefail
                while true; do
                  HEADERS="$(mktemp)"
                  EVENT=$(curl -sS -LD "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
                  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
                  echo "handling $REQUEST_ID"
                  curl -sS -X POST "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" \\
                    -d "{\\"handler\\":\\"$_HANDLER\\",\\"event\\":$EVENT}" > /dev/null
                done
                """;
        lambda.createFunction(b -> b.functionName("bash-fn").runtime(Runtime.PROVIDED_AL2023).role(ROLE).handler("my.handler")
                .code(c -> c.zipFile(zip(Map.of("bootstrap", bootstrap), "bootstrap"))));
        InvokeResponse response = lambda.invoke(b -> b.functionName("bash-fn").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"k\":1}")));
        assertThat(response.functionError()).isNull();
        assertThat(body(response).path("handler").asText()).isEqualTo("my.handler");
        assertThat(body(response).path("event").path("k").asInt()).isEqualTo(1);
        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        assertThat(log).contains("handling ");
    }

    @Test
    void customRuntimeWithoutExecutableBootstrapFails() throws Exception {
        lambda.createFunction(b -> b.functionName("bash-noexec").runtime(Runtime.PROVIDED_AL2).role(ROLE).handler("x")
                .code(c -> c.zipFile(zip(Map.of("bootstrap", "#!/bin/sh\nexit 0\n")))));
        InvokeResponse response = invoke("bash-noexec", "{}");
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(body(response).path("errorType").asText()).isEqualTo("Runtime.InvalidEntrypoint");
        assertThat(body(response).path("errorMessage").asText()).endsWith("permission denied");
    }

    @Test
    void timeoutStopsTheEnvironmentAndReportsTaskTimedOut() throws Exception {
        lambda.createFunction(b -> b.functionName("py-slow").runtime(Runtime.PYTHON3_11).role(ROLE).timeout(1)
                .handler("lambda_function.handler")
                .code(c -> c.zipFile(zip(Map.of("lambda_function.py", """
                        import os, time
                        def handler(event, context):
                            if event.get("sleep"):
                                time.sleep(5)
                            return os.getpid()
                        """)))));
        long pidBefore = Long.parseLong(invoke("py-slow", "{}").payload().asUtf8String());
        long started = System.nanoTime();
        InvokeResponse response = lambda.invoke(b -> b.functionName("py-slow").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"sleep\":true}")));
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(4000);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = body(response);
        assertThat(error.path("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(error.path("errorMessage").asText()).matches("RequestId: [0-9a-f-]{36} Error: Task timed out after 1\\.\\d\\d seconds");
        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        assertThat(log).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z [0-9a-f-]{36} "
                + "Task timed out after 1\\.\\d\\d seconds\\n").contains("Status: timeout");
        // the killed interpreter's peak memory, not a placeholder
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("Max Memory Used: (\\d+) MB").matcher(log);
        assertThat(used.find()).isTrue();
        assertThat(Integer.parseInt(used.group(1))).isGreaterThanOrEqualTo(5);
        assertThat(ProcessHandle.of(pidBefore).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        long pidAfter = Long.parseLong(invoke("py-slow", "{}").payload().asUtf8String());
        assertThat(pidAfter).isNotEqualTo(pidBefore);
    }

    @Test
    void environmentVariablesAndContextAreThoseLambdaSets() throws Exception {
        lambda.createFunction(b -> b.functionName("py-env").runtime(Runtime.PYTHON3_12).role(ROLE).memorySize(256)
                .handler("lambda_function.handler").environment(e -> e.variables(Map.of("TABLE", "orders")))
                .code(c -> c.zipFile(zip(Map.of("lambda_function.py", """
                        import os
                        KEYS = ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION",
                                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "_HANDLER", "AWS_LAMBDA_LOG_GROUP_NAME",
                                "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ", "LANG",
                                "AWS_ENDPOINT_URL", "AWS_EXECUTION_ENV", "TABLE", "_X_AMZN_TRACE_ID"]
                        def handler(event, context):
                            return {
                                "env": {k: os.environ.get(k) for k in KEYS},
                                "cwd": os.getcwd(),
                                "context": {
                                    "function_name": context.function_name,
                                    "function_version": context.function_version,
                                    "invoked_function_arn": context.invoked_function_arn,
                                    "memory_limit_in_mb": context.memory_limit_in_mb,
                                    "aws_request_id": context.aws_request_id,
                                    "log_group_name": context.log_group_name,
                                    "log_stream_name": context.log_stream_name,
                                    "remaining": context.get_remaining_time_in_millis(),
                                },
                            }
                        """)))));
        JsonNode out = body(invoke("py-env", "{}"));
        JsonNode env = out.path("env");
        assertThat(env.path("AWS_REGION").asText()).isEqualTo("us-east-1");
        assertThat(env.path("AWS_DEFAULT_REGION").asText()).isEqualTo("us-east-1");
        assertThat(env.path("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("py-env");
        assertThat(env.path("AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("$LATEST");
        assertThat(env.path("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(env.path("_HANDLER").asText()).isEqualTo("lambda_function.handler");
        assertThat(env.path("AWS_LAMBDA_LOG_GROUP_NAME").asText()).isEqualTo("/aws/lambda/py-env");
        assertThat(env.path("AWS_LAMBDA_LOG_STREAM_NAME").asText()).matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST\\][0-9a-f]{32}");
        assertThat(env.path("AWS_ACCESS_KEY_ID").asText()).isEqualTo("000000000000");
        assertThat(env.path("AWS_SECRET_ACCESS_KEY").asText()).isNotBlank();
        assertThat(env.path("AWS_SESSION_TOKEN").asText()).isNotBlank();
        assertThat(env.path("AWS_LAMBDA_RUNTIME_API").asText()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(env.path("LAMBDA_TASK_ROOT").asText()).isEqualTo(out.path("cwd").asText());
        assertThat(env.path("LAMBDA_RUNTIME_DIR").asText()).isNotBlank();
        assertThat(env.path("TZ").asText()).isEqualTo(":UTC");
        assertThat(env.path("LANG").asText()).isEqualTo("en_US.UTF-8");
        assertThat(env.path("AWS_ENDPOINT_URL").asText()).isEqualTo(eddy.endpoint().toString());
        assertThat(env.path("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_python3.12");
        assertThat(env.path("TABLE").asText()).isEqualTo("orders");
        assertThat(env.path("_X_AMZN_TRACE_ID").asText()).startsWith("Root=1-");
        JsonNode context = out.path("context");
        assertThat(context.path("function_name").asText()).isEqualTo("py-env");
        assertThat(context.path("function_version").asText()).isEqualTo("$LATEST");
        assertThat(context.path("invoked_function_arn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:py-env");
        assertThat(context.path("memory_limit_in_mb").asText()).isEqualTo("256");
        assertThat(context.path("aws_request_id").asText()).matches("[0-9a-f-]{36}");
        assertThat(context.path("log_group_name").asText()).isEqualTo("/aws/lambda/py-env");
        assertThat(context.path("log_stream_name").asText()).isEqualTo(env.path("AWS_LAMBDA_LOG_STREAM_NAME").asText());
        assertThat(context.path("remaining").asLong()).isBetween(1L, 3000L);
    }

    @Test
    void tailLogCarriesStartEndReportAndHandlerOutput() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-log", """
                import logging
                logger = logging.getLogger()
                logger.setLevel(logging.INFO)
                print("init line")
                def handler(event, context):
                    print("printed", event["v"])
                    logger.info("logged %s", event["v"])
                    return None
                """);
        InvokeResponse response = lambda.invoke(b -> b.functionName("py-log").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"v\":\"abc\"}")));
        assertThat(response.payload().asUtf8String()).isEqualTo("null");
        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        String requestId = log.replaceAll("(?s)^START RequestId: (\\S+) .*", "$1");
        assertThat(log).startsWith("START RequestId: " + requestId + " Version: $LATEST\n");
        assertThat(log).contains("printed abc\n");
        assertThat(log).containsPattern("\\[INFO\\]\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t" + requestId + "\\tlogged abc\\n");
        assertThat(log).contains("END RequestId: " + requestId + "\n");
        assertThat(log).containsPattern("REPORT RequestId: " + requestId
                + "\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t"
                + "Init Duration: \\d+\\.\\d\\d ms\\t\\n$");
        assertThat(log).doesNotContain("init line");

        LambdaTestSupport.drain(eddy);
        try (var logs = LambdaTestSupport.logsClient(eddy)) {
            assertThat(LambdaTestSupport.logEvents(logs, "/aws/lambda/py-log", ""))
                    .extracting(software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent::message)
                    .containsSubsequence("init line\n", "START RequestId: " + requestId + " Version: $LATEST\n",
                            "printed abc\n", "END RequestId: " + requestId + "\n");
        }

        InvokeResponse warm = lambda.invoke(b -> b.functionName("py-log").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"v\":\"x\"}")));
        String warmLog = new String(Base64.getDecoder().decode(warm.logResult()), StandardCharsets.UTF_8);
        assertThat(warmLog).contains("REPORT RequestId:").doesNotContain("Init Duration");
        assertThat(invoke("py-log", "{\"v\":1}").logResult()).isNull();
    }

    @Test
    void tailLogIsTheLastFourKilobytes() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-bigLog", """
                def handler(event, context):
                    for i in range(400):
                        print("line %04d %s" % (i, "x" * 40))
                    return 1
                """);
        InvokeResponse response = lambda.invoke(b -> b.functionName("py-bigLog").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{}")));
        byte[] tail = Base64.getDecoder().decode(response.logResult());
        assertThat(tail.length).isEqualTo(4096);
        assertThat(new String(tail, StandardCharsets.UTF_8)).contains("line 0399").contains("REPORT RequestId:").doesNotContain("START");
    }

    @Test
    void redeployRunsTheNewCodeAtOnce() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-redeploy", "def handler(e, c):\n    return 'v1'\n");
        assertThat(invoke("py-redeploy", "{}").payload().asUtf8String()).isEqualTo("\"v1\"");
        LambdaTestSupport.awaitActive(lambda, "py-redeploy");
        lambda.updateFunctionCode(b -> b.functionName("py-redeploy")
                .zipFile(zip(Map.of("lambda_function.py", "def handler(e, c):\n    return 'v2'\n"))));
        assertThat(invoke("py-redeploy", "{}").payload().asUtf8String()).isEqualTo("\"v2\"");
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("py-redeploy"));
        lambda.updateFunctionConfiguration(b -> b.functionName("py-redeploy").environment(e -> e.variables(Map.of("STAGE", "1"))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("py-redeploy"));
        lambda.updateFunctionCode(b -> b.functionName("py-redeploy")
                .zipFile(zip(Map.of("lambda_function.py", "import os\ndef handler(e, c):\n    return 'v3' + os.environ['STAGE']\n"))));
        assertThat(invoke("py-redeploy", "{}").payload().asUtf8String()).isEqualTo("\"v31\"");
    }

    @Test
    void reservedConcurrencyZeroThrottles() {
        LambdaTestSupport.createPython(lambda, "py-throttled", "def handler(e, c):\n    return 1\n");
        lambda.putFunctionConcurrency(b -> b.functionName("py-throttled").reservedConcurrentExecutions(0));
        assertThatThrownBy(() -> invoke("py-throttled", "{}"))
                .isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.reasonAsString()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate Exceeded.");
                });
        lambda.deleteFunctionConcurrency(b -> b.functionName("py-throttled"));
        assertThat(invoke("py-throttled", "{}").payload().asUtf8String()).isEqualTo("1");
    }

    @Test
    void reservedConcurrencyOneAllowsOneAtATime() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-one", "import time\ndef handler(e, c):\n    time.sleep(0.5)\n    return 1\n");
        lambda.putFunctionConcurrency(b -> b.functionName("py-one").reservedConcurrentExecutions(1));
        invoke("py-one", "{}");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    try {
                        return invoke("py-one", "{}").payload().asUtf8String();
                    } catch (TooManyRequestsException e) {
                        return e;
                    }
                }));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : results) outcomes.add(f.get());
            assertThat(outcomes).filteredOn(o -> o instanceof TooManyRequestsException).hasSize(1);
            assertThat(outcomes).filteredOn("1"::equals).hasSize(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void concurrentColdStartsRunInParallel() throws Exception {
        lambda.createFunction(b -> b.functionName("py-parallel").runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("lambda_function.handler").timeout(30)
                .code(c -> c.zipFile(LambdaTestSupport.zip(Map.of("lambda_function.py", """
                        import time, os
                        def handler(e, c):
                            started = time.time()
                            # long enough to cover the spread of cold starts (one may get a runtime started ahead of need)
                            time.sleep(3)
                            return {"pid": os.getpid(), "start": started, "end": time.time()}
                        """)))));
        LambdaTestSupport.awaitActive(lambda, "py-parallel");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<JsonNode>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) runs.add(pool.submit(() -> body(invoke("py-parallel", "{}"))));
            List<JsonNode> results = new ArrayList<>();
            for (Future<JsonNode> f : runs) results.add(f.get());
            assertThat(results).extracting(r -> r.path("pid").asLong()).doesNotHaveDuplicates();
            double latestStart = results.stream().mapToDouble(r -> r.path("start").asDouble()).max().orElseThrow();
            double earliestEnd = results.stream().mapToDouble(r -> r.path("end").asDouble()).min().orElseThrow();
            assertThat(latestStart).as("all three handlers were running at the same moment").isLessThan(earliestEnd);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void eventInvocationRunsInTheBackgroundAndDryRunOnlyChecks() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-event", """
                def handler(event, context):
                    print("event got", event["id"])
                """);
        InvokeResponse accepted = lambda.invoke(b -> b.functionName("py-event").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"id\":\"e-1\"}")));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.payload().asByteArray()).isEmpty();
        LambdaTestSupport.drain(eddy);
        try (var logs = LambdaTestSupport.logsClient(eddy)) {
            assertThat(LambdaTestSupport.logEvents(logs, "/aws/lambda/py-event", "\"event got\""))
                    .extracting(software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent::message)
                    .containsExactly("event got e-1\n");
        }
        InvokeResponse dry = lambda.invoke(b -> b.functionName("py-event").invocationType(InvocationType.DRY_RUN));
        assertThat(dry.statusCode()).isEqualTo(204);
    }

    @Test
    void invalidJsonPayloadIsRejected() {
        LambdaTestSupport.createPython(lambda, "py-badjson", "def handler(e, c):\n    return 1\n");
        assertThatThrownBy(() -> invoke("py-badjson", "{not json"))
                .hasMessageContaining("Could not parse request body into json")
                .isInstanceOfSatisfying(software.amazon.awssdk.services.lambda.model.InvalidRequestContentException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void javaApiForEventSourcesInvokesByNameOrArnAndQualifier() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-api", "def handler(e, c):\n    return {'got': e, 'arn': c.invoked_function_arn}\n");
        LambdaTestSupport.awaitActive(lambda, "py-api");
        lambda.publishVersion(b -> b.functionName("py-api"));
        InvocationResult byName = eddy.lambda().invoke("000000000000", "us-east-1", "py-api", null,
                "{\"Records\":[]}".getBytes(StandardCharsets.UTF_8));
        assertThat(byName.statusCode()).isEqualTo(200);
        assertThat(byName.failed()).isFalse();
        assertThat(byName.executedVersion()).isEqualTo("$LATEST");
        assertThat(json.readTree(byName.payload()).path("got").path("Records").isArray()).isTrue();
        assertThat(byName.log()).startsWith("START RequestId: " + byName.requestId());
        InvocationResult byArn = eddy.lambda().invoke("000000000000", "us-east-1",
                "arn:aws:lambda:us-east-1:000000000000:function:py-api", "1", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(byArn.executedVersion()).isEqualTo("1");
        assertThat(json.readTree(byArn.payload()).path("arn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:py-api:1");
        assertThatThrownBy(() -> eddy.lambda().invoke("000000000000", "us-east-1", "nope", null, new byte[0]))
                .isInstanceOfSatisfying(io.eddy.protocol.AwsException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
