package io.eddy.dynamodb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.AttributeValueJson;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.dynamodb.partiql.Expr;
import io.eddy.dynamodb.partiql.ExpressionWriter;
import io.eddy.dynamodb.partiql.Parser;
import io.eddy.dynamodb.partiql.Statement;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;

/**
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction. Each statement is translated into
 * the equivalent expression-API request (GetItem, Query, Scan, PutItem, UpdateItem, DeleteItem,
 * TransactGetItems, TransactWriteItems) and run through it, so both APIs share every rule.
 */
final class PartiqlOperations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DUPLICATE = "Duplicate primary key exists in table";
    private static final String KEY_EQUALITY = "Where clause does not contain a mandatory equality on all key attributes";

    private final ItemOperations items;
    private final QueryOperations queries;
    private final TransactionOperations transactions;

    PartiqlOperations(ItemOperations items, QueryOperations queries, TransactionOperations transactions) {
        this.items = items;
        this.queries = queries;
        this.transactions = transactions;
    }

    /** A statement with its parameters bound and its table resolved. */
    private record Bound(Statement statement, TableInfo table, ExpressionWriter writer) {
    }

    private Bound bind(String text, JsonNode parametersNode, RequestContext ctx) {
        Statement statement = Parser.parse(text);
        List<AttributeValue> parameters = new ArrayList<>();
        if (parametersNode != null) {
            for (JsonNode parameter : parametersNode) parameters.add(AttributeValueJson.fromJson(parameter));
        }
        if (parameters.size() != statement.parameterCount()) {
            throw DynamoDbErrors.validation("Number of parameters in request and statement don't match.");
        }
        String tableName = switch (statement) {
            case Statement.Select s -> s.table();
            case Statement.Insert s -> s.table();
            case Statement.Update s -> s.table();
            case Statement.Delete s -> s.table();
            case Statement.Exists s -> s.select().table();
        };
        return new Bound(statement, items.table(ctx, tableName), new ExpressionWriter(parameters));
    }

    // ---- ExecuteStatement

    ObjectNode executeStatement(JsonNode in, RequestContext ctx) {
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        String returnOnFailure = Input.string(in, "ReturnValuesOnConditionCheckFailure");
        Integer limit = Input.integer(in, "Limit");
        Bound bound = bind(Input.string(in, "Statement"), Input.array(in, "Parameters"), ctx);
        boolean consistent = Boolean.TRUE.equals(Input.bool(in, "ConsistentRead"));
        return switch (bound.statement()) {
            case Statement.Select select -> select(bound, select, limit, consistent, Input.string(in, "NextToken"),
                    returnCapacity, ctx);
            case Statement.Exists ignored -> throw DynamoDbErrors.validation(
                    "EXISTS is only supported in ExecuteTransaction");
            default -> {
                ObjectNode request = writeRequest(bound, returnOnFailure);
                if (returnCapacity != null) request.put("ReturnConsumedCapacity", returnCapacity);
                ObjectNode response = runWrite(bound.statement(), request, ctx);
                ObjectNode out = JSON.objectNode();
                ArrayNode itemsOut = out.putArray("Items");
                if (response.has("Attributes")) itemsOut.add(response.get("Attributes"));
                if (response.has("ConsumedCapacity")) out.set("ConsumedCapacity", response.get("ConsumedCapacity"));
                yield out;
            }
        };
    }

    private ObjectNode runWrite(Statement statement, ObjectNode request, RequestContext ctx) {
        try {
            return switch (statement) {
                case Statement.Insert ignored -> items.putItem(request, ctx);
                case Statement.Update ignored -> items.updateItem(request, ctx);
                case Statement.Delete ignored -> items.deleteItem(request, ctx);
                default -> throw new IllegalStateException();
            };
        } catch (AwsException e) {
            if (statement instanceof Statement.Insert && e.code().equals("ConditionalCheckFailedException")) {
                throw DynamoDbErrors.duplicateItem(DUPLICATE);
            }
            throw e;
        }
    }

    /** The PutItem, UpdateItem or DeleteItem request a write statement stands for. */
    private static ObjectNode writeRequest(Bound bound, String returnOnFailure) {
        TableInfo table = bound.table();
        ExpressionWriter writer = bound.writer();
        ObjectNode request = JSON.objectNode();
        request.put("TableName", table.name());
        List<String> conditions = new ArrayList<>();
        switch (bound.statement()) {
            case Statement.Insert insert -> {
                AttributeValue value = writer.evaluate(insert.value());
                if (!(value instanceof AttributeValue.M map)) {
                    throw DynamoDbErrors.validation("Unsupported operation: Inserting a value that is not a map "
                            + "is not supported");
                }
                request.set("Item", AttributeValueJson.itemToJson(map.value()));
                conditions.add("attribute_not_exists(" + writer.name(table.hashKey().name()) + ")");
            }
            case Statement.Update update -> {
                KeyedWhere where = keyedWhere(table, update.where());
                request.set("Key", key(table, where, writer));
                request.put("UpdateExpression", writer.update(update.sets(), update.removes()));
                conditions.add("attribute_exists(" + writer.name(table.hashKey().name()) + ")");
                if (where.rest() != null) conditions.add("(" + writer.condition(where.rest()) + ")");
                if (update.returning() != null) request.put("ReturnValues", update.returning());
            }
            case Statement.Delete delete -> {
                KeyedWhere where = keyedWhere(table, delete.where());
                request.set("Key", key(table, where, writer));
                if (where.rest() != null) conditions.add(writer.condition(where.rest()));
                if (delete.returning() != null) {
                    if (!delete.returning().equals("ALL_OLD")) {
                        throw DynamoDbErrors.validation("Unsupported operation: DELETE supports only RETURNING ALL OLD *");
                    }
                    request.put("ReturnValues", "ALL_OLD");
                }
            }
            case Statement.Exists exists -> {
                KeyedWhere where = keyedWhere(table, exists.select().where());
                request.set("Key", key(table, where, writer));
                conditions.add("attribute_exists(" + writer.name(table.hashKey().name()) + ")");
                if (where.rest() != null) conditions.add("(" + writer.condition(where.rest()) + ")");
            }
            case Statement.Select ignored -> throw new IllegalStateException();
        }
        if (!conditions.isEmpty()) request.put("ConditionExpression", String.join(" AND ", conditions));
        placeholders(request, writer);
        if (returnOnFailure != null) request.put("ReturnValuesOnConditionCheckFailure", returnOnFailure);
        return request;
    }

    private static void placeholders(ObjectNode request, ExpressionWriter writer) {
        if (!writer.names().isEmpty()) {
            ObjectNode names = request.putObject("ExpressionAttributeNames");
            writer.names().forEach(names::put);
        }
        if (!writer.values().isEmpty()) request.set("ExpressionAttributeValues", AttributeValueJson.itemToJson(writer.values()));
    }

    // ---- key equalities in WHERE

    /** The key values a WHERE clause fixes, and what else it demands (null if nothing). */
    private record KeyedWhere(Map<String, Expr> keys, Expr rest) {
    }

    private static void conjuncts(Expr expr, List<Expr> out) {
        if (expr instanceof Expr.And and) {
            conjuncts(and.left(), out);
            conjuncts(and.right(), out);
        } else {
            out.add(expr);
        }
    }

    /** Splits WHERE into equalities on the given key attributes and the remaining conjuncts. */
    private static KeyedWhere split(Expr where, List<String> keyNames) {
        Map<String, Expr> keys = new LinkedHashMap<>();
        Expr rest = null;
        if (where != null) {
            List<Expr> parts = new ArrayList<>();
            conjuncts(where, parts);
            for (Expr part : parts) {
                String name = null;
                Expr value = null;
                if (part instanceof Expr.Binary b && b.operator().equals("=")) {
                    if (b.left() instanceof Expr.Path p && p.isTopLevel() && isValue(b.right())) {
                        name = p.attributeName();
                        value = b.right();
                    } else if (b.right() instanceof Expr.Path p && p.isTopLevel() && isValue(b.left())) {
                        name = p.attributeName();
                        value = b.left();
                    }
                }
                if (name != null && keyNames.contains(name) && !keys.containsKey(name)) {
                    keys.put(name, value);
                } else {
                    rest = rest == null ? part : new Expr.And(rest, part);
                }
            }
        }
        return new KeyedWhere(keys, rest);
    }

    private static boolean isValue(Expr expr) {
        return expr instanceof Expr.Literal || expr instanceof Expr.Parameter;
    }

    private static KeyedWhere keyedWhere(TableInfo table, Expr where) {
        List<String> keyNames = ItemOperations.keyNames(table);
        KeyedWhere split = split(where, keyNames);
        if (split.keys().size() != keyNames.size()) throw DynamoDbErrors.validation(KEY_EQUALITY);
        return split;
    }

    private static ObjectNode key(TableInfo table, KeyedWhere where, ExpressionWriter writer) {
        ObjectNode key = JSON.objectNode();
        for (String name : ItemOperations.keyNames(table)) {
            key.set(name, AttributeValueJson.toJson(writer.evaluate(where.keys().get(name))));
        }
        return key;
    }

    // ---- SELECT

    private ObjectNode select(Bound bound, Statement.Select select, Integer limit, boolean consistent, String nextToken,
                              String returnCapacity, RequestContext ctx) {
        TableInfo table = bound.table();
        ExpressionWriter writer = bound.writer();
        IndexInfo index = null;
        if (select.index() != null) {
            index = table.index(select.index());
            if (index == null) {
                throw DynamoDbErrors.validation("The table does not have the specified index: " + select.index());
            }
        }
        KeyDef hash = index == null ? table.hashKey() : index.hashKey();
        KeyDef range = index == null ? table.rangeKey() : index.rangeKey();

        List<Expr> parts = new ArrayList<>();
        if (select.where() != null) conjuncts(select.where(), parts);
        List<Expr> partitions = null;
        Expr rangeCondition = null;
        List<Expr> rest = new ArrayList<>();
        for (Expr part : parts) {
            List<Expr> values = hashValues(part, hash.name());
            if (partitions == null && values != null) {
                partitions = values;
            } else if (rangeCondition == null && range != null && isRangeCondition(part, range.name())) {
                rangeCondition = part;
            } else {
                rest.add(part);
            }
        }
        boolean restTouchesKeys = false;
        for (Expr part : rest) restTouchesKeys |= touches(part, hash.name()) || (range != null && touches(part, range.name()));
        if (partitions != null && restTouchesKeys) {
            partitions = null;
            rangeCondition = null;
            rest = parts;
        }
        if (select.orderBy() != null) {
            if (partitions == null) {
                throw DynamoDbErrors.validation("Must have WHERE clause in the statement when using ORDER BY clause.");
            }
            if (range == null || !select.orderBy().isTopLevel() || !select.orderBy().attributeName().equals(range.name())) {
                throw DynamoDbErrors.validation("Variable reference " + select.orderBy().attributeName()
                        + " must be sort key attribute.");
            }
        }
        Token token = Token.decode(nextToken);

        ObjectNode request = JSON.objectNode();
        request.put("TableName", table.name());
        if (index != null) request.put("IndexName", index.name());
        if (limit != null) request.put("Limit", limit);
        if (consistent) request.put("ConsistentRead", true);
        if (returnCapacity != null) request.put("ReturnConsumedCapacity", returnCapacity);
        if (select.projection() != null) request.put("ProjectionExpression", writer.projection(select.projection()));
        if (token.lastKey() != null) request.set("ExclusiveStartKey", token.lastKey());
        Expr filter = null;
        for (Expr part : rest) filter = filter == null ? part : new Expr.And(filter, part);

        ObjectNode response;
        int partition = token.partition();
        if (partitions != null) {
            if (partition >= partitions.size()) return emptyPage();
            String keyCondition = writer.name(hash.name()) + " = "
                    + placeholder(writer, writer.evaluate(partitions.get(partition)));
            if (rangeCondition != null) keyCondition += " AND " + writer.condition(rangeCondition);
            request.put("KeyConditionExpression", keyCondition);
            if (filter != null) request.put("FilterExpression", writer.condition(filter));
            if (select.descending()) request.put("ScanIndexForward", false);
            placeholders(request, writer);
            response = queries.query(request, ctx);
        } else {
            if (filter != null) request.put("FilterExpression", writer.condition(filter));
            placeholders(request, writer);
            response = queries.scan(request, ctx);
        }
        ObjectNode out = JSON.objectNode();
        out.set("Items", response.has("Items") ? response.get("Items") : JSON.arrayNode());
        JsonNode lastKey = response.get("LastEvaluatedKey");
        if (lastKey != null) {
            out.put("NextToken", new Token(partition, lastKey).encode());
            out.set("LastEvaluatedKey", lastKey);
        } else if (partitions != null && partition + 1 < partitions.size()) {
            out.put("NextToken", new Token(partition + 1, null).encode());
        }
        if (response.has("ConsumedCapacity")) out.set("ConsumedCapacity", response.get("ConsumedCapacity"));
        return out;
    }

    private static ObjectNode emptyPage() {
        ObjectNode out = JSON.objectNode();
        out.putArray("Items");
        return out;
    }

    private static String placeholder(ExpressionWriter writer, AttributeValue value) {
        String placeholder = ":v" + writer.values().size();
        writer.values().put(placeholder, value);
        return placeholder;
    }

    /** The partition key values a conjunct fixes ({@code pk = v} or {@code pk IN [...]}), or null. */
    private static List<Expr> hashValues(Expr part, String hashName) {
        if (part instanceof Expr.Binary b && b.operator().equals("=")) {
            if (b.left() instanceof Expr.Path p && p.isTopLevel() && p.attributeName().equals(hashName) && isValue(b.right())) {
                return List.of(b.right());
            }
            if (b.right() instanceof Expr.Path p && p.isTopLevel() && p.attributeName().equals(hashName) && isValue(b.left())) {
                return List.of(b.left());
            }
        }
        if (part instanceof Expr.In in && in.value() instanceof Expr.Path p && p.isTopLevel()
                && p.attributeName().equals(hashName) && in.candidates().stream().allMatch(PartiqlOperations::isValue)) {
            return in.candidates();
        }
        return null;
    }

    /** Whether a conjunct is a sort key condition a Query accepts. */
    private static boolean isRangeCondition(Expr part, String rangeName) {
        if (part instanceof Expr.Binary b && !b.operator().equals("<>") && !b.operator().equals("+") && !b.operator().equals("-")) {
            return b.left() instanceof Expr.Path p && p.isTopLevel() && p.attributeName().equals(rangeName) && isValue(b.right());
        }
        if (part instanceof Expr.Between between) {
            return between.value() instanceof Expr.Path p && p.isTopLevel() && p.attributeName().equals(rangeName)
                    && isValue(between.lower()) && isValue(between.upper());
        }
        if (part instanceof Expr.Call call && call.function().equals("begins_with") && call.arguments().size() == 2) {
            return call.arguments().get(0) instanceof Expr.Path p && p.isTopLevel() && p.attributeName().equals(rangeName)
                    && isValue(call.arguments().get(1));
        }
        return false;
    }

    private static boolean touches(Expr expr, String attribute) {
        return switch (expr) {
            case Expr.Path p -> p.attributeName().equals(attribute);
            case Expr.Binary b -> touches(b.left(), attribute) || touches(b.right(), attribute);
            case Expr.And a -> touches(a.left(), attribute) || touches(a.right(), attribute);
            case Expr.Or o -> touches(o.left(), attribute) || touches(o.right(), attribute);
            case Expr.Not n -> touches(n.operand(), attribute);
            case Expr.Between b -> touches(b.value(), attribute) || touches(b.lower(), attribute) || touches(b.upper(), attribute);
            case Expr.In in -> touches(in.value(), attribute) || in.candidates().stream().anyMatch(c -> touches(c, attribute));
            case Expr.Is is -> touches(is.value(), attribute);
            case Expr.Call call -> call.arguments().stream().anyMatch(a -> touches(a, attribute));
            default -> false;
        };
    }

    /** The NextToken of a SELECT: which partition (for IN) and where in it to resume. */
    private record Token(int partition, JsonNode lastKey) {
        String encode() {
            ObjectNode node = JSON.objectNode();
            node.put("p", partition);
            if (lastKey != null) node.set("k", lastKey);
            return Base64.getEncoder().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
        }

        static Token decode(String text) {
            if (text == null) return new Token(0, null);
            try {
                JsonNode node = MAPPER.readTree(Base64.getDecoder().decode(text));
                return new Token(node.get("p").asInt(), node.get("k"));
            } catch (Exception e) {
                throw DynamoDbErrors.validation("Invalid NextToken");
            }
        }
    }

    // ---- BatchExecuteStatement

    ObjectNode batchExecuteStatement(JsonNode in, RequestContext ctx) {
        JsonNode statements = Input.array(in, "Statements");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        checkBatch(statements, ctx);
        ObjectNode out = JSON.objectNode();
        ArrayNode responses = out.putArray("Responses");
        Map<String, Capacity> capacities = new LinkedHashMap<>();
        for (JsonNode request : statements) {
            ObjectNode response = responses.addObject();
            try {
                Bound bound = bind(Input.string(request, "Statement"), Input.array(request, "Parameters"), ctx);
                response.put("TableName", bound.table().name());
                String returnOnFailure = Input.string(request, "ReturnValuesOnConditionCheckFailure");
                Capacity capacity = capacities.computeIfAbsent(bound.table().name(), Capacity::new);
                if (bound.statement() instanceof Statement.Select select) {
                    ObjectNode get = getRequest(bound, select);
                    if (Boolean.TRUE.equals(Input.bool(request, "ConsistentRead"))) get.put("ConsistentRead", true);
                    get.put("ReturnConsumedCapacity", "TOTAL");
                    ObjectNode result = items.getItem(get, ctx);
                    if (result.has("Item")) response.set("Item", result.get("Item"));
                    capacity.addTableRead(result.at("/ConsumedCapacity/CapacityUnits").asDouble());
                } else if (bound.statement() instanceof Statement.Exists) {
                    throw DynamoDbErrors.validation("EXISTS is only supported in ExecuteTransaction");
                } else {
                    ObjectNode write = writeRequest(bound, returnOnFailure);
                    write.put("ReturnConsumedCapacity", "TOTAL");
                    ObjectNode result = runWrite(bound.statement(), write, ctx);
                    capacity.addTableWrite(result.at("/ConsumedCapacity/CapacityUnits").asDouble());
                }
            } catch (AwsException e) {
                ObjectNode error = response.putObject("Error");
                error.put("Code", batchErrorCode(e));
                error.put("Message", e.getMessage());
                if (e.details().has("Item")) error.set("Item", e.details().get("Item"));
            }
        }
        if (returnCapacity != null && !"NONE".equals(returnCapacity)) {
            ArrayNode consumed = out.putArray("ConsumedCapacity");
            capacities.values().forEach(capacity -> consumed.add(capacity.render(returnCapacity)));
        }
        return out;
    }

    /**
     * AWS refuses a whole batch that mixes reads and writes or names one item twice. A statement that fails
     * to parse or bind fails on its own later, so it counts for neither check.
     */
    private void checkBatch(JsonNode statements, RequestContext ctx) {
        boolean reads = false;
        boolean writes = false;
        Set<ObjectNode> targets = new HashSet<>();
        boolean repeatedTarget = false;
        for (JsonNode request : statements) {
            Statement statement;
            try {
                statement = Parser.parse(Input.string(request, "Statement"));
            } catch (AwsException e) {
                continue;
            }
            if (statement instanceof Statement.Exists) continue;
            if (statement instanceof Statement.Select) reads = true;
            else writes = true;
            try {
                Bound bound = bind(Input.string(request, "Statement"), Input.array(request, "Parameters"), ctx);
                ObjectNode itemRequest = bound.statement() instanceof Statement.Select select
                        ? getRequest(bound, select) : writeRequest(bound, null);
                ObjectNode target = target(bound.table(), itemRequest);
                if (target != null) repeatedTarget |= !targets.add(target);
            } catch (AwsException e) {
                // reported for this statement alone when the batch runs
            }
        }
        if (reads && writes) {
            throw DynamoDbErrors.validation("Read and write requests together in the same batch is not supported.");
        }
        if (repeatedTarget) throw DynamoDbErrors.validation("Provided list of item keys contains duplicates");
    }

    /** The table and key an item request addresses, or null when an inserted item lacks part of its key. */
    private static ObjectNode target(TableInfo table, ObjectNode itemRequest) {
        ObjectNode target = JSON.objectNode();
        target.put("TableName", table.name());
        JsonNode key = itemRequest.has("Key") ? itemRequest.get("Key") : itemRequest.get("Item");
        List<KeyDef> keyDefs = table.rangeKey() == null ? List.of(table.hashKey()) : List.of(table.hashKey(), table.rangeKey());
        for (KeyDef def : keyDefs) {
            JsonNode value = key.get(def.name());
            if (value == null) return null;
            target.set(def.name(), value);
        }
        return target;
    }

    private static String batchErrorCode(AwsException e) {
        return switch (e.code()) {
            case "ConditionalCheckFailedException" -> "ConditionalCheckFailed";
            case "DuplicateItemException" -> "DuplicateItem";
            case "ResourceNotFoundException" -> "ResourceNotFound";
            case "ValidationException" -> "ValidationError";
            case "TransactionConflictException" -> "TransactionConflict";
            default -> "InternalServerError";
        };
    }

    /** The GetItem a key lookup SELECT stands for; other SELECTs are not allowed where this is asked. */
    private static ObjectNode getRequest(Bound bound, Statement.Select select) {
        if (select.index() != null) {
            throw DynamoDbErrors.validation("Unsupported operation: SELECT on an index is not supported here");
        }
        TableInfo table = bound.table();
        ExpressionWriter writer = bound.writer();
        KeyedWhere where = keyedWhere(table, select.where());
        if (where.rest() != null) {
            throw DynamoDbErrors.validation("Unsupported operation: only key equality conditions are supported here");
        }
        ObjectNode request = JSON.objectNode();
        request.put("TableName", table.name());
        request.set("Key", key(table, where, writer));
        if (select.projection() != null) request.put("ProjectionExpression", writer.projection(select.projection()));
        placeholders(request, writer);
        return request;
    }

    // ---- ExecuteTransaction

    ObjectNode executeTransaction(JsonNode in, RequestContext ctx) {
        JsonNode statements = Input.array(in, "TransactStatements");
        String token = Input.string(in, "ClientRequestToken");
        String returnCapacity = Input.string(in, "ReturnConsumedCapacity");
        List<Bound> bounds = new ArrayList<>();
        for (JsonNode statement : statements) {
            bounds.add(bind(Input.string(statement, "Statement"), Input.array(statement, "Parameters"), ctx));
        }
        long reads = bounds.stream().filter(b -> b.statement() instanceof Statement.Select).count();
        if (reads > 0 && reads < bounds.size()) {
            throw DynamoDbErrors.validation("Transaction statements must be all reads or all writes");
        }
        ObjectNode request = JSON.objectNode();
        ArrayNode actions = request.putArray("TransactItems");
        if (returnCapacity != null) request.put("ReturnConsumedCapacity", returnCapacity);
        if (reads > 0) {
            for (Bound bound : bounds) actions.addObject().set("Get", getRequest(bound, (Statement.Select) bound.statement()));
            ObjectNode response = transactions.transactGetItems(request, ctx);
            ObjectNode out = JSON.objectNode();
            out.set("Responses", response.get("Responses"));
            if (response.has("ConsumedCapacity")) out.set("ConsumedCapacity", response.get("ConsumedCapacity"));
            return out;
        }
        if (token != null) request.put("ClientRequestToken", token);
        for (int i = 0; i < bounds.size(); i++) {
            Bound bound = bounds.get(i);
            JsonNode returnOnFailure = statements.get(i).get("ReturnValuesOnConditionCheckFailure");
            ObjectNode write = writeRequest(bound, returnOnFailure != null && returnOnFailure.isTextual()
                    ? returnOnFailure.textValue() : null);
            String kind = switch (bound.statement()) {
                case Statement.Insert ignored -> "Put";
                case Statement.Update ignored -> "Update";
                case Statement.Delete ignored -> "Delete";
                case Statement.Exists ignored -> "ConditionCheck";
                case Statement.Select ignored -> throw new IllegalStateException();
            };
            write.remove("ReturnValues");
            actions.addObject().set(kind, write);
        }
        try {
            ObjectNode response = transactions.transactWriteItems(request, ctx);
            ObjectNode out = JSON.objectNode();
            if (response.has("ConsumedCapacity")) out.set("ConsumedCapacity", response.get("ConsumedCapacity"));
            return out;
        } catch (AwsException e) {
            if (!e.code().equals("TransactionCanceledException")) throw e;
            throw withDuplicateReasons(e, bounds);
        }
    }

    /** An INSERT that met an existing item is reported as DuplicateItem, not as a failed condition. */
    private static AwsException withDuplicateReasons(AwsException e, List<Bound> bounds) {
        JsonNode reasons = e.details().get("CancellationReasons");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < reasons.size(); i++) {
            ObjectNode reason = (ObjectNode) reasons.get(i);
            if (bounds.get(i).statement() instanceof Statement.Insert
                    && "ConditionalCheckFailed".equals(reason.get("Code").asText())) {
                reason.put("Code", "DuplicateItem");
                reason.put("Message", DUPLICATE);
                reason.remove("Item");
            }
            codes.add(reason.get("Code").asText());
        }
        AwsException rewritten = DynamoDbErrors.transactionCanceled(
                "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes);
        rewritten.details().setAll(e.details());
        return rewritten;
    }
}
