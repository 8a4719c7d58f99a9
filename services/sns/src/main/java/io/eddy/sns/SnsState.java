package io.eddy.sns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.ReadView;
import io.eddy.store.Store;

/** Reads and writes topics, subscriptions and confirmation tokens (see {@link SnsKeys}). */
final class SnsState {

    private final Store store;

    SnsState(Store store) {
        this.store = store;
    }

    Store store() {
        return store;
    }

    Topic topic(Arns.TopicAddress address) {
        byte[] value = store.get(SnsKeys.topic(address.account(), address.region(), address.name()));
        return value == null ? null : Json.read(value, Topic.class);
    }

    /** The topic, or AWS's NotFound. */
    Topic existingTopic(Arns.TopicAddress address) {
        Topic topic = topic(address);
        if (topic == null) throw SnsErrors.topicNotFound();
        return topic;
    }

    void putTopic(Batch batch, Topic topic) {
        batch.put(SnsKeys.topic(topic.account(), topic.region(), topic.name()), Json.bytes(topic));
    }

    /** Up to {@code limit} topics of one account and region, from the one named {@code fromName} on. */
    List<Topic> topics(String account, String region, String fromName, int limit) {
        byte[] prefix = SnsKeys.topics(account, region);
        byte[] from = fromName == null ? prefix : SnsKeys.topic(account, region, fromName);
        List<Topic> topics = new ArrayList<>();
        try (Cursor cursor = store.scan(from, Keys.prefixEnd(prefix))) {
            while (topics.size() < limit && cursor.next()) topics.add(Json.read(cursor.value(), Topic.class));
        }
        return topics;
    }

    Subscription subscription(Arns.SubscriptionAddress address) {
        Arns.TopicAddress t = address.topic();
        byte[] value = store.get(SnsKeys.subscription(t.account(), t.region(), t.name(), address.id()));
        return value == null ? null : Json.read(value, Subscription.class);
    }

    Subscription subscription(String arn) {
        String[] parts = arn.split(":", -1);
        if (parts.length != 7) return null;
        byte[] value = store.get(SnsKeys.subscription(parts[4], parts[3], parts[5], parts[6]));
        return value == null ? null : Json.read(value, Subscription.class);
    }

    void putSubscription(Batch batch, Subscription subscription) {
        batch.put(SnsKeys.subscription(subscription.account(), subscription.region(), subscription.topicName(),
                subscription.id()), Json.bytes(subscription));
    }

    void deleteSubscription(Batch batch, Subscription subscription) {
        batch.delete(SnsKeys.subscription(subscription.account(), subscription.region(), subscription.topicName(),
                subscription.id()));
        if (subscription.token() != null) batch.delete(SnsKeys.token(subscription.token()));
    }

    /** Every subscription of the topic, in id order. */
    List<Subscription> subscriptionsOf(ReadView view, Topic topic) {
        return subscriptionsFrom(view, SnsKeys.subscriptionsOf(topic.account(), topic.region(), topic.name()), null, Integer.MAX_VALUE);
    }

    List<Subscription> subscriptionsOf(Topic topic) {
        return subscriptionsOf(store, topic);
    }

    /**
     * Up to {@code limit} subscriptions under {@code prefix}, starting after the subscription whose
     * key is {@code afterKey} (null: from the first).
     */
    List<Subscription> subscriptionsFrom(ReadView view, byte[] prefix, byte[] afterKey, int limit) {
        byte[] from = prefix;
        if (afterKey != null) {
            from = new byte[afterKey.length + 1];
            System.arraycopy(afterKey, 0, from, 0, afterKey.length);
        }
        List<Subscription> subscriptions = new ArrayList<>();
        try (Cursor cursor = view.scan(from, Keys.prefixEnd(prefix))) {
            while (subscriptions.size() < limit && cursor.next()) {
                subscriptions.add(Json.read(cursor.value(), Subscription.class));
            }
        }
        return subscriptions;
    }

    /** The ARN of the subscription a confirmation token was issued for, or null. */
    String subscriptionForToken(String token) {
        byte[] value = store.get(SnsKeys.token(token));
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    void putToken(Batch batch, String token, String subscriptionArn) {
        batch.put(SnsKeys.token(token), subscriptionArn.getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the topic, its subscriptions, their tokens and its deduplication records. */
    void deleteTopic(Batch batch, Topic topic) {
        batch.delete(SnsKeys.topic(topic.account(), topic.region(), topic.name()));
        for (Subscription subscription : subscriptionsOf(topic)) deleteSubscription(batch, subscription);
        try (Cursor cursor = store.scanPrefix(SnsKeys.deduplications(topic.arn()))) {
            while (cursor.next()) batch.delete(cursor.key());
        }
        batch.delete(SnsKeys.sequence(topic.arn()));
    }
}
