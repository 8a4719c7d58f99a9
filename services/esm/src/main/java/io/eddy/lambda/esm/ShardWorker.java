package io.eddy.lambda.esm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eddy.lambda.esm.spi.StreamSource.ShardRead;
import io.eddy.lambda.esm.spi.StreamSource.StreamRecord;
import io.eddy.store.Batch;

/**
 * Processes one shard: a reader that takes records the moment they commit and deals them to
 * {@code ParallelizationFactor} lanes by partition key (so each key keeps its order), and the lanes,
 * each batching, invoking and retrying on its own. Filtered-out records are done as soon as read.
 */
final class ShardWorker {

    private static final System.Logger LOG = System.getLogger(ShardWorker.class.getName());
    private static final int MAX_READ = 1000;
    private static final Duration AWAIT = Duration.ofSeconds(1);

    private final Mapping mapping;
    private final MappingContext context;
    private final EventFilter filter;
    private final MappingMetrics metrics;
    private final String shardId;
    private final Runnable onFinished;
    private final ShardProgress progress;
    private final ShardLane[] lanes;
    private final int bufferLimit;
    private Thread reader;
    private volatile boolean stopped;
    private volatile boolean awaiting;

    ShardWorker(Mapping mapping, MappingContext context, EventFilter filter, MappingMetrics metrics, String shardId,
                String checkpoint, Runnable onFinished) {
        this.mapping = mapping;
        this.context = context;
        this.filter = filter;
        this.metrics = metrics;
        this.shardId = shardId;
        this.onFinished = onFinished;
        this.progress = new ShardProgress(context.store(), mapping, shardId, checkpoint);
        this.lanes = new ShardLane[mapping.parallelizationFactor];
        for (int i = 0; i < lanes.length; i++) lanes[i] = new ShardLane(mapping, context, metrics, shardId, i, progress, this::caughtUp);
        this.bufferLimit = Math.min(20_000, Math.max(MAX_READ, mapping.batchSize * lanes.length * 2));
    }

    void start() {
        for (ShardLane lane : lanes) lane.start();
        reader = Thread.ofVirtual().name("esm-" + mapping.uuid + "-" + shardId).start(this::read);
    }

    private void read() {
        Duration backoff = Duration.ofMillis(100);
        while (!stopped) {
            try {
                progress.awaitRoom(bufferLimit);
                ShardRead read = context.streams().read(mapping.eventSourceArn, shardId, progress.readPosition(), MAX_READ);
                List<String> filteredOut = new ArrayList<>();
                for (StreamRecord record : read.records()) {
                    progress.read(record.sequenceNumber());
                    if (filter.matchesStreamRecord(record.event())) {
                        lanes[Math.floorMod(record.partitionKeyHash(), lanes.length)].offer(record);
                    } else {
                        filteredOut.add(record.sequenceNumber());
                    }
                }
                progress.readUpTo(read.nextPosition());
                metrics.polled(read.records().size());
                if (!read.records().isEmpty()) metrics.filteredOut(filteredOut.size());
                if (!filteredOut.isEmpty()) progress.finish(filteredOut, new Batch());
                if (read.shardEnded()) {
                    finishShard();
                    return;
                }
                if (read.records().isEmpty()) {
                    awaiting = true;
                    try {
                        context.streams().await(mapping.eventSourceArn, shardId, progress.readPosition(), AWAIT);
                    } finally {
                        awaiting = false;
                    }
                }
                backoff = Duration.ofMillis(100);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped) return;
                LOG.log(System.Logger.Level.WARNING, "mapping " + mapping.uuid + ", " + shardId + ": " + e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(AWAIT) > 0 ? AWAIT : backoff.multipliedBy(2);
            }
        }
    }

    /** The shard is closed and read: lets the lanes finish (and end their windows), then records it as done. */
    private void finishShard() throws InterruptedException {
        progress.awaitRoom(1);
        for (ShardLane lane : lanes) lane.endOfShard();
        for (ShardLane lane : lanes) lane.join();
        if (stopped) return;
        progress.finishShard();
        onFinished.run();
    }

    /** Whether everything committed to the shard so far has been read. */
    private boolean caughtUp() {
        return awaiting;
    }

    boolean isIdle() {
        if (progress.outstanding() > 0) return false;
        for (ShardLane lane : lanes) {
            if (!lane.isIdle()) return false;
        }
        if (!awaiting) return false;
        try {
            return new java.math.BigInteger(context.streams().latestPosition(mapping.eventSourceArn, shardId))
                    .compareTo(new java.math.BigInteger(progress.readPosition() == null ? "0" : progress.readPosition())) <= 0;
        } catch (RuntimeException shardGone) {
            return true;
        }
    }

    String describe() {
        return shardId + " (" + progress.outstanding() + " records in flight, checkpoint " + progress.checkpoint() + ")";
    }

    void stop() {
        stopped = true;
        if (reader != null) reader.interrupt();
        for (ShardLane lane : lanes) lane.stop();
    }

    void join() {
        try {
            if (reader != null) reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ShardLane lane : lanes) lane.join();
    }
}
