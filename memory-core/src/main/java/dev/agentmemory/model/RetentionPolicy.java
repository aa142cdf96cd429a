package dev.agentmemory.model;

import java.time.Duration;
import java.util.Objects;

/**
 * What a retention purge keeps: versions younger than the window, and for each live memory its head and its most
 * recent versions regardless of age. Everything else is removed.
 *
 * @param window versions older than this may be removed (30 days by default)
 * @param keepPerLiveMemory how many most recent versions of each live memory are always kept (10 by default; the head
 *     is always kept, so 0 keeps only the head)
 */
public record RetentionPolicy(Duration window, int keepPerLiveMemory) {

    /** Checks the fields. */
    public RetentionPolicy {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("the retention window cannot be negative: " + window);
        }
        if (keepPerLiveMemory < 0) {
            throw new IllegalArgumentException("keepPerLiveMemory cannot be negative: " + keepPerLiveMemory);
        }
    }
}
