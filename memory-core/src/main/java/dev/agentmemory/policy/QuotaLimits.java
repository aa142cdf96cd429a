package dev.agentmemory.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one session may write within a sliding window: content bytes, writes, and writes to one path (churn: an
 * agent rewriting the same memory in a loop). An immutable value.
 *
 * @param window the length of the sliding window, positive
 * @param maxBytes the most content bytes (UTF-8) a session may write within the window
 * @param maxWrites the most writes (creates, updates, deletes) a session may make within the window
 * @param maxWritesPerPath the most writes a session may make to one path within the window
 */
public record QuotaLimits(Duration window, long maxBytes, int maxWrites, int maxWritesPerPath) {

    /** Checks that the window is positive and every limit at least 1. */
    public QuotaLimits {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a quota window must be positive: " + window);
        }
        if (maxBytes < 1 || maxWrites < 1 || maxWritesPerPath < 1) {
            throw new IllegalArgumentException("quota limits must be at least 1: " + maxBytes + ", " + maxWrites
                    + ", " + maxWritesPerPath);
        }
    }

    /**
     * The defaults, generous enough for an agent working fast and small enough to stop a loop: per minute, 4 MiB of
     * content, 120 writes, and 20 writes to one path.
     *
     * @return the limits
     */
    public static QuotaLimits defaults() {
        return new QuotaLimits(Duration.ofMinutes(1), 4L * 1024 * 1024, 120, 20);
    }
}
