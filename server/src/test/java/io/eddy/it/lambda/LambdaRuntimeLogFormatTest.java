package io.eddy.it.lambda;

import static io.eddy.it.lambda.LambdaTestSupport.ROLE;
import static io.eddy.it.lambda.LambdaTestSupport.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/**
 * What the Python and Node.js runtimes write to CloudWatch Logs, event by event, as Lambda's runtimes
 * do: one event per logger record or console call and per error report, however many lines it spans.
 */
class LambdaRuntimeLogFormatTest {

    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    private static final String NBSP = "\u00a0";

    static Eddy eddy;
    static LambdaClient lambda;
    static CloudWatchLogsClient logs;
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        lambda = LambdaTestSupport.client(eddy);
        logs = LambdaTestSupport.logsClient(eddy);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        logs.close();
        eddy.close();
    }

    private static InvokeResponse invoke(String name, String payload) {
        return lambda.invoke(b -> b.functionName(name).logType(LogType.TAIL).payload(SdkBytes.fromUtf8String(payload)));
    }

    private static JsonNode body(InvokeResponse response) throws Exception {
        return json.readTree(response.payload().asUtf8String());
    }

    /** The events of the function's only log stream, oldest first. */
    private static List<String> events(String function) {
        LambdaTestSupport.drain(eddy);
        String group = "/aws/lambda/" + function;
        String stream = logs.describeLogStreams(b -> b.logGroupName(group)).logStreams().get(0).logStreamName();
        return logs.getLogEvents(b -> b.logGroupName(group).logStreamName(stream).startFromHead(true)).events().stream()
                .map(OutputLogEvent::message).toList();
    }

    /** The events between START and END of one invocation. */
    private static List<String> handlerEvents(List<String> events, String requestId) {
        int start = events.indexOf("START RequestId: " + requestId + " Version: $LATEST\n");
        int end = events.indexOf("END RequestId: " + requestId + "\n");
        assertThat(start).isNotNegative();
        assertThat(end).isGreaterThan(start);
        return events.subList(start + 1, end);
    }

    @Test
    void pythonLoggerRecordsAndErrorReportsAreOneEventEachWithoutColumnMarkers() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-format", """
                import logging
                logger = logging.getLogger()
                logger.setLevel(logging.INFO)
                def handler(event, context):
                    print("printed")
                    logger.info("first line\\nsecond line")
                    context.log("from context.log")
                    print("printed again")
                    return {"x": 1 / event["zero"]}
                """);
        InvokeResponse response = invoke("py-format", "{\"zero\": 0}");
        String requestId = response.responseMetadata().requestId();
        assertThat(response.functionError()).isEqualTo("Unhandled");

        JsonNode error = body(response);
        assertThat(error.path("errorType").asText()).isEqualTo("ZeroDivisionError");
        assertThat(error.path("errorMessage").asText()).isEqualTo("division by zero");
        assertThat(error.path("requestId").asText()).isEqualTo(requestId);
        assertThat(error.path("stackTrace")).hasSize(1);
        String frame = error.path("stackTrace").get(0).asText();
        Matcher file = Pattern.compile("^  File \"([^\"]+/lambda_function\\.py)\"").matcher(frame);
        assertThat(file.find()).as(frame).isTrue();
        // built from (file, line, function, source) only: no ^^^/~~~ lines under the source, as on Lambda
        assertThat(frame).isEqualTo("  File \"" + file.group(1) + "\", line 9, in handler\n"
                + "    return {\"x\": 1 / event[\"zero\"]}\n");

        List<String> handler = handlerEvents(events("py-format"), requestId);
        assertThat(handler).hasSize(5);
        assertThat(handler.get(0)).isEqualTo("printed\n");
        assertThat(handler.get(1)).matches("\\[INFO]\\t" + TIMESTAMP + "\\t" + requestId + "\\tfirst line\\nsecond line\\n");
        assertThat(handler.get(2)).isEqualTo("from context.log");
        assertThat(handler.get(3)).isEqualTo("printed again\n");
        // an invocation error: no LAMBDA_WARNING (Lambda's runtime warns on init errors only), stack lines
        // indented with no-break spaces, the whole report one event
        assertThat(handler.get(4)).isEqualTo("[ERROR] ZeroDivisionError: division by zero\n"
                + "Traceback (most recent call last):\n"
                + NBSP.repeat(2) + "File \"" + file.group(1) + "\", line 9, in handler\n"
                + NBSP.repeat(4) + "return {\"x\": 1 / event[\"zero\"]}");

        // the tail still gives every event its own line
        String tail = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        assertThat(tail).contains("return {\"x\": 1 / event[\"zero\"]}\nEND RequestId: " + requestId + "\n");
    }

    @Test
    void pythonInitErrorIsWarnedOfAndKeepsAnEmptyTraceback() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-init-format", "import no_such_module_here\n");
        InvokeResponse response = invoke("py-init-format", "{}");
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(body(response).path("stackTrace")).isEmpty();
        assertThat(body(response).path("requestId").asText()).isEmpty();

        List<String> events = events("py-init-format");
        int initReport = -1;
        for (int i = 0; i < events.size(); i++) if (events.get(i).startsWith("INIT_REPORT ")) initReport = i;
        assertThat(initReport).isGreaterThanOrEqualTo(2);
        assertThat(events.get(initReport - 2)).matches("\\[WARNING]\\t" + TIMESTAMP + "\\t\\t"
                + Pattern.quote("LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function "
                + "code. However, in rare cases, a Lambda runtime update can cause unexpected function behavior. For "
                + "functions using managed runtimes, runtime updates can be triggered by a function change, or can be "
                + "applied automatically. To determine if the runtime has been updated, check the runtime version in the "
                + "INIT_START log entry. If this error correlates with a change in the runtime version, you may be able "
                + "to mitigate this error by temporarily rolling back to the previous runtime version. For more "
                + "information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html") + "\\n");
        assertThat(events.get(initReport - 1)).isEqualTo("[ERROR] Runtime.ImportModuleError: Unable to import module "
                + "'lambda_function': No module named 'no_such_module_here'\nTraceback (most recent call last):");
    }

    @Test
    void pythonContextIdentityIsAnEmptyCognitoIdentity() throws Exception {
        LambdaTestSupport.createPython(lambda, "py-identity", """
                def handler(event, context):
                    identity = context.identity
                    return {"type": type(identity).__name__, "id": identity.cognito_identity_id,
                            "pool": identity.cognito_identity_pool_id, "repr": repr(identity)}
                """);
        JsonNode out = body(invoke("py-identity", "{}"));
        assertThat(out.path("type").asText()).isEqualTo("CognitoIdentity");
        assertThat(out.path("id").isNull()).isTrue();
        assertThat(out.path("pool").isNull()).isTrue();
        assertThat(out.path("repr").asText()).isEqualTo("CognitoIdentity([cognito_identity_id=None,cognito_identity_pool_id=None])");
    }

    @Test
    void nodeConsoleCallsAreOneEventAndInvokeErrorsLogTheirStack() throws Exception {
        lambda.createFunction(b -> b.functionName("node-format").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                .code(c -> c.zipFile(zip(Map.of("index.mjs", """
                        export const handler = async (event) => {
                          console.log('first line\\nsecond line');
                          if (event.plain) throw 'plain value';
                          const error = new TypeError('bad input');
                          error.detail = 'extra';
                          throw error;
                        };
                        """)))));
        InvokeResponse failed = invoke("node-format", "{}");
        String requestId = failed.responseMetadata().requestId();
        JsonNode payload = body(failed);
        assertThat(payload.path("errorType").asText()).isEqualTo("TypeError");
        assertThat(payload.path("errorMessage").asText()).isEqualTo("bad input");
        assertThat(payload.path("trace").get(0).asText()).isEqualTo("TypeError: bad input");

        InvokeResponse plain = invoke("node-format", "{\"plain\":true}");
        String plainRequestId = plain.responseMetadata().requestId();
        assertThat(plain.payload().asUtf8String())
                .isEqualTo("{\"errorType\":\"string\",\"errorMessage\":\"plain value\",\"trace\":[]}");

        List<String> events = events("node-format");
        List<String> handler = handlerEvents(events, requestId);
        assertThat(handler).hasSize(2);
        assertThat(handler.get(0)).matches(TIMESTAMP + "\\t" + requestId + "\\tINFO\\tfirst line\\nsecond line\\n");
        JsonNode logged = invokeError(handler.get(1), requestId);
        // the logged error keeps its own properties and calls its stack "stack"; the response calls it "trace"
        List<String> fields = new ArrayList<>();
        logged.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("errorType", "errorMessage", "detail", "stack");
        assertThat(logged.path("errorType").asText()).isEqualTo("TypeError");
        assertThat(logged.path("errorMessage").asText()).isEqualTo("bad input");
        assertThat(logged.path("detail").asText()).isEqualTo("extra");
        assertThat(logged.path("stack")).isEqualTo(payload.path("trace"));

        // a thrown value that is no Error is logged as an Error made from it
        JsonNode loggedPlain = invokeError(handlerEvents(events, plainRequestId).get(1), plainRequestId);
        assertThat(loggedPlain.path("errorType").asText()).isEqualTo("Error");
        assertThat(loggedPlain.path("errorMessage").asText()).isEqualTo("plain value");
        assertThat(loggedPlain.path("stack").get(0).asText()).isEqualTo("Error: plain value");
    }

    private static JsonNode invokeError(String event, String requestId) throws Exception {
        Matcher line = Pattern.compile(TIMESTAMP + "\\t" + requestId + "\\tERROR\\tInvoke Error \\t(\\{.*})\\n").matcher(event);
        assertThat(line.matches()).as(event).isTrue();
        return json.readTree(line.group(1));
    }
}
