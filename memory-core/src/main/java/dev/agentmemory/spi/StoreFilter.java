package dev.agentmemory.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which stores of a workspace a listing returns.
 *
 * @param includeArchived whether archived stores are returned
 * @param createdAtOrAfter only stores created at or after this instant
 * @param createdAtOrBefore only stores created at or before this instant
 */
public record StoreFilter(
        boolean includeArchived, Optional<Instant> createdAtOrAfter, Optional<Instant> createdAtOrBefore) {

    /** Checks that every field is present. */
    public StoreFilter {
        Objects.requireNonNull(createdAtOrAfter, "createdAtOrAfter");
        Objects.requireNonNull(createdAtOrBefore, "createdAtOrBefore");
    }
}
