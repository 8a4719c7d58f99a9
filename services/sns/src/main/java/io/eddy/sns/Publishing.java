package io.eddy.sns;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Publish's checks on messages, subjects, attributes and FIFO ids, with AWS's error texts. */
final class Publishing {

    static final int MAX_MESSAGE_BYTES = 262_144;
    private static final Set<String> PROTOCOL_KEYS = Set.of("default", "http", "https", "email", "email-json", "sms",
            "sqs", "application", "lambda", "firehose", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX",
            "MACOS", "MACOS_SANDBOX", "GCM", "ADM", "BAIDU", "MPNS", "WNS");
    private static final Pattern FIFO_ID = Pattern.compile("[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}");
    private static final Pattern ATTRIBUTE_NAME_CHAR = Pattern.compile("[A-Za-z0-9_.\\-]");

    /** One message to publish, as Publish or one PublishBatch entry gives it. */
    record Message(String message, String subject, String structure, Map<String, MessageAttribute> attributes,
                   String messageGroupId, String messageDeduplicationId) {

        /** Bytes counted against the 256 KB limit: the message and every attribute's name, type and value. */
        int size() {
            int size = message.getBytes(StandardCharsets.UTF_8).length;
            for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) size += e.getValue().size(e.getKey());
            return size;
        }
    }

    private Publishing() {
    }

    /**
     * Reads and checks one message from a Publish input or PublishBatch entry.
     *
     * @param memberPath where validation errors locate the entry's members: {@code ""} for Publish,
     *                   {@code "publishBatchRequestEntries.N.member."} for batch entries
     */
    static Message read(JsonNode input, String memberPath) {
        JsonNode messageNode = input.get("Message");
        if (messageNode == null || messageNode.isNull()) throw SnsErrors.missing(memberPath + "message");
        String message = messageNode.asText();
        if (message.isEmpty()) throw SnsErrors.invalidParameter("Empty message");
        String structure = text(input, "MessageStructure");
        if (structure != null) {
            if (!structure.equals("json")) throw SnsErrors.invalidParameter("MessageStructure");
            protocolMessages(message);
        }
        String subject = text(input, "Subject");
        if (subject != null) checkSubject(subject);
        Map<String, MessageAttribute> attributes = attributes(input.get("MessageAttributes"), memberPath);
        Message result = new Message(message, subject, structure, attributes, text(input, "MessageGroupId"),
                text(input, "MessageDeduplicationId"));
        if (result.size() > MAX_MESSAGE_BYTES) throw SnsErrors.invalidParameter("Message too long");
        return result;
    }

    /**
     * The per-protocol texts of a MessageStructure=json message: string values under protocol keys
     * (others are ignored, as AWS ignores them), with the required {@code default}.
     */
    static Map<String, String> protocolMessages(String message) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(message);
        } catch (IOException e) {
            tree = null;
        }
        if (tree == null || !tree.isObject()) {
            throw SnsErrors.invalidParameter("Message Structure - JSON message body failed to parse");
        }
        Map<String, String> messages = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (PROTOCOL_KEYS.contains(field.getKey()) && field.getValue().isTextual()) {
                messages.put(field.getKey(), field.getValue().asText());
            }
        }
        if (!messages.containsKey("default")) {
            throw SnsErrors.invalidParameter("Message Structure - No default entry in JSON message body");
        }
        return messages;
    }

    /** Subjects: non-empty ASCII-printable text without line breaks, under 100 characters. */
    static void checkSubject(String subject) {
        if (subject.isEmpty() || subject.length() >= 100) throw SnsErrors.invalidParameter("Subject");
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (c < 0x20 || c == 0x7F) throw SnsErrors.invalidParameter("Subject");
        }
    }

    static void checkFifoId(String value, String parameter) {
        if (!FIFO_ID.matcher(value).matches()) {
            throw SnsErrors.invalidParameter(parameter + " Reason: " + parameter
                    + " can only include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
    }

    private static Map<String, MessageAttribute> attributes(JsonNode node, String memberPath) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        if (node == null || !node.isObject()) return attributes;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            checkAttributeName(name);
            JsonNode value = field.getValue();
            JsonNode dataType = value == null ? null : value.get("DataType");
            if (dataType == null || dataType.isNull()) {
                throw SnsErrors.missing(memberPath + "messageAttributes." + name + ".member.dataType");
            }
            String type = dataType.asText();
            String stringValue = text(value, "StringValue");
            String binaryValue = text(value, "BinaryValue");
            String base = type.contains(".") ? type.substring(0, type.indexOf('.')) : type;
            switch (base) {
                case "String", "Number" -> {
                    if (stringValue == null && binaryValue != null) {
                        throw SnsErrors.parameterValueInvalid("The message attribute '" + name + "' with type '" + base
                                + "' must use field 'String'.");
                    }
                    if (stringValue == null || stringValue.isEmpty()) {
                        throw SnsErrors.parameterValueInvalid("The message attribute '" + name
                                + "' must contain non-empty message attribute value for message attribute type '" + base + "'.");
                    }
                    if (base.equals("Number")) checkNumber(name, stringValue);
                }
                case "Binary" -> {
                    if (binaryValue == null && stringValue != null) {
                        throw SnsErrors.parameterValueInvalid("The message attribute '" + name
                                + "' with type 'Binary' must use field 'Binary'.");
                    }
                    if (binaryValue == null || binaryValue.isEmpty()) {
                        throw SnsErrors.parameterValueInvalid("The message attribute '" + name
                                + "' must contain non-empty message attribute value for message attribute type 'Binary'.");
                    }
                    try {
                        Base64.getDecoder().decode(binaryValue);
                    } catch (IllegalArgumentException e) {
                        throw SnsErrors.parameterValueInvalid("The message attribute '" + name + "' has an invalid binary value.");
                    }
                }
                default -> throw SnsErrors.parameterValueInvalid("The message attribute '" + name
                        + "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
            }
            attributes.put(name, new MessageAttribute(type, base.equals("Binary") ? null : stringValue,
                    base.equals("Binary") ? binaryValue : null));
        }
        return attributes;
    }

    private static void checkNumber(String name, String value) {
        try {
            new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw SnsErrors.parameterValueInvalid("Could not cast message attribute '" + name + "' value to number.");
        }
    }

    private static void checkAttributeName(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length >= 256) {
            throw SnsErrors.parameterValueInvalid("Length of message attribute name must be less than 256 bytes.");
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (!ATTRIBUTE_NAME_CHAR.matcher(new String(Character.toChars(c))).matches()) {
                throw SnsErrors.parameterValueInvalid("Invalid non-alphanumeric character '#x" + Integer.toHexString(c).toUpperCase()
                        + "' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.");
            }
            i += Character.charCount(c);
        }
        if (name.startsWith(".")) throw SnsErrors.parameterValueInvalid("Invalid message attribute name starting with character '.' was found.");
        if (name.endsWith(".")) throw SnsErrors.parameterValueInvalid("Invalid message attribute name ending with character '.' was found.");
        if (name.contains("..")) throw SnsErrors.parameterValueInvalid("Message attribute name can not have successive '.' character.");
        if (isReservedName(name)) {
            throw SnsErrors.parameterValueInvalid("Message attribute names starting with 'AWS.' or 'Amazon.' are reserved for use by Amazon.");
        }
    }

    /**
     * Names starting with {@code AWS.} or {@code Amazon.} (in any casing) belong to AWS; publishers may use only
     * SNS's own reserved attributes, the SMS ({@code AWS.SNS.SMS.*}, {@code AWS.MM.SMS.*}) and mobile push
     * ({@code AWS.SNS.MOBILE.*}) settings.
     */
    private static boolean isReservedName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("aws.") && !lower.startsWith("amazon.")) return false;
        return !name.startsWith("AWS.SNS.SMS.") && !name.startsWith("AWS.MM.SMS.") && !name.startsWith("AWS.SNS.MOBILE.");
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? null : value.asText();
    }
}
