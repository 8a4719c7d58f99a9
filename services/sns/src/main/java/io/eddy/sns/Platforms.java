package io.eddy.sns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.sns.delivery.Delivery;
import io.eddy.sns.delivery.DeliveryException;
import io.eddy.sns.delivery.SubscriberDelivery;
import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * Mobile push: platform applications, their device endpoints, and delivery to them. Eddy cannot
 * reach APNs or FCM, so push messages land in the outbox with the device token and platform, the
 * way email and SMS do.
 */
final class Platforms implements SubscriberDelivery {

    static final Set<String> PLATFORMS = Set.of("ADM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX",
            "MACOS", "MACOS_SANDBOX", "GCM", "BAIDU", "MPNS", "WNS");
    private static final Set<String> NEEDS_PRINCIPAL = Set.of("ADM", "BAIDU", "MPNS", "WNS");
    private static final Set<String> APPLICATION_ATTRIBUTES = Set.of("PlatformCredential", "PlatformPrincipal",
            "SuccessFeedbackRoleArn", "FailureFeedbackRoleArn", "SuccessFeedbackSampleRate", "ApplePlatformTeamID",
            "ApplePlatformBundleID");
    private static final Set<String> SECRET_ATTRIBUTES = Set.of("PlatformCredential", "PlatformPrincipal");
    private static final Set<String> ENDPOINT_ATTRIBUTES = Set.of("CustomUserData", "Enabled", "Token");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
    private static final int PAGE_SIZE = 100;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A platform application: {@code arn:aws:sns:<region>:<account>:app/<platform>/<name>}. */
    record Application(String account, String region, String platform, String name, Map<String, String> attributes) {
        String arn() {
            return "arn:aws:sns:" + region + ":" + account + ":app/" + platform + "/" + name;
        }

        boolean enabled() {
            return !"false".equals(attributes.get("Enabled"));
        }
    }

    /** A device endpoint: {@code arn:aws:sns:<region>:<account>:endpoint/<platform>/<app>/<id>}. */
    record DeviceEndpoint(String account, String region, String platform, String application, String id,
                          Map<String, String> attributes) {
        String arn() {
            return "arn:aws:sns:" + region + ":" + account + ":endpoint/" + platform + "/" + application + "/" + id;
        }

        boolean enabled() {
            return !"false".equals(attributes.get("Enabled"));
        }
    }

    private final Store store;

    Platforms(Store store) {
        this.store = store;
    }

    // ---- storage

    private static byte[] applicationKey(String account, String region, String platform, String name) {
        return Keys.of().text("sns").text("app").text(account).text(region).text(platform).text(name).build();
    }

    private static byte[] applicationsKey(String account, String region) {
        return Keys.of().text("sns").text("app").text(account).text(region).build();
    }

    private static byte[] endpointKey(String account, String region, String platform, String application, String id) {
        return Keys.of().text("sns").text("device").text(account).text(region).text(platform).text(application).text(id).build();
    }

    private static byte[] endpointsKey(String account, String region, String platform, String application) {
        return Keys.of().text("sns").text("device").text(account).text(region).text(platform).text(application).build();
    }

    /** The application an ARN names, or InvalidParameter/NotFound as AWS answers. */
    private Application application(String arn, String parameter, RequestContext context) {
        String[] parts = arn.split(":", -1);
        String[] resource = parts.length == 6 ? parts[5].split("/", -1) : new String[0];
        if (parts.length != 6 || !parts[2].equals("sns") || !parts[3].equals(context.region()) || resource.length != 3
                || !resource[0].equals("app")) {
            throw SnsErrors.invalidParameter(parameter + " Reason: Wrong number of slashes in relative portion of the ARN.");
        }
        byte[] value = store.get(applicationKey(parts[4], parts[3], resource[1], resource[2]));
        if (value == null) throw new AwsException(404, "NotFound", "PlatformApplication does not exist");
        return Json.read(value, Application.class);
    }

    /** The endpoint an ARN names, or null when it is malformed or does not exist. */
    DeviceEndpoint endpoint(String arn) {
        String[] parts = arn.split(":", -1);
        if (parts.length != 6 || !parts[2].equals("sns")) return null;
        String[] resource = parts[5].split("/", -1);
        if (resource.length != 4 || !resource[0].equals("endpoint")) return null;
        byte[] value = store.get(endpointKey(parts[4], parts[3], resource[1], resource[2], resource[3]));
        return value == null ? null : Json.read(value, DeviceEndpoint.class);
    }

    static boolean isEndpointArn(String arn) {
        String[] parts = arn.split(":", -1);
        return parts.length == 6 && parts[2].equals("sns") && parts[5].startsWith("endpoint/");
    }

    private DeviceEndpoint existingEndpoint(String arn) {
        DeviceEndpoint endpoint = endpoint(arn);
        if (endpoint == null) {
            if (!isEndpointArn(arn)) throw SnsErrors.invalidParameter("EndpointArn Reason: Wrong number of slashes in relative portion of the ARN.");
            throw new AwsException(404, "NotFound", "Endpoint does not exist");
        }
        return endpoint;
    }

    private void put(Batch batch, Application application) {
        batch.put(applicationKey(application.account(), application.region(), application.platform(), application.name()),
                Json.bytes(application));
    }

    private void put(Batch batch, DeviceEndpoint endpoint) {
        batch.put(endpointKey(endpoint.account(), endpoint.region(), endpoint.platform(), endpoint.application(), endpoint.id()),
                Json.bytes(endpoint));
    }

    private List<DeviceEndpoint> endpointsOf(Application application) {
        List<DeviceEndpoint> endpoints = new ArrayList<>();
        try (Cursor cursor = store.scanPrefix(endpointsKey(application.account(), application.region(),
                application.platform(), application.name()))) {
            while (cursor.next()) endpoints.add(Json.read(cursor.value(), DeviceEndpoint.class));
        }
        return endpoints;
    }

    // ---- operations

    ObjectNode createPlatformApplication(JsonNode input, RequestContext context) {
        String name = SnsService.required(input, "Name", "name");
        String platform = SnsService.required(input, "Platform", "platform");
        Map<String, String> attributes = SnsService.stringMap(input.get("Attributes"));
        if (input.get("Attributes") == null) throw SnsErrors.missing("attributes");
        if (!NAME.matcher(name).matches()) throw SnsErrors.invalidParameter("Invalid Name");
        if (!PLATFORMS.contains(platform)) throw SnsErrors.invalidParameter("Platform Reason: " + platform + " is not supported");
        checkApplicationAttributes(attributes);
        if (!attributes.containsKey("PlatformCredential")) {
            throw SnsErrors.invalidParameter("Attributes Reason: PlatformCredential attribute is required");
        }
        boolean appleToken = platform.startsWith("APNS") || platform.startsWith("MACOS");
        if (!attributes.containsKey("PlatformPrincipal") && (NEEDS_PRINCIPAL.contains(platform)
                || appleToken && !attributes.containsKey("ApplePlatformTeamID"))) {
            throw SnsErrors.invalidParameter("Attributes Reason: PlatformPrincipal attribute is required");
        }
        Application application = new Application(context.accountId(), context.region(), platform, name, attributes);
        Batch batch = new Batch();
        put(batch, application);
        store.write(batch);
        return NODES.objectNode().put("PlatformApplicationArn", application.arn());
    }

    private static void checkApplicationAttributes(Map<String, String> attributes) {
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (!APPLICATION_ATTRIBUTES.contains(e.getKey()) && !e.getKey().equals("Enabled")) {
                throw SnsErrors.invalidParameter("Attributes Reason: Unknown attribute " + e.getKey());
            }
            if (e.getKey().equals("Enabled") && !e.getValue().equals("true") && !e.getValue().equals("false")) {
                throw SnsErrors.invalidParameter("Attributes Reason: Enabled must be true or false");
            }
        }
    }

    ObjectNode getPlatformApplicationAttributes(JsonNode input, RequestContext context) {
        Application application = application(SnsService.required(input, "PlatformApplicationArn", "platformApplicationArn"),
                "PlatformApplicationArn", context);
        ObjectNode result = NODES.objectNode();
        ObjectNode attributes = result.putObject("Attributes");
        visibleApplicationAttributes(application).forEach(attributes::put);
        return result;
    }

    private static Map<String, String> visibleApplicationAttributes(Application application) {
        Map<String, String> view = new TreeMap<>();
        application.attributes().forEach((k, v) -> {
            if (!SECRET_ATTRIBUTES.contains(k)) view.put(k, v);
        });
        view.put("Enabled", Boolean.toString(application.enabled()));
        if (application.platform().startsWith("APNS") || application.platform().startsWith("MACOS") || application.platform().equals("GCM")) {
            boolean token = application.attributes().containsKey("ApplePlatformTeamID")
                    || application.platform().equals("GCM") && application.attributes().getOrDefault("PlatformCredential", "").trim().startsWith("{");
            view.put("AuthenticationMethod", token ? "Token" : application.platform().equals("GCM") ? "Key" : "Certificate");
        }
        return view;
    }

    ObjectNode setPlatformApplicationAttributes(JsonNode input, RequestContext context) {
        Application application = application(SnsService.required(input, "PlatformApplicationArn", "platformApplicationArn"),
                "PlatformApplicationArn", context);
        if (input.get("Attributes") == null) throw SnsErrors.missing("attributes");
        Map<String, String> changes = SnsService.stringMap(input.get("Attributes"));
        checkApplicationAttributes(changes);
        Map<String, String> merged = new LinkedHashMap<>(application.attributes());
        merged.putAll(changes);
        Batch batch = new Batch();
        put(batch, new Application(application.account(), application.region(), application.platform(), application.name(), merged));
        store.write(batch);
        return null;
    }

    ObjectNode listPlatformApplications(JsonNode input, RequestContext context) {
        byte[] prefix = applicationsKey(context.accountId(), context.region());
        byte[] from = prefix;
        String token = SnsService.text(input, "NextToken");
        if (token != null) from = decodeKey(token);
        ObjectNode result = NODES.objectNode();
        ArrayNode list = result.putArray("PlatformApplications");
        try (Cursor cursor = store.scan(from, Keys.prefixEnd(prefix))) {
            while (cursor.next()) {
                if (list.size() == PAGE_SIZE) {
                    result.put("NextToken", Base64.getUrlEncoder().encodeToString(cursor.key()));
                    break;
                }
                Application application = Json.read(cursor.value(), Application.class);
                ObjectNode entry = list.addObject().put("PlatformApplicationArn", application.arn());
                ObjectNode attributes = entry.putObject("Attributes");
                visibleApplicationAttributes(application).forEach(attributes::put);
            }
        }
        return result;
    }

    ObjectNode deletePlatformApplication(JsonNode input, RequestContext context) {
        Application application;
        try {
            application = application(SnsService.required(input, "PlatformApplicationArn", "platformApplicationArn"),
                    "PlatformApplicationArn", context);
        } catch (AwsException e) {
            if (e.status() == 404) return null;
            throw e;
        }
        Batch batch = new Batch();
        batch.delete(applicationKey(application.account(), application.region(), application.platform(), application.name()));
        for (DeviceEndpoint endpoint : endpointsOf(application)) {
            batch.delete(endpointKey(endpoint.account(), endpoint.region(), endpoint.platform(), endpoint.application(), endpoint.id()));
        }
        store.write(batch);
        return null;
    }

    ObjectNode createPlatformEndpoint(JsonNode input, RequestContext context) {
        Application application = application(SnsService.required(input, "PlatformApplicationArn", "platformApplicationArn"),
                "PlatformApplicationArn", context);
        String token = SnsService.required(input, "Token", "token");
        if (token.isEmpty()) throw SnsErrors.invalidParameter("Token Reason: cannot be empty");
        Map<String, String> attributes = new LinkedHashMap<>(SnsService.stringMap(input.get("Attributes")));
        checkEndpointAttributes(attributes);
        String customUserData = SnsService.text(input, "CustomUserData");
        if (customUserData != null) attributes.put("CustomUserData", customUserData);
        attributes.put("Token", token);
        attributes.putIfAbsent("Enabled", "true");
        for (DeviceEndpoint existing : endpointsOf(application)) {
            if (!token.equals(existing.attributes().get("Token"))) continue;
            if (!existing.attributes().equals(attributes)) {
                throw SnsErrors.invalidParameter("Token Reason: Endpoint " + existing.arn()
                        + " already exists with the same Token, but different attributes.");
            }
            return NODES.objectNode().put("EndpointArn", existing.arn());
        }
        DeviceEndpoint endpoint = new DeviceEndpoint(application.account(), application.region(), application.platform(),
                application.name(), UUID.randomUUID().toString(), attributes);
        Batch batch = new Batch();
        put(batch, endpoint);
        store.write(batch);
        return NODES.objectNode().put("EndpointArn", endpoint.arn());
    }

    private static void checkEndpointAttributes(Map<String, String> attributes) {
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (!ENDPOINT_ATTRIBUTES.contains(e.getKey())) throw SnsErrors.invalidParameter("Attributes Reason: Unknown attribute " + e.getKey());
            if (e.getKey().equals("Enabled") && !e.getValue().equals("true") && !e.getValue().equals("false")) {
                throw SnsErrors.invalidParameter("Attributes Reason: Enabled must be true or false");
            }
            if (e.getKey().equals("CustomUserData") && e.getValue().getBytes(StandardCharsets.UTF_8).length > 2048) {
                throw SnsErrors.invalidParameter("Attributes Reason: CustomUserData must be less than 2KB");
            }
        }
    }

    ObjectNode getEndpointAttributes(JsonNode input) {
        DeviceEndpoint endpoint = existingEndpoint(SnsService.required(input, "EndpointArn", "endpointArn"));
        ObjectNode result = NODES.objectNode();
        ObjectNode attributes = result.putObject("Attributes");
        new TreeMap<>(endpoint.attributes()).forEach(attributes::put);
        return result;
    }

    ObjectNode setEndpointAttributes(JsonNode input) {
        DeviceEndpoint endpoint = existingEndpoint(SnsService.required(input, "EndpointArn", "endpointArn"));
        if (input.get("Attributes") == null) throw SnsErrors.missing("attributes");
        Map<String, String> changes = SnsService.stringMap(input.get("Attributes"));
        checkEndpointAttributes(changes);
        Map<String, String> merged = new LinkedHashMap<>(endpoint.attributes());
        merged.putAll(changes);
        Batch batch = new Batch();
        put(batch, new DeviceEndpoint(endpoint.account(), endpoint.region(), endpoint.platform(), endpoint.application(),
                endpoint.id(), merged));
        store.write(batch);
        return null;
    }

    ObjectNode deleteEndpoint(JsonNode input) {
        DeviceEndpoint endpoint = endpoint(SnsService.required(input, "EndpointArn", "endpointArn"));
        if (endpoint != null) {
            store.write(new Batch().delete(endpointKey(endpoint.account(), endpoint.region(), endpoint.platform(),
                    endpoint.application(), endpoint.id())));
        }
        return null;
    }

    ObjectNode listEndpointsByPlatformApplication(JsonNode input, RequestContext context) {
        Application application = application(SnsService.required(input, "PlatformApplicationArn", "platformApplicationArn"),
                "PlatformApplicationArn", context);
        byte[] prefix = endpointsKey(application.account(), application.region(), application.platform(), application.name());
        String token = SnsService.text(input, "NextToken");
        byte[] from = token == null ? prefix : decodeKey(token);
        ObjectNode result = NODES.objectNode();
        ArrayNode list = result.putArray("Endpoints");
        try (Cursor cursor = store.scan(from, Keys.prefixEnd(prefix))) {
            while (cursor.next()) {
                if (list.size() == PAGE_SIZE) {
                    result.put("NextToken", Base64.getUrlEncoder().encodeToString(cursor.key()));
                    break;
                }
                DeviceEndpoint endpoint = Json.read(cursor.value(), DeviceEndpoint.class);
                ObjectNode entry = list.addObject().put("EndpointArn", endpoint.arn());
                ObjectNode attributes = entry.putObject("Attributes");
                new TreeMap<>(endpoint.attributes()).forEach(attributes::put);
            }
        }
        return result;
    }

    private static byte[] decodeKey(String token) {
        try {
            return Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw SnsErrors.invalidParameter("NextToken");
        }
    }

    /** Checks that a direct publish can reach the endpoint: it exists and it and its application are enabled. */
    DeviceEndpoint publishTarget(String arn) {
        DeviceEndpoint endpoint = endpoint(arn);
        if (endpoint == null) throw SnsErrors.invalidParameter("TargetArn Reason: No endpoint found for the target arn specified");
        if (!endpoint.enabled()) throw new AwsException(400, "EndpointDisabled", "Endpoint is disabled");
        byte[] application = store.get(applicationKey(endpoint.account(), endpoint.region(), endpoint.platform(), endpoint.application()));
        if (application != null && !Json.read(application, Application.class).enabled()) {
            throw new AwsException(400, "PlatformApplicationDisabled", "Platform application is disabled");
        }
        return endpoint;
    }

    /** Appends a push message for the endpoint to the outbox, in {@code batch}. */
    static void appendPush(Batch batch, DeviceEndpoint endpoint, String message, String timestamp, String topicArn,
                           String messageId, String subscriptionArn) {
        ObjectNode entry = Outbox.entry(Delivery.NOTIFICATION, "application", endpoint.arn(), null, message, timestamp,
                topicArn, messageId);
        entry.put("subscriptionArn", subscriptionArn);
        entry.put("platform", endpoint.platform());
        entry.put("token", endpoint.attributes().get("Token"));
        Outbox.append(batch, entry);
    }

    /** Delivery to {@code application} subscriptions: a disabled or deleted endpoint refuses the message. */
    @Override
    public void deliver(Delivery delivery) throws DeliveryException {
        DeviceEndpoint endpoint = endpoint(delivery.endpoint());
        if (endpoint == null) throw DeliveryException.permanent("endpoint " + delivery.endpoint() + " does not exist");
        if (!endpoint.enabled()) throw DeliveryException.permanent("endpoint " + delivery.endpoint() + " is disabled");
        Batch batch = new Batch();
        appendPush(batch, endpoint, delivery.message(), delivery.timestampText(), delivery.topicArn(), delivery.messageId(),
                delivery.subscriptionArn());
        store.write(batch);
    }

    /** The key a MessageStructure=json message uses for this endpoint's platform. */
    static String platformOf(String endpointArn) {
        String[] resource = endpointArn.substring(endpointArn.lastIndexOf(':') + 1).split("/", -1);
        return resource.length > 1 ? resource[1] : "";
    }
}
