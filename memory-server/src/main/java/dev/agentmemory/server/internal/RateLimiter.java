package dev.agentmemory.server.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key: {@code perSecond} requests a second on average, bursts of up to {@code burst}. Limits
 * are per server process; behind a load balancer each instance limits on its own. Thread-safe.
 */
public final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

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
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.nanos = nanos;
    }

    /**
     * Takes one token from a key's bucket.
     *
     * @param keyId the key
     * @return 0 if the request may go ahead, else how many seconds to wait (at least 1)
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
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
        }
    }
}
