package io.eddy.it.lambda;

import static io.eddy.it.lambda.LambdaTestSupport.ROLE;
import static io.eddy.it.lambda.LambdaTestSupport.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

class LambdaFunctionsTest {

    static Eddy eddy;
    static LambdaClient lambda;

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

    @Test
    void createGetUpdateDeleteWithStatesThatWaitersFollow() {
        CreateFunctionResponse created = lambda.createFunction(b -> b.functionName("crud").runtime(Runtime.PYTHON3_13)
                .role(ROLE).handler("app.handler").description("first").timeout(30).memorySize(512)
                .environment(e -> e.variables(Map.of("STAGE", "dev"))).tags(Map.of("team", "core"))
                .code(c -> c.zipFile(zip(Map.of("app.py", "def handler(e, c):\n    return 1\n")))));
        assertThat(created.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:crud");
        assertThat(created.state()).isEqualTo(State.PENDING);
        assertThat(created.stateReasonCode().toString()).isEqualTo("Creating");
        assertThat(created.version()).isEqualTo("$LATEST");
        assertThat(created.codeSha256()).hasSize(44);
        assertThat(created.lastModified()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
        assertThat(created.packageTypeAsString()).isEqualTo("Zip");
        assertThat(created.runtimeVersionConfig().runtimeVersionArn()).matches("arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}");

        LambdaTestSupport.awaitActive(lambda, "crud");
        GetFunctionResponse got = lambda.getFunction(b -> b.functionName("crud"));
        FunctionConfiguration config = got.configuration();
        assertThat(config.state()).isEqualTo(State.ACTIVE);
        assertThat(config.lastUpdateStatus()).isEqualTo(LastUpdateStatus.SUCCESSFUL);
        assertThat(config.timeout()).isEqualTo(30);
        assertThat(config.memorySize()).isEqualTo(512);
        assertThat(config.description()).isEqualTo("first");
        assertThat(config.environment().variables()).containsEntry("STAGE", "dev");
        assertThat(config.loggingConfig().logGroup()).isEqualTo("/aws/lambda/crud");
        assertThat(got.tags()).containsEntry("team", "core");
        assertThat(got.code().location()).startsWith(eddy.endpoint().toString());

        var updated = lambda.updateFunctionConfiguration(b -> b.functionName("crud").timeout(60)
                .description("second"));
        assertThat(updated.lastUpdateStatus()).isEqualTo(LastUpdateStatus.IN_PROGRESS);
        assertThat(updated.timeout()).isEqualTo(60);
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("crud"));
        var afterUpdate = lambda.getFunctionConfiguration(b -> b.functionName("crud"));
        assertThat(afterUpdate.description()).isEqualTo("second");
        assertThat(afterUpdate.lastUpdateStatus()).isEqualTo(LastUpdateStatus.SUCCESSFUL);
        assertThat(afterUpdate.revisionId()).isNotEqualTo(config.revisionId());

        var newCode = lambda.updateFunctionCode(b -> b.functionName("crud")
                .zipFile(zip(Map.of("app.py", "def handler(e, c):\n    return 2\n"))));
        assertThat(newCode.codeSha256()).isNotEqualTo(created.codeSha256());
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("crud"));

        lambda.deleteFunction(b -> b.functionName("crud"));
        assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("crud")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Function not found: arn:aws:lambda:us-east-1:000000000000:function:crud");
                });
    }

    @Test
    void codeLocationDownloadsTheDeploymentPackage() throws Exception {
        var zip = zip(Map.of("app.py", "def handler(e, c):\n    return 1\n"));
        lambda.createFunction(b -> b.functionName("download").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .code(c -> c.zipFile(zip)));
        String location = lambda.getFunction(b -> b.functionName("download")).code().location();
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(zip.asByteArray());
    }

    @Test
    void duplicateCreateConflicts() {
        LambdaTestSupport.createPython(lambda, "dup", "def handler(e, c):\n    return 1\n");
        assertThatThrownBy(() -> LambdaTestSupport.createPython(lambda, "dup", "x = 1\n"))
                .isInstanceOfSatisfying(ResourceConflictException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Function already exist: dup");
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceConflictException");
                });
    }

    @Test
    void validationErrorsUseAwsWording() {
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("bad").runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("a.b").timeout(901).memorySize(64).code(c -> c.zipFile(zip(Map.of("a.py", ""))))))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("2 validation errors detected: "
                            + "Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900; "
                            + "Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128");
                });
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("old").runtime(Runtime.PYTHON2_7).role(ROLE)
                .handler("a.b").code(c -> c.zipFile(zip(Map.of("a.py", ""))))))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("The runtime parameter of python2.7 is no longer supported for creating or updating "
                        + "AWS Lambda functions.");
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("notzip").runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("a.b").code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromUtf8String("not a zip")))))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("Could not unzip uploaded file. Please check your file, then try to upload again.");
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("reserved").runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("a.b").environment(e -> e.variables(Map.of("AWS_REGION", "x")))
                .code(c -> c.zipFile(zip(Map.of("a.py", ""))))))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("Reserved keys used in this request: AWS_REGION");
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("badrole").runtime(Runtime.PYTHON3_12)
                .role("not-a-role").handler("a.b").code(c -> c.zipFile(zip(Map.of("a.py", ""))))))
                .isInstanceOfSatisfying(LambdaException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("two-architectures").runtime(Runtime.PYTHON3_12)
                .role(ROLE).handler("a.b").architecturesWithStrings("arm64", "x86_64")
                .code(c -> c.zipFile(zip(Map.of("a.py", ""))))))
                .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("1 validation error detected: Value '[arm64, x86_64]' at 'architectures' failed to "
                                + "satisfy constraint: Member must have length less than or equal to 1"));
        String longName = "n".repeat(65);
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName(longName).runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("a.b").code(c -> c.zipFile(zip(Map.of("a.py", ""))))))
                .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .endsWith("Member must have length less than or equal to 64"));
    }

    @Test
    void listFunctionsPagesWithMarker() {
        for (int i = 0; i < 5; i++) {
            String name = "page-" + i;
            LambdaTestSupport.createPython(lambda, name, "def handler(e, c):\n    return 1\n");
        }
        ListFunctionsResponse first = lambda.listFunctions(b -> b.maxItems(3));
        assertThat(first.functions()).hasSize(3);
        assertThat(first.nextMarker()).isNotNull();
        // ListFunctions leaves out the state fields, which only GetFunction(Configuration) returns
        assertThat(first.functions()).allSatisfy(f -> {
            assertThat(f.stateAsString()).isNull();
            assertThat(f.lastUpdateStatusAsString()).isNull();
            assertThat(f.codeSha256()).isNotEmpty();
        });
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName("page-0")).stateAsString()).isNotNull();
        java.util.List<String> all = new java.util.ArrayList<>();
        lambda.listFunctionsPaginator(b -> b.maxItems(2)).functions().forEach(f -> all.add(f.functionName()));
        assertThat(all).contains("page-0", "page-1", "page-2", "page-3", "page-4").doesNotHaveDuplicates().isSorted();
    }

    /** Lambda answers at most 50 functions per ListFunctions page, however many MaxItems asks for. */
    @Test
    void listFunctionsAnswersAtMostFiftyAPage() {
        try (Eddy own = Eddy.start(EddyConfig.inMemory()); LambdaClient client = LambdaTestSupport.client(own)) {
            for (int i = 0; i < 52; i++) {
                String name = String.format("many-%02d", i);
                client.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).role(ROLE)
                        .handler("a.b").code(c -> c.zipFile(zip(Map.of("a.py", "")))));
            }
            ListFunctionsResponse first = client.listFunctions(b -> b.maxItems(100));
            assertThat(first.functions()).hasSize(50);
            assertThat(first.nextMarker()).isNotNull();
            assertThat(client.listFunctions(b -> b.maxItems(100).marker(first.nextMarker())).functions())
                    .extracting(FunctionConfiguration::functionName).containsExactly("many-50", "many-51");
        }
    }

    @Test
    void versionsAndAliases() {
        LambdaTestSupport.createPython(lambda, "ver", "def handler(e, c):\n    return 'one'\n");
        LambdaTestSupport.awaitActive(lambda, "ver");
        var published = lambda.publishVersion(b -> b.functionName("ver").description("v1"));
        assertThat(published.version()).isEqualTo("1");
        assertThat(published.functionArn()).endsWith(":function:ver:1");
        assertThat(lambda.publishVersion(b -> b.functionName("ver")).version()).as("nothing changed").isEqualTo("1");
        lambda.updateFunctionCode(b -> b.functionName("ver").zipFile(zip(Map.of("lambda_function.py",
                "def handler(e, c):\n    return 'two'\n"))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("ver"));
        assertThat(lambda.publishVersion(b -> b.functionName("ver")).version()).isEqualTo("2");
        assertThat(lambda.listVersionsByFunction(b -> b.functionName("ver")).versions())
                .extracting(FunctionConfiguration::version).containsExactly("$LATEST", "1", "2");

        var alias = lambda.createAlias(b -> b.functionName("ver").name("live").functionVersion("1"));
        assertThat(alias.aliasArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:ver:live");
        var viaAlias = lambda.invoke(b -> b.functionName("ver").qualifier("live"));
        assertThat(viaAlias.payload().asUtf8String()).isEqualTo("\"one\"");
        assertThat(viaAlias.executedVersion()).isEqualTo("1");
        assertThat(lambda.invoke(b -> b.functionName("ver:2")).payload().asUtf8String()).isEqualTo("\"two\"");

        assertThatThrownBy(() -> lambda.createAlias(b -> b.functionName("ver").name("live").functionVersion("2")))
                .isInstanceOf(ResourceConflictException.class)
                .hasMessageContaining("Alias already exists: arn:aws:lambda:us-east-1:000000000000:function:ver:live");
        assertThatThrownBy(() -> lambda.createAlias(b -> b.functionName("ver").name("x").functionVersion("9")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found: arn:aws:lambda:us-east-1:000000000000:function:ver:9");
        assertThatThrownBy(() -> lambda.deleteFunction(b -> b.functionName("ver").qualifier("1")))
                .isInstanceOf(ResourceConflictException.class)
                .hasMessageContaining("Unable to delete version because the following aliases reference it: [live]");

        String revision = lambda.getAlias(b -> b.functionName("ver").name("live")).revisionId();
        assertThatThrownBy(() -> lambda.updateAlias(b -> b.functionName("ver").name("live").functionVersion("2")
                .revisionId("stale"))).isInstanceOf(PreconditionFailedException.class);
        var moved = lambda.updateAlias(b -> b.functionName("ver").name("live").functionVersion("2")
                .revisionId(revision));
        assertThat(moved.functionVersion()).isEqualTo("2");
        assertThat(lambda.invoke(b -> b.functionName("ver").qualifier("live")).payload().asUtf8String()).isEqualTo("\"two\"");
        assertThat(lambda.listAliases(b -> b.functionName("ver")).aliases()).extracting(AliasConfiguration::name)
                .containsExactly("live");
        // traffic is split between published versions only
        assertThatThrownBy(() -> lambda.updateAlias(b -> b.functionName("ver").name("live").functionVersion("$LATEST")
                .routingConfig(r -> r.additionalVersionWeights(Map.of("2", 0.3)))))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("$LATEST is not supported for an alias pointing to more than 1 version");
        var split = lambda.createAlias(b -> b.functionName("ver").name("canary").functionVersion("1")
                .routingConfig(r -> r.additionalVersionWeights(Map.of("2", 0.3))));
        assertThat(split.routingConfig().additionalVersionWeights()).containsEntry("2", 0.3);
        lambda.deleteAlias(b -> b.functionName("ver").name("canary"));
        lambda.deleteAlias(b -> b.functionName("ver").name("live"));
        assertThatThrownBy(() -> lambda.getAlias(b -> b.functionName("ver").name("live")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Alias not found: arn:aws:lambda:us-east-1:000000000000:function:ver:live");
        lambda.deleteFunction(b -> b.functionName("ver").qualifier("1"));
        assertThat(lambda.listVersionsByFunction(b -> b.functionName("ver")).versions())
                .extracting(FunctionConfiguration::version).containsExactly("$LATEST", "2");
        assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("ver").qualifier("1")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found: arn:aws:lambda:us-east-1:000000000000:function:ver:1");
    }

    @Test
    void tagsAndConcurrency() {
        String arn = LambdaTestSupport.createPython(lambda, "tagged", "def handler(e, c):\n    return 1\n").functionArn();
        lambda.tagResource(b -> b.resource(arn).tags(Map.of("a", "1", "b", "2")));
        lambda.untagResource(b -> b.resource(arn).tagKeys("a"));
        assertThat(lambda.listTags(b -> b.resource(arn)).tags()).containsExactly(Map.entry("b", "2"));

        assertThat(lambda.getFunctionConcurrency(b -> b.functionName("tagged")).reservedConcurrentExecutions()).isNull();
        assertThat(lambda.putFunctionConcurrency(b -> b.functionName("tagged").reservedConcurrentExecutions(5))
                .reservedConcurrentExecutions()).isEqualTo(5);
        assertThat(lambda.getFunctionConcurrency(b -> b.functionName("tagged")).reservedConcurrentExecutions()).isEqualTo(5);
        assertThat(lambda.getFunction(b -> b.functionName("tagged")).concurrency().reservedConcurrentExecutions()).isEqualTo(5);
        assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions()).isEqualTo(995);
        assertThatThrownBy(() -> lambda.putFunctionConcurrency(b -> b.functionName("tagged").reservedConcurrentExecutions(901)))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("Specified ReservedConcurrentExecutions for function decreases account's "
                        + "UnreservedConcurrentExecution below its minimum value of [100].");
        lambda.deleteFunctionConcurrency(b -> b.functionName("tagged"));
        assertThat(lambda.getFunctionConcurrency(b -> b.functionName("tagged")).reservedConcurrentExecutions()).isNull();
    }

    @Test
    void functionsSurviveARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (Eddy first = Eddy.start(EddyConfig.persistent(dir)); LambdaClient client = LambdaTestSupport.client(first)) {
            LambdaTestSupport.createPython(client, "durable", "def handler(e, c):\n    return 'kept'\n");
            LambdaTestSupport.awaitActive(client, "durable");
        }
        try (Eddy second = Eddy.start(EddyConfig.persistent(dir)); LambdaClient client = LambdaTestSupport.client(second)) {
            assertThat(client.getFunction(b -> b.functionName("durable")).configuration().state()).isEqualTo(State.ACTIVE);
            assertThat(client.invoke(b -> b.functionName("durable")).payload().asUtf8String()).isEqualTo("\"kept\"");
        }
    }

    @Test
    void accountsAndRegionsDoNotSeeEachOther() {
        LambdaTestSupport.createPython(lambda, "mine", "def handler(e, c):\n    return 1\n");
        try (LambdaClient other = LambdaClient.builder().endpointOverride(eddy.endpoint())
                .region(software.amazon.awssdk.regions.Region.EU_WEST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .build()) {
            assertThatThrownBy(() -> other.getFunction(b -> b.functionName("mine"))).isInstanceOf(ResourceNotFoundException.class);
        }
    }
}
