package io.eddy.lambda.esm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.lambda.esm.spi.FunctionInvoker;
import io.eddy.protocol.AwsException;

/** A function as a Java lambda: returns a response document, or throws to fail the invocation. */
final class FakeFunction implements FunctionInvoker {

    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:handler";

    private volatile Function<JsonNode, String> handler = event -> "null";
    private final List<JsonNode> events = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();

    void handle(Function<JsonNode, String> handler) {
        this.handler = handler;
    }

    synchronized List<JsonNode> events() {
        return new ArrayList<>(events);
    }

    int maxConcurrent() {
        return maxRunning.get();
    }

    @Override
    public FunctionTarget resolve(String account, String region, String functionName) {
        if (!functionName.equals("handler") && !functionName.equals(ARN)) {
            throw new AwsException(404, "ResourceNotFoundException", "Function not found: " + functionName);
        }
        return new FunctionTarget(account, region, ARN, "handler", null, 1);
    }

    @Override
    public InvokeResult invoke(FunctionTarget target, byte[] payload) {
        JsonNode event;
        try {
            event = MappingStore.JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (this) {
            events.add(event);
        }
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            String response = handler.apply(event);
            return new InvokeResult(response.getBytes(), null, "$LATEST", UUID.randomUUID().toString());
        } catch (RuntimeException e) {
            return new InvokeResult(("{\"errorMessage\":\"" + e.getMessage() + "\",\"errorType\":\"Exception\"}").getBytes(),
                    "Unhandled", "$LATEST", UUID.randomUUID().toString());
        } finally {
            running.decrementAndGet();
        }
    }
}
