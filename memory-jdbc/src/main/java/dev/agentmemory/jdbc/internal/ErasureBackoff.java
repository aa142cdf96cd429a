package dev.agentmemory.jdbc.internal;

import java.time.Duration;

/**
 * When the erasure finisher tries again after a failed attempt: pauses that double from {@code first} up to
 * {@code max}, and how many failures pass quietly before the erasure is logged as pending. A value: the finisher does
 * the waiting.
 *
 * @param first the pause after the first failure
 * @param max the longest pause
 * @param quietFailures failures before a warning is logged (a checkpoint often needs a retry or two)
 */
public record ErasureBackoff(Duration first, Duration max, int quietFailures) {

    /** The library's schedule: 20 ms doubling to 2 s; a warning after five failures (about 0.6 s). */
    public static final ErasureBackoff DEFAULT = new ErasureBackoff(Duration.ofMillis(20), Duration.ofSeconds(2), 5);

    /** Checks the fields. */
    public ErasureBackoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || quietFailures < 1) {
            throw new IllegalArgumentException("need 0 < first <= max and quietFailures >= 1: " + first + ", " + max
                    + ", " + quietFailures);
        }
    }

    /**
     * The pause after a number of consecutive failures.
     *
     * @param failures at least 1
     * @return {@code first * 2^(failures-1)}, at most {@code max}
     */
    public Duration pause(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1: " + failures);
        }
        int shift = Math.min(failures - 1, 30);
        long nanos = first.toNanos();
        long max = this.max.toNanos();
        return Duration.ofNanos(nanos > (max >> shift) ? max : Math.min(max, nanos << shift));
    }
}
