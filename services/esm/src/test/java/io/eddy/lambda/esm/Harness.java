package io.eddy.lambda.esm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.lambda.esm.spi.FailureDestinations;
import io.eddy.lambda.esm.spi.MetricsSink;
import io.eddy.store.RocksStore;
import io.eddy.store.Store;

/** An EventSourceMappings over in-memory sources, with a clock tests can move forward. */
final class Harness implements AutoCloseable {

    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";

    final MovableClock clock = new MovableClock();
    final Store store;
    final FakeStream stream;
    final FakeFunction function = new FakeFunction();
    final FakeQueue queue;
    final List<String> failureRecords = new ArrayList<>();
    final List<Double> iteratorAges = new ArrayList<>();
    EventSourceMappings mappings;

    Harness() {
        this(RocksStore.inMemory(), new FakeQueue("work", 1, 0));
    }

    Harness(Store store, FakeQueue queue) {
        this.store = store;
        this.stream = new FakeStream(clock);
        this.queue = queue;
        this.mappings = open();
    }

    EventSourceMappings open() {
        FailureDestinations destinations = new FailureDestinations() {
            @Override
            public boolean accepts(String destinationArn) {
                return destinationArn.startsWith("arn:aws:sqs:") || destinationArn.startsWith("arn:aws:sns:");
            }

            @Override
            public void send(String destinationArn, String record) {
                synchronized (failureRecords) {
                    failureRecords.add(record);
                }
            }
        };
        MetricsSink metrics = (account, region, name, dimensions, value, unit) -> {
            synchronized (iteratorAges) {
                if (name.equals("IteratorAge")) iteratorAges.add(value);
            }
        };
        return new EventSourceMappings(store, function, stream, queue, destinations, metrics, clock).start();
    }

    ObjectNode create(String json) {
        try {
            return mappings.create(ACCOUNT, REGION, MappingStore.JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    String createStreamMapping(String extraJson) {
        ObjectNode created = create("{\"FunctionName\":\"handler\",\"EventSourceArn\":\"" + FakeStream.ARN + "\","
                + "\"StartingPosition\":\"TRIM_HORIZON\"" + (extraJson.isEmpty() ? "" : "," + extraJson) + "}");
        String uuid = created.get("UUID").asText();
        awaitState(uuid, "Enabled");
        return uuid;
    }

    void awaitState(String uuid, String state) {
        await(() -> mappings.get(ACCOUNT, REGION, uuid).get("State").asText().equals(state), Duration.ofSeconds(5));
    }

    /** Waits for every mapping to be idle twice in a row, as the drain endpoint does. */
    void drain() {
        int[] idleLooks = {0};
        await(() -> {
            boolean idle = mappings.activities().stream().allMatch(d -> d.isIdle());
            idleLooks[0] = idle ? idleLooks[0] + 1 : 0;
            return idleLooks[0] >= 2;
        }, Duration.ofSeconds(20));
    }

    List<JsonNode> records() {
        List<JsonNode> all = new ArrayList<>();
        function.events().forEach(e -> e.path("Records").forEach(all::add));
        return all;
    }

    static void await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        mappings.close();
        store.close();
    }

    /** A clock that follows real time, plus an offset tests can add to. */
    static final class MovableClock extends Clock {
        private final AtomicLong offsetMillis = new AtomicLong();

        void advance(Duration by) {
            offsetMillis.addAndGet(by.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offsetMillis.get();
        }
    }
}
