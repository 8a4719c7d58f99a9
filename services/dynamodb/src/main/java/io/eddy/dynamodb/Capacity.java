package io.eddy.dynamodb;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Capacity units consumed on one table by one request, as ReturnConsumedCapacity reports them:
 * reads in 4 KB units (half for eventually consistent reads), writes in 1 KB units, transactions
 * twice that.
 */
final class Capacity {

    static final int READ_UNIT_BYTES = 4096;
    static final int WRITE_UNIT_BYTES = 1024;

    private final String tableName;
    private double tableRead;
    private double tableWrite;
    private final Map<String, double[]> globalIndexes = new LinkedHashMap<>();
    private final Map<String, double[]> localIndexes = new LinkedHashMap<>();

    Capacity(String tableName) {
        this.tableName = tableName;
    }

    String tableName() {
        return tableName;
    }

    static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, (bytes + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
        return consistent ? units : units / 2;
    }

    static double writeUnits(long bytes) {
        return Math.max(1, (bytes + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
    }

    void addTableRead(double units) {
        tableRead += units;
    }

    void addTableWrite(double units) {
        tableWrite += units;
    }

    void addIndexRead(IndexInfo index, double units) {
        (index.global() ? globalIndexes : localIndexes).computeIfAbsent(index.name(), n -> new double[2])[0] += units;
    }

    void addIndexWrite(IndexInfo index, double units) {
        (index.global() ? globalIndexes : localIndexes).computeIfAbsent(index.name(), n -> new double[2])[1] += units;
    }

    /** Scales everything (transactions consume twice the units). */
    void scale(double factor) {
        tableRead *= factor;
        tableWrite *= factor;
        for (double[] units : globalIndexes.values()) {
            units[0] *= factor;
            units[1] *= factor;
        }
        for (double[] units : localIndexes.values()) {
            units[0] *= factor;
            units[1] *= factor;
        }
    }

    void addAll(Capacity other) {
        tableRead += other.tableRead;
        tableWrite += other.tableWrite;
        other.globalIndexes.forEach((name, units) -> {
            double[] mine = globalIndexes.computeIfAbsent(name, n -> new double[2]);
            mine[0] += units[0];
            mine[1] += units[1];
        });
        other.localIndexes.forEach((name, units) -> {
            double[] mine = localIndexes.computeIfAbsent(name, n -> new double[2]);
            mine[0] += units[0];
            mine[1] += units[1];
        });
    }

    /** The ConsumedCapacity member for ReturnConsumedCapacity TOTAL or INDEXES, or null for NONE. */
    ObjectNode render(String mode) {
        if (mode == null || "NONE".equals(mode)) return null;
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("TableName", tableName);
        double read = tableRead;
        double write = tableWrite;
        for (double[] units : globalIndexes.values()) {
            read += units[0];
            write += units[1];
        }
        for (double[] units : localIndexes.values()) {
            read += units[0];
            write += units[1];
        }
        node.put("CapacityUnits", read + write);
        if (read > 0) node.put("ReadCapacityUnits", read);
        if (write > 0) node.put("WriteCapacityUnits", write);
        if ("INDEXES".equals(mode)) {
            node.set("Table", units(tableRead, tableWrite));
            if (!globalIndexes.isEmpty()) node.set("GlobalSecondaryIndexes", indexUnits(globalIndexes));
            if (!localIndexes.isEmpty()) node.set("LocalSecondaryIndexes", indexUnits(localIndexes));
        }
        return node;
    }

    private static ObjectNode indexUnits(Map<String, double[]> indexes) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        indexes.forEach((name, units) -> node.set(name, units(units[0], units[1])));
        return node;
    }

    private static ObjectNode units(double read, double write) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("CapacityUnits", read + write);
        if (read > 0) node.put("ReadCapacityUnits", read);
        if (write > 0) node.put("WriteCapacityUnits", write);
        return node;
    }
}
