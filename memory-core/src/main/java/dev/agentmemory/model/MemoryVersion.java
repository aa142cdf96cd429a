package dev.agentmemory.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable record of one change to one memory. Versions belong to the store: they outlive the memory.
 *
 * <p>A {@link Operation#DELETED deleted} version has no content, SHA-256 or size. A redacted version has no content,
 * SHA-256, size or path, and records who redacted it and when. Listings leave {@link #content()} empty unless content
 * was asked for.
 *
 * @param id the version's id
 * @param storeId the store
 * @param memoryId the memory that changed
 * @param operation what happened
 * @param path the memory's path after the change; empty once redacted
 * @param content the content after the change, when loaded; empty for deletions and redacted versions
 * @param contentSha256 SHA-256 of the content; empty for deletions and redacted versions
 * @param contentSizeBytes size of the content; empty for deletions and redacted versions
 * @param createdBy who made the change
 * @param createdAt when the change was made
 * @param redactedAt when the version was redacted, if it was
 * @param redactedBy who redacted it, if it was
 * @param policyRedactions the ids of the write-policy rules whose matches were replaced by markers before this
 *     version was stored (for example {@code aws-access-key-id}); empty when no policy changed the content
 */
public record MemoryVersion(
        VersionId id,
        StoreId storeId,
        MemoryId memoryId,
        Operation operation,
        Optional<String> path,
        Optional<String> content,
        Optional<String> contentSha256,
        Optional<Long> contentSizeBytes,
        Actor createdBy,
        Instant createdAt,
        Optional<Instant> redactedAt,
        Optional<Actor> redactedBy,
        List<String> policyRedactions) {

    /** Checks that every field is present and that redaction fields come together. */
    public MemoryVersion {
        policyRedactions = List.copyOf(policyRedactions);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(memoryId, "memoryId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(contentSha256, "contentSha256");
        Objects.requireNonNull(contentSizeBytes, "contentSizeBytes");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(redactedAt, "redactedAt");
        Objects.requireNonNull(redactedBy, "redactedBy");
        if (redactedAt.isPresent() != redactedBy.isPresent()) {
            throw new IllegalArgumentException("redactedAt and redactedBy come together");
        }
    }

    /**
     * Creates a version that no write policy changed.
     *
     * @param id the version's id
     * @param storeId the store
     * @param memoryId the memory that changed
     * @param operation what happened
     * @param path the memory's path after the change; empty once redacted
     * @param content the content after the change, when loaded
     * @param contentSha256 SHA-256 of the content
     * @param contentSizeBytes size of the content
     * @param createdBy who made the change
     * @param createdAt when the change was made
     * @param redactedAt when the version was redacted, if it was
     * @param redactedBy who redacted it, if it was
     */
    public MemoryVersion(VersionId id, StoreId storeId, MemoryId memoryId, Operation operation, Optional<String> path,
            Optional<String> content, Optional<String> contentSha256, Optional<Long> contentSizeBytes,
            Actor createdBy, Instant createdAt, Optional<Instant> redactedAt, Optional<Actor> redactedBy) {
        this(id, storeId, memoryId, operation, path, content, contentSha256, contentSizeBytes, createdBy, createdAt,
                redactedAt, redactedBy, List.of());
    }

    /**
     * Tells whether a write policy replaced part of the content with markers before this version was stored.
     *
     * @return true if {@link #policyRedactions()} is not empty
     */
    public boolean isPolicyRedacted() {
        return !policyRedactions.isEmpty();
    }

    /**
     * Returns this version as stored after write policies redacted parts of its content.
     *
     * @param rules the ids of the rules that matched
     * @return the same version with {@link #policyRedactions()} set
     */
    public MemoryVersion withPolicyRedactions(List<String> rules) {
        return new MemoryVersion(id, storeId, memoryId, operation, path, content, contentSha256, contentSizeBytes,
                createdBy, createdAt, redactedAt, redactedBy, rules);
    }

    /**
     * Tells whether this version was redacted.
     *
     * @return true once redacted
     */
    public boolean isRedacted() {
        return redactedAt.isPresent();
    }

    /**
     * Returns this version without its content, as listings return it by default.
     *
     * @return the same version with an empty {@link #content()}
     */
    public MemoryVersion withoutContent() {
        return content.isEmpty() ? this
                : new MemoryVersion(id, storeId, memoryId, operation, path, Optional.empty(), contentSha256,
                        contentSizeBytes, createdBy, createdAt, redactedAt, redactedBy, policyRedactions);
    }

    /**
     * Returns this version redacted: content, SHA-256, size and path cleared; operation, actor and times kept.
     *
     * @param by who redacts
     * @param at when
     * @return the redacted version
     */
    public MemoryVersion redacted(Actor by, Instant at) {
        return new MemoryVersion(id, storeId, memoryId, operation, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), createdBy, createdAt, Optional.of(at), Optional.of(by),
                policyRedactions);
    }
}
