package dev.agentmemory.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One text document in a store, addressed by its path: an immutable snapshot of its head.
 *
 * <p>{@link #content()} is present when the content was asked for (always by {@code get}, on request by listings) and
 * empty otherwise; {@link #contentSha256()} and {@link #contentSizeBytes()} are always present.
 *
 * @param id the memory's id; a rename keeps it
 * @param storeId the store the memory belongs to
 * @param path the absolute path, in Unicode NFC
 * @param content the UTF-8 text, when loaded
 * @param contentSha256 lowercase hex SHA-256 of the content's UTF-8 bytes
 * @param contentSizeBytes the number of UTF-8 bytes of the content
 * @param headVersionId the version that produced this state
 * @param createdAt when the memory was created
 * @param updatedAt when the memory last changed
 */
public record Memory(
        MemoryId id,
        StoreId storeId,
        String path,
        Optional<String> content,
        String contentSha256,
        long contentSizeBytes,
        VersionId headVersionId,
        Instant createdAt,
        Instant updatedAt) implements ListEntry {

    /** Checks that every field is present. */
    public Memory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(contentSha256, "contentSha256");
        Objects.requireNonNull(headVersionId, "headVersionId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * Returns the content, which {@code get} calls always load.
     *
     * @return the content
     * @throws IllegalStateException if this snapshot came from a listing that did not ask for content
     */
    public String text() {
        return content.orElseThrow(() -> new IllegalStateException(
                "memory " + id + " was listed without content; list with includeContent(true) or get it by id"));
    }

    /**
     * Returns this snapshot without its content, as listings return it by default.
     *
     * @return the same memory with an empty {@link #content()}
     */
    public Memory withoutContent() {
        return content.isEmpty() ? this
                : new Memory(id, storeId, path, Optional.empty(), contentSha256, contentSizeBytes, headVersionId,
                        createdAt, updatedAt);
    }
}
