package io.eddy.sns;

import io.eddy.store.Keys;

/**
 * SNS's storage layout. Topics and subscriptions sort by account, region and name so listings are
 * prefix scans; a topic's subscriptions sit under the topic's own prefix.
 */
final class SnsKeys {

    /** The durable log Publish and Subscribe append deliveries to. */
    static final byte[] DISPATCH_LOG = Keys.of().text("sns").text("dispatch").build();
    /** How far the delivery pump has handed the dispatch log over to pending deliveries. */
    static final byte[] DISPATCH_CHECKPOINT = Keys.of().text("sns").text("dispatch-checkpoint").build();
    /** Deliveries waiting for their next attempt, keyed by dispatch sequence and target index. */
    static final byte[] PENDING = Keys.of().text("sns").text("pending").build();
    /** The durable log of email, email-json, SMS and push messages. */
    static final byte[] OUTBOX_LOG = Keys.of().text("sns").text("outbox").build();
    /** The RSA key and certificate notifications are signed with. */
    static final byte[] SIGNING_KEY = Keys.of().text("sns").text("signing-key").build();

    private SnsKeys() {
    }

    static byte[] topic(String account, String region, String name) {
        return Keys.of().text("sns").text("topic").text(account).text(region).text(name).build();
    }

    static byte[] topics(String account, String region) {
        return Keys.of().text("sns").text("topic").text(account).text(region).build();
    }

    static byte[] subscription(String account, String region, String topicName, String id) {
        return Keys.of().text("sns").text("sub").text(account).text(region).text(topicName).text(id).build();
    }

    static byte[] subscriptionsOf(String account, String region, String topicName) {
        return Keys.of().text("sns").text("sub").text(account).text(region).text(topicName).build();
    }

    static byte[] subscriptions(String account, String region) {
        return Keys.of().text("sns").text("sub").text(account).text(region).build();
    }

    static byte[] token(String token) {
        return Keys.of().text("sns").text("token").text(token).build();
    }

    /** A removed subscription kept for the SubscribeURL of its UnsubscribeConfirmation, which restores it. */
    static byte[] unsubscribed(String token) {
        return Keys.of().text("sns").text("unsubscribed").text(token).build();
    }

    static byte[] deduplication(String topicArn, String scope, String deduplicationId) {
        return Keys.of().text("sns").text("dedup").text(topicArn).text(scope).text(deduplicationId).build();
    }

    static byte[] deduplications(String topicArn) {
        return Keys.of().text("sns").text("dedup").text(topicArn).build();
    }

    static byte[] sequence(String topicArn) {
        return Keys.of().text("sns").text("sequence").text(topicArn).build();
    }

    static byte[] pending(long dispatchSequence, int target) {
        return Keys.of().raw(PENDING).u64(dispatchSequence).u64(target).build();
    }
}
