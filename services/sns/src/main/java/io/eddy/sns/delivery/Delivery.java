package io.eddy.sns.delivery;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.eddy.sns.MessageAttribute;

/**
 * One message on its way to one subscription endpoint, with everything a {@link SubscriberDelivery}
 * needs: the message as selected for the subscription's protocol, its metadata, and the signed JSON
 * forms AWS delivers ({@link #envelope()} for SQS, HTTP/S and email-json, {@link #lambdaEvent()} for
 * Lambda).
 *
 * @param type                 {@code Notification}, {@code SubscriptionConfirmation} or {@code UnsubscribeConfirmation}
 * @param message              the text for this protocol (MessageStructure=json picks the protocol's own entry)
 * @param subject              null when the publisher gave none
 * @param messageGroupId       set for FIFO topics, and for standard topics when the publisher gave one
 * @param messageDeduplicationId the explicit or content-based id (FIFO topics)
 * @param sequenceNumber       the topic's sequence number (FIFO topics)
 * @param token                the confirmation token (confirmations only)
 * @param subscribeUrl         the confirmation link (confirmations only)
 * @param signature            base64 RSA signature, null for FIFO topics, whose notifications AWS leaves unsigned
 * @param contentType          the Content-Type HTTP/S deliveries carry
 */
public record Delivery(String type, String subscriptionArn, String topicArn, String protocol, String endpoint,
                       String messageId, String message, String subject, Instant timestamp,
                       Map<String, MessageAttribute> messageAttributes, boolean rawMessageDelivery,
                       String messageGroupId, String messageDeduplicationId, String sequenceNumber,
                       String token, String subscribeUrl, String unsubscribeUrl,
                       String signatureVersion, String signature, String signingCertUrl, String contentType) {

    public static final String NOTIFICATION = "Notification";
    public static final String SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation";
    public static final String UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public Delivery {
        messageAttributes = messageAttributes == null ? Map.of() : new LinkedHashMap<>(messageAttributes);
    }

    public boolean isNotification() {
        return NOTIFICATION.equals(type);
    }

    /** The timestamp as every SNS JSON form writes it: ISO 8601 with milliseconds, in UTC. */
    public String timestampText() {
        return ISO_MILLIS.format(timestamp);
    }

    /**
     * The JSON document AWS delivers to SQS, HTTP/S and email-json endpoints, pretty-printed the way
     * AWS prints it (two-space indent, {@code " : "} separators, attributes one compact object per line).
     */
    public String envelope() {
        StringBuilder out = new StringBuilder(512 + message.length());
        out.append("{\n");
        Fields f = new Fields(out);
        f.add("Type", type);
        f.add("MessageId", messageId);
        if (isNotification()) {
            if (sequenceNumber != null) f.add("SequenceNumber", sequenceNumber);
            f.add("TopicArn", topicArn);
            if (subject != null) f.add("Subject", subject);
            f.add("Message", message);
            f.add("Timestamp", timestampText());
            if (signature != null) {
                f.add("SignatureVersion", signatureVersion);
                f.add("Signature", signature);
                f.add("SigningCertURL", signingCertUrl);
            }
            f.add("UnsubscribeURL", unsubscribeUrl);
            if (!messageAttributes.isEmpty()) {
                f.next();
                out.append("  \"MessageAttributes\" : {\n");
                boolean first = true;
                for (Map.Entry<String, MessageAttribute> e : messageAttributes.entrySet()) {
                    if (!first) out.append(",\n");
                    first = false;
                    out.append("    ").append(quote(e.getKey())).append(" : {\"Type\":").append(quote(e.getValue().dataType()))
                            .append(",\"Value\":").append(quote(e.getValue().envelopeValue())).append('}');
                }
                out.append("\n  }");
            }
        } else {
            f.add("Token", token);
            f.add("TopicArn", topicArn);
            f.add("Message", message);
            f.add("SubscribeURL", subscribeUrl);
            f.add("Timestamp", timestampText());
            f.add("SignatureVersion", signatureVersion);
            f.add("Signature", signature);
            f.add("SigningCertURL", signingCertUrl);
        }
        out.append("\n}");
        return out.toString();
    }

    /** The event Lambda functions receive for this notification: one record, {@code ...Url} spelled as Lambda spells it. */
    public String lambdaEvent() {
        StringBuilder out = new StringBuilder(512 + message.length());
        out.append("{\"Records\":[{\"EventSource\":\"aws:sns\",\"EventVersion\":\"1.0\",\"EventSubscriptionArn\":")
                .append(quote(subscriptionArn)).append(",\"Sns\":{\"Type\":").append(quote(type))
                .append(",\"MessageId\":").append(quote(messageId))
                .append(",\"TopicArn\":").append(quote(topicArn))
                .append(",\"Subject\":").append(subject == null ? "null" : quote(subject))
                .append(",\"Message\":").append(quote(message))
                .append(",\"Timestamp\":").append(quote(timestampText()))
                .append(",\"SignatureVersion\":").append(quote(signatureVersion))
                .append(",\"Signature\":").append(signature == null ? "null" : quote(signature))
                .append(",\"SigningCertUrl\":").append(quote(signingCertUrl))
                .append(",\"UnsubscribeUrl\":").append(quote(unsubscribeUrl))
                .append(",\"MessageAttributes\":{");
        boolean first = true;
        for (Map.Entry<String, MessageAttribute> e : messageAttributes.entrySet()) {
            if (!first) out.append(',');
            first = false;
            out.append(quote(e.getKey())).append(":{\"Type\":").append(quote(e.getValue().dataType()))
                    .append(",\"Value\":").append(quote(e.getValue().envelopeValue())).append('}');
        }
        return out.append("}}}]}").toString();
    }

    /**
     * What SNS signs: {@code name\nvalue\n} for each signed field in name order, as AWS documents for
     * notifications (Message, MessageId, Subject when present, Timestamp, TopicArn, Type) and
     * confirmations (Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type).
     */
    public static String stringToSign(String type, String message, String messageId, String subject, String subscribeUrl,
                                      String timestamp, String token, String topicArn) {
        StringBuilder s = new StringBuilder(256 + message.length());
        s.append("Message\n").append(message).append('\n');
        s.append("MessageId\n").append(messageId).append('\n');
        if (NOTIFICATION.equals(type)) {
            if (subject != null) s.append("Subject\n").append(subject).append('\n');
            s.append("Timestamp\n").append(timestamp).append('\n');
        } else {
            s.append("SubscribeURL\n").append(subscribeUrl).append('\n');
            s.append("Timestamp\n").append(timestamp).append('\n');
            s.append("Token\n").append(token).append('\n');
        }
        s.append("TopicArn\n").append(topicArn).append('\n');
        s.append("Type\n").append(type).append('\n');
        return s.toString();
    }

    private static String quote(String text) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    /** Writes {@code  "name" : "value"} lines separated by commas. */
    private static final class Fields {
        private final StringBuilder out;
        private boolean first = true;

        Fields(StringBuilder out) {
            this.out = out;
        }

        void next() {
            if (!first) out.append(",\n");
            first = false;
        }

        void add(String name, String value) {
            next();
            out.append("  \"").append(name).append("\" : ").append(quote(value));
        }
    }
}
