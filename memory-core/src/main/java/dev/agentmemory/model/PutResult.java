package dev.agentmemory.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What a put by path did, and the memory after it.
 *
 * @param outcome whether the put created the memory, updated it, or found its content already current
 * @param memory the memory after the put, with content
 * @param version the version the put wrote; empty when the content was already current
 */
public record PutResult(PutOutcome outcome, Memory memory, Optional<MemoryVersion> version) {

    /** Checks that every field is present and that the outcome agrees with the version. */
    public PutResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(version, "version");
        if (version.isPresent() == (outcome == PutOutcome.ALREADY_CURRENT)) {
            throw new IllegalArgumentException("outcome " + outcome + " does not agree with version " + version);
        }
    }

    /**
     * Tells whether the put wrote a version.
     *
     * @return false if the content was already current
     */
    public boolean changed() {
        return version.isPresent();
    }
}
