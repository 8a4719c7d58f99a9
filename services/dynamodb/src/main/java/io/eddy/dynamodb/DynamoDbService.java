package io.eddy.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.gateway.RequestContext;
import io.eddy.protocol.json.JsonService;
import io.eddy.store.BackgroundWork;
import io.eddy.store.Drainable;
import io.eddy.store.Store;

/**
 * Amazon DynamoDB (target prefix {@code DynamoDB_20120810}): tables, items, queries and scans,
 * batches, transactions, Time to Live and PartiQL, per account and region.
 */
public final class DynamoDbService implements JsonService, BackgroundWork, AutoCloseable {

    private final Catalog catalog;
    private final ItemWriter writer;
    private final Maintenance maintenance;
    private final TableOperations tables;
    private final ItemOperations items;
    private final QueryOperations queries;
    private final BatchOperations batches;
    private final TransactionOperations transactions;
    private final PartiqlOperations partiql;
    private final TtlSweeper sweeper;

    public DynamoDbService(Store store, Clock clock, Duration ttlSweepInterval) {
        this.catalog = new Catalog(store);
        ItemCounters counters = new ItemCounters(store);
        ItemLocks locks = new ItemLocks();
        this.writer = new ItemWriter(store, counters);
        this.maintenance = new Maintenance(store, catalog, locks, writer, counters);
        this.tables = new TableOperations(store, catalog, counters, new TableDescriptions(counters), maintenance, clock);
        this.items = new ItemOperations(catalog, writer, locks, clock);
        this.queries = new QueryOperations(store, items);
        this.batches = new BatchOperations(catalog, writer, locks, items, clock);
        this.transactions = new TransactionOperations(store, catalog, writer, locks, items, clock);
        this.partiql = new PartiqlOperations(items, queries, transactions);
        this.sweeper = new TtlSweeper(store, catalog, locks, writer, clock, ttlSweepInterval);
        maintenance.resume();
        sweeper.start();
    }

    /** Registers a listener that sees every item write inside its atomic batch (DynamoDB Streams). */
    public void addItemChangeListener(ItemChangeListener listener) {
        writer.addListener(listener);
    }

    public void removeItemChangeListener(ItemChangeListener listener) {
        writer.removeListener(listener);
    }

    /** Registers a listener that sees every table metadata change inside its atomic batch (DynamoDB Streams). */
    public void addTableChangeListener(TableChangeListener listener) {
        catalog.addListener(listener);
    }

    /** The table, or null; for services built on DynamoDB (Streams) that need its metadata. */
    public TableInfo table(String accountId, String region, String tableName) {
        return catalog.find(accountId, region, tableName);
    }

    @Override
    public ObjectNode invoke(String operation, JsonNode input, RequestContext ctx) {
        RequestShapes.validate(operation, input);
        return switch (operation) {
            case "CreateTable" -> tables.createTable(input, ctx);
            case "DescribeTable" -> tables.describeTable(input, ctx);
            case "ListTables" -> tables.listTables(input, ctx);
            case "UpdateTable" -> tables.updateTable(input, ctx);
            case "DeleteTable" -> tables.deleteTable(input, ctx);
            case "UpdateTimeToLive" -> tables.updateTimeToLive(input, ctx);
            case "DescribeTimeToLive" -> tables.describeTimeToLive(input, ctx);
            case "TagResource" -> tables.tagResource(input, ctx);
            case "UntagResource" -> tables.untagResource(input, ctx);
            case "ListTagsOfResource" -> tables.listTagsOfResource(input, ctx);
            case "DescribeContinuousBackups" -> tables.describeContinuousBackups(input, ctx);
            case "UpdateContinuousBackups" -> tables.updateContinuousBackups(input, ctx);
            case "DescribeEndpoints" -> tables.describeEndpoints(ctx);
            case "DescribeLimits" -> tables.describeLimits();
            case "PutItem" -> items.putItem(input, ctx);
            case "GetItem" -> items.getItem(input, ctx);
            case "UpdateItem" -> items.updateItem(input, ctx);
            case "DeleteItem" -> items.deleteItem(input, ctx);
            case "Query" -> queries.query(input, ctx);
            case "Scan" -> queries.scan(input, ctx);
            case "BatchGetItem" -> batches.batchGetItem(input, ctx);
            case "BatchWriteItem" -> batches.batchWriteItem(input, ctx);
            case "TransactWriteItems" -> transactions.transactWriteItems(input, ctx);
            case "TransactGetItems" -> transactions.transactGetItems(input, ctx);
            case "ExecuteStatement" -> partiql.executeStatement(input, ctx);
            case "BatchExecuteStatement" -> partiql.batchExecuteStatement(input, ctx);
            case "ExecuteTransaction" -> partiql.executeTransaction(input, ctx);
            default -> throw DynamoDbErrors.unknownOperation();
        };
    }

    @Override
    public Collection<Drainable> activities() {
        return List.of(maintenance);
    }

    @Override
    public void close() {
        sweeper.close();
        maintenance.close();
    }
}
