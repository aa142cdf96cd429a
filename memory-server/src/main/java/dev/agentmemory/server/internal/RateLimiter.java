package dev.agentmemory.server.internal;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key: {@code perSecond} requests a second on average, bursts of up to {@code burst}, counted
 * in this server process. With a {@link SharedRateWindow} (servers on PostgreSQL) a request must also fit the key's
 * budget of the current one-second window shared by every server, so the rate holds across instances. Thread-safe.
 */
public final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Optional<SharedRateWindow> shared;

    /** One key's bucket. */
    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    /**
     * @param perSecond the refill rate; 0 turns limiting off
     * @param burst the bucket's size, at least 1
     * @param nanos the clock, {@link System#nanoTime()} outside tests
     */
    public RateLimiter(double perSecond, int burst, LongSupplier nanos) {
        this(perSecond, burst, nanos, Optional.empty());
    }

    /**
     * @param perSecond the refill rate; 0 turns limiting off (the shared window too)
     * @param burst the bucket's size, at least 1
     * @param nanos the clock, {@link System#nanoTime()} outside tests
     * @param shared the budget shared with other servers, if any
     */
    public RateLimiter(double perSecond, int burst, LongSupplier nanos, Optional<SharedRateWindow> shared) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.nanos = nanos;
        this.shared = shared;
    }

    /**
     * Takes one token from a key's bucket.
     *
     * @param keyId the key
     * @return 0 if the request may go ahead, else how many seconds to wait (at least 1)
     * @throws dev.agentmemory.error.StorageException if the shared window's database fails
     */
    public long acquire(String keyId) {
        if (perSecond <= 0) {
            return 0;
        }
        long now = nanos.getAsLong();
        Bucket b = buckets.computeIfAbsent(keyId, k -> new Bucket(burst, now));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.at) / 1e9 * perSecond);
            b.at = now;
            if (b.tokens < 1) {
                return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
            }
            b.tokens -= 1;
        }
        return shared.isPresent() ? shared.get().acquire(keyId) : 0;
    }
}
