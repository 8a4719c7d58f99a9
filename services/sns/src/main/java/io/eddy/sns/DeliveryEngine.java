package io.eddy.sns;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.sns.delivery.Delivery;
import io.eddy.sns.delivery.DeliveryException;
import io.eddy.sns.delivery.QueueSender;
import io.eddy.sns.delivery.RetryPolicy;
import io.eddy.sns.delivery.SubscriberDelivery;
import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Drainable;
import io.eddy.store.Keys;
import io.eddy.store.LogReader;
import io.eddy.store.Store;

/**
 * Moves dispatches from the durable dispatch log to their subscribers.
 *
 * <p>The pump wakes the moment a Publish or Subscribe commits, and in one batch turns each new log
 * record into one pending delivery per target, advances its checkpoint and drops the record, so a
 * crash loses nothing and duplicates nothing. The scheduler then runs each pending delivery on its
 * own virtual thread, so a slow or failing endpoint holds up nobody else; a failed attempt is
 * written back with its next due time under the protocol's retry policy, and a delivery that fails
 * for good goes to the subscription's dead-letter queue. FIFO deliveries of one message group to
 * one subscription run strictly in order.
 */
final class DeliveryEngine {

    private static final System.Logger LOG = System.getLogger(DeliveryEngine.class.getName());
    private static final int PUMP_BATCH = 256;
    private static final int MAX_CONCURRENT_ATTEMPTS = 64;

    private final Store store;
    private final SnsState state;
    private final java.util.function.Supplier<MessageSigner> signer;
    private final QueueSender deadLetters;
    private final Map<String, SubscriberDelivery> deliveries = new ConcurrentHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Scheduled> due = new PriorityQueue<>();
    private final Map<String, ArrayDeque<Scheduled>> lanes = new HashMap<>();
    private final Map<String, Long> nextThrottleSlot = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong order = new AtomicLong();
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT_ATTEMPTS);

    private volatile long checkpoint;
    private volatile boolean closed;
    private Thread pump;
    private Thread dispatcher;

    /**
     * A pending delivery waiting in memory for its due time; {@code slotReserved} when the due time is
     * a throttle slot already taken for it.
     */
    private record Scheduled(byte[] key, long dueAt, String lane, long order, boolean slotReserved)
            implements Comparable<Scheduled> {
        Scheduled(byte[] key, long dueAt, String lane, long order) {
            this(key, dueAt, lane, order, false);
        }

        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(dueAt, other.dueAt);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }

        Scheduled at(long time) {
            return new Scheduled(key, time, lane, order, false);
        }

        Scheduled inSlot(long slot) {
            return new Scheduled(key, slot, lane, order, true);
        }
    }

    DeliveryEngine(Store store, SnsState state, java.util.function.Supplier<MessageSigner> signer, QueueSender deadLetters) {
        this.store = store;
        this.state = state;
        this.signer = signer;
        this.deadLetters = deadLetters;
    }

    void register(String protocol, SubscriberDelivery delivery) {
        deliveries.put(protocol, delivery);
    }

    /** Reloads the deliveries a previous run left pending, then starts pumping and delivering. */
    void start() {
        byte[] stored = store.get(SnsKeys.DISPATCH_CHECKPOINT);
        checkpoint = stored == null ? -1 : Keys.readU64(stored, 0);
        lock.lock();
        try (Cursor cursor = store.scanPrefix(SnsKeys.PENDING)) {
            while (cursor.next()) {
                PendingDelivery pending = Json.read(cursor.value(), PendingDelivery.class);
                enqueue(new Scheduled(cursor.key(), pending.dueAt(), pending.orderingLane(), order.getAndIncrement()));
            }
        } finally {
            lock.unlock();
        }
        pump = Thread.ofVirtual().name("sns-delivery-pump").start(this::pumpLoop);
        dispatcher = Thread.ofVirtual().name("sns-delivery-dispatcher").start(this::dispatchLoop);
    }

    List<Drainable> activities() {
        return List.of(new Drainable() {
            @Override
            public boolean isIdle() {
                return checkpoint >= store.lastSequence(SnsKeys.DISPATCH_LOG);
            }

            @Override
            public String describe() {
                return "sns dispatch pump at " + checkpoint + " of " + store.lastSequence(SnsKeys.DISPATCH_LOG);
            }
        }, new Drainable() {
            @Override
            public boolean isIdle() {
                lock.lock();
                try {
                    Scheduled next = due.peek();
                    return inFlight.get() == 0 && (next == null || next.dueAt() > System.currentTimeMillis());
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public String describe() {
                lock.lock();
                try {
                    return "sns deliveries: " + inFlight.get() + " in flight, " + due.size() + " scheduled";
                } finally {
                    lock.unlock();
                }
            }
        });
    }

    private void pumpLoop() {
        while (!closed) {
            try {
                List<LogReader.Entry> entries = LogReader.readAfter(store, SnsKeys.DISPATCH_LOG, checkpoint, PUMP_BATCH);
                if (entries.isEmpty()) {
                    store.awaitAppend(SnsKeys.DISPATCH_LOG, checkpoint, Duration.ofSeconds(1));
                    continue;
                }
                long now = System.currentTimeMillis();
                Batch batch = new Batch();
                List<Scheduled> handedOver = new ArrayList<>();
                for (LogReader.Entry entry : entries) {
                    Dispatch dispatch = Json.read(entry.value(), Dispatch.class);
                    Dispatch bare = dispatch.withoutTargets();
                    for (int i = 0; i < dispatch.targets().size(); i++) {
                        PendingDelivery pending = new PendingDelivery(bare, dispatch.targets().get(i), 0, now);
                        byte[] key = SnsKeys.pending(entry.sequence(), i);
                        batch.put(key, Json.bytes(pending));
                        handedOver.add(new Scheduled(key, now, pending.orderingLane(), order.getAndIncrement()));
                    }
                    batch.delete(LogReader.key(SnsKeys.DISPATCH_LOG, entry.sequence()));
                }
                long last = entries.get(entries.size() - 1).sequence();
                batch.put(SnsKeys.DISPATCH_CHECKPOINT, Keys.of().u64(last).build());
                store.write(batch);
                lock.lock();
                try {
                    handedOver.forEach(this::enqueue);
                } finally {
                    lock.unlock();
                }
                checkpoint = last;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) return;
                LOG.log(System.Logger.Level.WARNING, "SNS dispatch pump failed; retrying", e);
                sleepQuietly(200);
            }
        }
    }

    private void dispatchLoop() {
        while (!closed) {
            Scheduled next;
            lock.lock();
            try {
                while (true) {
                    if (closed) return;
                    Scheduled head = due.peek();
                    long now = System.currentTimeMillis();
                    if (head != null && head.dueAt() <= now) {
                        next = due.poll();
                        inFlight.incrementAndGet();
                        break;
                    }
                    changed.await(head == null ? 1000 : Math.min(1000, head.dueAt() - now), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                inFlight.decrementAndGet();
                return;
            }
            Scheduled attempt = next;
            Thread.ofVirtual().name("sns-delivery").start(() -> {
                try {
                    attempt(attempt);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "SNS delivery attempt failed unexpectedly", e);
                    schedule(attempt.at(System.currentTimeMillis() + 1000));
                } finally {
                    slots.release();
                    inFlight.decrementAndGet();
                }
            });
        }
    }

    /** Under the lock: FIFO lanes let only their head be scheduled. */
    private void enqueue(Scheduled scheduled) {
        if (scheduled.lane() == null) {
            due.add(scheduled);
        } else {
            ArrayDeque<Scheduled> lane = lanes.computeIfAbsent(scheduled.lane(), k -> new ArrayDeque<>());
            lane.addLast(scheduled);
            if (lane.size() == 1) due.add(scheduled);
        }
        changed.signalAll();
    }

    private void schedule(Scheduled scheduled) {
        lock.lock();
        try {
            if (scheduled.lane() != null) {
                ArrayDeque<Scheduled> lane = lanes.get(scheduled.lane());
                if (lane != null && !lane.isEmpty()) {
                    lane.pollFirst();
                    lane.addFirst(scheduled);
                }
            }
            due.add(scheduled);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The delivery is done (delivered, dead-lettered or dropped): forget it and free its lane. */
    private void finish(Scheduled scheduled) {
        store.write(new Batch().delete(scheduled.key()));
        if (scheduled.lane() == null) return;
        lock.lock();
        try {
            ArrayDeque<Scheduled> lane = lanes.get(scheduled.lane());
            if (lane == null) return;
            lane.pollFirst();
            Scheduled next = lane.peekFirst();
            if (next == null) lanes.remove(scheduled.lane());
            else due.add(next);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void attempt(Scheduled scheduled) {
        byte[] stored = store.get(scheduled.key());
        if (stored == null) {
            finish(scheduled);
            return;
        }
        PendingDelivery pending = Json.read(stored, PendingDelivery.class);
        Dispatch dispatch = pending.dispatch();
        Subscription subscription = state.subscription(pending.subscriptionArn());
        boolean unsubscribeConfirmation = Delivery.UNSUBSCRIBE_CONFIRMATION.equals(dispatch.type());
        if (subscription == null && !unsubscribeConfirmation) {
            finish(scheduled);
            return;
        }
        String protocol = subscription != null ? subscription.protocol() : dispatch.protocol();
        String endpoint = subscription != null ? subscription.endpoint() : dispatch.endpoint();
        ObjectNode httpPolicy = null;
        if (subscription != null && (protocol.equals("http") || protocol.equals("https"))) {
            Topic topic = state.topic(new Arns.TopicAddress(subscription.account(), subscription.region(), subscription.topicName()));
            if (topic != null) httpPolicy = DeliveryPolicies.effectiveSubscriptionPolicy(topic, subscription);
        }
        if (httpPolicy != null && dispatch.type().equals(Delivery.NOTIFICATION) && !scheduled.slotReserved()) {
            int rate = DeliveryPolicies.maxReceivesPerSecond(httpPolicy);
            if (rate > 0) {
                long slot = throttleSlot(pending.subscriptionArn(), rate);
                if (slot > System.currentTimeMillis()) {
                    schedule(scheduled.inSlot(slot));
                    return;
                }
            }
        }
        Delivery delivery = delivery(dispatch, pending.subscriptionArn(), protocol, endpoint, subscription,
                httpPolicy == null ? DeliveryPolicies.DEFAULT_CONTENT_TYPE : DeliveryPolicies.contentType(httpPolicy));
        SubscriberDelivery target = deliveries.get(protocol);
        boolean retryable;
        String reason;
        try {
            if (target == null) throw DeliveryException.retryable("no delivery for protocol " + protocol + " is available");
            target.deliver(delivery);
            finish(scheduled);
            return;
        } catch (DeliveryException e) {
            retryable = e.retryable();
            reason = e.getMessage();
        } catch (RuntimeException e) {
            retryable = true;
            reason = e.toString();
        }
        if (retryable) {
            RetryPolicy policy = retryPolicy(protocol, httpPolicy);
            Duration delay = policy.delayBefore(pending.attempt() + 1);
            if (delay != null) {
                long dueAt = System.currentTimeMillis() + delay.toMillis();
                store.write(new Batch().put(scheduled.key(), Json.bytes(pending.retried(dueAt))));
                schedule(scheduled.at(dueAt));
                return;
            }
        }
        if (subscription != null && delivery.isNotification()) deadLetter(subscription, delivery, reason);
        finish(scheduled);
    }

    private void deadLetter(Subscription subscription, Delivery delivery, String reason) {
        String target = subscription.deadLetterTargetArn();
        if (target == null) {
            LOG.log(System.Logger.Level.INFO, "SNS dropped message " + delivery.messageId() + " for " + subscription.arn() + ": " + reason);
            return;
        }
        try {
            deadLetters.send(target, QueueDelivery.message(delivery, target));
        } catch (DeliveryException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "SNS could not move message " + delivery.messageId() + " to dead-letter queue "
                    + target + ": " + e.getMessage());
        }
    }

    private static RetryPolicy retryPolicy(String protocol, ObjectNode httpPolicy) {
        return switch (protocol) {
            case "http", "https" -> httpPolicy == null ? RetryPolicy.HTTP_DEFAULT : DeliveryPolicies.retryPolicy(httpPolicy);
            case "email", "email-json", "sms", "application" -> RetryPolicy.CUSTOMER_MANAGED;
            default -> RetryPolicy.AWS_MANAGED;
        };
    }

    private long throttleSlot(String subscriptionArn, int perSecond) {
        lock.lock();
        try {
            long now = System.currentTimeMillis();
            long slot = Math.max(now, nextThrottleSlot.getOrDefault(subscriptionArn, now));
            nextThrottleSlot.put(subscriptionArn, slot + Math.max(1, 1000 / perSecond));
            return slot;
        } finally {
            lock.unlock();
        }
    }

    private Delivery delivery(Dispatch dispatch, String subscriptionArn, String protocol, String endpoint,
                              Subscription subscription, String contentType) {
        boolean notification = Delivery.NOTIFICATION.equals(dispatch.type());
        String message = notification ? dispatch.messageFor(protocol, endpoint) : dispatch.message();
        Instant timestamp = Instant.ofEpochMilli(dispatch.timestamp());
        String base = dispatch.baseUrl();
        String subscribeUrl = notification ? null
                : base + "/?Action=ConfirmSubscription&TopicArn=" + dispatch.topicArn() + "&Token=" + dispatch.token();
        String unsubscribeUrl = base + "/?Action=Unsubscribe&SubscriptionArn=" + subscriptionArn;
        MessageSigner signer = this.signer.get();
        String signingCertUrl = base + "/_eddy/sns/" + signer.certificateFileName();
        Delivery unsigned = new Delivery(dispatch.type(), subscriptionArn, dispatch.topicArn(), protocol, endpoint,
                dispatch.messageId(), message, dispatch.subject(), timestamp,
                dispatch.attributes(), subscription != null && subscription.rawMessageDelivery(),
                dispatch.messageGroupId(), dispatch.messageDeduplicationId(), dispatch.sequenceNumber(),
                dispatch.token(), subscribeUrl, notification ? unsubscribeUrl : null, dispatch.signatureVersion(),
                null, signingCertUrl, contentType);
        if (notification && dispatch.fifoTopic()) return unsigned;
        String signature = signer.sign(Delivery.stringToSign(dispatch.type(), message, dispatch.messageId(),
                dispatch.subject(), subscribeUrl, unsigned.timestampText(), dispatch.token(), dispatch.topicArn()),
                dispatch.signatureVersion());
        return new Delivery(dispatch.type(), subscriptionArn, dispatch.topicArn(), protocol, endpoint,
                dispatch.messageId(), message, dispatch.subject(), timestamp, dispatch.attributes(),
                unsigned.rawMessageDelivery(), dispatch.messageGroupId(), dispatch.messageDeduplicationId(),
                dispatch.sequenceNumber(), dispatch.token(), subscribeUrl, unsigned.unsubscribeUrl(),
                dispatch.signatureVersion(), signature, signingCertUrl, contentType);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops pumping and starting attempts; attempts already running finish (see {@link #awaitIdle}). */
    void stop() {
        closed = true;
        for (Thread thread : new Thread[] {pump, dispatcher}) {
            if (thread == null) continue;
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits for running attempts to end, since they write to the store, which closes next. A
     * delivery that will not finish (a stuck Lambda) is waited for up to a minute.
     */
    void awaitIdle() {
        try {
            if (!slots.tryAcquire(MAX_CONCURRENT_ATTEMPTS, 60, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "SNS deliveries still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
