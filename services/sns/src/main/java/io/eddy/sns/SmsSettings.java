package io.eddy.sns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.store.Batch;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * An account's SMS preferences (SetSMSAttributes/GetSMSAttributes, kept per region as on AWS) and
 * its opt-out list. Numbers leave the list through OptInPhoneNumber; they join it on AWS when a
 * recipient replies STOP, which cannot happen to the outbox, so here the list stays empty.
 */
final class SmsSettings {

    private static final Set<String> ATTRIBUTES = Set.of("MonthlySpendLimit", "DeliveryStatusIAMRole",
            "DeliveryStatusSuccessSamplingRate", "DefaultSenderID", "DefaultSMSType", "UsageReportS3Bucket");
    private static final Set<String> SMS_TYPES = Set.of("Promotional", "Transactional");
    private static final Pattern SENDER_ID = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9]{1,11}");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?[0-9]{1,15}");
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Store store;

    SmsSettings(Store store) {
        this.store = store;
    }

    private static byte[] attributesKey(String account, String region) {
        return Keys.of().text("sns").text("sms-attributes").text(account).text(region).build();
    }

    synchronized ObjectNode setAttributes(JsonNode input, RequestContext context) {
        Map<String, String> given = SnsService.stringMap(input.get("attributes"));
        given.forEach(SmsSettings::check);
        Map<String, String> attributes = attributes(context);
        attributes.putAll(given);
        Batch batch = new Batch();
        batch.put(attributesKey(context.accountId(), context.region()), Json.bytes(attributes));
        store.write(batch);
        return NODES.objectNode();
    }

    /** The attributes asked for that have been set, or all that have when none are named. */
    ObjectNode getAttributes(JsonNode input, RequestContext context) {
        Map<String, String> attributes = attributes(context);
        JsonNode wanted = input.get("attributes");
        if (wanted != null && wanted.isArray() && !wanted.isEmpty()) {
            Set<String> names = new HashSet<>();
            wanted.forEach(name -> names.add(name.asText()));
            attributes.keySet().retainAll(names);
        }
        ObjectNode result = NODES.objectNode();
        attributes.forEach(result.putObject("attributes")::put);
        return result;
    }

    ObjectNode checkIfPhoneNumberIsOptedOut(JsonNode input) {
        phoneNumber(input);
        return NODES.objectNode().put("isOptedOut", false);
    }

    ObjectNode listPhoneNumbersOptedOut() {
        ObjectNode result = NODES.objectNode();
        result.putArray("phoneNumbers");
        return result;
    }

    ObjectNode optInPhoneNumber(JsonNode input) {
        phoneNumber(input);
        return NODES.objectNode();
    }

    private Map<String, String> attributes(RequestContext context) {
        byte[] stored = store.get(attributesKey(context.accountId(), context.region()));
        if (stored == null) return new TreeMap<>();
        try {
            return Json.MAPPER.readValue(stored, STRING_MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void phoneNumber(JsonNode input) {
        String phoneNumber = SnsService.required(input, "phoneNumber", "phoneNumber");
        if (!PHONE_NUMBER.matcher(phoneNumber).matches()) {
            throw SnsErrors.invalidParameter("PhoneNumber Reason: input incorrectly formatted");
        }
    }

    private static void check(String name, String value) {
        if (!ATTRIBUTES.contains(name)) throw SnsErrors.invalidParameter("Attributes Reason: Unknown attribute " + name);
        boolean valid = switch (name) {
            case "DefaultSMSType" -> SMS_TYPES.contains(value);
            case "DefaultSenderID" -> SENDER_ID.matcher(value).matches();
            case "MonthlySpendLimit" -> WHOLE_NUMBER.matcher(value).matches();
            case "DeliveryStatusSuccessSamplingRate" -> WHOLE_NUMBER.matcher(value).matches() && Integer.parseInt(value) <= 100;
            default -> true;
        };
        if (!valid) throw SnsErrors.invalidParameter(name + ": Invalid value [" + value + "]");
    }
}
