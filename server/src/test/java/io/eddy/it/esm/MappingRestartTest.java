package io.eddy.it.esm;

import static io.eddy.it.esm.EsmTestSupport.createFunction;
import static io.eddy.it.esm.EsmTestSupport.createStreamTable;
import static io.eddy.it.esm.EsmTestSupport.drain;
import static io.eddy.it.esm.EsmTestSupport.handler;
import static io.eddy.it.esm.EsmTestSupport.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;

/**
 * A stream mapping's checkpoint is durable: after a restart on the same data it resumes where it
 * stopped, with nothing skipped and each item's changes in order.
 */
class MappingRestartTest {

    @Test
    void resumesAfterRestartWithoutSkipping(@TempDir Path dataDir) throws Exception {
        Path seen = Files.createTempFile("esm-restart", ".log");
        String source = handler("with open('" + seen + "', 'a') as f:\n"
                + "    for r in event['Records']:\n"
                + "        f.write(r['dynamodb']['NewImage']['value']['S'] + '\\n')\n"
                + "return None");
        try (Eddy eddy = Eddy.start(EddyConfig.persistent(dataDir))) {
            LambdaClient lambda = EsmTestSupport.lambda(eddy);
            DynamoDbClient dynamo = EsmTestSupport.dynamo(eddy);
            String streamArn = createStreamTable(dynamo, "restart-table");
            createFunction(lambda, "restart-fn", source);
            String uuid = lambda.createEventSourceMapping(b -> b.functionName("restart-fn").eventSourceArn(streamArn)
                    .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(3)).uuid();
            EsmTestSupport.awaitState(lambda, uuid, "Enabled");
            for (int i = 0; i < 10; i++) put(dynamo, "restart-table", "item", "a" + i);
            drain(eddy);
        }
        try (Eddy eddy = Eddy.start(EddyConfig.persistent(dataDir))) {
            DynamoDbClient dynamo = EsmTestSupport.dynamo(eddy);
            for (int i = 0; i < 10; i++) put(dynamo, "restart-table", "item", "b" + i);
            drain(eddy);
            assertThat(EsmTestSupport.lambda(eddy).listEventSourceMappings(b -> b.functionName("restart-fn"))
                    .eventSourceMappings().get(0).state()).isEqualTo("Enabled");
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) expected.add("a" + i);
        for (int i = 0; i < 10; i++) expected.add("b" + i);
        assertThat(Files.readAllLines(seen)).containsExactlyElementsOf(expected);
        Files.delete(seen);
    }

    @Test
    void recordsWrittenWhileStoppedAreDeliveredAtTheNextStart(@TempDir Path dataDir) throws Exception {
        Path seen = Files.createTempFile("esm-restart-gap", ".log");
        String source = handler("with open('" + seen + "', 'a') as f:\n"
                + "    for r in event['Records']:\n"
                + "        f.write(r['dynamodb']['NewImage']['value']['S'] + '\\n')\n"
                + "return None");
        try (Eddy eddy = Eddy.start(EddyConfig.persistent(dataDir))) {
            LambdaClient lambda = EsmTestSupport.lambda(eddy);
            DynamoDbClient dynamo = EsmTestSupport.dynamo(eddy);
            String streamArn = createStreamTable(dynamo, "gap-table");
            createFunction(lambda, "gap-fn", source);
            String uuid = lambda.createEventSourceMapping(b -> b.functionName("gap-fn").eventSourceArn(streamArn)
                    .startingPosition(EventSourcePosition.TRIM_HORIZON)).uuid();
            EsmTestSupport.awaitState(lambda, uuid, "Enabled");
            put(dynamo, "gap-table", "item", "before");
            drain(eddy);
            lambda.updateEventSourceMapping(b -> b.uuid(uuid).enabled(false));
            EsmTestSupport.awaitState(lambda, uuid, "Disabled");
            put(dynamo, "gap-table", "item", "while-disabled");
        }
        try (Eddy eddy = Eddy.start(EddyConfig.persistent(dataDir))) {
            LambdaClient lambda = EsmTestSupport.lambda(eddy);
            String uuid = lambda.listEventSourceMappings(b -> b.functionName("gap-fn")).eventSourceMappings().get(0).uuid();
            lambda.updateEventSourceMapping(b -> b.uuid(uuid).enabled(true));
            EsmTestSupport.awaitState(lambda, uuid, "Enabled");
            drain(eddy);
        }
        assertThat(Files.readAllLines(seen)).containsExactly("before", "while-disabled");
        Files.delete(seen);
    }
}
