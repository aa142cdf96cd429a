package dev.agentmemory.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What one change of a write did.
 *
 * @param memoryId the memory the change applied to
 * @param memory the memory after the change; empty after a delete
 * @param version the version the change wrote; empty for a no-op, which writes none
 */
public record ChangeResult(MemoryId memoryId, Optional<Memory> memory, Optional<MemoryVersion> version) {

    /** Checks that every field is present. */
    public ChangeResult {
        Objects.requireNonNull(memoryId, "memoryId");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(version, "version");
    }

    /**
     * Tells whether the change wrote a version.
     *
     * @return false for a no-op
     */
    public boolean changed() {
        return version.isPresent();
    }

    /**
     * Tells whether the change made a version or found the state already current.
     *
     * @return {@link WriteOutcome#APPLIED} if it wrote {@link #version()}, else {@link WriteOutcome#ALREADY_CURRENT}
     */
    public WriteOutcome outcome() {
        return version.isPresent() ? WriteOutcome.APPLIED : WriteOutcome.ALREADY_CURRENT;
    }
}
