package dev.agentmemory.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A named, described collection of memories in one workspace: an immutable snapshot.
 *
 * @param id the store's id
 * @param workspaceId the workspace that owns it
 * @param name 1 to 255 characters, no control characters, not unique
 * @param description at most 1,024 characters; goes into the agent's system prompt
 * @param metadata at most 16 pairs of the host's own data, unmodifiable
 * @param contentLimitBytes this store's limit on a memory's size, when it overrides the library default
 * @param memoryLimit this store's limit on its number of memories, when it overrides the library default
 * @param createdAt when the store was created
 * @param updatedAt when its name, description, metadata or limits last changed (memory writes don't move it)
 * @param archivedAt when it was archived; archived stores are read-only for everyone, for good
 */
public record MemoryStore(
        StoreId id,
        WorkspaceId workspaceId,
        String name,
        String description,
        Map<String, String> metadata,
        OptionalInt contentLimitBytes,
        OptionalInt memoryLimit,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> archivedAt) {

    /** Checks that every field is present and copies the metadata. */
    public MemoryStore {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(contentLimitBytes, "contentLimitBytes");
        Objects.requireNonNull(memoryLimit, "memoryLimit");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(archivedAt, "archivedAt");
    }

    /**
     * Tells whether the store is archived.
     *
     * @return true once archived
     */
    public boolean isArchived() {
        return archivedAt.isPresent();
    }
}
