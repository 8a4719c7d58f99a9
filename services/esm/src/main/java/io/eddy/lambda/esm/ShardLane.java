package io.eddy.lambda.esm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.lambda.esm.spi.FunctionInvoker.FunctionTarget;
import io.eddy.lambda.esm.spi.FunctionInvoker.InvocationRejected;
import io.eddy.lambda.esm.spi.FunctionInvoker.InvokeResult;
import io.eddy.lambda.esm.spi.StreamSource.StreamRecord;
import io.eddy.protocol.AwsException;
import io.eddy.store.Batch;

/**
 * One of a shard's {@code ParallelizationFactor} lanes: gathers a batch (up to BatchSize, the
 * batching window, or 6 MB), invokes the function, and on failure retries, bisects, reports item
 * failures or skips exactly as the mapping's settings say. Within a lane records stay in order, and
 * a batch is retried until it is done or given up before the next one starts.
 */
final class ShardLane {

    private static final System.Logger LOG = System.getLogger(ShardLane.class.getName());
    static final long MAX_PAYLOAD_BYTES = 6L * 1024 * 1024;
    /** DynamoDB Streams keeps records 24 hours: a record can be retried no longer than that. */
    private static final long RETENTION_MILLIS = Duration.ofHours(24).toMillis();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final Mapping mapping;
    private final MappingContext context;
    private final MappingMetrics metrics;
    private final String shardId;
    private final int lane;
    private final ShardProgress progress;
    private final BooleanSupplier shardCaughtUp;
    private final LinkedBlockingDeque<StreamRecord> queue = new LinkedBlockingDeque<>();
    private final TumblingWindow window;
    private Thread thread;
    private volatile boolean stopped;
    private volatile boolean shardEnded;
    private volatile boolean processing;

    ShardLane(Mapping mapping, MappingContext context, MappingMetrics metrics, String shardId, int lane,
              ShardProgress progress, BooleanSupplier shardCaughtUp) {
        this.mapping = mapping;
        this.context = context;
        this.metrics = metrics;
        this.shardId = shardId;
        this.lane = lane;
        this.progress = progress;
        this.shardCaughtUp = shardCaughtUp;
        this.window = mapping.tumblingWindowInSeconds > 0 ? new TumblingWindow(mapping, context.store(), shardId, lane) : null;
    }

    void start() {
        thread = Thread.ofVirtual().name("esm-" + mapping.uuid + "-" + shardId + "-" + lane).start(this::run);
    }

    void offer(StreamRecord record) {
        queue.addLast(record);
    }

    void endOfShard() {
        shardEnded = true;
    }

    boolean isIdle() {
        return !processing && queue.isEmpty();
    }

    private void run() {
        try {
            while (!stopped) {
                List<StreamRecord> batch = collect();
                if (batch == null) {
                    if (window != null && window.isOpen()) closeWindow(true);
                    return;
                }
                processing = true;
                try {
                    if (batch.isEmpty()) {
                        if (window != null && window.isOpen() && window.hasEnded(context.clock().millis())
                                && queue.isEmpty() && shardCaughtUp.getAsBoolean()) {
                            closeWindow(false);
                        }
                        continue;
                    }
                    if (window != null) {
                        long start = window.startOf(batch.get(0).arrivalMillis());
                        if (window.isOpen() && window.start() != start) closeWindow(false);
                        if (!window.isOpen()) window.open(start);
                    }
                    process(batch);
                } finally {
                    processing = false;
                }
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    /**
     * The next batch: an empty list when nothing came in time (so window timers can run), null once
     * the shard ended and every record is taken.
     */
    private List<StreamRecord> collect() throws InterruptedException {
        long wait = 1000;
        if (window != null && window.isOpen()) wait = Math.max(1, Math.min(wait, window.end() - context.clock().millis()));
        StreamRecord first = queue.pollFirst(wait, TimeUnit.MILLISECONDS);
        if (first == null) return shardEnded && queue.isEmpty() ? null : List.of();
        List<StreamRecord> batch = new ArrayList<>();
        batch.add(first);
        long bytes = eventBytes(first);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(mapping.maximumBatchingWindowInSeconds);
        long firstWindow = window == null ? 0 : window.startOf(first.arrivalMillis());
        while (batch.size() < mapping.batchSize) {
            long remaining = deadline - System.nanoTime();
            StreamRecord next = remaining > 0 && !shardEnded ? queue.pollFirst(remaining, TimeUnit.NANOSECONDS) : queue.pollFirst();
            if (next == null) break;
            long size = eventBytes(next);
            if (bytes + size > MAX_PAYLOAD_BYTES || (window != null && window.startOf(next.arrivalMillis()) != firstWindow)) {
                queue.addFirst(next);
                break;
            }
            bytes += size;
            batch.add(next);
        }
        return batch;
    }

    private static long eventBytes(StreamRecord record) {
        return MappingStore.write(record.event()).length + 1;
    }

    /** A batch, or what is left of it, and how it has fared so far. */
    private static final class Attempt {
        List<StreamRecord> records;
        int failures;
        int invocations;
        InvokeResult lastResult;
        boolean lastWasPartial;

        Attempt(List<StreamRecord> records, int failures) {
            this.records = records;
            this.failures = failures;
        }
    }

    private void process(List<StreamRecord> batch) throws InterruptedException {
        Deque<Attempt> pending = new ArrayDeque<>();
        pending.add(new Attempt(batch, 0));
        int rejections = 0;
        while (!pending.isEmpty() && !stopped) {
            Attempt attempt = pending.peekFirst();
            skipExpired(attempt);
            if (attempt.records.isEmpty()) {
                pending.pollFirst();
                continue;
            }
            InvokeResult result;
            try {
                result = invoke(attempt.records, false, false);
            } catch (InvocationRejected | RuntimeException e) {
                if (stopped) return;
                if (e instanceof RuntimeException) LOG.log(System.Logger.Level.WARNING, "mapping " + mapping.uuid + ": invoke failed", e);
                metrics.failedInvoke(attempt.records.size());
                backoff(++rejections);
                continue;
            }
            rejections = 0;
            attempt.invocations++;
            attempt.lastResult = result;
            BatchResponse response = BatchResponse.of(result, mapping.reportsBatchItemFailures(), window != null,
                    sequenceNumbers(attempt.records));
            switch (response.kind()) {
                case SUCCESS -> {
                    finish(attempt.records, response);
                    pending.pollFirst();
                    context.results().processed(mapping, "OK");
                }
                case PARTIAL -> {
                    int firstFailed = 0;
                    while (!response.failedIds().contains(attempt.records.get(firstFailed).sequenceNumber())) firstFailed++;
                    finish(attempt.records.subList(0, firstFailed), response);
                    attempt.records = new ArrayList<>(attempt.records.subList(firstFailed, attempt.records.size()));
                    attempt.lastWasPartial = true;
                    metrics.failedInvoke(attempt.records.size());
                    context.results().processed(mapping, "PROBLEM: Function call failed");
                    failed(pending, attempt);
                }
                case FAILURE -> {
                    attempt.lastWasPartial = false;
                    metrics.failedInvoke(attempt.records.size());
                    context.results().processed(mapping, "PROBLEM: Function call failed");
                    if (mapping.bisectBatchOnFunctionError && attempt.records.size() > 1) {
                        pending.pollFirst();
                        int half = attempt.records.size() / 2;
                        Attempt second = new Attempt(new ArrayList<>(attempt.records.subList(half, attempt.records.size())), attempt.failures);
                        Attempt first = new Attempt(new ArrayList<>(attempt.records.subList(0, half)), attempt.failures);
                        pending.addFirst(second);
                        pending.addFirst(first);
                    } else {
                        failed(pending, attempt);
                    }
                }
            }
        }
    }

    /** A failed try: gives the records up once retries are exhausted, else waits before the next. */
    private void failed(Deque<Attempt> pending, Attempt attempt) throws InterruptedException {
        attempt.failures++;
        if (mapping.maximumRetryAttempts >= 0 && attempt.failures > mapping.maximumRetryAttempts) {
            skip(attempt.records, FailureRecord.RETRIES_EXHAUSTED, attempt);
            pending.pollFirst();
            return;
        }
        backoff(attempt.failures);
    }

    /** Gives up records older than MaximumRecordAgeInSeconds (or the stream's retention). */
    private void skipExpired(Attempt attempt) {
        long maxAge = mapping.maximumRecordAgeInSeconds < 0 ? RETENTION_MILLIS : mapping.maximumRecordAgeInSeconds * 1000L;
        long now = context.clock().millis();
        int expired = 0;
        while (expired < attempt.records.size() && now - attempt.records.get(expired).arrivalMillis() > maxAge) expired++;
        if (expired == 0) return;
        skip(attempt.records.subList(0, expired), FailureRecord.RECORD_AGE_EXCEEDED, attempt);
        attempt.records = new ArrayList<>(attempt.records.subList(expired, attempt.records.size()));
    }

    /**
     * Gives records up: the on-failure destination gets a record of them, else they count as dropped
     * (unless they merely outlived the stream's retention, which AWS does not count).
     */
    private void skip(List<StreamRecord> records, String condition, Attempt attempt) {
        boolean pastRetention = condition.equals(FailureRecord.RECORD_AGE_EXCEEDED) && mapping.maximumRecordAgeInSeconds < 0;
        if (mapping.onFailureDestination != null) {
            ObjectNode document = FailureRecord.of(mapping, shardId, records, condition, attempt.lastResult,
                    attempt.invocations, attempt.lastWasPartial, Instant.now(context.clock()));
            try {
                context.destinations().send(mapping.onFailureDestination, document.toString());
                metrics.deliveredOnFailure(records.size());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mapping " + mapping.uuid + ": on-failure delivery to "
                        + mapping.onFailureDestination + " failed: " + e.getMessage());
                metrics.destinationDeliveryFailure();
                metrics.dropped(records.size());
            }
        } else if (!pastRetention) {
            metrics.dropped(records.size());
        }
        progress.finish(sequenceNumbers(records), new Batch());
    }

    private void finish(List<StreamRecord> records, BatchResponse response) {
        Batch alongside = new Batch();
        if (window != null && response.state() != null) window.update(response.state(), alongside);
        progress.finish(sequenceNumbers(records), alongside);
    }

    /**
     * Ends the open window with its final invocation ({@code isFinalInvokeForWindow}); a failing final
     * invocation holds the lane like any failing batch, until it succeeds or retries run out.
     */
    private void closeWindow(boolean terminatedEarly) throws InterruptedException {
        int failures = 0;
        int rejections = 0;
        while (!stopped) {
            try {
                InvokeResult result = invoke(List.of(), true, terminatedEarly);
                if (BatchResponse.of(result, false, true, Set.of()).kind() == BatchResponse.Kind.SUCCESS) break;
                failures++;
                if (mapping.maximumRetryAttempts >= 0 && failures > mapping.maximumRetryAttempts) break;
                backoff(failures);
            } catch (InvocationRejected | RuntimeException e) {
                if (stopped) return;
                backoff(++rejections);
            }
        }
        if (!stopped) window.close();
    }

    private InvokeResult invoke(List<StreamRecord> records, boolean finalForWindow, boolean terminatedEarly)
            throws InvocationRejected {
        FunctionTarget target;
        try {
            target = context.invoker().resolve(mapping.account, mapping.region, mapping.functionArn);
        } catch (AwsException e) {
            throw new InvocationRejected(e.getMessage());
        }
        ObjectNode event = MappingStore.JSON.createObjectNode();
        ArrayNode array = event.putArray("Records");
        records.forEach(r -> array.add(r.event()));
        if (window != null) {
            ObjectNode span = event.putObject("window");
            span.put("start", Instant.ofEpochMilli(window.start()).toString());
            span.put("end", Instant.ofEpochMilli(window.end()).toString());
            event.set("state", window.state());
            event.put("shardId", shardId);
            event.put("eventSourceARN", mapping.eventSourceArn);
            event.put("isFinalInvokeForWindow", finalForWindow);
            event.put("isWindowTerminatedEarly", terminatedEarly);
        }
        if (!records.isEmpty()) {
            metrics.iteratorAge(Math.max(0, context.clock().millis() - records.get(records.size() - 1).arrivalMillis()));
            metrics.invoked(records.size());
        }
        return context.invoker().invoke(target, MappingStore.write(event));
    }

    private static Set<String> sequenceNumbers(List<StreamRecord> records) {
        Set<String> ids = new LinkedHashSet<>();
        records.forEach(r -> ids.add(r.sequenceNumber()));
        return ids;
    }

    private void backoff(int failures) throws InterruptedException {
        long millis = Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(10, failures - 1));
        Thread.sleep(millis);
    }

    void stop() {
        stopped = true;
        if (thread != null) thread.interrupt();
    }

    void join() {
        try {
            if (thread != null) thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
