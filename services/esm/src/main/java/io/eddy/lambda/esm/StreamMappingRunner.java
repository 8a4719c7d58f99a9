package io.eddy.lambda.esm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.eddy.lambda.esm.spi.StreamSource.Shard;

/**
 * Runs one DynamoDB Streams mapping: a {@link ShardWorker} per shard, each started once its parent
 * shard is fully processed, so a key's changes reach the function in order across shard rotations.
 */
final class StreamMappingRunner implements MappingRunner {

    private static final System.Logger LOG = System.getLogger(StreamMappingRunner.class.getName());
    /** How often the shard list is looked at again when no shard ended: shards rotate rarely. */
    private static final Duration SHARD_LIST_INTERVAL = Duration.ofSeconds(1);

    private final Mapping mapping;
    private final MappingContext context;
    private final EventFilter filter;
    private final MappingMetrics metrics;
    private final Map<String, ShardWorker> workers = new ConcurrentHashMap<>();
    private final Set<String> finishedShards = ConcurrentHashMap.newKeySet();
    private final Semaphore shardEnded = new Semaphore(0);
    private volatile boolean stopped;
    private volatile boolean listing = true;
    private Thread coordinator;

    StreamMappingRunner(Mapping mapping, MappingContext context) {
        this.mapping = mapping;
        this.context = context;
        this.filter = EventFilter.of(mapping.filterPatterns);
        this.metrics = new MappingMetrics(mapping, context.metrics());
    }

    @Override
    public void start() {
        coordinator = Thread.ofVirtual().name("esm-" + mapping.uuid).start(this::coordinate);
    }

    private void coordinate() {
        while (!stopped) {
            try {
                listing = true;
                startReadyShards(context.streams().shards(mapping.eventSourceArn));
                listing = false;
                shardEnded.tryAcquire(SHARD_LIST_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                shardEnded.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                listing = false;
                if (stopped) return;
                LOG.log(System.Logger.Level.WARNING, "mapping " + mapping.uuid + ": cannot list shards: " + e.getMessage());
                try {
                    Thread.sleep(SHARD_LIST_INTERVAL);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void startReadyShards(List<Shard> shards) {
        Set<String> listed = new HashSet<>();
        shards.forEach(s -> listed.add(s.shardId()));
        for (Shard shard : shards) {
            String id = shard.shardId();
            if (workers.containsKey(id) || finishedShards.contains(id)) continue;
            MappingStore.Checkpoint checkpoint = context.store().checkpoint(mapping, id);
            if (checkpoint != null && checkpoint.finished()) {
                finishedShards.add(id);
                continue;
            }
            String parent = shard.parentShardId();
            if (parent != null && listed.contains(parent) && !finishedShards.contains(parent)) continue;
            ShardWorker worker = new ShardWorker(mapping, context, filter, metrics, shard.shardId(),
                    checkpoint == null ? null : checkpoint.sequenceNumber(), () -> shardFinished(id));
            workers.put(id, worker);
            worker.start();
        }
    }

    private void shardFinished(String shardId) {
        finishedShards.add(shardId);
        workers.remove(shardId);
        shardEnded.release();
    }

    @Override
    public boolean isIdle() {
        if (listing) return false;
        for (ShardWorker worker : workers.values()) {
            if (!worker.isIdle()) return false;
        }
        try {
            for (Shard shard : context.streams().shards(mapping.eventSourceArn)) {
                if (!workers.containsKey(shard.shardId()) && !finishedShards.contains(shard.shardId())) {
                    MappingStore.Checkpoint checkpoint = context.store().checkpoint(mapping, shard.shardId());
                    if (checkpoint == null || !checkpoint.finished()) return false;
                }
            }
        } catch (RuntimeException streamGone) {
            return true;
        }
        return true;
    }

    @Override
    public String describe() {
        List<String> busy = new ArrayList<>();
        workers.values().stream().filter(w -> !w.isIdle()).forEach(w -> busy.add(w.describe()));
        return "event source mapping " + mapping.uuid + " (" + mapping.eventSourceArn + "): " + String.join(", ", busy);
    }

    @Override
    public void stop() {
        stopped = true;
        if (coordinator != null) {
            coordinator.interrupt();
            join(coordinator);
        }
        workers.values().forEach(ShardWorker::stop);
        workers.values().forEach(ShardWorker::join);
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
