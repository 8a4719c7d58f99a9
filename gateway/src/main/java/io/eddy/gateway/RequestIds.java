package io.eddy.gateway;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids in UUID form, from a fast non-cryptographic source: they only need to be unique. */
public final class RequestIds {
    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
