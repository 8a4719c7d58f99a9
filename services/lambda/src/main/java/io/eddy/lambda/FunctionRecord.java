package io.eddy.lambda;

import java.util.LinkedHashMap;
import java.util.Map;

/** Everything stored once per function: its {@code $LATEST} configuration and function-wide settings. */
public final class FunctionRecord {
    public FunctionVersion latest;
    public Map<String, String> tags = new LinkedHashMap<>();
    public Integer reservedConcurrency;
    public long lastPublishedVersion;

    public FunctionRecord copy() {
        FunctionRecord c = new FunctionRecord();
        c.latest = latest.copy();
        c.tags = new LinkedHashMap<>(tags);
        c.reservedConcurrency = reservedConcurrency;
        c.lastPublishedVersion = lastPublishedVersion;
        return c;
    }
}
