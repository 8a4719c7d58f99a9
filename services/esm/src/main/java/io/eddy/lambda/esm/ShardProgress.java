package io.eddy.lambda.esm;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import io.eddy.store.Batch;

/**
 * Which records of a shard are done. Lanes finish records out of order (several batches of one
 * shard run at once), but the checkpoint only moves past a record once every record before it is
 * done too, so a restart resumes with the first unfinished one.
 */
final class ShardProgress {

    private final MappingStore store;
    private final Mapping mapping;
    private final String shardId;
    /** Records read and not yet behind the checkpoint, oldest first: sequence number → done. */
    private final Deque<String> pending = new ArrayDeque<>();
    private final Map<String, Boolean> done = new HashMap<>();
    private String readPosition;
    private String checkpoint;

    ShardProgress(MappingStore store, Mapping mapping, String shardId, String checkpoint) {
        this.store = store;
        this.mapping = mapping;
        this.shardId = shardId;
        this.checkpoint = checkpoint;
        this.readPosition = checkpoint;
    }

    synchronized String readPosition() {
        return readPosition;
    }

    synchronized String checkpoint() {
        return checkpoint;
    }

    /** Records handed out and not finished. */
    synchronized int outstanding() {
        return pending.size();
    }

    synchronized void read(String sequenceNumber) {
        pending.addLast(sequenceNumber);
        done.put(sequenceNumber, false);
        readPosition = sequenceNumber;
    }

    /** After a read: the next read continues after {@code position}, which may lie past its last record. */
    synchronized void readUpTo(String position) {
        readPosition = position;
        advance(new Batch());
    }

    /**
     * Marks records done and moves the checkpoint as far as it can; {@code alongside} (e.g. a tumbling
     * window's state) commits in the same write.
     */
    synchronized void finish(Iterable<String> sequenceNumbers, Batch alongside) {
        for (String s : sequenceNumbers) done.replace(s, true);
        advance(alongside);
        notifyAll();
    }

    /** Blocks while {@code limit} or more records are outstanding, so reading stays a bounded step ahead. */
    synchronized void awaitRoom(int limit) throws InterruptedException {
        while (pending.size() >= limit) wait(1000);
    }

    /** Records the shard as read to its end and done. */
    synchronized void finishShard() {
        store.store().write(new Batch().put(MappingStore.checkpointKey(mapping, shardId),
                MappingStore.write(new MappingStore.Checkpoint(readPosition, true))));
    }

    private void advance(Batch batch) {
        String moved = null;
        while (!pending.isEmpty() && done.get(pending.peekFirst())) {
            moved = pending.pollFirst();
            done.remove(moved);
        }
        if (pending.isEmpty()) moved = readPosition;
        if (moved != null && !moved.equals(checkpoint)) {
            checkpoint = moved;
            batch.put(MappingStore.checkpointKey(mapping, shardId), MappingStore.write(new MappingStore.Checkpoint(moved, false)));
        }
        if (!batch.isEmpty()) store.store().write(batch);
    }
}
