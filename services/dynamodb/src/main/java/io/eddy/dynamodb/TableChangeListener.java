package io.eddy.dynamodb;

import io.eddy.store.Batch;

/**
 * Sees every table metadata change inside the batch that stores it (control lock held), so whatever
 * the listener adds commits atomically with the change. DynamoDB Streams uses it to open a stream
 * when one is enabled and to close it when it is disabled or its table deleted.
 */
@FunctionalInterface
public interface TableChangeListener {

    /**
     * @param before the published version of the table, null when it is being created
     * @param after  the new version, null when the table is being deleted
     */
    void onTableChange(TableInfo before, TableInfo after, Batch batch);
}
