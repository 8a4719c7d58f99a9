package io.eddy.sqs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.protocol.json.JsonService;
import io.eddy.protocol.query.QueryApi;
import io.eddy.protocol.query.QueryService;
import io.eddy.store.BackgroundWork;
import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Drainable;
import io.eddy.store.Store;

/**
 * Amazon SQS: the operations of API version 2012-11-05 for both of its wires (AWS JSON 1.0 and
 * Query), and a Java API for other services (SNS delivery, Lambda event sources) that works on queue
 * ARNs. Queues, messages, delivery state and deduplication entries live in the store; each queue
 * keeps an in-memory index of its messages, rebuilt from the store when the service starts.
 */
public final class SqsService implements JsonService, QueryService, BackgroundWork, AutoCloseable {

    /** The {@code X-Amz-Target} prefix of SQS's JSON protocol. */
    public static final String TARGET_PREFIX = "AmazonSQS";
    /** The credential-scope service name SQS requests are signed for. */
    public static final String SIGNING_NAME = "sqs";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern BATCH_ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern MESSAGE_ID_FIELD = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final int MAX_BATCH_ENTRIES = 10;
    private static final int MAX_BATCH_BYTES = 1_048_576;
    private static final int MAX_LIST_RESULTS = 1000;
    private static final int MAX_TAGS = 50;
    private static final List<String> QUEUE_ATTRIBUTE_ORDER = List.of("Policy", "VisibilityTimeout",
            "MaximumMessageSize", "MessageRetentionPeriod", "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn",
            "ApproximateNumberOfMessagesDelayed", "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy",
            "FifoQueue", "ContentBasedDeduplication", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
            "DeduplicationScope", "FifoThroughputLimit", "RedriveAllowPolicy", "SqsManagedSseEnabled");
    private static final Set<String> PERMISSION_ACTIONS = Set.of("*", "SendMessage", "ReceiveMessage",
            "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes", "GetQueueUrl",
            "ListDeadLetterSourceQueues", "PurgeQueue", "ListQueueTags", "TagQueue", "UntagQueue",
            "SetQueueAttributes", "ListMessageMoveTasks", "StartMessageMoveTask", "CancelMessageMoveTask");
    private static final String INVALID_CHARACTER_TEXT = "' was found in the message body, the set of allowed "
            + "characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF";

    private final Store store;
    private final LongSupplier clock;
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentSkipListMap<String, Queue> queues = new ConcurrentSkipListMap<>();
    private final Object createLock = new Object();
    private final MessageMoveTasks moveTasks;

    /** Opens SQS on {@code store}, restoring every queue and message it holds. */
    public SqsService(Store store) {
        this(store, System::currentTimeMillis);
    }

    SqsService(Store store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
        this.moveTasks = new MessageMoveTasks(store, clock, this::queueByArn);
        load();
        moveTasks.resume();
    }

    /** The Query protocol's description of SQS, for a {@code QueryEndpoint}. */
    public static QueryApi queryApi() {
        return SqsQueryApi.create();
    }

    /** Whether an unsigned request's path is a queue URL's path ({@code /<account>/<name>}). */
    public static boolean isQueuePath(String path) {
        return QueueAddress.isQueuePath(path);
    }

    /** Completes a Query request that was posted to a queue URL without a QueueUrl parameter. */
    public static void queueUrlFromPath(String host, String path, ObjectNode input) {
        if (!input.has("QueueUrl") && isQueuePath(path)) input.put("QueueUrl", "http://" + host + path);
    }

    @Override
    public void close() {
        moveTasks.close();
    }

    /** Running message move tasks: the drain endpoint waits until they are done. */
    @Override
    public Collection<Drainable> activities() {
        return List.of(moveTasks);
    }

    // ================================================================= dispatch

    @Override
    public ObjectNode invoke(String operation, JsonNode input, RequestContext context) {
        return switch (operation) {
            case "CreateQueue" -> createQueue(input, context);
            case "GetQueueUrl" -> getQueueUrl(input, context);
            case "ListQueues" -> listQueues(input, context);
            case "DeleteQueue" -> deleteQueue(input, context);
            case "GetQueueAttributes" -> getQueueAttributes(input, context);
            case "SetQueueAttributes" -> setQueueAttributes(input, context);
            case "SendMessage" -> sendMessage(input, context);
            case "SendMessageBatch" -> sendMessageBatch(input, context);
            case "ReceiveMessage" -> receiveMessage(input, context);
            case "DeleteMessage" -> deleteMessage(input, context);
            case "DeleteMessageBatch" -> deleteMessageBatch(input, context);
            case "ChangeMessageVisibility" -> changeMessageVisibility(input, context);
            case "ChangeMessageVisibilityBatch" -> changeMessageVisibilityBatch(input, context);
            case "PurgeQueue" -> purgeQueue(input, context);
            case "TagQueue" -> tagQueue(input, context);
            case "UntagQueue" -> untagQueue(input, context);
            case "ListQueueTags" -> listQueueTags(input, context);
            case "ListDeadLetterSourceQueues" -> listDeadLetterSourceQueues(input, context);
            case "AddPermission" -> addPermission(input, context);
            case "RemovePermission" -> removePermission(input, context);
            case "StartMessageMoveTask" -> startMessageMoveTask(input, context);
            case "ListMessageMoveTasks" -> listMessageMoveTasks(input, context);
            case "CancelMessageMoveTask" -> cancelMessageMoveTask(input);
            default -> throw SqsErrors.unknownOperation(operation);
        };
    }

    // ================================================================= queues

    private ObjectNode createQueue(JsonNode input, RequestContext context) {
        String name = requireText(input, "QueueName");
        Map<String, String> requested = stringMap(input.get("Attributes"));
        Map<String, String> tags = stringMap(input.get("tags"));
        boolean fifo = "true".equalsIgnoreCase(requested.get("FifoQueue"));
        QueueNames.checkForCreate(name, fifo);
        Map<String, String> attributes = QueueConfig.normalize(requested, fifo, true);
        checkTags(tags, name);
        QueueAddress address = new QueueAddress(context.accountId(), context.region(), name);
        synchronized (createLock) {
            Queue existing = queues.get(address.key());
            if (existing != null) {
                for (Map.Entry<String, String> e : attributes.entrySet()) {
                    String current = existing.config().effective(e.getKey());
                    String wanted = e.getValue().isEmpty() ? null : e.getValue();
                    if (wanted == null ? current != null : !wanted.equals(current)) {
                        throw SqsErrors.queueNameExists(e.getKey());
                    }
                }
                return queueUrlResult(existing, context);
            }
            QueueConfig config = QueueConfig.defaults(fifo).with(attributes);
            checkRedrive(address.arn(), fifo, config, requested.get("RedrivePolicy"));
            long now = clock.getAsLong() / 1000;
            Queue queue = newQueue(address, ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), config, tags, now, now);
            store.write(new Batch().put(SqsKeys.queue(address), queue.metadata()));
            queues.put(address.key(), queue);
            return queueUrlResult(queue, context);
        }
    }

    private Queue newQueue(QueueAddress address, long incarnation, QueueConfig config, Map<String, String> tags,
                           long created, long modified) {
        return new Queue(address, incarnation, config, tags, created, modified, store, sequence, clock,
                this::queueByArn);
    }

    /** A RedrivePolicy must name an existing queue of the same type that allows this queue as its source. */
    private void checkRedrive(String sourceArn, boolean fifo, QueueConfig config, String requestedValue) {
        QueueConfig.RedrivePolicy policy = config.redrivePolicy;
        if (policy == null || requestedValue == null) return;
        Queue target = queueByArn(policy.deadLetterTargetArn());
        if (target == null) {
            throw SqsErrors.invalidParameter("RedrivePolicy", requestedValue, "Dead letter target does not exist.");
        }
        if (target.fifo != fifo) {
            throw SqsErrors.invalidParameter("RedrivePolicy", requestedValue,
                    "Dead-letter queue must be same type of queue as the source.");
        }
        QueueConfig.RedriveAllowPolicy allow = target.config().redriveAllowPolicy;
        if (allow != null && !allow.allows(sourceArn)) {
            throw SqsErrors.invalidParameter("RedrivePolicy", requestedValue, "Queue " + target.arn
                    + " does not allow this queue to use it as a dead-letter queue.");
        }
    }

    private ObjectNode queueUrlResult(Queue queue, RequestContext context) {
        ObjectNode out = NODES.objectNode();
        out.put("QueueUrl", queue.address.url(context.host()));
        return out;
    }

    private ObjectNode getQueueUrl(JsonNode input, RequestContext context) {
        String name = requireText(input, "QueueName");
        String owner = text(input, "QueueOwnerAWSAccountId");
        Queue queue = queues.get(new QueueAddress(owner != null ? owner : context.accountId(), context.region(), name)
                .key());
        if (queue == null) throw SqsErrors.queueDoesNotExist();
        return queueUrlResult(queue, context);
    }

    private ObjectNode listQueues(JsonNode input, RequestContext context) {
        String prefix = text(input, "QueueNamePrefix");
        String keyPrefix = QueueAddress.keyPrefix(context.accountId(), context.region());
        List<Queue> matching = new ArrayList<>();
        for (Queue q : queues.tailMap(keyPrefix + (prefix == null ? "" : prefix)).values()) {
            if (!q.address.key().startsWith(keyPrefix) || (prefix != null && !q.address.name().startsWith(prefix))) break;
            matching.add(q);
        }
        ObjectNode out = NODES.objectNode();
        Page page = page(matching, input);
        if (!page.queues().isEmpty()) {
            ArrayNode urls = out.putArray("QueueUrls");
            for (Queue q : page.queues()) urls.add(q.address.url(context.host()));
        }
        if (page.nextToken() != null) out.put("NextToken", page.nextToken());
        return out;
    }

    private record Page(List<Queue> queues, String nextToken) {
    }

    /** One page of name-ordered queues: MaxResults (1-1000) and a NextToken that names the last queue returned. */
    private static Page page(List<Queue> sorted, JsonNode input) {
        Integer maxResults = optionalInt(input, "MaxResults");
        if (maxResults != null && (maxResults < 1 || maxResults > MAX_LIST_RESULTS)) {
            throw SqsErrors.invalidParameter("MaxResults", maxResults,
                    "MaxResults must be an integer between 1 and 1000.");
        }
        String token = text(input, "NextToken");
        int from = 0;
        if (token != null) {
            String after;
            try {
                after = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw SqsErrors.invalidParameterValue("Invalid NextToken value.");
            }
            if (!QueueNames.isValidName(after)) throw SqsErrors.invalidParameterValue("Invalid NextToken value.");
            while (from < sorted.size() && sorted.get(from).address.name().compareTo(after) <= 0) from++;
        }
        int limit = maxResults != null ? maxResults : MAX_LIST_RESULTS;
        int to = Math.min(sorted.size(), from + limit);
        List<Queue> page = sorted.subList(from, to);
        String next = maxResults != null && to < sorted.size()
                ? Base64.getEncoder().encodeToString(page.get(page.size() - 1).address.name()
                .getBytes(StandardCharsets.UTF_8))
                : null;
        return new Page(page, next);
    }

    private ObjectNode deleteQueue(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        synchronized (createLock) {
            Batch batch = new Batch();
            moveTasks.queueDeleted(queue, batch);
            queue.delete(batch);
            queues.remove(queue.address.key(), queue);
        }
        return NODES.objectNode();
    }

    private ObjectNode getQueueAttributes(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        List<String> names = stringList(input, "AttributeNames");
        for (String name : names) {
            if (!name.equals("All") && !QUEUE_ATTRIBUTE_ORDER.contains(name)) throw SqsErrors.invalidAttributeName(name);
        }
        ObjectNode out = NODES.objectNode();
        if (names.isEmpty()) return out;
        boolean all = names.contains("All");
        Map<String, String> values = queueAttributes(queue, all ? QUEUE_ATTRIBUTE_ORDER : names);
        if (!values.isEmpty()) {
            ObjectNode attributes = out.putObject("Attributes");
            values.forEach(attributes::put);
        }
        return out;
    }

    /** The named attributes that apply to the queue, in AWS's order. */
    private static Map<String, String> queueAttributes(Queue queue, List<String> names) {
        int[] counts = null;
        Map<String, String> out = new LinkedHashMap<>();
        QueueConfig config = queue.config();
        for (String name : QUEUE_ATTRIBUTE_ORDER) {
            if (!names.contains(name)) continue;
            String value = switch (name) {
                case "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                     "ApproximateNumberOfMessagesDelayed" -> {
                    if (counts == null) counts = queue.counts();
                    yield Integer.toString(counts[switch (name) {
                        case "ApproximateNumberOfMessages" -> 0;
                        case "ApproximateNumberOfMessagesNotVisible" -> 1;
                        default -> 2;
                    }]);
                }
                case "CreatedTimestamp" -> Long.toString(queue.createdTimestamp());
                case "LastModifiedTimestamp" -> Long.toString(queue.lastModifiedTimestamp());
                case "QueueArn" -> queue.arn;
                default -> config.values().get(name);
            };
            if (value != null) out.put(name, value);
        }
        return out;
    }

    private ObjectNode setQueueAttributes(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        Map<String, String> requested = stringMap(input.get("Attributes"));
        Map<String, String> changes = QueueConfig.normalize(requested, queue.fifo, false);
        queue.update(config -> {
            QueueConfig next = config.with(changes);
            checkRedrive(queue.arn, queue.fifo, next, requested.get("RedrivePolicy"));
            return next;
        }, tags -> tags);
        return NODES.objectNode();
    }

    private ObjectNode purgeQueue(JsonNode input, RequestContext context) {
        queueFromUrl(input, context).purge();
        return NODES.objectNode();
    }

    private ObjectNode tagQueue(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        Map<String, String> added = stringMap(input.get("Tags"));
        checkTags(added, queue.address.name());
        queue.update(config -> config, tags -> {
            Map<String, String> next = new LinkedHashMap<>(tags);
            next.putAll(added);
            if (next.size() > MAX_TAGS) {
                throw SqsErrors.invalidParameterValue("Too many tags added for queue " + queue.address.name() + ".");
            }
            return next;
        });
        return NODES.objectNode();
    }

    private ObjectNode untagQueue(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        List<String> keys = stringList(input, "TagKeys");
        queue.update(config -> config, tags -> {
            Map<String, String> next = new LinkedHashMap<>(tags);
            keys.forEach(next::remove);
            return next;
        });
        return NODES.objectNode();
    }

    private ObjectNode listQueueTags(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        ObjectNode out = NODES.objectNode();
        if (!queue.tags().isEmpty()) {
            ObjectNode tags = out.putObject("Tags");
            queue.tags().forEach(tags::put);
        }
        return out;
    }

    private static void checkTags(Map<String, String> tags, String queueName) {
        if (tags.size() > MAX_TAGS) {
            throw SqsErrors.invalidParameterValue("Too many tags added for queue " + queueName + ".");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isEmpty() || tag.getKey().length() > 128) {
                throw SqsErrors.invalidParameterValue("Tag keys must be between 1 and 128 characters in length.");
            }
            if (tag.getValue() == null || tag.getValue().length() > 256) {
                throw SqsErrors.invalidParameterValue("Tag values must be between 0 and 256 characters in length.");
            }
        }
    }

    private ObjectNode listDeadLetterSourceQueues(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        List<Queue> sources = new ArrayList<>();
        String keyPrefix = QueueAddress.keyPrefix(queue.address.account(), queue.address.region());
        for (Queue q : queues.tailMap(keyPrefix).values()) {
            if (!q.address.key().startsWith(keyPrefix)) break;
            QueueConfig.RedrivePolicy policy = q.config().redrivePolicy;
            if (policy != null && policy.deadLetterTargetArn().equals(queue.arn)) sources.add(q);
        }
        Page page = page(sources, input);
        ObjectNode out = NODES.objectNode();
        ArrayNode urls = out.putArray("queueUrls");
        for (Queue q : page.queues()) urls.add(q.address.url(context.host()));
        if (page.nextToken() != null) out.put("NextToken", page.nextToken());
        return out;
    }

    // ================================================================= permissions

    private ObjectNode addPermission(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        String label = requireText(input, "Label");
        checkLabel(label);
        List<String> accounts = stringList(input, "AWSAccountIds");
        if (accounts.isEmpty()) throw SqsErrors.missingParameter("AWSAccountIds");
        List<String> actions = stringList(input, "Actions");
        if (actions.isEmpty()) throw SqsErrors.missingParameter("Actions");
        if (actions.size() > 7) {
            throw SqsErrors.error(403, "OverLimit", "OverLimit",
                    actions.size() + " Actions were found, maximum allowed is 7.");
        }
        for (String action : actions) {
            if (!PERMISSION_ACTIONS.contains(action)) {
                throw SqsErrors.invalidParameter("ActionName", action,
                        "Please refer to the appropriate WSDL for a list of valid actions.");
            }
        }
        queue.update(config -> {
            ObjectNode policy = policyOf(queue, config);
            ArrayNode statements = (ArrayNode) policy.get("Statement");
            for (JsonNode statement : statements) {
                if (label.equals(statement.path("Sid").asText())) {
                    throw SqsErrors.invalidParameter("Label", label, "Already exists.");
                }
            }
            ObjectNode statement = statements.addObject();
            statement.put("Sid", label);
            statement.put("Effect", "Allow");
            ObjectNode principal = statement.putObject("Principal");
            if (accounts.size() == 1) principal.put("AWS", "arn:aws:iam::" + accounts.get(0) + ":root");
            else accounts.forEach(a -> principal.withArray("AWS").add("arn:aws:iam::" + a + ":root"));
            if (actions.size() == 1) statement.put("Action", "SQS:" + actions.get(0));
            else actions.forEach(a -> statement.withArray("Action").add("SQS:" + a));
            statement.put("Resource", queue.arn);
            return config.with(Map.of("Policy", policy.toString()));
        }, tags -> tags);
        return NODES.objectNode();
    }

    private ObjectNode removePermission(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        String label = requireText(input, "Label");
        queue.update(config -> {
            ObjectNode policy = policyOf(queue, config);
            ArrayNode statements = (ArrayNode) policy.get("Statement");
            for (int i = 0; i < statements.size(); i++) {
                if (label.equals(statements.get(i).path("Sid").asText())) {
                    statements.remove(i);
                    return config.with(Map.of("Policy", statements.isEmpty() ? "" : policy.toString()));
                }
            }
            throw SqsErrors.invalidParameter("Label", label, "can't find label on existing policy.");
        }, tags -> tags);
        return NODES.objectNode();
    }

    private static void checkLabel(String label) {
        if (!LABEL.matcher(label).matches()) {
            throw SqsErrors.invalidParameter("Label", label,
                    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
    }

    /** The queue's policy document, or a new empty one with SQS's default id. */
    private static ObjectNode policyOf(Queue queue, QueueConfig config) {
        String current = config.values().get("Policy");
        ObjectNode policy = null;
        if (current != null) {
            try {
                policy = (ObjectNode) QueueConfig.JSON.readTree(current);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored policy of " + queue.arn + " is not JSON", e);
            }
        }
        if (policy == null) {
            policy = NODES.objectNode();
            policy.put("Version", "2012-10-17");
            policy.put("Id", queue.arn + "/SQSDefaultPolicy");
        }
        if (!policy.path("Statement").isArray()) {
            JsonNode single = policy.remove("Statement");
            ArrayNode statements = policy.putArray("Statement");
            if (single != null && single.isObject()) statements.add(single);
        }
        return policy;
    }

    // ================================================================= messages

    private ObjectNode sendMessage(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        Map<String, MessageAttribute> systemAttributes = MessageAttributes.fromJson(input.get("MessageSystemAttributes"));
        Queue.NewMessage message = prepare(queue, text(input, "MessageBody"),
                MessageAttributes.fromJson(input.get("MessageAttributes")), systemAttributes,
                optionalInt(input, "DelaySeconds"), text(input, "MessageGroupId"), text(input, "MessageDeduplicationId"),
                context.accountId());
        Queue.Sent sent = queue.send(List.of(message)).get(0);
        ObjectNode out = NODES.objectNode();
        writeSendResult(out, message, systemAttributes, sent);
        return out;
    }

    private static void writeSendResult(ObjectNode out, Queue.NewMessage message,
                                        Map<String, MessageAttribute> systemAttributes, Queue.Sent sent) {
        out.put("MD5OfMessageBody", message.md5OfBody());
        if (message.md5OfAttributes() != null) out.put("MD5OfMessageAttributes", message.md5OfAttributes());
        String systemMd5 = MessageAttributes.md5OfAttributes(systemAttributes);
        if (systemMd5 != null) out.put("MD5OfMessageSystemAttributes", systemMd5);
        out.put("MessageId", sent.messageId());
        if (sent.sequenceNumber() != null) out.put("SequenceNumber", sent.sequenceNumber());
    }

    private ObjectNode sendMessageBatch(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        List<JsonNode> entries = batchEntries(input, "SendMessageBatchRequestEntry");
        long total = 0;
        for (JsonNode entry : entries) {
            String body = text(entry, "MessageBody");
            total += (body == null ? 0 : MessageAttribute.utf8Length(body));
            total += MessageAttributes.size(MessageAttributes.fromJson(entry.get("MessageAttributes")));
        }
        if (total > MAX_BATCH_BYTES) throw SqsErrors.batchRequestTooLong(MAX_BATCH_BYTES, total);
        if (queue.fifo) {
            for (JsonNode entry : entries) {
                checkFifoParameters(queue, optionalInt(entry, "DelaySeconds"), text(entry, "MessageGroupId"),
                        text(entry, "MessageDeduplicationId"));
            }
        }
        ObjectNode out = NODES.objectNode();
        ArrayNode successful = out.putArray("Successful");
        ArrayNode failed = out.putArray("Failed");
        List<Queue.NewMessage> accepted = new ArrayList<>();
        List<JsonNode> acceptedEntries = new ArrayList<>();
        List<Map<String, MessageAttribute>> acceptedSystem = new ArrayList<>();
        for (JsonNode entry : entries) {
            try {
                Map<String, MessageAttribute> system = MessageAttributes.fromJson(entry.get("MessageSystemAttributes"));
                accepted.add(prepare(queue, text(entry, "MessageBody"),
                        MessageAttributes.fromJson(entry.get("MessageAttributes")), system,
                        optionalInt(entry, "DelaySeconds"), text(entry, "MessageGroupId"),
                        text(entry, "MessageDeduplicationId"), context.accountId()));
                acceptedEntries.add(entry);
                acceptedSystem.add(system);
            } catch (AwsException e) {
                failed.add(failure(text(entry, "Id"), e));
            }
        }
        List<Queue.Sent> sent = accepted.isEmpty() ? List.of() : queue.send(accepted);
        for (int i = 0; i < sent.size(); i++) {
            ObjectNode result = successful.addObject();
            result.put("Id", text(acceptedEntries.get(i), "Id"));
            writeSendResult(result, accepted.get(i), acceptedSystem.get(i), sent.get(i));
        }
        return out;
    }

    private static ObjectNode failure(String id, AwsException e) {
        ObjectNode failure = NODES.objectNode();
        failure.put("Id", id);
        failure.put("SenderFault", e.isSenderFault());
        failure.put("Code", SqsErrors.batchCode(e));
        if (e.getMessage() != null) failure.put("Message", e.getMessage());
        return failure;
    }

    /** Validates a message for {@code queue} and computes what the send reports. */
    private static Queue.NewMessage prepare(Queue queue, String body, Map<String, MessageAttribute> attributes,
                                            Map<String, MessageAttribute> systemAttributes, Integer delaySeconds,
                                            String groupId, String deduplicationId, String senderId) {
        if (body == null || body.isEmpty()) throw SqsErrors.missingParameter("MessageBody");
        int bad = MessageAttributes.firstInvalidCharacter(body);
        if (bad >= 0) {
            throw SqsErrors.invalidMessageContents("Invalid binary character '"
                    + MessageAttributes.describeCharacter(bad) + INVALID_CHARACTER_TEXT);
        }
        MessageAttributes.validateUser(attributes);
        MessageAttributes.validateSystem(systemAttributes);
        QueueConfig config = queue.config();
        long size = MessageAttribute.utf8Length(body) + (long) MessageAttributes.size(attributes);
        if (size > config.maximumMessageSize) {
            throw SqsErrors.invalidParameterValue("One or more parameters are invalid. Reason: Message must be shorter than "
                    + config.maximumMessageSize + " bytes.");
        }
        if (delaySeconds != null && (delaySeconds < 0 || delaySeconds > 900)) {
            throw SqsErrors.invalidParameter("DelaySeconds", delaySeconds, "DelaySeconds must be >= 0 and <= 900.");
        }
        if (queue.fifo) {
            checkFifoParameters(queue, delaySeconds, groupId, deduplicationId);
        } else if (deduplicationId != null) {
            throw SqsErrors.invalidParameter("MessageDeduplicationId", deduplicationId,
                    "The request include parameter that is not valid for this queue type.");
        }
        checkIdField("MessageGroupId", groupId);
        checkIdField("MessageDeduplicationId", deduplicationId);
        MessageAttribute trace = systemAttributes.get("AWSTraceHeader");
        return new Queue.NewMessage(body, attributes, trace == null ? null : trace.stringValue(),
                queue.fifo ? null : delaySeconds, groupId, deduplicationId, senderId,
                MessageAttributes.md5OfBody(body), MessageAttributes.md5OfAttributes(attributes));
    }

    /** What a FIFO queue asks of every message; SendMessageBatch fails as a whole when an entry lacks it. */
    private static void checkFifoParameters(Queue queue, Integer delaySeconds, String groupId, String deduplicationId) {
        if (delaySeconds != null && delaySeconds > 0) {
            throw SqsErrors.invalidParameter("DelaySeconds", delaySeconds,
                    "The request include parameter that is not valid for this queue type.");
        }
        if (groupId == null) throw SqsErrors.missingParameter("MessageGroupId");
        if (deduplicationId == null && !queue.config().contentBasedDeduplication) {
            throw SqsErrors.invalidParameterValue("The queue should either have ContentBasedDeduplication enabled "
                    + "or MessageDeduplicationId provided explicitly");
        }
    }

    private static void checkIdField(String parameter, String value) {
        if (value != null && !MESSAGE_ID_FIELD.matcher(value).matches()) {
            throw SqsErrors.invalidParameter(parameter, value, parameter
                    + " can only include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
    }

    private ObjectNode receiveMessage(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        Integer max = optionalInt(input, "MaxNumberOfMessages");
        if (max != null && (max < 1 || max > 10)) {
            throw SqsErrors.invalidParameter("MaxNumberOfMessages", max, "Must be between 1 and 10, if provided.");
        }
        Integer wait = optionalInt(input, "WaitTimeSeconds");
        if (wait != null && (wait < 0 || wait > 20)) {
            throw SqsErrors.invalidParameter("WaitTimeSeconds", wait, "Must be >= 0 and <= 20, if provided.");
        }
        Integer visibility = optionalInt(input, "VisibilityTimeout");
        checkVisibilityTimeout(visibility);
        String attemptId = text(input, "ReceiveRequestAttemptId");
        if (attemptId != null && (attemptId.isEmpty() || !MESSAGE_ID_FIELD.matcher(attemptId).matches())) {
            throw SqsErrors.invalidParameter("ReceiveRequestAttemptId", attemptId,
                    "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
        // AttributeNames (deprecated) is typed as queue attribute names; names that are no message attribute select nothing
        Set<String> systemNames = new HashSet<>(stringList(input, "AttributeNames"));
        systemNames.addAll(stringList(input, "MessageSystemAttributeNames"));
        List<String> attributeNames = stringList(input, "MessageAttributeNames");
        int waitSeconds = wait != null ? wait : queue.config().receiveMessageWaitTimeSeconds;
        List<Queue.Delivery> deliveries = receive(queue, max == null ? 1 : max, visibility, waitSeconds * 1000L,
                attemptId);
        ObjectNode out = NODES.objectNode();
        if (deliveries.isEmpty()) return out;
        ArrayNode messages = out.putArray("Messages");
        for (Queue.Delivery d : deliveries) {
            MessageRecord record = d.record();
            ObjectNode message = messages.addObject();
            message.put("MessageId", record.messageId());
            message.put("ReceiptHandle", d.receiptHandle());
            message.put("MD5OfBody", record.md5OfBody());
            message.put("Body", record.body());
            Map<String, String> system = systemAttributes(queue, d);
            if (!systemNames.contains("All")) system.keySet().retainAll(systemNames);
            if (!system.isEmpty()) {
                ObjectNode attributes = message.putObject("Attributes");
                system.forEach(attributes::put);
            }
            Map<String, MessageAttribute> selected = MessageAttributes.select(record.attributes(), attributeNames);
            if (!selected.isEmpty()) {
                message.put("MD5OfMessageAttributes", MessageAttributes.md5OfAttributes(selected));
                MessageAttributes.writeJson(message.putObject("MessageAttributes"), selected);
            }
        }
        return out;
    }

    private static List<Queue.Delivery> receive(Queue queue, int max, Integer visibility, long waitMillis,
                                                String attemptId) {
        try {
            return queue.receive(max, visibility, waitMillis, queue.fifo ? attemptId : null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static void checkVisibilityTimeout(Integer visibility) {
        if (visibility != null && (visibility < 0 || visibility > QueueConfig.MAX_VISIBILITY_TIMEOUT)) {
            throw SqsErrors.invalidParameter("VisibilityTimeout", visibility,
                    "Must be between 0 and 43200, if provided.");
        }
    }

    /** Every system attribute of a delivered message, in the order AWS lists them. */
    private static Map<String, String> systemAttributes(Queue queue, Queue.Delivery d) {
        MessageRecord record = d.record();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("SenderId", record.senderId());
        out.put("ApproximateFirstReceiveTimestamp", Long.toString(d.firstReceivedAt()));
        out.put("ApproximateReceiveCount", Integer.toString(d.receiveCount()));
        out.put("SentTimestamp", Long.toString(record.sentAt()));
        if (queue.fifo) {
            out.put("SequenceNumber", record.sequenceNumber());
            out.put("MessageDeduplicationId", record.deduplicationId());
        }
        if (record.groupId() != null) out.put("MessageGroupId", record.groupId());
        if (record.traceHeader() != null) out.put("AWSTraceHeader", record.traceHeader());
        if (record.sourceArn() != null) out.put("DeadLetterQueueSourceArn", record.sourceArn());
        return out;
    }

    private ObjectNode deleteMessage(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        String handle = requireText(input, "ReceiptHandle");
        AwsException error = queue.delete(List.of(handleRequest(handle, 0))).get(0);
        if (error != null) throw error;
        return NODES.objectNode();
    }

    private ObjectNode deleteMessageBatch(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        List<JsonNode> entries = batchEntries(input, "DeleteMessageBatchRequestEntry");
        List<Queue.HandleRequest> requests = new ArrayList<>();
        for (JsonNode entry : entries) requests.add(handleRequest(nullToEmpty(text(entry, "ReceiptHandle")), 0));
        return batchResult(entries, queue.delete(requests));
    }

    private ObjectNode changeMessageVisibility(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        String handle = requireText(input, "ReceiptHandle");
        Integer timeout = optionalInt(input, "VisibilityTimeout");
        if (timeout == null) throw SqsErrors.missingParameter("VisibilityTimeout");
        checkVisibilityTimeout(timeout);
        AwsException error = queue.changeVisibility(List.of(handleRequest(handle, timeout))).get(0);
        if (error != null) throw error;
        return NODES.objectNode();
    }

    private ObjectNode changeMessageVisibilityBatch(JsonNode input, RequestContext context) {
        Queue queue = queueFromUrl(input, context);
        List<JsonNode> entries = batchEntries(input, "ChangeMessageVisibilityBatchRequestEntry");
        List<Queue.HandleRequest> requests = new ArrayList<>();
        List<AwsException> early = new ArrayList<>();
        for (JsonNode entry : entries) {
            AwsException problem = null;
            Integer timeout = null;
            try {
                timeout = optionalInt(entry, "VisibilityTimeout");
                if (timeout == null) throw SqsErrors.missingParameter("VisibilityTimeout");
                checkVisibilityTimeout(timeout);
            } catch (AwsException e) {
                problem = e;
            }
            early.add(problem);
            if (problem == null) requests.add(handleRequest(nullToEmpty(text(entry, "ReceiptHandle")), timeout));
        }
        Iterator<AwsException> changed = queue.changeVisibility(requests).iterator();
        List<AwsException> errors = new ArrayList<>();
        for (AwsException e : early) errors.add(e != null ? e : changed.next());
        return batchResult(entries, errors);
    }

    private static Queue.HandleRequest handleRequest(String text, int visibilityTimeout) {
        return new Queue.HandleRequest(text, ReceiptHandle.decode(text), visibilityTimeout);
    }

    private static ObjectNode batchResult(List<JsonNode> entries, List<AwsException> errors) {
        ObjectNode out = NODES.objectNode();
        ArrayNode successful = out.putArray("Successful");
        ArrayNode failed = out.putArray("Failed");
        for (int i = 0; i < entries.size(); i++) {
            String id = text(entries.get(i), "Id");
            if (errors.get(i) == null) successful.addObject().put("Id", id);
            else failed.add(failure(id, errors.get(i)));
        }
        return out;
    }

    /** A batch's entries, after the checks that fail the whole request. */
    private static List<JsonNode> batchEntries(JsonNode input, String entryName) {
        JsonNode entries = input.get("Entries");
        if (entries == null || !entries.isArray() || entries.isEmpty()) throw SqsErrors.emptyBatchRequest(entryName);
        if (entries.size() > MAX_BATCH_ENTRIES) throw SqsErrors.tooManyEntriesInBatchRequest(entries.size());
        Set<String> ids = new HashSet<>();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode entry : entries) {
            String id = text(entry, "Id");
            if (id == null || !BATCH_ENTRY_ID.matcher(id).matches()) throw SqsErrors.invalidBatchEntryId();
            if (!ids.add(id)) throw SqsErrors.batchEntryIdsNotDistinct(id);
            out.add(entry);
        }
        return out;
    }

    // ================================================================= message move tasks

    private ObjectNode startMessageMoveTask(JsonNode input, RequestContext context) {
        String sourceArn = requireText(input, "SourceArn");
        Queue source = queueByArn(sourceArn);
        if (source == null) {
            throw SqsErrors.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        }
        if (!isDeadLetterQueue(source)) {
            throw SqsErrors.invalidParameterValue("Source queue must be configured as a Dead Letter Queue.");
        }
        String destinationArn = text(input, "DestinationArn");
        if (destinationArn != null) {
            Queue destination = queueByArn(destinationArn);
            if (destination == null) {
                throw SqsErrors.resourceNotFound(
                        "The resource that you specified for the DestinationArn parameter doesn't exist.");
            }
            if (destination == source) {
                throw SqsErrors.invalidParameterValue("Source queue and destination queue must be different.");
            }
            if (destination.fifo != source.fifo) {
                throw SqsErrors.invalidParameterValue("Destination queue must be same type of queue as the source.");
            }
        }
        Integer rate = optionalInt(input, "MaxNumberOfMessagesPerSecond");
        if (rate != null && (rate < 1 || rate > 500)) {
            throw SqsErrors.invalidParameter("MaxNumberOfMessagesPerSecond", rate, "Must be between 1 and 500.");
        }
        int[] counts = source.counts();
        MessageMoveTasks.Task task = moveTasks.start(source, destinationArn, rate, counts[0] + counts[1] + counts[2]);
        ObjectNode out = NODES.objectNode();
        out.put("TaskHandle", task.handle());
        return out;
    }

    private boolean isDeadLetterQueue(Queue queue) {
        String keyPrefix = QueueAddress.keyPrefix(queue.address.account(), queue.address.region());
        for (Queue q : queues.tailMap(keyPrefix).values()) {
            if (!q.address.key().startsWith(keyPrefix)) break;
            QueueConfig.RedrivePolicy policy = q.config().redrivePolicy;
            if (policy != null && policy.deadLetterTargetArn().equals(queue.arn)) return true;
        }
        return false;
    }

    private ObjectNode listMessageMoveTasks(JsonNode input, RequestContext context) {
        String sourceArn = requireText(input, "SourceArn");
        Queue source = queueByArn(sourceArn);
        if (source == null) {
            throw SqsErrors.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        }
        Integer max = optionalInt(input, "MaxResults");
        if (max != null && (max < 1 || max > 10)) {
            throw SqsErrors.invalidParameter("MaxResults", max, "You must enter a number that's between 1 and 10.");
        }
        ObjectNode out = NODES.objectNode();
        ArrayNode results = out.putArray("Results");
        List<MessageMoveTasks.Task> tasks = moveTasks.forQueue(source);
        for (MessageMoveTasks.Task task : tasks.subList(0, Math.min(tasks.size(), max == null ? 1 : max))) {
            ObjectNode entry = results.addObject();
            if (task.status.equals("RUNNING")) entry.put("TaskHandle", task.handle());
            entry.put("Status", task.status);
            entry.put("SourceArn", task.sourceArn);
            if (task.destinationArn != null) entry.put("DestinationArn", task.destinationArn);
            if (task.maxPerSecond != null) entry.put("MaxNumberOfMessagesPerSecond", task.maxPerSecond);
            entry.put("ApproximateNumberOfMessagesMoved", task.moved);
            entry.put("ApproximateNumberOfMessagesToMove", task.toMove);
            if (task.failureReason != null) entry.put("FailureReason", task.failureReason);
            entry.put("StartedTimestamp", task.startedTimestamp);
        }
        return out;
    }

    private ObjectNode cancelMessageMoveTask(JsonNode input) {
        MessageMoveTasks.Task task = moveTasks.cancel(requireText(input, "TaskHandle"));
        ObjectNode out = NODES.objectNode();
        out.put("ApproximateNumberOfMessagesMoved", task.moved);
        return out;
    }

    // ================================================================= Java API for other services

    /**
     * Sends a message to the queue {@code queueArn} names, with SendMessage's validation and
     * semantics (FIFO deduplication, delays, size limit). Throws {@link AwsException} with SQS's
     * error, e.g. QueueDoesNotExist.
     */
    public SentMessage sendMessage(String queueArn, OutgoingMessage message) {
        Queue queue = requireQueue(queueArn);
        Map<String, MessageAttribute> system = message.traceHeader() == null
                ? Map.of() : Map.of("AWSTraceHeader", MessageAttribute.string(message.traceHeader()));
        Queue.NewMessage prepared = prepare(queue, message.body(), message.messageAttributes(), system,
                message.delaySeconds(), message.messageGroupId(), message.messageDeduplicationId(),
                message.senderId() != null ? message.senderId() : queue.address.account());
        Queue.Sent sent = queue.send(List.of(prepared)).get(0);
        return new SentMessage(sent.messageId(), prepared.md5OfBody(), prepared.md5OfAttributes(),
                sent.sequenceNumber());
    }

    /**
     * Receives up to {@code maxMessages} (1-10) messages, waiting up to {@code wait} (at most 20 s)
     * and returning as soon as one is available. {@code visibilityTimeoutSeconds} null uses the
     * queue's. Messages carry all system and message attributes. Blocks the calling thread: call it
     * from a virtual thread.
     */
    public List<ReceivedMessage> receiveMessages(String queueArn, int maxMessages, Integer visibilityTimeoutSeconds,
                                                 Duration wait) throws InterruptedException {
        Queue queue = requireQueue(queueArn);
        if (maxMessages < 1 || maxMessages > 10) {
            throw SqsErrors.invalidParameter("MaxNumberOfMessages", maxMessages, "Must be between 1 and 10, if provided.");
        }
        checkVisibilityTimeout(visibilityTimeoutSeconds);
        long waitMillis = Math.min(Math.max(0, wait.toMillis()), 20_000);
        List<ReceivedMessage> out = new ArrayList<>();
        for (Queue.Delivery d : queue.receive(maxMessages, visibilityTimeoutSeconds, waitMillis, null)) {
            MessageRecord record = d.record();
            out.add(new ReceivedMessage(record.messageId(), d.receiptHandle(), record.body(), record.md5OfBody(),
                    record.md5OfAttributes(), systemAttributes(queue, d), record.attributes()));
        }
        return out;
    }

    /** Deletes a received message; an already deleted one is fine, as with DeleteMessage. */
    public void deleteMessage(String queueArn, String receiptHandle) {
        AwsException error = requireQueue(queueArn).delete(List.of(handleRequest(receiptHandle, 0))).get(0);
        if (error != null) throw error;
    }

    /** Changes a received message's visibility timeout, as ChangeMessageVisibility does. */
    public void changeMessageVisibility(String queueArn, String receiptHandle, int visibilityTimeoutSeconds) {
        checkVisibilityTimeout(visibilityTimeoutSeconds);
        AwsException error = requireQueue(queueArn)
                .changeVisibility(List.of(handleRequest(receiptHandle, visibilityTimeoutSeconds))).get(0);
        if (error != null) throw error;
    }

    /** The queue's attributes as GetQueueAttributes {@code All} returns them; empty when the queue does not exist. */
    public Optional<Map<String, String>> queueAttributes(String queueArn) {
        Queue queue = queueByArn(queueArn);
        if (queue == null) return Optional.empty();
        try {
            return Optional.of(queueAttributes(queue, QUEUE_ATTRIBUTE_ORDER));
        } catch (AwsException e) {
            return Optional.empty();
        }
    }

    /**
     * Calls {@code listener} whenever messages become receivable in the queue through a send, a
     * dead-letter or move-task transfer, or a visibility timeout changed to 0 (not when a timeout
     * lapses on its own: poll with {@link #receiveMessages} for those). The listener runs on the
     * sender's thread and must return quickly. Close the returned handle to stop.
     */
    public AutoCloseable addMessageListener(String queueArn, Runnable listener) {
        return requireQueue(queueArn).addListener(listener);
    }

    private Queue requireQueue(String queueArn) {
        Queue queue = queueByArn(queueArn);
        if (queue == null) throw SqsErrors.queueDoesNotExist();
        return queue;
    }

    // ================================================================= lookups and parameters

    Queue queueByArn(String arn) {
        QueueAddress address = QueueAddress.fromArn(arn);
        return address == null ? null : queues.get(address.key());
    }

    private Queue queueFromUrl(JsonNode input, RequestContext context) {
        String url = requireText(input, "QueueUrl");
        Queue queue = queues.get(QueueAddress.fromUrl(url, context.accountId(), context.region()).key());
        if (queue == null) throw SqsErrors.queueDoesNotExist();
        return queue;
    }

    private static String text(JsonNode input, String name) {
        JsonNode node = input.get(name);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String requireText(JsonNode input, String name) {
        String value = text(input, name);
        if (value == null || value.isEmpty()) throw SqsErrors.missingParameter(name);
        return value;
    }

    private static Integer optionalInt(JsonNode input, String name) {
        JsonNode node = input.get(name);
        if (node == null || node.isNull()) return null;
        if (node.isIntegralNumber() && node.canConvertToInt()) return node.intValue();
        try {
            return Integer.parseInt(node.asText().trim());
        } catch (NumberFormatException e) {
            throw SqsErrors.invalidParameter(name, node.asText(), "Must be an integer.");
        }
    }

    private static List<String> stringList(JsonNode input, String name) {
        JsonNode node = input.get(name);
        List<String> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode element : node) {
                if (!element.isNull()) out.add(element.asText());
            }
        }
        return out;
    }

    /** A JSON map of strings; a member without a value maps to null. */
    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        }
        return out;
    }

    // ================================================================= restore

    /** Rebuilds every queue's index from the store; removes what a crash left of deleted queues. */
    private void load() {
        long now = clock.getAsLong();
        Map<String, QueueContents> contents = new HashMap<>();
        Batch orphans = new Batch();
        long maxSeq = 0;
        try (Cursor cursor = store.scanPrefix(SqsKeys.all())) {
            while (cursor.next()) {
                byte[] key = cursor.key();
                SqsKeys.Reader reader = new SqsKeys.Reader(key);
                reader.text();
                String account = reader.text();
                String region = reader.text();
                String kind = reader.text();
                QueueAddress address = new QueueAddress(account, region, reader.text());
                if (kind.equals(SqsKeys.QUEUE)) {
                    restoreQueue(address, cursor.value());
                    continue;
                }
                long incarnation = reader.u64();
                QueueContents c = contents.computeIfAbsent(address.key() + '\u0000' + incarnation,
                        k -> new QueueContents(address, incarnation));
                switch (kind) {
                    case SqsKeys.MESSAGE -> {
                        long seq = reader.u64();
                        maxSeq = Math.max(maxSeq, seq);
                        c.messages.put(seq, MessageRecord.decodeHeader(cursor.value()));
                    }
                    case SqsKeys.STATE -> c.states.put(reader.u64(), cursor.value());
                    case SqsKeys.DEDUP -> {
                        c.dedup.put(reader.text(), cursor.value());
                        c.otherKeys.add(key);
                    }
                    case SqsKeys.TASK -> {
                        c.tasks.add(cursor.value());
                        c.otherKeys.add(key);
                    }
                    default -> orphans.delete(key);
                }
            }
        }
        // Sequences start from the clock (in microseconds) so that they keep increasing across restarts
        // even when every message was deleted: a stale receipt handle never names a newer message.
        sequence.set(Math.max(maxSeq, now * 1000));
        for (QueueContents c : contents.values()) {
            Queue queue = queues.get(c.address.key());
            byte[] statePrefix = SqsKeys.prefix(c.address, SqsKeys.STATE, c.incarnation);
            if (queue == null || queue.incarnation != c.incarnation) {
                byte[] messagePrefix = SqsKeys.prefix(c.address, SqsKeys.MESSAGE, c.incarnation);
                for (Long seq : c.messages.keySet()) orphans.delete(SqsKeys.withSeq(messagePrefix, seq));
                for (Long seq : c.states.keySet()) orphans.delete(SqsKeys.withSeq(statePrefix, seq));
                c.otherKeys.forEach(orphans::delete);
                continue;
            }
            for (Map.Entry<Long, MessageRecord.Header> m : c.messages.entrySet()) {
                queue.restore(m.getKey(), m.getValue(), c.states.remove(m.getKey()), now);
            }
            for (Long seq : c.states.keySet()) orphans.delete(SqsKeys.withSeq(statePrefix, seq));
            c.dedup.forEach((k, v) -> queue.restoreDedup(k, v, now));
            queue.finishRestore();
            for (byte[] task : c.tasks) moveTasks.restore(queue, task);
        }
        store.write(orphans);
    }

    private void restoreQueue(QueueAddress address, byte[] value) {
        try {
            JsonNode node = QueueConfig.JSON.readTree(value);
            Map<String, String> attributes = stringMap(node.get("attributes"));
            Map<String, String> tags = stringMap(node.get("tags"));
            Queue queue = newQueue(address, node.path("incarnation").asLong(),
                    QueueConfig.restore(address.isFifo(), attributes), tags,
                    node.path("createdTimestamp").asLong(), node.path("lastModifiedTimestamp").asLong());
            queues.put(address.key(), queue);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable queue record for " + address.arn(), e);
        }
    }

    /** What the store holds for one incarnation of a queue, gathered while loading. */
    private static final class QueueContents {
        final QueueAddress address;
        final long incarnation;
        final TreeMap<Long, MessageRecord.Header> messages = new TreeMap<>();
        final Map<Long, byte[]> states = new HashMap<>();
        final Map<String, byte[]> dedup = new LinkedHashMap<>();
        final List<byte[]> tasks = new ArrayList<>();
        /** Deduplication and task keys, deleted with the rest when the incarnation is gone. */
        final List<byte[]> otherKeys = new ArrayList<>();

        QueueContents(QueueAddress address, long incarnation) {
            this.address = address;
            this.incarnation = incarnation;
        }
    }
}
