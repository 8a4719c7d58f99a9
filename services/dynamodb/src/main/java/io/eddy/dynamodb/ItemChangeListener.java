package io.eddy.dynamodb;

import java.util.Map;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.store.Batch;

/**
 * Sees every item write inside the write itself: the item's lock is held and {@code batch} (item,
 * index entries, counters) is not yet committed, so whatever the listener adds to the batch commits
 * atomically with the change, in the order of the item's writes. Writes whose old and new item are
 * equal are reported too; deciding that "nothing changed" is the listener's business.
 */
@FunctionalInterface
public interface ItemChangeListener {

    /**
     * @param oldItem the item before the write, null if there was none
     * @param newItem the item after the write, null if it was deleted
     */
    void onChange(TableInfo table, Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem,
                  Batch batch, ChangeSource source);
}
