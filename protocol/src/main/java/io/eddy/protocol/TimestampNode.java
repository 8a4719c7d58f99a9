package io.eddy.protocol;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.DecimalNode;

/**
 * A timestamp in a service's output. JSON protocols write it as epoch seconds (a plain decimal with
 * millisecond precision); CBOR writes it under tag 1; XML protocols write it in ISO 8601.
 */
public final class TimestampNode extends DecimalNode {

    private final long epochMillis;

    private TimestampNode(long epochMillis) {
        super(epochSeconds(epochMillis));
        this.epochMillis = epochMillis;
    }

    private static BigDecimal epochSeconds(long epochMillis) {
        BigDecimal seconds = BigDecimal.valueOf(epochMillis, 3).stripTrailingZeros();
        return seconds.scale() < 0 ? seconds.setScale(0) : seconds;
    }

    public static TimestampNode ofEpochMillis(long epochMillis) {
        return new TimestampNode(epochMillis);
    }

    public static TimestampNode of(Instant instant) {
        return new TimestampNode(instant.toEpochMilli());
    }

    public long epochMillis() {
        return epochMillis;
    }

    public Instant instant() {
        return Instant.ofEpochMilli(epochMillis);
    }
}
