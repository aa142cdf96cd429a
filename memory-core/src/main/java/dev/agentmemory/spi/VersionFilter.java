package dev.agentmemory.spi;

import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.Operation;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which versions of a store a listing returns; every present field must match.
 *
 * @param memoryId only this memory's versions
 * @param actor only versions created by this actor
 * @param operation only this kind of version
 * @param createdAtOrAfter only versions created at or after this instant
 * @param createdAtOrBefore only versions created at or before this instant
 */
public record VersionFilter(
        Optional<MemoryId> memoryId,
        Optional<Actor> actor,
        Optional<Operation> operation,
        Optional<Instant> createdAtOrAfter,
        Optional<Instant> createdAtOrBefore) {

    /** A filter that matches every version. */
    public static final VersionFilter ALL =
            new VersionFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Checks that every field is present. */
    public VersionFilter {
        Objects.requireNonNull(memoryId, "memoryId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(createdAtOrAfter, "createdAtOrAfter");
        Objects.requireNonNull(createdAtOrBefore, "createdAtOrBefore");
    }
}
