package io.eddy.lambda.esm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.lambda.esm.spi.FunctionInvoker.FunctionTarget;
import io.eddy.lambda.esm.spi.FunctionInvoker.InvocationRejected;
import io.eddy.lambda.esm.spi.FunctionInvoker.InvokeResult;
import io.eddy.lambda.esm.spi.QueueSource.MessageAttribute;
import io.eddy.lambda.esm.spi.QueueSource.QueueInfo;
import io.eddy.lambda.esm.spi.QueueSource.QueueMessage;
import io.eddy.protocol.AwsException;

/**
 * Runs one SQS mapping: pollers that each receive a batch (hiding it for the queue's visibility
 * timeout), invoke the function, and delete what succeeded; what failed is left to reappear, where
 * the queue's own redrive policy applies. Starts with a few pollers and adds more while batches come
 * back full, up to {@code ScalingConfig.MaximumConcurrency}.
 */
final class QueueMappingRunner implements MappingRunner {

    private static final System.Logger LOG = System.getLogger(QueueMappingRunner.class.getName());
    private static final int INITIAL_POLLERS = 5;
    /** Lambda's own ceiling on SQS pollers without a MaximumConcurrency. */
    private static final int DEFAULT_MAX_POLLERS = 1250;
    private static final int MAX_RECEIVE = 10;
    private static final Duration IDLE_RETIREMENT = Duration.ofSeconds(20);
    private static final Duration AWAIT = Duration.ofSeconds(1);
    /** How long an empty receive waits for messages: SQS's longest long poll. */
    private static final Duration LONG_POLL = Duration.ofSeconds(20);

    private final Mapping mapping;
    private final MappingContext context;
    private final EventFilter filter;
    private final MappingMetrics metrics;
    private final int maxPollers;
    private final int basePollers;
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopped;
    private long lastScaleUpNanos;

    QueueMappingRunner(Mapping mapping, MappingContext context) {
        this.mapping = mapping;
        this.context = context;
        this.filter = EventFilter.of(mapping.filterPatterns);
        this.metrics = new MappingMetrics(mapping, context.metrics());
        this.maxPollers = mapping.maximumConcurrency != null ? mapping.maximumConcurrency : DEFAULT_MAX_POLLERS;
        this.basePollers = Math.min(INITIAL_POLLERS, maxPollers);
    }

    @Override
    public synchronized void start() {
        for (int i = 0; i < basePollers; i++) addPoller();
    }

    private synchronized void addPoller() {
        if (stopped || pollers.size() >= maxPollers) return;
        pollers.add(Thread.ofVirtual().name("esm-" + mapping.uuid + "-" + pollers.size()).start(this::poll));
    }

    /** One more poller while every batch comes back full, at most one every 200 ms (AWS adds up to 300 a minute). */
    private synchronized void scaleUp() {
        long now = System.nanoTime();
        if (now - lastScaleUpNanos < 200_000_000L) return;
        lastScaleUpNanos = now;
        addPoller();
    }

    private synchronized boolean retire() {
        if (pollers.size() <= basePollers) return false;
        pollers.remove(Thread.currentThread());
        return true;
    }

    private void poll() {
        long idleSince = System.nanoTime();
        Duration backoff = Duration.ofMillis(100);
        while (!stopped) {
            try {
                QueueInfo queue = context.queues().queue(mapping.eventSourceArn);
                FunctionTarget target = context.invoker().resolve(mapping.account, mapping.region, mapping.functionArn);
                List<QueueMessage> batch = collect(queue);
                if (!batch.isEmpty()) {
                    try {
                        idleSince = System.nanoTime();
                        if (batch.size() >= mapping.batchSize) scaleUp();
                        process(queue, target, batch);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }
                if (System.nanoTime() - idleSince > IDLE_RETIREMENT.toNanos()) {
                    if (retire()) return;
                    idleSince = System.nanoTime();
                }
                backoff = Duration.ofMillis(100);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped) return;
                LOG.log(System.Logger.Level.WARNING, "mapping " + mapping.uuid + ": " + e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(AWAIT) > 0 ? AWAIT : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Receives until the batch is full, the batching window ends, or the payload would pass 6 MB.
     * The first receive long-polls (20 s, as Lambda's pollers do); without a window, what it returns
     * is the batch. A non-empty batch counts as in flight from its first message on.
     */
    private List<QueueMessage> collect(QueueInfo queue) throws InterruptedException {
        List<QueueMessage> batch = new ArrayList<>();
        try {
            return collectInto(batch, queue);
        } catch (InterruptedException | RuntimeException e) {
            if (!batch.isEmpty()) inFlight.decrementAndGet();
            throw e;
        }
    }

    private List<QueueMessage> collectInto(List<QueueMessage> batch, QueueInfo queue)
            throws InterruptedException {
        int windowSeconds = mapping.maximumBatchingWindowInSeconds;
        int visibility = queue.visibilityTimeoutSeconds();
        long bytes = 0;
        long deadline = 0;
        while (!stopped && batch.size() < mapping.batchSize) {
            int want = Math.min(MAX_RECEIVE, mapping.batchSize - batch.size());
            Duration wait = batch.isEmpty() ? LONG_POLL : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            List<QueueMessage> received = context.queues().receive(mapping.eventSourceArn, want, visibility, wait);
            metrics.polled(received.size());
            if (received.isEmpty() && batch.isEmpty()) return batch;
            if (batch.isEmpty()) {
                inFlight.incrementAndGet();
                deadline = System.nanoTime() + Duration.ofSeconds(windowSeconds).toNanos();
            }
            for (QueueMessage message : received) {
                bytes += MappingStore.write(eventRecord(message)).length + 1;
                batch.add(message);
            }
            if (bytes >= ShardLane.MAX_PAYLOAD_BYTES || deadline - System.nanoTime() <= 0) break;
        }
        return batch;
    }

    private void process(QueueInfo queue, FunctionTarget target, List<QueueMessage> received) throws InterruptedException {
        List<QueueMessage> batch = new ArrayList<>();
        List<QueueMessage> filteredOut = new ArrayList<>();
        ObjectNode event = MappingStore.JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (QueueMessage message : received) {
            ObjectNode record = eventRecord(message);
            if (filter.matchesQueueRecord(record)) {
                batch.add(message);
                records.add(record);
            } else {
                filteredOut.add(message);
            }
        }
        metrics.filteredOut(filteredOut.size());
        int deleted = delete(filteredOut);
        if (batch.isEmpty()) {
            metrics.deleted(deleted);
            return;
        }
        InvokeResult result = invokeWhileHidden(target, MappingStore.write(event), batch.size(), queue);
        if (result == null) {
            metrics.failedInvoke(batch.size());
            metrics.deleted(deleted);
            return;
        }
        Set<String> ids = new LinkedHashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        BatchResponse response = BatchResponse.of(result, mapping.reportsBatchItemFailures(), false, ids);
        Set<String> keep = switch (response.kind()) {
            case SUCCESS -> Set.of();
            case FAILURE -> ids;
            case PARTIAL -> kept(batch, response.failedIds(), queue.fifo());
        };
        metrics.failedInvoke(keep.size());
        deleted += delete(batch.stream().filter(m -> !keep.contains(m.messageId())).toList());
        metrics.deleted(deleted);
    }

    /** Deletes messages from the queue; returns how many were deleted (a failed delete leaves its message to reappear). */
    private int delete(List<QueueMessage> messages) {
        int deleted = 0;
        for (QueueMessage message : messages) {
            try {
                context.queues().delete(mapping.eventSourceArn, message.receiptHandle());
                deleted++;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mapping " + mapping.uuid + ": cannot delete message "
                        + message.messageId() + ": " + e.getMessage());
            }
        }
        return deleted;
    }

    /**
     * The messages to leave on the queue after a partial failure: the listed ones, and on a FIFO
     * queue every later message of a group after its first failure, so the group keeps its order.
     */
    private static Set<String> kept(List<QueueMessage> batch, Set<String> failed, boolean fifo) {
        Set<String> keep = new HashSet<>(failed);
        if (!fifo) return keep;
        Set<String> blockedGroups = new HashSet<>();
        for (QueueMessage message : batch) {
            String group = message.messageGroupId();
            if (blockedGroups.contains(group)) keep.add(message.messageId());
            else if (failed.contains(message.messageId())) blockedGroups.add(group);
        }
        return keep;
    }

    /**
     * Invokes, retrying while the function cannot take the batch (throttled, being updated) and the
     * messages are still hidden; null when they were left to reappear.
     */
    private InvokeResult invokeWhileHidden(FunctionTarget target, byte[] payload, int events, QueueInfo queue)
            throws InterruptedException {
        long hiddenUntil = System.nanoTime() + Duration.ofSeconds(Math.max(1, queue.visibilityTimeoutSeconds() - 1)).toNanos();
        long backoff = 100;
        while (!stopped) {
            metrics.invoked(events);
            try {
                return context.invoker().invoke(target, payload);
            } catch (InvocationRejected | AwsException e) {
                if (System.nanoTime() + backoff * 1_000_000 > hiddenUntil) return null;
                metrics.failedInvoke(events);
                Thread.sleep(backoff);
                backoff = Math.min(1000, backoff * 2);
            }
        }
        return null;
    }

    /** The message as the function sees it in {@code Records}. */
    private ObjectNode eventRecord(QueueMessage message) {
        ObjectNode record = MappingStore.JSON.createObjectNode();
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        ObjectNode attributes = record.putObject("attributes");
        message.attributes().forEach(attributes::put);
        ObjectNode messageAttributes = record.putObject("messageAttributes");
        for (Map.Entry<String, MessageAttribute> e : message.messageAttributes().entrySet()) {
            ObjectNode value = messageAttributes.putObject(e.getKey());
            if (e.getValue().binaryValue() != null) {
                value.put("binaryValue", Base64.getEncoder().encodeToString(e.getValue().binaryValue()));
            } else {
                value.put("stringValue", e.getValue().stringValue());
            }
            value.putArray("stringListValues");
            value.putArray("binaryListValues");
            value.put("dataType", e.getValue().dataType());
        }
        record.put("md5OfBody", message.md5OfBody());
        if (message.md5OfMessageAttributes() != null) record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", mapping.eventSourceArn);
        record.put("awsRegion", mapping.region);
        return record;
    }

    @Override
    public boolean isIdle() {
        if (inFlight.get() > 0) return false;
        try {
            return !context.queues().hasPendingMessages(mapping.eventSourceArn);
        } catch (RuntimeException queueGone) {
            return true;
        }
    }

    @Override
    public String describe() {
        return "event source mapping " + mapping.uuid + " (" + mapping.eventSourceArn + "): " + inFlight.get()
                + " batches in flight";
    }

    @Override
    public void stop() {
        List<Thread> running;
        synchronized (this) {
            stopped = true;
            running = new ArrayList<>(pollers);
        }
        running.forEach(Thread::interrupt);
        for (Thread thread : running) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
