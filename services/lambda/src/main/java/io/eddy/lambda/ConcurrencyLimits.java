package io.eddy.lambda;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.eddy.protocol.restjson.AwsExceptionWithHeaders;

/**
 * Concurrent executions per account and region. A function with reserved concurrency runs at most
 * that many events at once; the others share what the reservations leave of the account limit.
 */
final class ConcurrencyLimits {

    /** The least concurrency Lambda leaves unreserved. */
    static final int MINIMUM_UNRESERVED = 100;

    private final int accountLimit;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    ConcurrencyLimits(int accountLimit) {
        this.accountLimit = accountLimit;
    }

    int accountLimit() {
        return accountLimit;
    }

    private static final class Account {
        final Map<String, Integer> reserved = new HashMap<>();
        final Map<String, Integer> inFlight = new HashMap<>();
        /** Executions per function and qualifier, for those invoked as a version or alias. */
        final Map<String, Integer> inFlightByResource = new HashMap<>();
        int unreservedInFlight;
        int totalInFlight;
        int waiting;

        int reservedSum() {
            return reserved.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * A running execution, with what was running when it started (itself included); release it
     * exactly once.
     */
    interface Permit extends AutoCloseable {
        int functionExecutions();

        /** Executions of the version or alias invoked; 0 for an unqualified invocation. */
        int resourceExecutions();

        int accountExecutions();

        int unreservedExecutions();

        @Override
        void close();
    }

    /**
     * @param loadReservations the reservations of the account and region, read once on first use
     */
    private Account account(String account, String region, Function<String, Map<String, Integer>> loadReservations) {
        return accounts.computeIfAbsent(account + "/" + region, k -> {
            Account a = new Account();
            a.reserved.putAll(loadReservations.apply(k));
            return a;
        });
    }

    /**
     * @param qualifier the version or alias invoked, null when unqualified
     */
    Permit acquire(String account, String region, String function, String qualifier,
                   Function<String, Map<String, Integer>> loadReservations) {
        Account a = account(account, region, loadReservations);
        synchronized (a) {
            Integer reserved = a.reserved.get(function);
            int running = a.inFlight.getOrDefault(function, 0);
            if (reserved != null) {
                if (running >= reserved) throw throttled("ReservedFunctionConcurrentInvocationLimitExceeded");
            } else if (a.unreservedInFlight >= accountLimit - a.reservedSum()) {
                throw throttled("ConcurrentInvocationLimitExceeded");
            }
            int functionExecutions = a.inFlight.merge(function, 1, Integer::sum);
            String resource = qualifier == null ? null : function + ":" + qualifier;
            int resourceExecutions = resource == null ? 0 : a.inFlightByResource.merge(resource, 1, Integer::sum);
            boolean unreserved = reserved == null;
            if (unreserved) a.unreservedInFlight++;
            int accountExecutions = ++a.totalInFlight;
            int unreservedExecutions = a.unreservedInFlight;
            return new Permit() {
                private boolean released;

                @Override
                public int functionExecutions() {
                    return functionExecutions;
                }

                @Override
                public int resourceExecutions() {
                    return resourceExecutions;
                }

                @Override
                public int accountExecutions() {
                    return accountExecutions;
                }

                @Override
                public int unreservedExecutions() {
                    return unreservedExecutions;
                }

                @Override
                public void close() {
                    synchronized (a) {
                        if (released) return;
                        released = true;
                        a.inFlight.merge(function, -1, Integer::sum);
                        if (resource != null) a.inFlightByResource.merge(resource, -1, Integer::sum);
                        if (unreserved) a.unreservedInFlight--;
                        a.totalInFlight--;
                        if (a.waiting > 0) a.notifyAll();
                    }
                }
            };
        }
    }

    /**
     * Waits until an execution of the account and region ends (concurrency may have become free)
     * or {@code millis} pass, whichever comes first.
     */
    void awaitRelease(String account, String region, long millis,
                      Function<String, Map<String, Integer>> loadReservations) throws InterruptedException {
        Account a = account(account, region, loadReservations);
        synchronized (a) {
            a.waiting++;
            try {
                a.wait(Math.max(1, millis));
            } finally {
                a.waiting--;
            }
        }
    }

    /** What the account could still reserve for {@code function} (its own current reservation included). */
    int reservable(String account, String region, String function, Function<String, Map<String, Integer>> loadReservations) {
        Account a = account(account, region, loadReservations);
        synchronized (a) {
            return accountLimit - MINIMUM_UNRESERVED - a.reservedSum() + a.reserved.getOrDefault(function, 0);
        }
    }

    int unreserved(String account, String region, Function<String, Map<String, Integer>> loadReservations) {
        Account a = account(account, region, loadReservations);
        synchronized (a) {
            return accountLimit - a.reservedSum();
        }
    }

    void setReserved(String account, String region, String function, Integer reserved,
                     Function<String, Map<String, Integer>> loadReservations) {
        Account a = account(account, region, loadReservations);
        synchronized (a) {
            if (reserved == null) a.reserved.remove(function);
            else a.reserved.put(function, reserved);
        }
    }

    static AwsExceptionWithHeaders throttled(String reason) {
        AwsExceptionWithHeaders e = new AwsExceptionWithHeaders(429, "TooManyRequestsException", "Rate Exceeded.");
        e.details().put("Reason", reason);
        return e;
    }
}
