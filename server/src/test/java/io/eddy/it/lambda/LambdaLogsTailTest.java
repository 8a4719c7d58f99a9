package io.eddy.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;

import io.eddy.it.support.AwsCliV2;
import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;

/** {@code aws logs tail --follow} (CLI v2) shows a function's lines as it runs, as an operator watches them. */
class LambdaLogsTailTest {

    @Test
    void logsTailFollowShowsEachInvocationAsItHappens() throws Exception {
        boolean installed = AwsCliV2.installed();
        if (AwsCliV2.REQUIRED) assertThat(installed).as("AWS CLI v2 at /usr/bin/aws").isTrue();
        assumeTrue(installed, "AWS CLI v2 (Debian's awscli package) is not installed");
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory()); LambdaClient lambda = LambdaTestSupport.client(eddy)) {
            LambdaTestSupport.createPython(lambda, "tailed", """
                    def handler(event, context):
                        print("order %s accepted" % event["order"])
                        return event["order"]
                    """);
            LambdaTestSupport.awaitActive(lambda, "tailed");
            String first = lambda.invoke(b -> b.functionName("tailed").payload(SdkBytes.fromUtf8String("{\"order\":\"A-1\"}")))
                    .responseMetadata().requestId();
            try (AwsCliV2.Running tail = AwsCliV2.start(eddy, "logs", "tail", "/aws/lambda/tailed", "--follow",
                    "--format", "short")) {
                List<String> lines = tail.awaitLine(line -> line.contains("REPORT RequestId: " + first), Duration.ofSeconds(30));
                assertThat(lines).as("what tail printed").anyMatch(line -> line.contains("START RequestId: " + first))
                        .anyMatch(line -> line.contains("order A-1 accepted"));

                String second = lambda.invoke(b -> b.functionName("tailed").payload(SdkBytes.fromUtf8String("{\"order\":\"B-2\"}")))
                        .responseMetadata().requestId();
                lines = tail.awaitLine(line -> line.contains("REPORT RequestId: " + second), Duration.ofSeconds(30));
                assertThat(lines).as("what tail printed").anyMatch(line -> line.contains("order B-2 accepted"))
                        .anyMatch(line -> line.contains("END RequestId: " + second))
                        .filteredOn(line -> line.contains("order A-1 accepted")).hasSize(1);
            }
        }
    }
}
