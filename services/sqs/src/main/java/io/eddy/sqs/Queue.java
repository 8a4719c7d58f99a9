package io.eddy.sqs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.eddy.protocol.AwsException;
import io.eddy.sqs.MessageState.Status;
import io.eddy.store.Batch;
import io.eddy.store.Store;

/**
 * One queue: its configuration and an in-memory index of its messages, kept in step with the store.
 * Every change is written to the store in one batch while the queue's lock is held, so the store
 * sees each message's changes in the order they happened; the index then only reflects what is
 * durable. Bodies stay in the store and are read when delivered.
 *
 * <p>Standard queues hand out visible messages oldest first. FIFO queues keep each message group's
 * messages in order and block a group while any of its messages is in flight; a receive takes from
 * the group whose head is oldest first, then tops up from the next ones.
 */
final class Queue {

    static final long DEDUPLICATION_WINDOW_MILLIS = TimeUnit.MINUTES.toMillis(5);
    private static final long ATTEMPT_WINDOW_MILLIS = TimeUnit.MINUTES.toMillis(5);
    private static final long PURGE_INTERVAL_MILLIS = TimeUnit.SECONDS.toMillis(60);

    /** A message handed to a receiver. */
    record Delivery(MessageRecord record, int receiveCount, long firstReceivedAt, String receiptHandle) {
    }

    /** What a send produced: the message's id and, on FIFO queues, its sequence number. */
    record Sent(String messageId, String sequenceNumber) {
    }

    /** A validated message to add; {@code delaySeconds} null means the queue's delay. */
    record NewMessage(String body, Map<String, MessageAttribute> attributes, String traceHeader, Integer delaySeconds,
                      String groupId, String deduplicationId, String senderId, String md5OfBody,
                      String md5OfAttributes) {
    }

    /** A message written into another queue's keys, to be indexed there once this queue's lock is released. */
    private record Transfer(Queue target, MessageState state) {
    }

    /** How a step of a message move task went. */
    record MoveResult(int moved, boolean destinationMissing) {
    }

    private record Dedup(String key, long expiresAt, String messageId, String sequenceNumber) {
    }

    private record Attempt(long expiresAt, List<MessageState> states, List<Long> nonces) {
    }

    final QueueAddress address;
    final long incarnation;
    final boolean fifo;
    final String arn;
    private final Store store;
    private final AtomicLong sequence;
    private final LongSupplier clock;
    private final Function<String, Queue> queuesByArn;
    private final byte[] messagePrefix;
    private final byte[] statePrefix;
    private final byte[] dedupPrefix;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private volatile QueueConfig config;
    private volatile Map<String, String> tags;
    private final long createdTimestamp;
    private volatile long lastModifiedTimestamp;
    private boolean deleted;
    private long lastPurgeAt = Long.MIN_VALUE;
    private int waiters;

    private final HashMap<Long, MessageState> bySeq = new HashMap<>();
    private final LinkedHashSet<MessageState> ready = new LinkedHashSet<>();
    private final TreeSet<MessageState> invisible = new TreeSet<>(MessageState.BY_VISIBLE_AT);
    private final TreeSet<MessageState> byAge = new TreeSet<>(MessageState.BY_AGE);
    private final HashMap<String, FifoGroup> groups = new HashMap<>();
    private final TreeMap<Long, FifoGroup> availableGroups = new TreeMap<>();
    private int visibleCount;
    private int inFlightCount;
    private int delayedCount;
    private final HashMap<String, Dedup> dedup = new HashMap<>();
    private final ArrayDeque<Dedup> dedupOrder = new ArrayDeque<>();
    private final HashMap<String, Attempt> attempts = new HashMap<>();

    Queue(QueueAddress address, long incarnation, QueueConfig config, Map<String, String> tags, long createdTimestamp,
          long lastModifiedTimestamp, Store store, AtomicLong sequence, LongSupplier clock,
          Function<String, Queue> queuesByArn) {
        this.address = address;
        this.incarnation = incarnation;
        this.fifo = config.isFifo();
        this.arn = address.arn();
        this.config = config;
        this.tags = Map.copyOf(tags);
        this.createdTimestamp = createdTimestamp;
        this.lastModifiedTimestamp = lastModifiedTimestamp;
        this.store = store;
        this.sequence = sequence;
        this.clock = clock;
        this.queuesByArn = queuesByArn;
        this.messagePrefix = SqsKeys.prefix(address, SqsKeys.MESSAGE, incarnation);
        this.statePrefix = SqsKeys.prefix(address, SqsKeys.STATE, incarnation);
        this.dedupPrefix = SqsKeys.prefix(address, SqsKeys.DEDUP, incarnation);
    }

    QueueConfig config() {
        return config;
    }

    Map<String, String> tags() {
        return tags;
    }

    long createdTimestamp() {
        return createdTimestamp;
    }

    long lastModifiedTimestamp() {
        return lastModifiedTimestamp;
    }

    /** The queue's stored description: incarnation, timestamps, attributes, tags. */
    byte[] metadata() {
        return metadata(config, tags, lastModifiedTimestamp);
    }

    private byte[] metadata(QueueConfig withConfig, Map<String, String> withTags, long modified) {
        var node = QueueConfig.JSON.createObjectNode();
        node.put("incarnation", incarnation);
        node.put("createdTimestamp", createdTimestamp);
        node.put("lastModifiedTimestamp", modified);
        var attributes = node.putObject("attributes");
        withConfig.values().forEach(attributes::put);
        var tagNode = node.putObject("tags");
        withTags.forEach(tagNode::put);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Replaces configuration and tags, durably. {@code configure} and {@code retag} see the current
     * values under the queue's lock, so concurrent updates never lose each other's changes.
     */
    void update(Function<QueueConfig, QueueConfig> configure, Function<Map<String, String>, Map<String, String>> retag) {
        lock.lock();
        try {
            checkExists();
            QueueConfig newConfig = configure.apply(config);
            Map<String, String> newTags = Map.copyOf(retag.apply(tags));
            long modified = newConfig != config ? clock.getAsLong() / 1000 : lastModifiedTimestamp;
            store.write(new Batch().put(SqsKeys.queue(address), metadata(newConfig, newTags, modified)));
            config = newConfig;
            tags = newTags;
            lastModifiedTimestamp = modified;
            if (waiters > 0) changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- restore

    /** Indexes a stored message while the service loads; not thread-safe, called before serving. */
    void restore(long seq, MessageRecord.Header header, byte[] state, long now) {
        MessageState s = new MessageState(seq, header.messageId(), header.groupId(), header.retentionStart(),
                header.initialVisibleAt());
        if (state != null) s.restoreState(state);
        index(s, now);
    }

    void restoreDedup(String key, byte[] value, long now) {
        String[] parts = new String(value, StandardCharsets.UTF_8).split("\n", -1);
        long expiresAt = Long.parseLong(parts[0]);
        if (expiresAt <= now) return;
        Dedup entry = new Dedup(key, expiresAt, parts[1], parts[2].isEmpty() ? null : parts[2]);
        dedup.put(key, entry);
        dedupOrder.add(entry);
    }

    /** Orders restored deduplication entries by expiry, as sends would have. */
    void finishRestore() {
        List<Dedup> entries = new ArrayList<>(dedupOrder);
        entries.sort((a, b) -> Long.compare(a.expiresAt(), b.expiresAt()));
        dedupOrder.clear();
        dedupOrder.addAll(entries);
    }

    // ---------------------------------------------------------------- send

    List<Sent> send(List<NewMessage> messages) {
        List<Sent> results = new ArrayList<>(messages.size());
        boolean becameVisible = false;
        lock.lock();
        try {
            checkExists();
            long now = clock.getAsLong();
            Batch batch = new Batch();
            List<MessageState> added = new ArrayList<>(messages.size());
            Map<String, Dedup> addedDedup = new LinkedHashMap<>();
            if (fifo) expireDedup(now, batch);
            QueueConfig cfg = config;
            for (NewMessage m : messages) {
                String dedupKey = null;
                String dedupId = null;
                if (fifo) {
                    dedupId = m.deduplicationId() != null ? m.deduplicationId() : sha256(m.body());
                    dedupKey = cfg.deduplicationPerMessageGroup ? m.groupId() + "\n" + dedupId : dedupId;
                    Dedup previous = dedup.getOrDefault(dedupKey, addedDedup.get(dedupKey));
                    if (previous != null) {
                        results.add(new Sent(previous.messageId(), previous.sequenceNumber()));
                        continue;
                    }
                }
                long seq = sequence.incrementAndGet();
                String messageId = newMessageId();
                int delay = m.delaySeconds() != null ? m.delaySeconds() : cfg.delaySeconds;
                long visibleAt = now + delay * 1000L;
                String sequenceNumber = fifo ? sequenceNumber(seq) : null;
                MessageRecord record = new MessageRecord(messageId, now, now, visibleAt, m.groupId(), dedupId,
                        sequenceNumber, m.senderId(), null, m.md5OfBody(), m.md5OfAttributes(), m.traceHeader(),
                        m.attributes(), m.body());
                batch.put(SqsKeys.withSeq(messagePrefix, seq), record.encode());
                if (fifo) {
                    Dedup entry = new Dedup(dedupKey, now + DEDUPLICATION_WINDOW_MILLIS, messageId, sequenceNumber);
                    addedDedup.put(dedupKey, entry);
                    batch.put(SqsKeys.withText(dedupPrefix, dedupKey), (entry.expiresAt() + "\n" + messageId + "\n"
                            + (sequenceNumber == null ? "" : sequenceNumber)).getBytes(StandardCharsets.UTF_8));
                }
                added.add(new MessageState(seq, messageId, m.groupId(), now, visibleAt));
                results.add(new Sent(messageId, sequenceNumber));
            }
            store.write(batch);
            for (Dedup entry : addedDedup.values()) {
                dedup.put(entry.key(), entry);
                dedupOrder.add(entry);
            }
            for (MessageState s : added) {
                index(s, now);
                becameVisible |= s.status == Status.VISIBLE;
            }
            if (becameVisible && waiters > 0) changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (becameVisible) fireListeners();
        return results;
    }

    private void expireDedup(long now, Batch batch) {
        while (!dedupOrder.isEmpty() && dedupOrder.peekFirst().expiresAt() <= now) {
            Dedup entry = dedupOrder.pollFirst();
            if (dedup.get(entry.key()) == entry) dedup.remove(entry.key());
            batch.delete(SqsKeys.withText(dedupPrefix, entry.key()));
        }
    }

    // ---------------------------------------------------------------- receive

    /**
     * Receives up to {@code max} messages, waiting up to {@code waitMillis} for the first to become
     * available; returns as soon as one is. {@code visibilityTimeout} null means the queue's.
     */
    List<Delivery> receive(int max, Integer visibilityTimeout, long waitMillis, String attemptId)
            throws InterruptedException {
        long deadline = clock.getAsLong() + waitMillis;
        while (true) {
            List<Transfer> transfers = new ArrayList<>();
            List<Delivery> result = null;
            lock.lockInterruptibly();
            try {
                checkExists();
                long now = clock.getAsLong();
                int visibility = visibilityTimeout != null ? visibilityTimeout : config.visibilityTimeout;
                Batch batch = new Batch();
                maintain(now, batch);
                List<Delivery> out = fifo && attemptId != null ? retryAttempt(attemptId, visibility, now, batch) : null;
                if (out == null) {
                    out = new ArrayList<>();
                    if (fifo) takeFifo(max, visibility, now, batch, out, transfers);
                    else takeStandard(max, visibility, now, batch, out, transfers);
                    if (fifo && attemptId != null && !out.isEmpty()) rememberAttempt(attemptId, out, now);
                }
                store.write(batch);
                if (!out.isEmpty() || now >= deadline) {
                    result = out;
                } else if (transfers.isEmpty()) {
                    long until = invisible.isEmpty() ? deadline : Math.min(deadline, invisible.first().visibleAt);
                    waiters++;
                    try {
                        changed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, until - now)));
                    } finally {
                        waiters--;
                    }
                }
            } finally {
                lock.unlock();
            }
            for (Transfer t : transfers) t.target().adopt(List.of(t.state()));
            if (result != null) return result;
        }
    }

    private void takeStandard(int max, int visibility, long now, Batch batch, List<Delivery> out,
                              List<Transfer> transfers) {
        while (out.size() < max && !ready.isEmpty()) {
            MessageState s = ready.getFirst();
            MessageRecord record = read(s);
            Queue deadLetterQueue = deadLetterTargetFor(s);
            if (deadLetterQueue != null) {
                transfers.add(transfer(s, record, deadLetterQueue, true, now, batch));
            } else {
                out.add(deliver(s, record, visibility, now, batch));
            }
        }
    }

    private void takeFifo(int max, int visibility, long now, Batch batch, List<Delivery> out,
                          List<Transfer> transfers) {
        long cursor = -1;
        while (out.size() < max) {
            Map.Entry<Long, FifoGroup> entry = availableGroups.higherEntry(cursor);
            if (entry == null) break;
            cursor = entry.getKey();
            FifoGroup group = entry.getValue();
            while (out.size() < max) {
                MessageState s = firstNotInFlight(group);
                if (s == null || s.status != Status.VISIBLE) break;
                MessageRecord record = read(s);
                Queue deadLetterQueue = deadLetterTargetFor(s);
                if (deadLetterQueue != null) {
                    transfers.add(transfer(s, record, deadLetterQueue, true, now, batch));
                } else {
                    out.add(deliver(s, record, visibility, now, batch));
                }
            }
            relist(group);
        }
    }

    private static MessageState firstNotInFlight(FifoGroup group) {
        for (MessageState m : group.messages) {
            if (m.status != Status.IN_FLIGHT) return m;
        }
        return null;
    }

    /** The dead-letter queue a message goes to instead of being delivered again, or null. */
    private Queue deadLetterTargetFor(MessageState s) {
        QueueConfig.RedrivePolicy policy = config.redrivePolicy;
        if (policy == null || s.receiveCount < policy.maxReceiveCount()) return null;
        Queue target = queuesByArn.apply(policy.deadLetterTargetArn());
        return target == this ? null : target;
    }

    private Delivery deliver(MessageState s, MessageRecord record, int visibility, long now, Batch batch) {
        setStatus(s, Status.IN_FLIGHT);
        if (fifo) s.group.inFlight++;
        s.receiveCount++;
        if (s.firstReceivedAt == 0) s.firstReceivedAt = now;
        s.receivedAt = now;
        s.receiptNonce = ThreadLocalRandom.current().nextLong();
        s.visibleAt = now + visibility * 1000L;
        invisible.add(s);
        batch.put(SqsKeys.withSeq(statePrefix, s.seq), s.encodeState());
        return new Delivery(record, s.receiveCount, s.firstReceivedAt,
                new ReceiptHandle(incarnation, s.seq, s.receiptNonce).encode());
    }

    private List<Delivery> retryAttempt(String attemptId, int visibility, long now, Batch batch) {
        attempts.values().removeIf(a -> a.expiresAt() <= now);
        Attempt attempt = attempts.get(attemptId);
        if (attempt == null) return null;
        for (int i = 0; i < attempt.states().size(); i++) {
            MessageState s = attempt.states().get(i);
            if (bySeq.get(s.seq) != s || s.status != Status.IN_FLIGHT || s.receiptNonce != attempt.nonces().get(i)) {
                attempts.remove(attemptId);
                return null;
            }
        }
        List<Delivery> out = new ArrayList<>();
        for (MessageState s : attempt.states()) {
            invisible.remove(s);
            s.visibleAt = now + visibility * 1000L;
            invisible.add(s);
            batch.put(SqsKeys.withSeq(statePrefix, s.seq), s.encodeState());
            out.add(new Delivery(read(s), s.receiveCount, s.firstReceivedAt,
                    new ReceiptHandle(incarnation, s.seq, s.receiptNonce).encode()));
        }
        return out;
    }

    private void rememberAttempt(String attemptId, List<Delivery> delivered, long now) {
        List<MessageState> states = new ArrayList<>();
        List<Long> nonces = new ArrayList<>();
        for (Delivery d : delivered) {
            ReceiptHandle handle = ReceiptHandle.decode(d.receiptHandle());
            MessageState s = bySeq.get(handle.seq());
            states.add(s);
            nonces.add(s.receiptNonce);
        }
        attempts.put(attemptId, new Attempt(now + ATTEMPT_WINDOW_MILLIS, states, nonces));
    }

    // ---------------------------------------------------------------- delete / visibility

    /** One entry of a delete or visibility change: the handle as given and, when it decoded, what it names. */
    record HandleRequest(String text, ReceiptHandle handle, int visibilityTimeout) {
    }

    /**
     * Deletes the messages the handles name, in one write; returns each entry's error, or null where
     * it succeeded. A handle whose message is already gone succeeds, as on AWS. FIFO queues refuse
     * handles of receives that are over, since the message may be someone else's by now.
     */
    List<AwsException> delete(List<HandleRequest> requests) {
        List<AwsException> errors = new ArrayList<>(requests.size());
        boolean unblocked = false;
        lock.lock();
        try {
            checkExists();
            Batch batch = new Batch();
            for (HandleRequest r : requests) {
                ReceiptHandle handle = r.handle();
                if (handle == null || handle.incarnation() != incarnation) {
                    errors.add(SqsErrors.receiptHandleIsInvalid(r.text()));
                    continue;
                }
                MessageState s = bySeq.get(handle.seq());
                if (s != null && fifo && (s.status != Status.IN_FLIGHT || s.receiptNonce != handle.nonce())) {
                    errors.add(SqsErrors.invalidParameter("ReceiptHandle", r.text(), "The receipt handle has expired."));
                    continue;
                }
                if (s != null) {
                    remove(s, batch);
                    unblocked |= fifo;
                }
                errors.add(null);
            }
            store.write(batch);
            if (unblocked && waiters > 0) changed.signalAll();
        } finally {
            lock.unlock();
        }
        return errors;
    }

    /**
     * Changes the visibility timeouts of in-flight messages, in one write; returns each entry's
     * error, or null where it succeeded. The new timeout counts from now, and may not reach past 12
     * hours after the receive.
     */
    List<AwsException> changeVisibility(List<HandleRequest> requests) {
        List<AwsException> errors = new ArrayList<>(requests.size());
        boolean becameVisible = false;
        lock.lock();
        try {
            checkExists();
            long now = clock.getAsLong();
            Batch batch = new Batch();
            maintain(now, batch);
            for (HandleRequest r : requests) {
                AwsException error = changeVisibility(r, now, batch);
                errors.add(error);
                becameVisible |= error == null && r.visibilityTimeout() == 0;
            }
            store.write(batch);
            if (waiters > 0) changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (becameVisible) fireListeners();
        return errors;
    }

    private AwsException changeVisibility(HandleRequest r, long now, Batch batch) {
        ReceiptHandle handle = r.handle();
        if (handle == null || handle.incarnation() != incarnation) return SqsErrors.receiptHandleIsInvalid(r.text());
        MessageState s = bySeq.get(handle.seq());
        if (s == null) {
            return SqsErrors.invalidParameter("ReceiptHandle", r.text(),
                    "Message does not exist or is not available for visibility timeout change.");
        }
        if (s.status != Status.IN_FLIGHT) return SqsErrors.messageNotInflight();
        if (s.receiptNonce != handle.nonce()) {
            return SqsErrors.invalidParameter("ReceiptHandle", r.text(), "The receipt handle has expired.");
        }
        int timeout = r.visibilityTimeout();
        if (now + timeout * 1000L > s.receivedAt + QueueConfig.MAX_VISIBILITY_TIMEOUT * 1000L) {
            return SqsErrors.invalidParameter("VisibilityTimeout", timeout,
                    "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]");
        }
        invisible.remove(s);
        s.visibleAt = now + timeout * 1000L;
        invisible.add(s);
        batch.put(SqsKeys.withSeq(statePrefix, s.seq), s.encodeState());
        return null;
    }

    // ---------------------------------------------------------------- counts, purge, delete queue

    /** Visible, in flight, delayed: after expiring and promoting what is due. */
    int[] counts() {
        lock.lock();
        try {
            checkExists();
            Batch batch = new Batch();
            maintain(clock.getAsLong(), batch);
            store.write(batch);
            return new int[] {visibleCount, inFlightCount, delayedCount};
        } finally {
            lock.unlock();
        }
    }

    void purge() {
        lock.lock();
        try {
            checkExists();
            long now = clock.getAsLong();
            if (lastPurgeAt != Long.MIN_VALUE && now - lastPurgeAt < PURGE_INTERVAL_MILLIS) {
                throw SqsErrors.purgeQueueInProgress(address.name());
            }
            Batch batch = new Batch();
            for (MessageState s : bySeq.values()) deleteKeys(s.seq, batch);
            store.write(batch);
            lastPurgeAt = now;
            clearIndex();
            attempts.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the queue and all its keys, plus whatever else {@code batch} holds, in one write. */
    void delete(Batch batch) {
        lock.lock();
        try {
            checkExists();
            batch.delete(SqsKeys.queue(address));
            for (MessageState s : bySeq.values()) deleteKeys(s.seq, batch);
            for (Dedup entry : dedupOrder) batch.delete(SqsKeys.withText(dedupPrefix, entry.key()));
            store.write(batch);
            deleted = true;
            clearIndex();
            dedup.clear();
            dedupOrder.clear();
            attempts.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void clearIndex() {
        bySeq.clear();
        ready.clear();
        invisible.clear();
        byAge.clear();
        groups.clear();
        availableGroups.clear();
        visibleCount = 0;
        inFlightCount = 0;
        delayedCount = 0;
    }

    // ---------------------------------------------------------------- moves between queues

    /**
     * Moves up to {@code max} visible messages out, for a message move task: each to
     * {@code destinationArn}, or back to the queue it was dead-lettered from when that is null.
     * {@code progress} adds the task's own record to the same batch, given how many moved. Stops at
     * the first message whose destination queue does not exist.
     */
    MoveResult moveOut(int max, String destinationArn, Function<Integer, Batch> progress) {
        List<Transfer> transfers = new ArrayList<>();
        boolean destinationMissing = false;
        lock.lock();
        try {
            checkExists();
            long now = clock.getAsLong();
            Batch batch = new Batch();
            maintain(now, batch);
            List<MessageState> candidates = new ArrayList<>();
            if (fifo) {
                for (FifoGroup group : availableGroups.values()) {
                    for (MessageState s : group.messages) {
                        if (s.status != Status.VISIBLE || candidates.size() >= max) break;
                        candidates.add(s);
                    }
                    if (candidates.size() >= max) break;
                }
            } else {
                for (MessageState s : ready) {
                    if (candidates.size() >= max) break;
                    candidates.add(s);
                }
            }
            for (MessageState s : candidates) {
                MessageRecord record = read(s);
                String targetArn = destinationArn != null ? destinationArn : record.sourceArn();
                Queue target = targetArn == null ? null : queuesByArn.apply(targetArn);
                if (target == null || target == this) {
                    destinationMissing = true;
                    break;
                }
                transfers.add(transfer(s, record, target, false, now, batch));
            }
            batch.addAll(progress.apply(transfers.size()));
            store.write(batch);
        } finally {
            lock.unlock();
        }
        for (Transfer t : transfers) t.target().adopt(List.of(t.state()));
        return new MoveResult(transfers.size(), destinationMissing);
    }

    /**
     * Writes a message into {@code target}'s keys and removes it from this queue, in {@code batch}.
     * Dead-lettered messages keep their receive count and remember this queue; FIFO targets restart
     * the retention period, standard ones keep the original enqueue time.
     */
    private Transfer transfer(MessageState s, MessageRecord record, Queue target, boolean deadLetter, long now,
                              Batch batch) {
        long seq = sequence.incrementAndGet();
        MessageRecord moved = record.movedTo(now, target.fifo || !deadLetter, deadLetter ? arn : null);
        batch.put(SqsKeys.withSeq(target.messagePrefix, seq), moved.encode());
        MessageState state = new MessageState(seq, record.messageId(), record.groupId(), moved.retentionStart(), now);
        if (deadLetter) {
            state.receiveCount = s.receiveCount;
            state.firstReceivedAt = s.firstReceivedAt;
            state.visibleAt = now;
            batch.put(SqsKeys.withSeq(target.statePrefix, seq), state.encodeState());
        }
        remove(s, batch);
        return new Transfer(target, state);
    }

    /** Indexes messages another queue has already written into this queue's keys. */
    private void adopt(List<MessageState> states) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            if (deleted) {
                Batch batch = new Batch();
                for (MessageState s : states) deleteKeys(s.seq, batch);
                store.write(batch);
                return;
            }
            for (MessageState s : states) index(s, now);
            if (waiters > 0) changed.signalAll();
        } finally {
            lock.unlock();
        }
        fireListeners();
    }

    // ---------------------------------------------------------------- listeners

    /** Runs {@code listener} each time messages become receivable from a send or a move; returns a handle to stop it. */
    AutoCloseable addListener(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void fireListeners() {
        for (Runnable listener : listeners) listener.run();
    }

    // ---------------------------------------------------------------- index

    private void checkExists() {
        if (deleted) throw SqsErrors.queueDoesNotExist();
    }

    /** Expires messages past retention and makes due messages visible. */
    private void maintain(long now, Batch batch) {
        long retentionMillis = config.messageRetentionPeriod * 1000L;
        while (!byAge.isEmpty() && byAge.first().retentionStart + retentionMillis <= now) {
            remove(byAge.first(), batch);
        }
        while (!invisible.isEmpty() && invisible.first().visibleAt <= now) {
            MessageState s = invisible.pollFirst();
            if (s.status == Status.IN_FLIGHT && fifo) s.group.inFlight--;
            setStatus(s, Status.VISIBLE);
            if (fifo) relist(s.group);
            else ready.add(s);
        }
    }

    private void index(MessageState s, long now) {
        bySeq.put(s.seq, s);
        byAge.add(s);
        Status status = s.statusAt(now);
        s.status = status;
        switch (status) {
            case VISIBLE -> visibleCount++;
            case IN_FLIGHT -> inFlightCount++;
            case DELAYED -> delayedCount++;
        }
        if (status != Status.VISIBLE) invisible.add(s);
        if (fifo) {
            FifoGroup group = groups.computeIfAbsent(s.groupId, FifoGroup::new);
            s.group = group;
            group.insert(s);
            if (status == Status.IN_FLIGHT) group.inFlight++;
            relist(group);
        } else if (status == Status.VISIBLE) {
            ready.add(s);
        }
    }

    /** Changes a message's status and the counts; the caller moves it between structures. */
    private void setStatus(MessageState s, Status next) {
        switch (s.status) {
            case VISIBLE -> {
                visibleCount--;
                if (!fifo) ready.remove(s);
            }
            case IN_FLIGHT -> inFlightCount--;
            case DELAYED -> delayedCount--;
        }
        switch (next) {
            case VISIBLE -> visibleCount++;
            case IN_FLIGHT -> inFlightCount++;
            case DELAYED -> delayedCount++;
        }
        s.status = next;
    }

    private void remove(MessageState s, Batch batch) {
        bySeq.remove(s.seq);
        byAge.remove(s);
        switch (s.status) {
            case VISIBLE -> {
                visibleCount--;
                if (!fifo) ready.remove(s);
            }
            case IN_FLIGHT -> {
                inFlightCount--;
                invisible.remove(s);
                if (fifo) s.group.inFlight--;
            }
            case DELAYED -> {
                delayedCount--;
                invisible.remove(s);
            }
        }
        if (fifo) {
            FifoGroup group = s.group;
            group.messages.remove(s);
            relist(group);
            if (group.messages.isEmpty()) groups.remove(group.id);
        }
        deleteKeys(s.seq, batch);
    }

    private void relist(FifoGroup group) {
        long key = group.isAvailable() ? group.messages.peekFirst().seq : -1;
        if (group.availableKey == key) return;
        if (group.availableKey >= 0) availableGroups.remove(group.availableKey);
        if (key >= 0) availableGroups.put(key, group);
        group.availableKey = key;
    }

    private void deleteKeys(long seq, Batch batch) {
        batch.delete(SqsKeys.withSeq(messagePrefix, seq));
        batch.delete(SqsKeys.withSeq(statePrefix, seq));
    }

    private MessageRecord read(MessageState s) {
        byte[] data = store.get(SqsKeys.withSeq(messagePrefix, s.seq));
        if (data == null) throw new IllegalStateException("message " + s.messageId + " is indexed but not stored");
        return MessageRecord.decode(data);
    }

    // ---------------------------------------------------------------- identifiers

    private static String newMessageId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
    }

    /** A FIFO sequence number: 20 decimal digits, increasing with every send. */
    static String sequenceNumber(long seq) {
        String digits = Long.toString(seq);
        return "1" + "0".repeat(Math.max(0, 19 - digits.length())) + digits;
    }

    private static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
