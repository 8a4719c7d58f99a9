package io.eddy.sns;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.Endpoint;
import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.protocol.query.QueryApi;
import io.eddy.protocol.query.QueryEndpoint;
import io.eddy.protocol.query.QueryService;
import io.eddy.sns.delivery.Delivery;
import io.eddy.sns.delivery.QueueSender;
import io.eddy.sns.delivery.SubscriberDelivery;
import io.eddy.store.BackgroundWork;
import io.eddy.store.Batch;
import io.eddy.store.Drainable;
import io.eddy.store.Keys;
import io.eddy.store.Store;

/**
 * Amazon SNS: topics, subscriptions, publishing with filter policies and FIFO ordering and
 * deduplication, and delivery to SQS, HTTP/S, Lambda (once a delivery for it is registered) and the
 * local outbox for email, SMS and mobile push.
 *
 * <p>Control-plane changes run one at a time under a lock, since the store has no conditional
 * writes; FIFO publishes serialize per topic so sequence numbers, deduplication and the dispatch log
 * agree. A Publish or Subscribe appends its deliveries to the dispatch log in the same batch as its
 * other writes; {@link DeliveryEngine} takes it from there.
 */
public final class SnsService implements QueryService, BackgroundWork, AutoCloseable {

    static final Set<String> PROTOCOLS = Set.of("http", "https", "email", "email-json", "sms", "sqs", "application",
            "lambda", "firehose");
    private static final Set<String> CONFIRMED_BY_ENDPOINT = Set.of("http", "https", "email", "email-json");
    private static final int PAGE_SIZE = 100;
    private static final int MAX_TAGS = 50;
    private static final int MAX_BATCH_ENTRIES = 10;
    private static final long DEDUPLICATION_WINDOW_MILLIS = 5 * 60 * 1000;
    private static final Pattern BATCH_ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64,512}");
    private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?[0-9]{1,15}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final Set<String> TOPIC_ACTIONS = Set.of("GetTopicAttributes", "SetTopicAttributes", "AddPermission",
            "RemovePermission", "DeleteTopic", "Subscribe", "ListSubscriptionsByTopic", "Publish", "Receive");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final SnsState state;
    private MessageSigner signer;
    private final Outbox outbox;
    private final Platforms platforms;
    private final SmsSettings sms;
    private final HttpDelivery http = new HttpDelivery();
    private final DeliveryEngine engine;
    private final ReentrantLock controlLock = new ReentrantLock();
    private final ReentrantLock[] topicLocks = new ReentrantLock[64];
    private final QueryApi api = SnsApi.create();

    /**
     * @param queues how deliveries and dead letters reach SQS
     */
    public SnsService(Store store, QueueSender queues) {
        this.store = store;
        this.state = new SnsState(store);
        this.outbox = new Outbox(store);
        this.platforms = new Platforms(store);
        this.sms = new SmsSettings(store);
        for (int i = 0; i < topicLocks.length; i++) topicLocks[i] = new ReentrantLock();
        this.engine = new DeliveryEngine(store, state, this::signer, queues);
        engine.register("sqs", new QueueDelivery(queues));
        engine.register("http", http);
        engine.register("https", http);
        for (String protocol : List.of("email", "email-json", "sms")) engine.register(protocol, outbox);
        engine.register("application", platforms);
        engine.start();
    }

    /**
     * Plugs in delivery for a protocol SNS cannot reach by itself ({@code lambda}, {@code firehose}).
     * Until one is registered, deliveries by that protocol fail like an unreachable endpoint: they are
     * retried under AWS's policy and end in the subscription's dead-letter queue.
     */
    public void registerDelivery(String protocol, SubscriberDelivery delivery) {
        engine.register(protocol, delivery);
    }

    public Outbox outbox() {
        return outbox;
    }

    /** The key and certificate messages are signed with, loaded (or adopted) on first use. */
    public synchronized MessageSigner signer() {
        if (signer == null) signer = MessageSigner.load(store);
        return signer;
    }

    /** The Query-protocol endpoint for signed SNS requests. */
    public Endpoint endpoint() {
        return new QueryEndpoint(api, this);
    }

    /**
     * The endpoint behind the links SNS puts in messages: {@code GET /?Action=ConfirmSubscription&TopicArn=..&Token=..}
     * (SubscribeURL) and {@code GET /?Action=Unsubscribe&SubscriptionArn=..} (UnsubscribeURL). They
     * arrive unsigned, so the region comes from the ARN they carry. Other unsigned requests are not SNS's.
     */
    public Endpoint linkEndpoint() {
        QueryEndpoint query = new QueryEndpoint(api, this);
        return request -> {
            String action = request.queryParameter("Action");
            String arn = "ConfirmSubscription".equals(action) ? request.queryParameter("TopicArn")
                    : "Unsubscribe".equals(action) ? request.queryParameter("SubscriptionArn") : null;
            if (arn == null) {
                return GatewayResponse.json(404, "{\"__type\":\"UnknownService\",\"message\":\"No service of Eddy handles this request\"}");
            }
            String[] parts = arn.split(":", -1);
            RequestContext context = request.context();
            String region = parts.length > 3 && !parts[3].isEmpty() ? parts[3] : context.region();
            String account = parts.length > 4 && !parts[4].isEmpty() ? parts[4] : context.accountId();
            RequestContext linked = new RequestContext(account, region, context.requestId(), context.host());
            return query.handle(new GatewayRequest(request.method(), request.uri(), request.path(), request.queryParameters(),
                    request.headers(), request.body(), request.scope(), linked));
        };
    }

    @Override
    public Collection<Drainable> activities() {
        return engine.activities();
    }

    @Override
    public ObjectNode invoke(String action, JsonNode input, RequestContext context) {
        return switch (action) {
            case "CreateTopic" -> createTopic(input, context);
            case "DeleteTopic" -> deleteTopic(input, context);
            case "ListTopics" -> listTopics(input, context);
            case "GetTopicAttributes" -> getTopicAttributes(input, context);
            case "SetTopicAttributes" -> setTopicAttributes(input, context);
            case "Subscribe" -> subscribe(input, context);
            case "ConfirmSubscription" -> confirmSubscription(input, context);
            case "Unsubscribe" -> unsubscribe(input, context);
            case "ListSubscriptions" -> listSubscriptions(input, context);
            case "ListSubscriptionsByTopic" -> listSubscriptionsByTopic(input, context);
            case "GetSubscriptionAttributes" -> getSubscriptionAttributes(input, context);
            case "SetSubscriptionAttributes" -> setSubscriptionAttributes(input, context);
            case "Publish" -> publish(input, context);
            case "PublishBatch" -> publishBatch(input, context);
            case "TagResource" -> tagResource(input, context);
            case "UntagResource" -> untagResource(input, context);
            case "ListTagsForResource" -> listTagsForResource(input, context);
            case "AddPermission" -> addPermission(input, context);
            case "RemovePermission" -> removePermission(input, context);
            case "SetSMSAttributes" -> sms.setAttributes(input, context);
            case "GetSMSAttributes" -> sms.getAttributes(input, context);
            case "CheckIfPhoneNumberIsOptedOut" -> sms.checkIfPhoneNumberIsOptedOut(input);
            case "ListPhoneNumbersOptedOut" -> sms.listPhoneNumbersOptedOut();
            case "OptInPhoneNumber" -> sms.optInPhoneNumber(input);
            case "CreatePlatformApplication" -> platforms.createPlatformApplication(input, context);
            case "GetPlatformApplicationAttributes" -> platforms.getPlatformApplicationAttributes(input, context);
            case "SetPlatformApplicationAttributes" -> platforms.setPlatformApplicationAttributes(input, context);
            case "ListPlatformApplications" -> platforms.listPlatformApplications(input, context);
            case "DeletePlatformApplication" -> platforms.deletePlatformApplication(input, context);
            case "CreatePlatformEndpoint" -> platforms.createPlatformEndpoint(input, context);
            case "GetEndpointAttributes" -> platforms.getEndpointAttributes(input);
            case "SetEndpointAttributes" -> platforms.setEndpointAttributes(input);
            case "DeleteEndpoint" -> platforms.deleteEndpoint(input);
            case "ListEndpointsByPlatformApplication" -> platforms.listEndpointsByPlatformApplication(input, context);
            default -> throw new AwsException(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    // ---- topics

    private ObjectNode createTopic(JsonNode input, RequestContext context) {
        // Making a signing key costs a few hundred milliseconds of CPU: paid once a topic exists, not at startup.
        MessageSigner.prepare();
        String name = required(input, "Name", "name");
        Map<String, String> given = stringMap(input.get("Attributes"));
        String fifoValue = given.get(TopicAttributes.FIFO_TOPIC);
        if (fifoValue != null && !fifoValue.equalsIgnoreCase("true") && !fifoValue.equalsIgnoreCase("false")) {
            throw SnsErrors.invalidParameter("Attributes Reason: FifoTopic: Invalid value [" + fifoValue + "]. Must be true or false.");
        }
        boolean fifo = "true".equalsIgnoreCase(fifoValue);
        TopicNames.checkForCreate(name, fifo);
        Map<String, String> attributes = TopicAttributes.checkForCreate(given, fifo);
        List<Tag> tags = tags(input.get("Tags"));
        String dataProtectionPolicy = text(input, "DataProtectionPolicy");
        if (dataProtectionPolicy != null && !dataProtectionPolicy.isEmpty()) {
            throw SnsErrors.invalidParameter("DataProtectionPolicy Reason: Message data protection is not supported");
        }
        Arns.TopicAddress address = new Arns.TopicAddress(context.accountId(), context.region(), name);
        controlLock.lock();
        try {
            Topic existing = state.topic(address);
            if (existing != null) {
                boolean sameAttributes = existing.fifo() == fifo && attributes.entrySet().stream().allMatch(e ->
                        e.getValue().equals(existing.attributes().getOrDefault(e.getKey(), defaultTopicAttribute(e.getKey()))));
                if (!sameAttributes) throw SnsErrors.invalidParameter("Attributes Reason: Topic already exists with different attributes");
                if (!tags.isEmpty() && !new HashSet<>(existing.tags()).equals(new HashSet<>(tags))) {
                    throw SnsErrors.invalidParameter("Tags Reason: Topic already exists with different tags");
                }
                return result("TopicArn", existing.arn());
            }
            Topic topic = new Topic(address.account(), address.region(), name, fifo, attributes, tags);
            Batch batch = new Batch();
            state.putTopic(batch, topic);
            store.write(batch);
            return result("TopicArn", topic.arn());
        } finally {
            controlLock.unlock();
        }
    }

    private static String defaultTopicAttribute(String name) {
        return switch (name) {
            case TopicAttributes.DISPLAY_NAME -> "";
            case TopicAttributes.CONTENT_BASED_DEDUPLICATION -> "false";
            case TopicAttributes.SIGNATURE_VERSION -> "1";
            default -> null;
        };
    }

    private ObjectNode deleteTopic(JsonNode input, RequestContext context) {
        Arns.TopicAddress address = Arns.topic(required(input, "TopicArn", "topicArn"), "TopicArn", context.region());
        controlLock.lock();
        try {
            Topic topic = state.topic(address);
            if (topic != null) {
                Batch batch = new Batch();
                state.deleteTopic(batch, topic);
                store.write(batch);
            }
            return null;
        } finally {
            controlLock.unlock();
        }
    }

    private ObjectNode listTopics(JsonNode input, RequestContext context) {
        String from = decodeToken(text(input, "NextToken"));
        if (from != null && !TopicNames.isValidArnName(from)) throw SnsErrors.invalidParameter("NextToken");
        List<Topic> page = state.topics(context.accountId(), context.region(), from, PAGE_SIZE + 1);
        ObjectNode result = NODES.objectNode();
        ArrayNode topics = result.putArray("Topics");
        for (int i = 0; i < Math.min(page.size(), PAGE_SIZE); i++) topics.addObject().put("TopicArn", page.get(i).arn());
        if (page.size() > PAGE_SIZE) result.put("NextToken", encodeToken(page.get(PAGE_SIZE).name()));
        return result;
    }

    private ObjectNode getTopicAttributes(JsonNode input, RequestContext context) {
        Topic topic = state.existingTopic(Arns.topic(required(input, "TopicArn", "topicArn"), "TopicArn", context.region()));
        int confirmed = 0;
        int pending = 0;
        for (Subscription s : state.subscriptionsOf(topic)) {
            if (s.pendingConfirmation()) pending++;
            else confirmed++;
        }
        ObjectNode result = NODES.objectNode();
        ObjectNode attributes = result.putObject("Attributes");
        TopicAttributes.view(topic, confirmed, pending).forEach(attributes::put);
        return result;
    }

    private ObjectNode setTopicAttributes(JsonNode input, RequestContext context) {
        Arns.TopicAddress address = Arns.topic(required(input, "TopicArn", "topicArn"), "TopicArn", context.region());
        String name = required(input, "AttributeName", "attributeName");
        controlLock.lock();
        try {
            Topic topic = state.existingTopic(address);
            String value = TopicAttributes.checkForSet(name, text(input, "AttributeValue"), topic.fifo());
            Map<String, String> change = new LinkedHashMap<>();
            change.put(name, value);
            Batch batch = new Batch();
            state.putTopic(batch, topic.withAttributes(change));
            store.write(batch);
            return null;
        } finally {
            controlLock.unlock();
        }
    }

    // ---- subscriptions

    private ObjectNode subscribe(JsonNode input, RequestContext context) {
        Arns.TopicAddress address = Arns.topic(required(input, "TopicArn", "topicArn"), "TopicArn", context.region());
        String protocol = required(input, "Protocol", "protocol");
        String endpoint = Objects.requireNonNullElse(text(input, "Endpoint"), "");
        boolean returnArn = input.path("ReturnSubscriptionArn").asBoolean(false);
        controlLock.lock();
        try {
            Topic topic = state.existingTopic(address);
            if (!PROTOCOLS.contains(protocol)) {
                throw SnsErrors.invalidParameter("Amazon SNS does not support this protocol string: " + protocol);
            }
            if (topic.fifo() && !protocol.equals("sqs")) throw SnsErrors.invalidParameter("Invalid protocol type: " + protocol);
            checkEndpoint(protocol, endpoint, topic);
            if (protocol.equals("application") && platforms.endpoint(endpoint) == null) {
                throw SnsErrors.invalidParameter("Endpoint Reason: No endpoint found for the target arn specified");
            }
            Map<String, String> given = stringMap(input.get("Attributes"));
            Map<String, String> attributes = SubscriptionAttributes.checkForSubscribe(given, protocol, endpoint, topic);
            if (protocol.equals("firehose") && !attributes.containsKey(SubscriptionAttributes.SUBSCRIPTION_ROLE_ARN)) {
                throw SnsErrors.invalidParameter("SubscriptionRoleArn Reason: Must be set for firehose subscriptions");
            }
            for (Subscription existing : state.subscriptionsOf(topic)) {
                if (!existing.protocol().equals(protocol) || !existing.endpoint().equals(endpoint)) continue;
                for (Map.Entry<String, String> e : attributes.entrySet()) {
                    if (!e.getValue().equals(existing.attributes().get(e.getKey()))) {
                        throw SnsErrors.invalidParameter("Attributes Reason: Subscription already exists with different attributes");
                    }
                }
                if (existing.pendingConfirmation()) {
                    Batch batch = new Batch();
                    appendConfirmation(batch, topic, existing, context);
                    store.write(batch);
                    return result("SubscriptionArn", returnArn ? existing.arn() : "pending confirmation");
                }
                return result("SubscriptionArn", existing.arn());
            }
            boolean pending = CONFIRMED_BY_ENDPOINT.contains(protocol);
            String token = pending ? newToken() : null;
            Subscription subscription = new Subscription(topic.account(), topic.region(), topic.name(),
                    UUID.randomUUID().toString(), context.accountId(), protocol, endpoint, pending, !pending, token, attributes);
            Batch batch = new Batch();
            state.putSubscription(batch, subscription);
            if (pending) {
                state.putToken(batch, token, subscription.arn());
                appendConfirmation(batch, topic, subscription, context);
            }
            store.write(batch);
            return result("SubscriptionArn", pending && !returnArn ? "pending confirmation" : subscription.arn());
        } finally {
            controlLock.unlock();
        }
    }

    private static void checkEndpoint(String protocol, String endpoint, Topic topic) {
        switch (protocol) {
            case "sqs" -> {
                if (!Arns.isQueueArn(endpoint)) throw SnsErrors.invalidParameter("SQS endpoint ARN");
                if (!topic.fifo() && endpoint.endsWith(".fifo")) {
                    throw SnsErrors.invalidParameter("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
                }
            }
            case "http", "https" -> {
                boolean valid;
                try {
                    java.net.URI uri = java.net.URI.create(endpoint);
                    valid = protocol.equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
                } catch (IllegalArgumentException e) {
                    valid = false;
                }
                if (!valid) throw SnsErrors.invalidParameter("Endpoint must match the specified protocol");
            }
            case "email", "email-json" -> {
                if (!EMAIL.matcher(endpoint).matches()) throw SnsErrors.invalidParameter("Email address");
            }
            case "sms" -> {
                if (!PHONE_NUMBER.matcher(endpoint.replaceAll("[\\s().-]", "")).matches()) {
                    throw SnsErrors.invalidParameterMessage("Invalid SMS endpoint: " + endpoint);
                }
            }
            case "lambda" -> {
                if (!Arns.isFunctionArn(endpoint)) throw SnsErrors.invalidParameter("Lambda endpoint ARN");
            }
            case "application" -> {
                if (!Platforms.isEndpointArn(endpoint)) throw SnsErrors.invalidParameter("Application endpoint ARN");
            }
            case "firehose" -> {
                String[] parts = endpoint.split(":", -1);
                if (parts.length != 6 || !parts[2].equals("firehose") || !parts[5].startsWith("deliverystream/")) {
                    throw SnsErrors.invalidParameter("Firehose endpoint ARN");
                }
            }
        }
    }

    /** Appends the SubscriptionConfirmation for a pending subscription to the dispatch log. */
    private void appendConfirmation(Batch batch, Topic topic, Subscription subscription, RequestContext context) {
        String message = "You have chosen to subscribe to the topic " + topic.arn()
                + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.";
        appendDispatch(batch, new Dispatch(Delivery.SUBSCRIPTION_CONFIRMATION, UUID.randomUUID().toString(), topic.arn(),
                System.currentTimeMillis(), baseUrl(context), null, message, null, Map.of(), null, null, null, topic.fifo(),
                topic.signatureVersion(), subscription.token(), subscription.protocol(), subscription.endpoint(),
                List.of(subscription.arn())));
    }

    private ObjectNode confirmSubscription(JsonNode input, RequestContext context) {
        String topicArn = required(input, "TopicArn", "topicArn");
        String token = required(input, "Token", "token");
        if (!TOKEN.matcher(token).matches()) throw SnsErrors.invalidParameterMessage("Invalid token");
        Arns.TopicAddress address;
        try {
            address = Arns.topic(topicArn, "TopicArn", context.region());
        } catch (AwsException e) {
            throw SnsErrors.invalidParameter("Topic");
        }
        boolean authenticated = "true".equalsIgnoreCase(text(input, "AuthenticateOnUnsubscribe"));
        controlLock.lock();
        try {
            Topic topic = state.topic(address);
            if (topic == null) throw SnsErrors.invalidParameter("Token");
            String subscriptionArn = state.subscriptionForToken(token);
            if (subscriptionArn != null) {
                Subscription subscription = state.subscription(subscriptionArn);
                if (subscription == null || !subscription.topicArn().equals(topic.arn())) throw SnsErrors.invalidParameter("Token");
                if (subscription.pendingConfirmation()) {
                    Batch batch = new Batch();
                    state.putSubscription(batch, subscription.confirmed(authenticated));
                    store.write(batch);
                }
                return result("SubscriptionArn", subscription.arn());
            }
            byte[] removed = store.get(SnsKeys.unsubscribed(token));
            if (removed == null) throw SnsErrors.invalidParameter("Token");
            Subscription restored = Json.read(removed, Subscription.class);
            if (!restored.topicArn().equals(topic.arn())) throw SnsErrors.invalidParameter("Token");
            Batch batch = new Batch().delete(SnsKeys.unsubscribed(token));
            state.putSubscription(batch, restored);
            if (restored.token() != null) state.putToken(batch, restored.token(), restored.arn());
            store.write(batch);
            return result("SubscriptionArn", restored.arn());
        } finally {
            controlLock.unlock();
        }
    }

    private ObjectNode unsubscribe(JsonNode input, RequestContext context) {
        Arns.SubscriptionAddress address = Arns.subscription(required(input, "SubscriptionArn", "subscriptionArn"), context.region());
        controlLock.lock();
        try {
            Subscription subscription = state.subscription(address);
            if (subscription == null) return null;
            Batch batch = new Batch();
            state.deleteSubscription(batch, subscription);
            if (subscription.protocol().startsWith("http")) {
                Topic topic = state.topic(address.topic());
                String token = newToken();
                batch.put(SnsKeys.unsubscribed(token), Json.bytes(subscription));
                String message = "You have chosen to deactivate subscription " + subscription.arn()
                        + ".\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.";
                appendDispatch(batch, new Dispatch(Delivery.UNSUBSCRIBE_CONFIRMATION, UUID.randomUUID().toString(),
                        subscription.topicArn(), System.currentTimeMillis(), baseUrl(context), null, message, null, Map.of(),
                        null, null, null, topic != null && topic.fifo(), topic == null ? "1" : topic.signatureVersion(), token,
                        subscription.protocol(), subscription.endpoint(), List.of(subscription.arn())));
            }
            store.write(batch);
            return null;
        } finally {
            controlLock.unlock();
        }
    }

    private ObjectNode listSubscriptions(JsonNode input, RequestContext context) {
        byte[] prefix = SnsKeys.subscriptions(context.accountId(), context.region());
        byte[] after = null;
        String token = decodeToken(text(input, "NextToken"));
        if (token != null) {
            int split = token.indexOf('\n');
            if (split < 0) throw SnsErrors.invalidParameter("NextToken");
            after = SnsKeys.subscription(context.accountId(), context.region(), token.substring(0, split), token.substring(split + 1));
        }
        return subscriptionPage(state.subscriptionsFrom(store, prefix, after, PAGE_SIZE + 1));
    }

    private ObjectNode listSubscriptionsByTopic(JsonNode input, RequestContext context) {
        Topic topic = state.existingTopic(Arns.topic(required(input, "TopicArn", "topicArn"), "TopicArn", context.region()));
        byte[] prefix = SnsKeys.subscriptionsOf(topic.account(), topic.region(), topic.name());
        byte[] after = null;
        String token = decodeToken(text(input, "NextToken"));
        if (token != null) {
            int split = token.indexOf('\n');
            if (split < 0 || !token.substring(0, split).equals(topic.name())) throw SnsErrors.invalidParameter("NextToken");
            after = SnsKeys.subscription(topic.account(), topic.region(), topic.name(), token.substring(split + 1));
        }
        return subscriptionPage(state.subscriptionsFrom(store, prefix, after, PAGE_SIZE + 1));
    }

    private static ObjectNode subscriptionPage(List<Subscription> page) {
        ObjectNode result = NODES.objectNode();
        ArrayNode list = result.putArray("Subscriptions");
        for (int i = 0; i < Math.min(page.size(), PAGE_SIZE); i++) {
            Subscription s = page.get(i);
            list.addObject().put("SubscriptionArn", s.listedArn()).put("Owner", s.owner()).put("Protocol", s.protocol())
                    .put("Endpoint", s.endpoint()).put("TopicArn", s.topicArn());
        }
        if (page.size() > PAGE_SIZE) {
            Subscription last = page.get(PAGE_SIZE - 1);
            result.put("NextToken", encodeToken(last.topicName() + "\n" + last.id()));
        }
        return result;
    }

    private ObjectNode getSubscriptionAttributes(JsonNode input, RequestContext context) {
        Arns.SubscriptionAddress address = Arns.subscription(required(input, "SubscriptionArn", "subscriptionArn"), context.region());
        Subscription subscription = state.subscription(address);
        if (subscription == null) throw SnsErrors.subscriptionNotFound();
        ObjectNode result = NODES.objectNode();
        ObjectNode attributes = result.putObject("Attributes");
        SubscriptionAttributes.view(subscription, state.topic(address.topic())).forEach(attributes::put);
        return result;
    }

    private ObjectNode setSubscriptionAttributes(JsonNode input, RequestContext context) {
        Arns.SubscriptionAddress address = Arns.subscription(required(input, "SubscriptionArn", "subscriptionArn"), context.region());
        String name = required(input, "AttributeName", "attributeName");
        controlLock.lock();
        try {
            Subscription subscription = state.subscription(address);
            Topic topic = state.topic(address.topic());
            if (subscription == null || topic == null) throw SnsErrors.subscriptionNotFound();
            String value = SubscriptionAttributes.checkForSet(name, text(input, "AttributeValue"), subscription, topic);
            Map<String, String> change = new LinkedHashMap<>();
            change.put(name, value);
            Batch batch = new Batch();
            state.putSubscription(batch, subscription.withAttributes(change));
            store.write(batch);
            return null;
        } finally {
            controlLock.unlock();
        }
    }

    // ---- publishing

    private record Published(String messageId, String sequenceNumber) {
    }

    private ObjectNode publish(JsonNode input, RequestContext context) {
        String topicArn = text(input, "TopicArn");
        String targetArn = text(input, "TargetArn");
        String phoneNumber = text(input, "PhoneNumber");
        int targets = (topicArn != null ? 1 : 0) + (targetArn != null ? 1 : 0) + (phoneNumber != null ? 1 : 0);
        if (targets == 0) throw SnsErrors.invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
        if (targets > 1) {
            throw SnsErrors.invalidParameter("TopicArn or TargetArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be set");
        }
        if (phoneNumber != null) return publishSms(input, phoneNumber);
        Arns.TopicAddress address;
        if (topicArn != null) {
            address = Arns.topic(topicArn, "TopicArn", context.region());
        } else {
            if (Platforms.isEndpointArn(targetArn)) return publishPush(input, targetArn);
            address = Arns.topic(targetArn, "TargetArn", context.region());
        }
        Publishing.Message message = Publishing.read(input, "");
        Topic topic = state.existingTopic(address);
        Published published = publish(topic, message, context);
        ObjectNode result = result("MessageId", published.messageId());
        if (published.sequenceNumber() != null) result.put("SequenceNumber", published.sequenceNumber());
        return result;
    }

    private ObjectNode publishSms(JsonNode input, String phoneNumber) {
        if (!PHONE_NUMBER.matcher(phoneNumber).matches()) {
            throw SnsErrors.invalidParameter("PhoneNumber Reason: " + phoneNumber + " is not valid to publish to");
        }
        Publishing.Message message = Publishing.read(input, "");
        String messageId = UUID.randomUUID().toString();
        String text = message.structure() != null ? Publishing.protocolMessages(message.message()).getOrDefault("sms",
                Publishing.protocolMessages(message.message()).get("default")) : message.message();
        Batch batch = new Batch();
        Outbox.appendDirectSms(batch, phoneNumber, text, timestamp(System.currentTimeMillis()), messageId);
        store.write(batch);
        return result("MessageId", messageId);
    }

    private ObjectNode publishPush(JsonNode input, String endpointArn) {
        Platforms.DeviceEndpoint endpoint = platforms.publishTarget(endpointArn);
        Publishing.Message message = Publishing.read(input, "");
        String text = message.message();
        if (message.structure() != null) {
            Map<String, String> messages = Publishing.protocolMessages(text);
            text = messages.getOrDefault(endpoint.platform(), messages.get("default"));
        }
        String messageId = UUID.randomUUID().toString();
        Batch batch = new Batch();
        Platforms.appendPush(batch, endpoint, text, timestamp(System.currentTimeMillis()), null, messageId, null);
        store.write(batch);
        return result("MessageId", messageId);
    }

    private ObjectNode publishBatch(JsonNode input, RequestContext context) {
        Arns.TopicAddress address = Arns.topic(required(input, "TopicArn", "topicArn"), "TopicArn", context.region());
        JsonNode entries = input.get("PublishBatchRequestEntries");
        if (entries == null || entries.isNull()) throw SnsErrors.missing("publishBatchRequestEntries");
        if (entries.isEmpty()) throw SnsErrors.emptyBatch();
        if (entries.size() > MAX_BATCH_ENTRIES) throw SnsErrors.tooManyEntries();
        Set<String> ids = new HashSet<>();
        for (JsonNode entry : entries) {
            String id = text(entry, "Id");
            if (id == null || !BATCH_ENTRY_ID.matcher(id).matches()) throw SnsErrors.invalidBatchEntryId();
            if (!ids.add(id)) throw SnsErrors.batchIdsNotDistinct();
        }
        Topic topic = state.existingTopic(address);
        List<Publishing.Message> messages = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            JsonNode message = entry.get("Message");
            if (message != null && !message.isNull()) {
                int size = message.asText().getBytes(StandardCharsets.UTF_8).length;
                total += size;
            }
        }
        if (total > Publishing.MAX_MESSAGE_BYTES) throw SnsErrors.batchTooLong();
        // An entry whose message or attributes Publish would refuse fails alone, in Failed with Publish's code
        // and message, and the others are published; what concerns the whole request (above) and the FIFO
        // parameters fail the call.
        ObjectNode result = NODES.objectNode();
        ArrayNode successful = result.putArray("Successful");
        ArrayNode failed = result.putArray("Failed");
        List<String> messageIds = new ArrayList<>();
        total = 0;
        for (int i = 0; i < entries.size(); i++) {
            String id = entries.get(i).get("Id").asText();
            Publishing.Message message;
            try {
                message = Publishing.read(entries.get(i), "publishBatchRequestEntries." + (i + 1) + ".member.");
            } catch (AwsException e) {
                if (e.status() >= 500) throw e;
                failed.addObject().put("Id", id).put("Code", e.code()).put("Message", e.getMessage()).put("SenderFault", true);
                continue;
            }
            checkFifoParameters(topic, message);
            total += message.size();
            messages.add(message);
            messageIds.add(id);
        }
        if (total > Publishing.MAX_MESSAGE_BYTES) throw SnsErrors.batchTooLong();
        for (int i = 0; i < messages.size(); i++) {
            Published published = publish(topic, messages.get(i), context);
            ObjectNode ok = successful.addObject().put("Id", messageIds.get(i)).put("MessageId", published.messageId());
            if (published.sequenceNumber() != null) ok.put("SequenceNumber", published.sequenceNumber());
        }
        return result;
    }

    private static void checkFifoParameters(Topic topic, Publishing.Message message) {
        if (topic.fifo()) {
            if (message.messageGroupId() == null) {
                throw SnsErrors.invalidParameter("The MessageGroupId parameter is required for FIFO topics");
            }
            Publishing.checkFifoId(message.messageGroupId(), "MessageGroupId");
            if (message.messageDeduplicationId() == null && !topic.contentBasedDeduplication()) {
                throw SnsErrors.invalidParameter("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
            }
            if (message.messageDeduplicationId() != null) Publishing.checkFifoId(message.messageDeduplicationId(), "MessageDeduplicationId");
        } else {
            if (message.messageDeduplicationId() != null) {
                throw SnsErrors.invalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type");
            }
            if (message.messageGroupId() != null) Publishing.checkFifoId(message.messageGroupId(), "MessageGroupId");
        }
    }

    /**
     * Publishes one checked message: picks the confirmed subscriptions whose filter policy matches,
     * and appends the dispatch to the log in the same batch as the FIFO sequence and deduplication
     * records.
     */
    private Published publish(Topic topic, Publishing.Message message, RequestContext context) {
        checkFifoParameters(topic, message);
        Map<String, String> protocolMessages = message.structure() == null ? null : Publishing.protocolMessages(message.message());
        List<String> targets = new ArrayList<>();
        for (Subscription subscription : state.subscriptionsOf(topic)) {
            if (subscription.pendingConfirmation()) continue;
            String policy = subscription.filterPolicy();
            if (policy != null) {
                String body = protocolMessages == null ? message.message()
                        : protocolMessages.getOrDefault(subscription.protocol(), protocolMessages.get("default"));
                if (!FilterPolicy.of(policy, subscription.filterPolicyScope()).matches(message.attributes(), body)) continue;
            }
            targets.add(subscription.arn());
        }
        String messageId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        if (!topic.fifo()) {
            Batch batch = new Batch();
            if (!targets.isEmpty()) {
                appendDispatch(batch, notification(topic, message, protocolMessages, messageId, now, null, null, targets, context));
            }
            store.write(batch);
            return new Published(messageId, null);
        }
        String deduplicationId = message.messageDeduplicationId() != null ? message.messageDeduplicationId() : sha256(message.message());
        String scope = "MessageGroup".equals(topic.attribute(TopicAttributes.FIFO_THROUGHPUT_SCOPE)) ? message.messageGroupId() : "";
        ReentrantLock lock = topicLocks[Math.floorMod(topic.arn().hashCode(), topicLocks.length)];
        lock.lock();
        try {
            byte[] dedupKey = SnsKeys.deduplication(topic.arn(), scope, deduplicationId);
            byte[] previous = store.get(dedupKey);
            if (previous != null) {
                JsonNode record = Json.tree(previous);
                if (record.path("expiresAt").asLong() > now) {
                    return new Published(record.path("messageId").asText(), record.path("sequenceNumber").asText());
                }
            }
            byte[] counterKey = SnsKeys.sequence(topic.arn());
            byte[] counter = store.get(counterKey);
            long next = (counter == null ? 0 : Keys.readU64(counter, 0)) + 1;
            String sequenceNumber = "1" + String.format("%019d", next);
            Batch batch = new Batch();
            batch.put(counterKey, Keys.of().u64(next).build());
            ObjectNode record = NODES.objectNode().put("messageId", messageId).put("sequenceNumber", sequenceNumber)
                    .put("expiresAt", now + DEDUPLICATION_WINDOW_MILLIS);
            batch.put(dedupKey, Json.bytes(record));
            if (next % 1000 == 0) purgeExpiredDeduplication(batch, topic, now);
            if (!targets.isEmpty()) {
                appendDispatch(batch, notification(topic, message, protocolMessages, messageId, now, deduplicationId,
                        sequenceNumber, targets, context));
            }
            store.write(batch);
            return new Published(messageId, sequenceNumber);
        } finally {
            lock.unlock();
        }
    }

    private void purgeExpiredDeduplication(Batch batch, Topic topic, long now) {
        try (io.eddy.store.Cursor cursor = store.scanPrefix(SnsKeys.deduplications(topic.arn()))) {
            while (cursor.next()) {
                if (Json.tree(cursor.value()).path("expiresAt").asLong() <= now) batch.delete(cursor.key());
            }
        }
    }

    private Dispatch notification(Topic topic, Publishing.Message message, Map<String, String> protocolMessages,
                                  String messageId, long now, String deduplicationId, String sequenceNumber,
                                  List<String> targets, RequestContext context) {
        String text = protocolMessages == null ? message.message() : protocolMessages.get("default");
        return new Dispatch(Delivery.NOTIFICATION, messageId, topic.arn(), now, baseUrl(context), message.subject(), text,
                protocolMessages, message.attributes(), message.messageGroupId(), deduplicationId, sequenceNumber,
                topic.fifo(), topic.signatureVersion(), null, null, null, targets);
    }

    private static void appendDispatch(Batch batch, Dispatch dispatch) {
        batch.append(SnsKeys.DISPATCH_LOG, Json.bytes(dispatch));
    }

    // ---- access policy

    private ObjectNode addPermission(JsonNode input, RequestContext context) {
        Arns.TopicAddress address = Arns.topic(required(input, "TopicArn", "topicArn"), "TopicArn", context.region());
        String label = required(input, "Label", "label");
        JsonNode accounts = input.get("AWSAccountId");
        JsonNode actions = input.get("ActionName");
        if (accounts == null || accounts.isNull()) throw SnsErrors.missing("aWSAccountId");
        if (actions == null || actions.isNull()) throw SnsErrors.missing("actionName");
        if (!LABEL.matcher(label).matches()) throw SnsErrors.invalidParameter("Label");
        if (accounts.isEmpty()) throw SnsErrors.invalidParameter("AWSAccountId");
        if (actions.isEmpty()) throw SnsErrors.invalidParameter("ActionName");
        ArrayNode principals = NODES.arrayNode();
        for (JsonNode account : accounts) {
            String id = account.asText();
            principals.add(id.matches("\\d{12}") ? "arn:aws:iam::" + id + ":root" : id);
        }
        ArrayNode actionNames = NODES.arrayNode();
        for (JsonNode action : actions) {
            String name = action.asText();
            if (!TOPIC_ACTIONS.contains(name)) throw SnsErrors.invalidParameter("Policy statement action out of service scope!");
            actionNames.add("SNS:" + name);
        }
        controlLock.lock();
        try {
            Topic topic = state.existingTopic(address);
            ObjectNode policy = policy(topic);
            ArrayNode statements = policy.withArray("Statement");
            for (JsonNode statement : statements) {
                if (label.equals(statement.path("Sid").asText())) throw SnsErrors.invalidParameter("Statement already exists");
            }
            ObjectNode statement = statements.addObject();
            statement.put("Sid", label).put("Effect", "Allow");
            statement.putObject("Principal").set("AWS", principals.size() == 1 ? principals.get(0) : principals);
            statement.set("Action", actionNames.size() == 1 ? actionNames.get(0) : actionNames);
            statement.put("Resource", topic.arn());
            storePolicy(topic, policy);
            return null;
        } finally {
            controlLock.unlock();
        }
    }

    private ObjectNode removePermission(JsonNode input, RequestContext context) {
        Arns.TopicAddress address = Arns.topic(required(input, "TopicArn", "topicArn"), "TopicArn", context.region());
        String label = required(input, "Label", "label");
        controlLock.lock();
        try {
            Topic topic = state.existingTopic(address);
            ObjectNode policy = policy(topic);
            ArrayNode statements = policy.withArray("Statement");
            for (int i = statements.size() - 1; i >= 0; i--) {
                if (label.equals(statements.get(i).path("Sid").asText())) statements.remove(i);
            }
            storePolicy(topic, policy);
            return null;
        } finally {
            controlLock.unlock();
        }
    }

    private static ObjectNode policy(Topic topic) {
        String text = topic.attribute(TopicAttributes.POLICY);
        JsonNode policy = Json.tree((text != null ? text : TopicAttributes.defaultPolicy(topic)).getBytes(StandardCharsets.UTF_8));
        return policy.isObject() ? (ObjectNode) policy : NODES.objectNode();
    }

    private void storePolicy(Topic topic, ObjectNode policy) {
        Map<String, String> change = new LinkedHashMap<>();
        change.put(TopicAttributes.POLICY, Json.text(policy));
        Batch batch = new Batch();
        state.putTopic(batch, topic.withAttributes(change));
        store.write(batch);
    }

    // ---- tags

    private ObjectNode tagResource(JsonNode input, RequestContext context) {
        Arns.TopicAddress address = resource(input, context);
        List<Tag> added = tags(input.get("Tags"));
        controlLock.lock();
        try {
            Topic topic = state.topic(address);
            if (topic == null) throw SnsErrors.resourceNotFound();
            Map<String, String> merged = new LinkedHashMap<>();
            topic.tags().forEach(t -> merged.put(t.key(), t.value()));
            added.forEach(t -> merged.put(t.key(), t.value()));
            if (merged.size() > MAX_TAGS) throw SnsErrors.tagLimitExceeded();
            List<Tag> tags = new ArrayList<>();
            merged.forEach((k, v) -> tags.add(new Tag(k, v)));
            Batch batch = new Batch();
            state.putTopic(batch, topic.withTags(tags));
            store.write(batch);
            return NODES.objectNode();
        } finally {
            controlLock.unlock();
        }
    }

    private ObjectNode untagResource(JsonNode input, RequestContext context) {
        Arns.TopicAddress address = resource(input, context);
        JsonNode keys = input.get("TagKeys");
        if (keys == null || keys.isNull()) throw SnsErrors.missing("tagKeys");
        Set<String> removed = new HashSet<>();
        keys.forEach(k -> removed.add(k.asText()));
        controlLock.lock();
        try {
            Topic topic = state.topic(address);
            if (topic == null) throw SnsErrors.resourceNotFound();
            Batch batch = new Batch();
            state.putTopic(batch, topic.withTags(topic.tags().stream().filter(t -> !removed.contains(t.key())).toList()));
            store.write(batch);
            return NODES.objectNode();
        } finally {
            controlLock.unlock();
        }
    }

    private ObjectNode listTagsForResource(JsonNode input, RequestContext context) {
        Topic topic = state.topic(resource(input, context));
        if (topic == null) throw SnsErrors.resourceNotFound();
        ObjectNode result = NODES.objectNode();
        ArrayNode tags = result.putArray("Tags");
        topic.tags().forEach(t -> tags.addObject().put("Key", t.key()).put("Value", t.value()));
        return result;
    }

    private static Arns.TopicAddress resource(JsonNode input, RequestContext context) {
        return Arns.topic(required(input, "ResourceArn", "resourceArn"), "ResourceArn", context.region());
    }

    private static List<Tag> tags(JsonNode node) {
        List<Tag> tags = new ArrayList<>();
        if (node == null || node.isNull()) return tags;
        Set<String> keys = new HashSet<>();
        for (JsonNode tag : node) {
            String key = tag.path("Key").asText(null);
            String value = tag.path("Value").asText(null);
            if (key == null) throw SnsErrors.missing("tags.member.key");
            if (value == null) throw SnsErrors.missing("tags.member.value");
            if (key.isEmpty() || key.length() > 128) throw SnsErrors.invalidParameter("Tags Reason: Tag keys must be between 1 and 128 characters long");
            if (value.length() > 256) throw SnsErrors.invalidParameter("Tags Reason: Tag values must be at most 256 characters long");
            if (!keys.add(key)) throw SnsErrors.invalidParameter("Duplicated keys are not allowed.");
            tags.add(new Tag(key, value));
        }
        if (tags.size() > MAX_TAGS) throw SnsErrors.tagLimitExceeded();
        return tags;
    }

    // ---- helpers

    private static ObjectNode result(String member, String value) {
        return NODES.objectNode().put(member, value);
    }

    static String required(JsonNode input, String member, String path) {
        String value = text(input, member);
        if (value == null) throw SnsErrors.missing(path);
        return value;
    }

    static String text(JsonNode input, String member) {
        JsonNode value = input.get(member);
        return value == null || value.isNull() ? null : value.asText();
    }

    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null || !node.isObject()) return map;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        }
        return map;
    }

    private static String baseUrl(RequestContext context) {
        return "http://" + context.host();
    }

    private static String timestamp(long millis) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(millis));
    }

    /** A confirmation token: 144 random bytes in hex, the shape AWS's tokens have. */
    private static String newToken() {
        byte[] bytes = new byte[144];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String encodeToken(String start) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(start.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        if (token == null) return null;
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SnsErrors.invalidParameter("NextToken");
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops delivering: in-flight HTTP requests are aborted (and retried after a restart) so none outlives the store. */
    @Override
    public void close() {
        engine.stop();
        http.abort();
        engine.awaitIdle();
    }
}
