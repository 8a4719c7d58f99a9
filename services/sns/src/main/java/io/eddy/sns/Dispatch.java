package io.eddy.sns;

import java.util.List;
import java.util.Map;

/**
 * One record of the dispatch log: a published notification or a confirmation message and the
 * subscriptions it goes to. Publish and Subscribe append it in the same batch as their other
 * writes; the delivery pump turns it into one {@link PendingDelivery} per target.
 *
 * @param protocolMessages per-protocol texts when published with MessageStructure=json (with "default"), else null
 * @param baseUrl          Eddy as the caller reached it, for the links in the message
 * @param protocol         for confirmations: the protocol they go out by (an unsubscribed subscription is gone)
 * @param endpoint         for confirmations: where they go
 */
record Dispatch(String type, String messageId, String topicArn, long timestamp, String baseUrl, String subject,
                String message, Map<String, String> protocolMessages, Map<String, MessageAttribute> attributes,
                String messageGroupId, String messageDeduplicationId, String sequenceNumber, boolean fifoTopic,
                String signatureVersion, String token, String protocol, String endpoint, List<String> targets) {

    Dispatch withoutTargets() {
        return new Dispatch(type, messageId, topicArn, timestamp, baseUrl, subject, message, protocolMessages, attributes,
                messageGroupId, messageDeduplicationId, sequenceNumber, fifoTopic, signatureVersion, token, protocol,
                endpoint, List.of());
    }

    /**
     * The message text for a subscription: under MessageStructure=json its protocol's own entry (for
     * mobile push, its platform's: APNS, GCM, ...), else the default.
     */
    String messageFor(String protocol, String endpoint) {
        if (protocolMessages == null) return message;
        String key = protocol.equals("application") ? Platforms.platformOf(endpoint) : protocol;
        String own = protocolMessages.get(key);
        return own != null ? own : protocolMessages.get("default");
    }
}
