package dev.agentmemory.model;

import java.util.Objects;

/**
 * What a retention purge did.
 *
 * @param versionsExamined how many versions it looked at
 * @param versionsRemoved how many it removed; they are unreachable through every surface at once
 * @param erasure where the physical erasure of the removed versions' bytes stood when the purge returned
 */
public record PurgeResult(long versionsExamined, long versionsRemoved, ErasureStatus erasure) {

    /** Checks the fields. */
    public PurgeResult {
        Objects.requireNonNull(erasure, "erasure");
    }
}
