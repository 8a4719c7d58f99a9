package io.eddy.lambda.esm;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.lambda.esm.spi.FailureDestinations;
import io.eddy.lambda.esm.spi.FunctionInvoker;
import io.eddy.lambda.esm.spi.FunctionInvoker.FunctionTarget;
import io.eddy.lambda.esm.spi.MetricsSink;
import io.eddy.lambda.esm.spi.QueueSource;
import io.eddy.lambda.esm.spi.StreamSource;
import io.eddy.lambda.esm.spi.StreamSource.Shard;
import io.eddy.store.BackgroundWork;
import io.eddy.store.Batch;
import io.eddy.store.Drainable;
import io.eddy.store.Store;

/**
 * Lambda's event source mappings: the Create/Get/List/Update/Delete operations and the work of
 * every enabled mapping. Create, Update and Delete answer at once with a transitional state
 * ({@code Creating}, {@code Updating}, {@code Enabling}, {@code Disabling}, {@code Deleting}); the
 * mapping settles in the background, as on AWS. Mappings survive restarts with their checkpoints.
 */
public final class EventSourceMappings implements BackgroundWork, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventSourceMappings.class.getName());
    private static final int DEFAULT_MAX_ITEMS = 100;
    private static final int MAX_TAGS = 50;

    private final MappingStore store;
    private final MappingContext context;
    private final Map<String, MappingRunner> runners = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> settling = new ConcurrentHashMap<>();
    private final Map<String, String> reportedResults = new ConcurrentHashMap<>();
    private final AtomicInteger pendingTransitions = new AtomicInteger();
    private volatile boolean closed;

    public EventSourceMappings(Store store, FunctionInvoker invoker, StreamSource streams, QueueSource queues,
                               FailureDestinations destinations, MetricsSink metrics, Clock clock) {
        this.store = new MappingStore(store);
        this.context = new MappingContext(this.store, invoker, streams, queues, destinations, metrics, clock,
                this::recordResult);
    }

    /** Resumes every stored mapping: enabled ones start where their checkpoints are. */
    public EventSourceMappings start() {
        for (Mapping m : store.all()) scheduleSettle(m.account, m.region, m.uuid);
        return this;
    }

    // ---- operations

    public ObjectNode create(String account, String region, JsonNode in) {
        MappingRequests.checkModel(in, true);
        String eventSourceArn = MappingRequests.text(in, "EventSourceArn");
        SourceKind kind = MappingRequests.kindOf(eventSourceArn);
        FunctionTarget function = context.invoker().resolve(account, region, MappingRequests.text(in, "FunctionName"));
        boolean fifo = false;
        if (kind == SourceKind.SQS) fifo = requireQueueFor(eventSourceArn, function).fifo();
        else context.streams().requireStream(eventSourceArn);

        Mapping m = new Mapping();
        m.uuid = UUID.randomUUID().toString();
        m.account = account;
        m.region = region;
        m.kind = kind;
        m.eventSourceArn = eventSourceArn;
        m.functionArn = function.functionArn();
        MappingRequests.applyDefaults(m);
        MappingRequests.apply(m, in, true, fifo, context.destinations());
        m.tags = MappingRequests.tags(in.path("Tags"));
        requireTagLimit(m.tags);
        m.state = "Creating";
        m.lastModified = context.clock().millis();

        synchronized (this) {
            requireNoDuplicate(m, MappingRequests.text(in, "FunctionName"));
            Batch batch = new Batch().put(MappingStore.mappingKey(account, region, m.uuid), MappingStore.write(m));
            if (kind == SourceKind.DYNAMODB_STREAM && "LATEST".equals(m.startingPosition)) startAtLatest(m, batch);
            store.store().write(batch);
        }
        scheduleSettle(account, region, m.uuid);
        return render(m);
    }

    public ObjectNode get(String account, String region, String uuid) {
        return render(require(account, region, uuid));
    }

    public ObjectNode list(String account, String region, String functionName, String eventSourceArn, String marker,
                           String maxItemsText) {
        EsmErrors.Violations v = new EsmErrors.Violations();
        Integer maxItems = null;
        if (maxItemsText != null) {
            try {
                maxItems = Integer.valueOf(maxItemsText);
            } catch (NumberFormatException e) {
                v.add(maxItemsText, "maxItems", "Member must be a number");
            }
        }
        v.range(maxItems, "maxItems", 1, 10000);
        if (functionName != null) {
            if (functionName.length() > 256) v.maxLength(functionName, "functionName", 256);
            else if (!MappingRequests.FUNCTION_NAME.matcher(functionName).matches()) {
                v.add(functionName, "functionName", "Member must satisfy regular expression pattern: "
                        + MappingRequests.FUNCTION_NAME.pattern());
            }
        }
        v.throwIfAny();
        String functionArn = functionName == null ? null : functionArn(account, region, functionName);
        int limit = maxItems == null ? DEFAULT_MAX_ITEMS : maxItems;
        ObjectNode out = MappingStore.JSON.createObjectNode();
        ArrayNode list = out.putArray("EventSourceMappings");
        String last = null;
        boolean more = false;
        for (Mapping m : store.list(account, region)) {
            if (marker != null && m.uuid.compareTo(marker) <= 0) continue;
            if (functionArn != null && !functionArn.equals(m.functionArn)) continue;
            if (eventSourceArn != null && !eventSourceArn.equals(m.eventSourceArn)) continue;
            if (list.size() == limit) {
                more = true;
                break;
            }
            list.add(render(m));
            last = m.uuid;
        }
        if (more) out.put("NextMarker", last);
        return out;
    }

    public ObjectNode update(String account, String region, String uuid, JsonNode in) {
        MappingRequests.checkModel(in, false);
        Mapping current = require(account, region, uuid);
        String functionName = MappingRequests.text(in, "FunctionName");
        FunctionTarget function = functionName == null ? null : context.invoker().resolve(account, region, functionName);
        boolean fifo = false;
        if (current.kind == SourceKind.SQS) {
            FunctionTarget target = function != null ? function
                    : context.invoker().resolve(account, region, current.functionArn);
            fifo = requireQueueFor(current.eventSourceArn, target).fifo();
        }
        Mapping m;
        synchronized (this) {
            m = require(account, region, uuid);
            if (m.state.equals("Deleting")) {
                throw EsmErrors.inUse("Cannot update the event source mapping because it is in use.");
            }
            boolean wasEnabled = m.enabled;
            MappingRequests.apply(m, in, false, fifo, context.destinations());
            if (function != null) {
                m.functionArn = function.functionArn();
                requireNoDuplicate(m, functionName);
            }
            m.state = m.enabled == wasEnabled ? "Updating" : m.enabled ? "Enabling" : "Disabling";
            m.stateTransitionReason = MappingRequests.userActionReason(m.kind);
            m.lastModified = context.clock().millis();
            store.put(m);
        }
        scheduleSettle(account, region, uuid);
        return render(m);
    }

    public ObjectNode delete(String account, String region, String uuid) {
        Mapping m;
        synchronized (this) {
            m = require(account, region, uuid);
            m.state = "Deleting";
            m.stateTransitionReason = MappingRequests.userActionReason(m.kind);
            store.put(m);
        }
        scheduleSettle(account, region, uuid);
        return render(m);
    }

    // ---- tags (TagResource, UntagResource and ListTags with an event source mapping's ARN)

    public Map<String, String> tags(String account, String region, String arn) {
        return requireByArn(account, region, arn).tags;
    }

    public synchronized void tag(String account, String region, String arn, Map<String, String> tags) {
        Mapping m = requireByArn(account, region, arn);
        Map<String, String> merged = new LinkedHashMap<>(m.tags);
        merged.putAll(tags);
        requireTagLimit(merged);
        m.tags = merged;
        store.put(m);
    }

    public synchronized void untag(String account, String region, String arn, List<String> keys) {
        Mapping m = requireByArn(account, region, arn);
        keys.forEach(m.tags::remove);
        store.put(m);
    }

    private static void requireTagLimit(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) throw EsmErrors.invalidParameter("Number of tags exceeds resource tag limit.");
    }

    /** The mapping an ARN {@code arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid>} names. */
    private Mapping requireByArn(String account, String region, String arn) {
        String[] parts = arn.split(":", -1);
        if (parts.length != 7 || !parts[0].equals("arn") || !parts[1].startsWith("aws") || !parts[2].equals("lambda")
                || parts[3].isEmpty() || !parts[4].matches("\\d{12}") || !parts[5].equals("event-source-mapping")
                || parts[6].isEmpty()) {
            throw EsmErrors.invalidParameter("Unsupported resource type for tagging or invalid arn: " + arn);
        }
        Mapping m = parts[3].equals(region) && parts[4].equals(account) ? store.get(account, region, parts[6]) : null;
        if (m == null) throw EsmErrors.mappingNotFound();
        return m;
    }

    // ---- lifecycle

    private void scheduleSettle(String account, String region, String uuid) {
        pendingTransitions.incrementAndGet();
        Thread.ofVirtual().name("esm-settle-" + uuid).start(() -> {
            try {
                settle(account, region, uuid);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "event source mapping " + uuid + " could not settle", e);
            } finally {
                pendingTransitions.decrementAndGet();
            }
        });
    }

    /** Brings a mapping's work in line with its stored settings, then its state. */
    private void settle(String account, String region, String uuid) {
        ReentrantLock lock = settling.computeIfAbsent(uuid, k -> new ReentrantLock());
        lock.lock();
        try {
            if (closed) return;
            MappingRunner running = runners.remove(uuid);
            if (running != null) running.stop();
            Mapping m = store.get(account, region, uuid);
            if (m == null) return;
            if (m.state.equals("Deleting")) {
                synchronized (this) {
                    store.delete(m);
                }
                reportedResults.remove(uuid);
                settling.remove(uuid);
                return;
            }
            if (m.enabled) {
                MappingRunner runner = m.kind == SourceKind.SQS ? new QueueMappingRunner(m, context) : new StreamMappingRunner(m, context);
                runners.put(uuid, runner);
                runner.start();
            }
            synchronized (this) {
                Mapping latest = store.get(account, region, uuid);
                if (latest != null && !latest.state.equals("Deleting") && latest.lastModified == m.lastModified) {
                    latest.state = m.enabled ? "Enabled" : "Disabled";
                    store.put(latest);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void recordResult(Mapping running, String result) {
        if (running.kind == SourceKind.SQS || result.equals(reportedResults.get(running.uuid))) return;
        synchronized (this) {
            Mapping latest = store.get(running.account, running.region, running.uuid);
            if (latest == null || latest.state.equals("Deleting")) return;
            reportedResults.put(running.uuid, result);
            if (!result.equals(latest.lastProcessingResult)) {
                latest.lastProcessingResult = result;
                store.put(latest);
            }
        }
    }

    /** LATEST: the mapping begins after what every open shard holds now; closed shards are behind it. */
    private void startAtLatest(Mapping m, Batch batch) {
        for (Shard shard : context.streams().shards(m.eventSourceArn)) {
            String position = shard.open() ? context.streams().latestPosition(m.eventSourceArn, shard.shardId()) : null;
            batch.put(MappingStore.checkpointKey(m, shard.shardId()),
                    MappingStore.write(new MappingStore.Checkpoint(position, !shard.open())));
        }
    }

    /** The queue, checked to hide a batch at least as long as the function may run. */
    private QueueSource.QueueInfo requireQueueFor(String queueArn, FunctionTarget function) {
        QueueSource.QueueInfo queue = context.queues().queue(queueArn);
        if (function.timeoutSeconds() > queue.visibilityTimeoutSeconds()) {
            throw EsmErrors.invalidParameter("Queue visibility timeout: " + queue.visibilityTimeoutSeconds()
                    + " seconds is less than Function timeout: " + function.timeoutSeconds() + " seconds");
        }
        return queue;
    }

    private void requireNoDuplicate(Mapping m, String functionName) {
        for (Mapping other : store.list(m.account, m.region)) {
            if (!other.uuid.equals(m.uuid) && other.eventSourceArn.equals(m.eventSourceArn)
                    && other.functionArn.equals(m.functionArn)) {
                throw EsmErrors.conflict("The event source arn (\" " + m.eventSourceArn + " \") and function (\" "
                        + functionName + " \") provided mapping already exists. Please update or delete the existing mapping with UUID "
                        + other.uuid);
            }
        }
    }

    private Mapping require(String account, String region, String uuid) {
        Mapping m = uuid == null ? null : store.get(account, region, uuid);
        if (m == null) throw EsmErrors.mappingNotFound();
        return m;
    }

    /** The function ARN a FunctionName (name, partial or full ARN, optional qualifier) stands for. */
    private static String functionArn(String account, String region, String functionName) {
        Matcher matcher = MappingRequests.FUNCTION_NAME.matcher(functionName);
        if (!matcher.matches()) return functionName;
        // groups of the model's pattern: 3 region with ':', 8 account with ':', 10 name, 12 qualifier
        String accountPart = matcher.group(8) == null ? account : matcher.group(8).substring(0, 12);
        String regionPart = matcher.group(3) == null ? region : matcher.group(3).substring(0, matcher.group(3).length() - 1);
        String qualifier = matcher.group(12);
        return "arn:aws:lambda:" + regionPart + ":" + accountPart + ":function:" + matcher.group(10)
                + (qualifier == null ? "" : ":" + qualifier);
    }

    static ObjectNode render(Mapping m) {
        boolean stream = m.kind == SourceKind.DYNAMODB_STREAM;
        ObjectNode o = MappingStore.JSON.createObjectNode();
        o.put("UUID", m.uuid);
        if (stream) o.put("StartingPosition", m.startingPosition);
        o.put("BatchSize", m.batchSize);
        o.put("MaximumBatchingWindowInSeconds", m.maximumBatchingWindowInSeconds);
        if (stream) o.put("ParallelizationFactor", m.parallelizationFactor);
        o.put("EventSourceArn", m.eventSourceArn);
        if (!m.filterPatterns.isEmpty()) {
            ArrayNode filters = o.putObject("FilterCriteria").putArray("Filters");
            m.filterPatterns.forEach(p -> filters.addObject().put("Pattern", p));
        }
        o.put("FunctionArn", m.functionArn);
        o.put("LastModified", BigDecimal.valueOf(m.lastModified, 3));
        if (stream) o.put("LastProcessingResult", m.lastProcessingResult);
        o.put("State", m.state);
        o.put("StateTransitionReason", m.stateTransitionReason);
        if (stream) {
            ObjectNode onFailure = o.putObject("DestinationConfig").putObject("OnFailure");
            if (m.onFailureDestination != null) onFailure.put("Destination", m.onFailureDestination);
            o.put("MaximumRecordAgeInSeconds", m.maximumRecordAgeInSeconds);
            o.put("BisectBatchOnFunctionError", m.bisectBatchOnFunctionError);
            o.put("MaximumRetryAttempts", m.maximumRetryAttempts);
            o.put("TumblingWindowInSeconds", m.tumblingWindowInSeconds);
        }
        ArrayNode types = o.putArray("FunctionResponseTypes");
        m.functionResponseTypes.forEach(types::add);
        if (m.maximumConcurrency != null) o.putObject("ScalingConfig").put("MaximumConcurrency", m.maximumConcurrency);
        if (!m.metrics.isEmpty()) {
            ArrayNode metrics = o.putObject("MetricsConfig").putArray("Metrics");
            m.metrics.forEach(metrics::add);
        }
        o.put("EventSourceMappingArn", m.arn());
        return o;
    }

    // ---- drain

    @Override
    public Collection<Drainable> activities() {
        List<Drainable> all = new ArrayList<>(runners.values());
        all.add(new Drainable() {
            @Override
            public boolean isIdle() {
                return pendingTransitions.get() == 0;
            }

            @Override
            public String describe() {
                return pendingTransitions.get() + " event source mappings changing state";
            }
        });
        return all;
    }

    @Override
    public void close() {
        closed = true;
        runners.values().forEach(MappingRunner::stop);
        runners.clear();
    }
}
