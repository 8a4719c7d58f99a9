package io.eddy.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.lambda.telemetry.LambdaMetrics;
import io.eddy.protocol.AwsException;
import io.eddy.store.Batch;
import io.eddy.store.Drainable;
import io.eddy.store.Keys;
import io.eddy.store.LogReader;
import io.eddy.store.Store;

/**
 * Lambda's asynchronous event queue. An accepted event is appended to a durable log before Invoke
 * answers 202, and stays there until it is finished: run successfully, or given up on (retries
 * exhausted, too old, reserved concurrency 0) and handed to the on-failure destination and
 * dead-letter queue. Each event runs on its own virtual thread. Function errors are retried after
 * one and two base delays (a minute each on AWS); throttles and service errors are retried with
 * backoff (1 s doubling to 5 min, cut short when an execution of the account ends) until the event
 * is older than its maximum age. Retry progress is stored, so after a crash every unfinished event
 * resumes where it was (at least once).
 */
final class AsyncInvocations implements Drainable, AutoCloseable {

    private static final byte[] LOG = Keys.of().text("lambda-async").text("events").build();
    private static final byte[] RETRY_STATE = Keys.of().text("lambda-async").text("retry").build();
    private static final long MAX_THROTTLE_BACKOFF_MILLIS = TimeUnit.MINUTES.toMillis(5);
    private static final int DLQ_MESSAGE_LIMIT = 1024;

    /** What is stored for an accepted event (the payload follows it in the log record). */
    static final class Header {
        public String requestId;
        public String account;
        public String region;
        public String function;
        public String qualifier;
        public long receivedAt;
    }

    /** Progress of an event whose function failed and that waits to be retried. */
    static final class RetryState {
        public int attempts;
        public long nextAttemptAt;
        public String executedVersion;
        public String functionError;
        public byte[] response;
    }

    private record Event(long sequence, Header header, byte[] payload) {
    }

    private final Store store;
    private final LambdaService lambda;
    private final FunctionStore functions;
    private final Destinations destinations;
    private final LambdaMetrics metrics;
    private final long retryBaseDelayMillis;
    private final Clock clock;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger running = new AtomicInteger();
    private final Thread dispatcher;
    private volatile long dispatched = -1;
    private volatile boolean closed;

    AsyncInvocations(Store store, LambdaService lambda, FunctionStore functions, Destinations destinations,
                     LambdaMetrics metrics, long retryBaseDelayMillis, Clock clock) {
        this.store = store;
        this.lambda = lambda;
        this.functions = functions;
        this.destinations = destinations;
        this.metrics = metrics;
        this.retryBaseDelayMillis = retryBaseDelayMillis;
        this.clock = clock;
        this.dispatcher = Thread.ofVirtual().name("lambda-async-dispatcher").unstarted(this::dispatch);
    }

    /** Starts running accepted events, those left from before a restart first. */
    void start() {
        dispatcher.start();
    }

    /** Queues an event for {@code target}; returns once it is durable. */
    void accept(LambdaService.Target target, String requestId, byte[] payload) {
        store.write(appendTo(new Batch(), target.version().account, target.version().region, target.version().name,
                target.qualifier(), requestId, payload));
        metrics.count(metricTarget(target.version().account, target.version().region, target.version().name,
                target.qualifier(), null), "AsyncEventsReceived", clock.millis());
    }

    private Batch appendTo(Batch batch, String account, String region, String function, String qualifier,
                                  String requestId, byte[] payload) {
        Header header = new Header();
        header.requestId = requestId;
        header.account = account;
        header.region = region;
        header.function = function;
        header.qualifier = qualifier;
        header.receivedAt = clock.millis();
        byte[] head = FunctionStore.write(header);
        byte[] record = Arrays.copyOf(head, head.length + 1 + payload.length);
        record[head.length] = '\n';
        System.arraycopy(payload, 0, record, head.length + 1, payload.length);
        batch.append(LOG, record);
        return batch;
    }

    private void dispatch() {
        while (!closed) {
            try {
                List<LogReader.Entry> entries = LogReader.readAfter(store, LOG, dispatched, 256);
                if (entries.isEmpty()) {
                    store.awaitAppend(LOG, dispatched, java.time.Duration.ofSeconds(1));
                    continue;
                }
                for (LogReader.Entry entry : entries) {
                    Event event;
                    try {
                        event = decode(entry);
                    } catch (RuntimeException e) {
                        // a record this version cannot read would stop the queue for good: it is dropped
                        System.err.println("lambda async: dropping unreadable event " + entry.sequence() + ": " + e);
                        store.write(new Batch().delete(LogReader.key(LOG, entry.sequence())));
                        dispatched = entry.sequence();
                        continue;
                    }
                    running.incrementAndGet();
                    dispatched = entry.sequence();
                    workers.execute(() -> {
                        try {
                            process(event);
                        } finally {
                            running.decrementAndGet();
                        }
                    });
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) return;
                System.err.println("lambda async dispatcher: " + e);
                sleepQuietly(1000);
            }
        }
    }

    private static Event decode(LogReader.Entry entry) {
        byte[] value = entry.value();
        int newline = 0;
        while (value[newline] != '\n') newline++;
        try {
            Header header = LambdaJson.MAPPER.readValue(value, 0, newline, Header.class);
            return new Event(entry.sequence(), header, Arrays.copyOfRange(value, newline + 1, value.length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- one event

    private void process(Event event) {
        try {
            run(event);
        } catch (InterruptedException e) {
            // Eddy is stopping; the event stays in the log and resumes after the restart
        } catch (RuntimeException e) {
            if (closed) return;
            System.err.println("lambda async event " + event.header().requestId + " failed: " + e);
        }
    }

    private void run(Event event) throws InterruptedException {
        Header h = event.header();
        RetryState state = retryState(event.sequence());
        long throttleBackoff = 1000;
        while (!closed) {
            EventInvokeConfig config = eventInvokeConfig(h);
            if (state.nextAttemptAt > clock.millis()) {
                long wait = Math.min(state.nextAttemptAt, h.receivedAt + config.maximumEventAgeMillis())
                        - clock.millis();
                if (wait > 0) Thread.sleep(wait);
            }
            if (clock.millis() - h.receivedAt > config.maximumEventAgeMillis()) {
                giveUp(event, config, state, "EventAgeExceeded", state.attempts == 0 ? 429 : 200);
                return;
            }
            LambdaService.Target target;
            try {
                target = lambda.resolveForInvoke(h.account, h.region, h.function, h.qualifier);
            } catch (AwsException e) {
                if (e.status() == 404) {
                    // the function (or its version or alias) was deleted: nothing is left to run or report to
                    finish(event, new Batch());
                    return;
                }
                throttleBackoff = backOff(h, throttleBackoff, config);
                continue;
            }
            if (Integer.valueOf(0).equals(target.record().reservedConcurrency)) {
                giveUp(event, config, state, "RetriesExhausted", 429);
                return;
            }
            InvocationResult result;
            try {
                metrics.milliseconds(metricTarget(h, target.version().version), "AsyncEventAge",
                        clock.millis(), clock.millis() - h.receivedAt);
                result = lambda.run(target, h.requestId, event.payload(), null);
            } catch (AwsException e) {
                if (e.status() != 429 && e.status() < 500) {
                    giveUp(event, config, state, "RetriesExhausted", e.status());
                    return;
                }
                throttleBackoff = backOff(h, throttleBackoff, config);
                continue;
            }
            // an invocation cut short because Eddy is stopping is not an attempt: it runs again after the restart
            if (closed) return;
            state.attempts++;
            state.executedVersion = result.executedVersion();
            state.functionError = result.functionError();
            state.response = result.payload();
            if (!result.failed()) {
                Batch batch = new Batch();
                if (config.onSuccess != null) {
                    deliver(config.onSuccess, record(h, event.payload(), state, "Success"), h, batch);
                }
                finish(event, batch);
                return;
            }
            if (state.attempts > config.retryAttempts()) {
                giveUp(event, config, state, "RetriesExhausted", 200);
                return;
            }
            state.nextAttemptAt = clock.millis() + retryBaseDelayMillis * state.attempts;
            store.write(new Batch().put(retryKey(event.sequence()), FunctionStore.write(state)));
        }
    }

    /** Waits out a throttle or service error; returns the next backoff. */
    private long backOff(Header h, long backoff, EventInvokeConfig config) throws InterruptedException {
        long untilTooOld = h.receivedAt + config.maximumEventAgeMillis() - clock.millis();
        lambda.awaitConcurrency(h.account, h.region, Math.max(1, Math.min(backoff, untilTooOld + 1)));
        return Math.min(backoff * 2, MAX_THROTTLE_BACKOFF_MILLIS);
    }

    private EventInvokeConfig eventInvokeConfig(Header h) {
        EventInvokeConfig config = functions.eventInvokeConfig(h.account, h.region, h.function,
                h.qualifier == null ? "$LATEST" : h.qualifier);
        return config != null ? config : new EventInvokeConfig();
    }

    /** The event failed for good: on-failure destination and dead-letter queue, then it is dropped. */
    private void giveUp(Event event, EventInvokeConfig config, RetryState state, String condition, int errorCode) {
        Header h = event.header();
        long now = clock.millis();
        LambdaMetrics.Target target = metricTarget(h, state.executedVersion);
        metrics.count(target, "AsyncEventsDropped", now);
        Batch batch = new Batch();
        if (config.onFailure != null) deliver(config.onFailure, record(h, event.payload(), state, condition), h, batch);
        String deadLetterTarget = deadLetterTarget(h, state);
        if (deadLetterTarget != null) {
            Map<String, TopicPublisher.Attribute> attributes = new java.util.LinkedHashMap<>();
            attributes.put("RequestID", new TopicPublisher.Attribute("String", h.requestId));
            attributes.put("ErrorCode", new TopicPublisher.Attribute("Number", Integer.toString(errorCode)));
            attributes.put("ErrorMessage", new TopicPublisher.Attribute("String", errorMessage(state, condition)));
            try {
                destinations.send(deadLetterTarget, new String(event.payload(), StandardCharsets.UTF_8), attributes);
            } catch (Destinations.DeliveryFailure e) {
                metrics.count(target, "DeadLetterErrors", now);
            }
        }
        finish(event, batch);
    }

    /** The dead-letter queue of the version that ran (or would run) the event. */
    private String deadLetterTarget(Header h, RetryState state) {
        try {
            LambdaService.Target target = lambda.resolveForInvoke(h.account, h.region, h.function,
                    state.executedVersion != null ? state.executedVersion : h.qualifier);
            return target.version().deadLetterTargetArn;
        } catch (AwsException e) {
            return null;
        }
    }

    private static String errorMessage(RetryState state, String condition) {
        String message;
        if (state.response == null) {
            message = condition.equals("EventAgeExceeded") ? "Event age exceeded" : "Throttled";
        } else {
            message = new String(state.response, StandardCharsets.UTF_8);
            try {
                JsonNode error = LambdaJson.MAPPER.readTree(state.response);
                if (error != null && error.path("errorMessage").isTextual()) message = error.get("errorMessage").asText();
            } catch (IOException e) {
                // not a JSON error document: its text is the message
            }
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= DLQ_MESSAGE_LIMIT) return message;
        String cut = new String(bytes, 0, DLQ_MESSAGE_LIMIT, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }

    /**
     * Delivers an invocation record. A function destination gets an asynchronous invocation in the
     * same write that finishes this event; a failed delivery counts as DestinationDeliveryFailures.
     */
    private void deliver(String destination, ObjectNode record, Header h, Batch finishing) {
        String service = Destinations.service(destination);
        try {
            if ("lambda".equals(service)) {
                FunctionNames.Reference ref = FunctionNames.parse(destination);
                if (ref == null || ref.account() == null || ref.region() == null) {
                    throw new Destinations.DeliveryFailure("invalid function ARN " + destination);
                }
                try {
                    lambda.resolve(ref.account(), ref.region(), ref.name(), ref.qualifier());
                } catch (AwsException e) {
                    throw new Destinations.DeliveryFailure(e.getMessage());
                }
                appendTo(finishing, ref.account(), ref.region(), ref.name(), ref.qualifier(),
                        io.eddy.gateway.RequestIds.next(), FunctionStore.write(record));
                metrics.count(metricTarget(ref.account(), ref.region(), ref.name(), ref.qualifier(), null),
                        "AsyncEventsReceived", clock.millis());
            } else {
                destinations.send(destination, Destinations.record(destination, record), Map.of());
            }
        } catch (Destinations.DeliveryFailure e) {
            metrics.count(metricTarget(h, null), "DestinationDeliveryFailures", clock.millis());
        }
    }

    /** The invocation record destinations receive. */
    private ObjectNode record(Header h, byte[] payload, RetryState state, String condition) {
        ObjectNode record = LambdaJson.MAPPER.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString());
        ObjectNode context = record.putObject("requestContext");
        context.put("requestId", h.requestId);
        context.put("functionArn", FunctionNames.functionArn(h.region, h.account, h.function) + ":"
                + (h.qualifier == null ? "$LATEST" : h.qualifier));
        context.put("condition", condition);
        context.put("approximateInvokeCount", state.attempts);
        record.set("requestPayload", json(payload));
        if (state.attempts > 0) {
            ObjectNode response = record.putObject("responseContext");
            response.put("statusCode", 200);
            response.put("executedVersion", state.executedVersion);
            if (state.functionError != null) response.put("functionError", state.functionError);
            record.set("responsePayload", json(state.response));
        }
        return record;
    }

    /** A payload as JSON; text that is not JSON becomes a string. */
    private static JsonNode json(byte[] bytes) {
        try (JsonParser parser = LambdaJson.MAPPER.createParser(bytes)) {
            JsonNode node = LambdaJson.MAPPER.readTree(parser);
            if (node != null && parser.nextToken() == null) return node;
        } catch (IOException e) {
            // falls through to text
        }
        return LambdaJson.MAPPER.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
    }

    private void finish(Event event, Batch batch) {
        store.write(batch.delete(LogReader.key(LOG, event.sequence())).delete(retryKey(event.sequence())));
    }

    private RetryState retryState(long sequence) {
        byte[] stored = store.get(retryKey(sequence));
        if (stored == null) return new RetryState();
        try {
            return LambdaJson.MAPPER.readValue(stored, RetryState.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] retryKey(long sequence) {
        return Keys.of().raw(RETRY_STATE).u64(sequence).build();
    }

    private static LambdaMetrics.Target metricTarget(Header h, String executedVersion) {
        return metricTarget(h.account, h.region, h.function, h.qualifier, executedVersion);
    }

    private static LambdaMetrics.Target metricTarget(String account, String region, String function, String qualifier,
                                                     String executedVersion) {
        return new LambdaMetrics.Target(account, region, function, qualifier, executedVersion);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Idle when every accepted event is finished, including those waiting for a retry. */
    @Override
    public boolean isIdle() {
        return running.get() == 0 && dispatched >= store.lastSequence(LOG);
    }

    @Override
    public String describe() {
        return "lambda: " + running.get() + " asynchronous invocations in progress or waiting to be retried";
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
