package io.eddy.it.esm;

import static io.eddy.it.esm.EsmTestSupport.createFunction;
import static io.eddy.it.esm.EsmTestSupport.createStreamTable;
import static io.eddy.it.esm.EsmTestSupport.drain;
import static io.eddy.it.esm.EsmTestSupport.handler;
import static io.eddy.it.esm.EsmTestSupport.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;

/** UpdateFunctionCode while records flow: every record is processed, and the new code takes over. */
class RedeployDuringLoadTest {

    private static String version(String name) {
        return "for r in event['Records']:\n"
                + "    print('DONE ' + json.dumps({'code': '" + name + "', 'value': r['dynamodb']['NewImage']['value']['S']}))\n"
                + "return None";
    }

    @Test
    void everyRecordIsProcessedAndTheNewCodeTakesOver() throws Exception {
        try (Eddy eddy = Eddy.start(EddyConfig.inMemory())) {
            LambdaClient lambda = EsmTestSupport.lambda(eddy);
            DynamoDbClient dynamo = EsmTestSupport.dynamo(eddy);
            String streamArn = createStreamTable(dynamo, "redeploy-table");
            createFunction(lambda, "redeploy-fn", handler(version("v1")));
            String uuid = lambda.createEventSourceMapping(b -> b.functionName("redeploy-fn").eventSourceArn(streamArn)
                    .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(5)).uuid();
            EsmTestSupport.awaitState(lambda, uuid, "Enabled");

            Thread writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 60; i++) {
                    put(dynamo, "redeploy-table", "item-" + (i % 4), Integer.toString(i));
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            EsmTestSupport.await(() -> EsmTestSupport.done(eddy, "redeploy-fn").size() >= 10, java.time.Duration.ofSeconds(60));
            lambda.updateFunctionCode(b -> b.functionName("redeploy-fn").zipFile(EsmTestSupport.zip(handler(version("v2")))));
            writer.join();
            EsmTestSupport.await(() -> "Successful".equals(lambda.getFunctionConfiguration(b -> b.functionName("redeploy-fn"))
                    .lastUpdateStatusAsString()), java.time.Duration.ofSeconds(60));
            for (int i = 60; i < 65; i++) put(dynamo, "redeploy-table", "item-" + (i % 4), Integer.toString(i));
            drain(eddy);

            List<JsonNode> done = EsmTestSupport.done(eddy, "redeploy-fn");
            Map<String, String> codeByValue = new HashMap<>();
            done.forEach(d -> codeByValue.put(d.get("value").asText(), d.get("code").asText()));
            for (int i = 0; i < 65; i++) assertThat(codeByValue).containsKey(Integer.toString(i));
            assertThat(codeByValue.get("0")).isEqualTo("v1");
            for (int i = 60; i < 65; i++) assertThat(codeByValue.get(Integer.toString(i))).isEqualTo("v2");
            Map<String, Integer> lastPerItem = new HashMap<>();
            for (JsonNode d : done) {
                int value = d.get("value").asInt();
                String item = "item-" + (value % 4);
                Integer previous = lastPerItem.put(item, value);
                if (previous != null) assertThat(value).as("order of %s", item).isGreaterThanOrEqualTo(previous);
            }
        }
    }
}
