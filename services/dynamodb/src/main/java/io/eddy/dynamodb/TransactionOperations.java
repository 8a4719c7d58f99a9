package io.eddy.dynamodb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.expression.Condition;
import io.eddy.dynamodb.expression.ExpressionContext;
import io.eddy.dynamodb.expression.Projection;
import io.eddy.dynamodb.expression.Update;
import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.AttributeValueJson;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.dynamodb.model.ItemSize;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.store.Batch;
import io.eddy.store.Cursor;
import io.eddy.store.Store;

/**
 * TransactWriteItems and TransactGetItems. A transaction takes the locks of all its items in
 * stripe order, checks every condition against the items as they are, and either commits every
 * change in one batch or none, answering TransactionCanceledException with one reason per action.
 * A ClientRequestToken makes a write transaction idempotent for ten minutes; the token commits in
 * the transaction's own batch, so a retry after a crash finds it exactly when the writes are there.
 */
final class TransactionOperations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final long IDEMPOTENCY_MILLIS = 10 * 60 * 1000;
    private static final long MAX_PAYLOAD_BYTES = 4L * 1024 * 1024;

    private final Catalog catalog;
    private final ItemWriter writer;
    private final ItemLocks locks;
    private final ItemOperations items;
    private final Clock clock;
    private final Store store;
    /** Every stored token of the window, by store key. */
    private final Map<BatchOperations.Bytes, TokenUse> tokens = new ConcurrentHashMap<>();
    /**
     * The tokens in the order they expire, guarded by its own monitor: every token lives the same ten
     * minutes, so expiring the oldest few costs no scan of the rest.
     */
    private final ArrayDeque<Expiry> expiries = new ArrayDeque<>();

    private record Expiry(BatchOperations.Bytes key, long atMillis) {
    }

    private record TokenUse(byte[] fingerprint, long expiresAtMillis) {
        byte[] encode() {
            return ByteBuffer.allocate(8 + fingerprint.length).putLong(expiresAtMillis).put(fingerprint).array();
        }

        static TokenUse decode(byte[] bytes) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long expiresAtMillis = buffer.getLong();
            byte[] fingerprint = new byte[buffer.remaining()];
            buffer.get(fingerprint);
            return new TokenUse(fingerprint, expiresAtMillis);
        }
    }

    TransactionOperations(Store store, Catalog catalog, ItemWriter writer, ItemLocks locks, ItemOperations items,
                          Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.writer = writer;
        this.locks = locks;
        this.items = items;
        this.clock = clock;
        List<Expiry> stored = new ArrayList<>();
        try (Cursor cursor = store.scanPrefix(Layout.tokensPrefix())) {
            while (cursor.next()) {
                BatchOperations.Bytes key = new BatchOperations.Bytes(cursor.key());
                TokenUse use = TokenUse.decode(cursor.value());
                tokens.put(key, use);
                stored.add(new Expiry(key, use.expiresAtMillis()));
            }
        }
        stored.sort(Comparator.comparingLong(Expiry::atMillis));
        expiries.addAll(stored);
        forgetExpiredTokens();
    }

    private enum Kind { CONDITION_CHECK, PUT, UPDATE, DELETE }

    private record Action(Kind kind, TableInfo table, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
                          Condition condition, Update update, String returnOnFailure, byte[] itemKey, int stripe,
                          long payloadBytes) {
    }

    ObjectNode transactWriteItems(JsonNode in, RequestContext ctx) {
        JsonNode actionsNode = Input.array(in, "TransactItems");
        String token = Input.string(in, "ClientRequestToken");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        String returnMetrics = Input.string(in, "ReturnItemCollectionMetrics");
        List<Action> actions = new ArrayList<>();
        Set<BatchOperations.Bytes> targets = new HashSet<>();
        long payloadBytes = 0;
        for (JsonNode node : actionsNode) {
            Action action = action(node, ctx);
            if (!targets.add(new BatchOperations.Bytes(action.itemKey()))) {
                throw DynamoDbErrors.validation("Transaction request cannot include multiple operations on one item");
            }
            actions.add(action);
            payloadBytes += action.payloadBytes();
        }
        if (payloadBytes > MAX_PAYLOAD_BYTES) {
            throw DynamoDbErrors.validation("Transaction payload size cannot exceed 4MB. Payload Size: " + payloadBytes);
        }
        byte[] tokenKey = token == null ? null : Layout.tokenKey(ctx.accountId(), ctx.region(), token);
        if (tokenKey != null && repeated(tokenKey, in)) return capacityOnly(actions, returnCapacity);
        TokenUse tokenUse = tokenKey == null ? null : new TokenUse(fingerprint(in), clock.millis() + IDEMPOTENCY_MILLIS);

        int[] stripes = BatchOperations.stripes(actions.stream().mapToInt(Action::stripe).toArray());
        Map<String, Capacity> capacities = new LinkedHashMap<>();
        Map<String, ArrayNode> metrics = new LinkedHashMap<>();
        locks.lockAll(stripes);
        try {
            List<Map<String, AttributeValue>> oldItems = new ArrayList<>();
            List<Map<String, AttributeValue>> newItems = new ArrayList<>();
            List<ObjectNode> reasons = new ArrayList<>();
            boolean cancelled = false;
            for (Action action : actions) {
                if (catalog.current(action.table()) == null) {
                    throw DynamoDbErrors.resourceNotFound("Requested resource not found");
                }
                Map<String, AttributeValue> old = writer.read(action.itemKey());
                oldItems.add(old);
                ObjectNode reason = JSON.objectNode();
                try {
                    newItems.add(apply(action, old));
                    reason.put("Code", "None");
                } catch (AwsException e) {
                    newItems.add(null);
                    cancelled = true;
                    String code = e.code();
                    reason.put("Code", code.equals("ConditionalCheckFailedException") ? "ConditionalCheckFailed"
                            : code.equals("ValidationException") ? "ValidationError" : code);
                    reason.put("Message", e.getMessage());
                    if (e.details().has("Item")) reason.set("Item", e.details().get("Item"));
                }
                reasons.add(reason);
            }
            if (cancelled) throw cancellation(reasons);
            Batch batch = new Batch();
            ItemCounters.Deltas deltas = new ItemCounters.Deltas();
            ChangeSource source = new ChangeSource(ctx, false, clock.instant());
            for (int i = 0; i < actions.size(); i++) {
                Action action = actions.get(i);
                TableInfo table = catalog.current(action.table());
                Capacity capacity = capacities.computeIfAbsent(table.name(), Capacity::new);
                Map<String, AttributeValue> old = oldItems.get(i);
                if (action.kind() == Kind.CONDITION_CHECK) {
                    capacity.addTableRead(Capacity.readUnits(old == null ? 0 : ItemSize.of(old), true));
                } else if (old == null && newItems.get(i) == null) {
                    capacity.addTableWrite(1);
                } else {
                    writer.stage(table, action.itemKey(), action.stripe(), old, newItems.get(i), source, batch, deltas,
                            capacity);
                    ObjectNode metric = ItemOperations.collectionMetrics(table, action.key(), returnMetrics);
                    if (metric != null) metrics.computeIfAbsent(table.name(), n -> JSON.arrayNode()).add(metric);
                }
            }
            if (tokenUse != null) batch.put(tokenKey, tokenUse.encode());
            writer.commit(batch, deltas);
            if (tokenUse != null) remember(new BatchOperations.Bytes(tokenKey), tokenUse);
        } finally {
            locks.unlockAll(stripes);
        }
        ObjectNode out = JSON.objectNode();
        addCapacities(out, capacities, returnCapacity, 2);
        if (!metrics.isEmpty()) {
            ObjectNode node = out.putObject("ItemCollectionMetrics");
            metrics.forEach(node::set);
        }
        return out;
    }

    private static Map<String, AttributeValue> apply(Action action, Map<String, AttributeValue> old) {
        return switch (action.kind()) {
            case CONDITION_CHECK -> {
                if (!ItemOperations.holds(action.condition(), old)) {
                    throw ItemOperations.conditionFailed(old, action.returnOnFailure());
                }
                yield old;
            }
            case PUT -> {
                if (!ItemOperations.holds(action.condition(), old)) {
                    throw ItemOperations.conditionFailed(old, action.returnOnFailure());
                }
                yield action.item();
            }
            case DELETE -> {
                if (!ItemOperations.holds(action.condition(), old)) {
                    throw ItemOperations.conditionFailed(old, action.returnOnFailure());
                }
                yield null;
            }
            case UPDATE -> ItemOperations.applyUpdate(action.table(), action.key(), old, action.condition(),
                    action.update(), action.returnOnFailure());
        };
    }

    private static AwsException cancellation(List<ObjectNode> reasons) {
        List<String> codes = new ArrayList<>();
        for (ObjectNode reason : reasons) codes.add(reason.get("Code").asText());
        AwsException e = DynamoDbErrors.transactionCanceled(
                "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes);
        ArrayNode list = e.details().putArray("CancellationReasons");
        reasons.forEach(list::add);
        return e;
    }

    private Action action(JsonNode node, RequestContext ctx) {
        JsonNode check = Input.object(node, "ConditionCheck");
        JsonNode put = Input.object(node, "Put");
        JsonNode update = Input.object(node, "Update");
        JsonNode delete = Input.object(node, "Delete");
        int present = (check != null ? 1 : 0) + (put != null ? 1 : 0) + (update != null ? 1 : 0) + (delete != null ? 1 : 0);
        if (present != 1) {
            throw DynamoDbErrors.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
        String returnOnFailure;
        if (put != null) {
            returnOnFailure = Input.string(put, "ReturnValuesOnConditionCheckFailure");
            JsonNode itemNode = Input.object(put, "Item");
            TableInfo table = items.table(ctx, Input.string(put, "TableName"));
            Map<String, AttributeValue> item = AttributeValueJson.itemFromJson(itemNode);
            Condition condition = condition(put);
            ItemRequests.checkItem(table, item, ItemOperations.ITEM_TOO_LARGE);
            Map<String, AttributeValue> key = ItemRequests.keyOf(table, item);
            byte[] itemKey = Layout.itemKey(table, key);
            return new Action(Kind.PUT, table, key, item, condition, null, returnOnFailure, itemKey, ItemLocks.stripe(itemKey),
                    payloadBytes(put, item));
        }
        JsonNode body = check != null ? check : update != null ? update : delete;
        returnOnFailure = Input.string(body, "ReturnValuesOnConditionCheckFailure");
        JsonNode keyNode = Input.object(body, "Key");
        TableInfo table = items.table(ctx, Input.string(body, "TableName"));
        Condition condition = null;
        Update updateExpression = null;
        if (update != null) {
            Conditions.UpdateRequest request = Conditions.update(update, table);
            condition = request.condition();
            updateExpression = request.update();
        } else {
            condition = condition(body);
        }
        Map<String, AttributeValue> key = ItemRequests.key(table, keyNode);
        byte[] itemKey = Layout.itemKey(table, key);
        Kind kind = check != null ? Kind.CONDITION_CHECK : update != null ? Kind.UPDATE : Kind.DELETE;
        return new Action(kind, table, key, null, condition, updateExpression, returnOnFailure, itemKey,
                ItemLocks.stripe(itemKey), payloadBytes(body, key));
    }

    /**
     * What counts towards the 4 MB transaction limit: the item (or key) and the expressions with the names and
     * values they use, as DynamoDB Local measures it; AWS does not document the formula.
     */
    private static long payloadBytes(JsonNode body, Map<String, AttributeValue> itemOrKey) {
        long bytes = ItemSize.of(itemOrKey);
        for (String parameter : List.of("UpdateExpression", "ConditionExpression")) {
            String expression = Input.string(body, parameter);
            if (expression != null) bytes += ItemSize.utf8Length(expression);
        }
        JsonNode names = Input.object(body, "ExpressionAttributeNames");
        if (names != null) {
            for (JsonNode name : names) bytes += ItemSize.utf8Length(name.asText());
        }
        JsonNode values = Input.object(body, "ExpressionAttributeValues");
        if (values != null) {
            for (AttributeValue value : AttributeValueJson.expressionValuesFromJson(values).values()) bytes += ItemSize.of(value);
        }
        return bytes;
    }

    private static Condition condition(JsonNode body) {
        ExpressionContext context = ItemRequests.expressions(body);
        String expression = Input.string(body, "ConditionExpression");
        Condition condition = expression == null ? null : context.parseCondition(expression, "ConditionExpression");
        context.checkAllUsed();
        return condition;
    }

    // ---- idempotency

    private static byte[] fingerprint(JsonNode in) {
        ObjectNode copy = ((ObjectNode) in).deepCopy();
        copy.remove("ClientRequestToken");
        copy.remove("ReturnConsumedCapacity");
        try {
            return MessageDigest.getInstance("SHA-256").digest(copy.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether this token already committed this very request within the window. */
    private boolean repeated(byte[] tokenKey, JsonNode in) {
        forgetExpiredTokens();
        TokenUse use = tokens.get(new BatchOperations.Bytes(tokenKey));
        if (use == null || use.expiresAtMillis() <= clock.millis()) return false;
        if (!Arrays.equals(use.fingerprint(), fingerprint(in))) {
            throw DynamoDbErrors.idempotentParameterMismatch(
                    "Parameters were different from the previous request with the same client request token");
        }
        return true;
    }

    private void remember(BatchOperations.Bytes key, TokenUse use) {
        tokens.put(key, use);
        synchronized (expiries) {
            expiries.addLast(new Expiry(key, use.expiresAtMillis()));
        }
    }

    /**
     * Drops the tokens whose window has passed, oldest first. Transactions that commit at once may queue
     * a few milliseconds out of order; a token found expired is treated as absent whether dropped or not.
     */
    private void forgetExpiredTokens() {
        long now = clock.millis();
        Batch expired = new Batch();
        synchronized (expiries) {
            while (!expiries.isEmpty() && expiries.peekFirst().atMillis() <= now) {
                Expiry expiry = expiries.pollFirst();
                TokenUse use = tokens.get(expiry.key());
                // a token used again after its window has a newer entry that must stay
                if (use != null && use.expiresAtMillis() == expiry.atMillis() && tokens.remove(expiry.key(), use)) {
                    expired.delete(expiry.key().value());
                }
            }
        }
        if (!expired.isEmpty()) store.write(expired);
    }

    /** The answer to a repeated request: nothing is written again; reading the items is what it costs. */
    private ObjectNode capacityOnly(List<Action> actions, String returnCapacity) {
        Map<String, Capacity> capacities = new LinkedHashMap<>();
        for (Action action : actions) {
            Map<String, AttributeValue> item = writer.read(action.itemKey());
            capacities.computeIfAbsent(action.table().name(), Capacity::new)
                    .addTableRead(Capacity.readUnits(item == null ? 0 : ItemSize.of(item), true));
        }
        ObjectNode out = JSON.objectNode();
        addCapacities(out, capacities, returnCapacity, 1);
        return out;
    }

    private static void addCapacities(ObjectNode out, Map<String, Capacity> capacities, String mode, double factor) {
        if (mode == null || "NONE".equals(mode)) return;
        ArrayNode consumed = out.putArray("ConsumedCapacity");
        for (Capacity capacity : capacities.values()) {
            capacity.scale(factor);
            consumed.add(capacity.render(mode));
        }
    }

    // ---- TransactGetItems

    private record Get(TableInfo table, byte[] itemKey, int stripe, Projection projection) {
    }

    ObjectNode transactGetItems(JsonNode in, RequestContext ctx) {
        JsonNode actionsNode = Input.array(in, "TransactItems");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        List<Get> gets = new ArrayList<>();
        Set<BatchOperations.Bytes> targets = new HashSet<>();
        for (JsonNode node : actionsNode) {
            JsonNode get = Input.object(node, "Get");
            JsonNode keyNode = Input.object(get, "Key");
            TableInfo table = items.table(ctx, Input.string(get, "TableName"));
            Projection projection = Conditions.projection(get);
            byte[] itemKey = Layout.itemKey(table, ItemRequests.key(table, keyNode));
            if (!targets.add(new BatchOperations.Bytes(itemKey))) {
                throw DynamoDbErrors.validation("Transaction request cannot include multiple operations on one item");
            }
            gets.add(new Get(table, itemKey, ItemLocks.stripe(itemKey), projection));
        }
        int[] stripes = BatchOperations.stripes(gets.stream().mapToInt(Get::stripe).toArray());
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        locks.lockAll(stripes);
        try {
            for (Get get : gets) found.add(writer.read(get.itemKey()));
        } finally {
            locks.unlockAll(stripes);
        }
        ObjectNode out = JSON.objectNode();
        ArrayNode responses = out.putArray("Responses");
        Map<String, Capacity> capacities = new LinkedHashMap<>();
        for (int i = 0; i < gets.size(); i++) {
            Get get = gets.get(i);
            Map<String, AttributeValue> item = found.get(i);
            ObjectNode response = responses.addObject();
            if (item != null) {
                response.set("Item", AttributeValueJson.itemToJson(get.projection() == null ? item : get.projection().apply(item)));
            }
            capacities.computeIfAbsent(get.table().name(), Capacity::new)
                    .addTableRead(Capacity.readUnits(item == null ? 0 : ItemSize.of(item), true));
        }
        addCapacities(out, capacities, returnCapacity, 2);
        return out;
    }
}
