package io.eddy.sns;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.sns.delivery.Delivery;
import io.eddy.sns.delivery.SubscriberDelivery;
import io.eddy.store.Batch;
import io.eddy.store.LogReader;
import io.eddy.store.Store;

/**
 * Where email, email-json, SMS and mobile-push messages land instead of leaving the machine: a
 * durable log that {@code GET /_eddy/sns/outbox} shows, so "the user got the email" can be checked
 * locally. Each entry records type, protocol, endpoint, subject, message, timestamp, topicArn,
 * messageId and subscriptionArn, plus the SubscribeURL of confirmations.
 */
public final class Outbox implements SubscriberDelivery {

    static final String EMAIL_SUBJECT = "AWS Notification Message";
    static final String CONFIRMATION_SUBJECT = "AWS Notification - Subscription Confirmation";

    private final Store store;

    Outbox(Store store) {
        this.store = store;
    }

    @Override
    public void deliver(Delivery delivery) {
        ObjectNode entry = entry(delivery.type(), delivery.protocol(), delivery.endpoint(), subject(delivery),
                text(delivery), delivery.timestampText(), delivery.topicArn(), delivery.messageId());
        entry.put("subscriptionArn", delivery.subscriptionArn());
        if (delivery.subscribeUrl() != null) entry.put("subscribeUrl", delivery.subscribeUrl());
        if (delivery.unsubscribeUrl() != null) entry.put("unsubscribeUrl", delivery.unsubscribeUrl());
        store.write(append(new Batch(), entry));
    }

    /** An SMS sent straight to a phone number (Publish with PhoneNumber), appended to {@code batch}. */
    static void appendDirectSms(Batch batch, String phoneNumber, String message, String timestamp, String messageId) {
        append(batch, entry(Delivery.NOTIFICATION, "sms", phoneNumber, null, message, timestamp, null, messageId));
    }

    /** Every message in the outbox, oldest first. */
    public List<ObjectNode> messages() {
        List<ObjectNode> messages = new ArrayList<>();
        for (LogReader.Entry e : LogReader.readAfter(store, SnsKeys.OUTBOX_LOG, -1, Integer.MAX_VALUE)) {
            messages.add((ObjectNode) Json.tree(e.value()));
        }
        return messages;
    }

    /** Empties the outbox. */
    public void clear() {
        Batch batch = new Batch();
        LogReader.trimBefore(store, batch, SnsKeys.OUTBOX_LOG, store.lastSequence(SnsKeys.OUTBOX_LOG) + 1);
        if (!batch.isEmpty()) store.write(batch);
    }

    static Batch append(Batch batch, ObjectNode entry) {
        batch.append(SnsKeys.OUTBOX_LOG, Json.bytes(entry));
        return batch;
    }

    static ObjectNode entry(String type, String protocol, String endpoint, String subject, String message,
                                    String timestamp, String topicArn, String messageId) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("type", type);
        entry.put("protocol", protocol);
        entry.put("endpoint", endpoint);
        entry.put("subject", subject);
        entry.put("message", message);
        entry.put("timestamp", timestamp);
        entry.put("topicArn", topicArn);
        entry.put("messageId", messageId);
        return entry;
    }

    private static String subject(Delivery delivery) {
        if (!delivery.protocol().startsWith("email")) return null;
        if (!delivery.isNotification()) return CONFIRMATION_SUBJECT;
        return delivery.subject() != null ? delivery.subject() : EMAIL_SUBJECT;
    }

    private static String text(Delivery delivery) {
        if (delivery.protocol().equals("email-json")) return delivery.envelope();
        if (delivery.isNotification()) return delivery.message();
        if (delivery.type().equals(Delivery.SUBSCRIPTION_CONFIRMATION)) {
            return "You have chosen to subscribe to the topic: \n" + delivery.topicArn()
                    + "\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary): \n"
                    + "Confirm subscription: " + delivery.subscribeUrl();
        }
        return delivery.message();
    }
}
