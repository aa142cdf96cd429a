package dev.agentmemory.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which stores of a workspace a listing returns.
 *
 * @param includeArchived whether archived stores are returned
 * @param createdAtOrAfter only stores created at or after this instant
 * @param createdAtOrBefore only stores created at or before this instant
 * @param name only stores with exactly this name (compared as strings, case-sensitive)
 * @param metadata only stores whose metadata holds every one of these pairs, keys and values compared exactly
 */
public record StoreFilter(
        boolean includeArchived, Optional<Instant> createdAtOrAfter, Optional<Instant> createdAtOrBefore,
        Optional<String> name, Map<String, String> metadata) {

    /** Checks that every field is present and copies the metadata, ordered by key. */
    public StoreFilter {
        Objects.requireNonNull(createdAtOrAfter, "createdAtOrAfter");
        Objects.requireNonNull(createdAtOrBefore, "createdAtOrBefore");
        Objects.requireNonNull(name, "name");
        metadata = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(metadata));
    }

    /**
     * Creates a filter without name or metadata conditions.
     *
     * @param includeArchived whether archived stores are returned
     * @param createdAtOrAfter only stores created at or after this instant
     * @param createdAtOrBefore only stores created at or before this instant
     */
    public StoreFilter(boolean includeArchived, Optional<Instant> createdAtOrAfter,
            Optional<Instant> createdAtOrBefore) {
        this(includeArchived, createdAtOrAfter, createdAtOrBefore, Optional.empty(), Map.of());
    }

    /**
     * Tells whether a store passes this filter: the one definition every backend's listing must agree with.
     *
     * @param store the store
     * @return true if it is listed
     */
    public boolean accepts(dev.agentmemory.model.MemoryStore store) {
        return (includeArchived || !store.isArchived())
                && createdAtOrAfter.map(t -> !store.createdAt().isBefore(t)).orElse(true)
                && createdAtOrBefore.map(t -> !store.createdAt().isAfter(t)).orElse(true)
                && name.map(store.name()::equals).orElse(true)
                && metadata.entrySet().stream().allMatch(e -> e.getValue().equals(store.metadata().get(e.getKey())));
    }
}
