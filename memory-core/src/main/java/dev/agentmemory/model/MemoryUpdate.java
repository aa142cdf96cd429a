package dev.agentmemory.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A change to a memory: new content, a new path (a rename keeps the id), or both, optionally conditional on the
 * SHA-256 of the content the caller last read.
 *
 * <pre>{@code
 * Memory read = memories.get(id);
 * memories.update(id, MemoryUpdate.content(read.text() + "\nmore").ifContentSha256(read.contentSha256()));
 * }</pre>
 *
 * <p>If the stored state already equals what the update asks for, the update succeeds and writes no version, whatever
 * the precondition: a retried write is harmless.
 *
 * @param content the new content
 * @param path the new path
 * @param expectedContentSha256 the precondition: the SHA-256 the stored content must have
 */
public record MemoryUpdate(Optional<String> content, Optional<String> path, Optional<String> expectedContentSha256) {

    /** Checks that every field is present. */
    public MemoryUpdate {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(expectedContentSha256, "expectedContentSha256");
    }

    /**
     * Returns an update of the content.
     *
     * @param content the new content
     * @return the update
     */
    public static MemoryUpdate content(String content) {
        return new MemoryUpdate(Optional.of(content), Optional.empty(), Optional.empty());
    }

    /**
     * Returns a rename.
     *
     * @param path the new path
     * @return the update
     */
    public static MemoryUpdate path(String path) {
        return new MemoryUpdate(Optional.empty(), Optional.of(path), Optional.empty());
    }

    /**
     * Returns this update with new content as well.
     *
     * @param newContent the new content
     * @return the update
     */
    public MemoryUpdate withContent(String newContent) {
        return new MemoryUpdate(Optional.of(newContent), path, expectedContentSha256);
    }

    /**
     * Returns this update with a new path as well.
     *
     * @param newPath the new path
     * @return the update
     */
    public MemoryUpdate withPath(String newPath) {
        return new MemoryUpdate(content, Optional.of(newPath), expectedContentSha256);
    }

    /**
     * Returns this update made conditional: it applies only if the stored content's SHA-256 is {@code sha256}.
     *
     * @param sha256 lowercase hex SHA-256, as in {@link Memory#contentSha256()}
     * @return the update
     */
    public MemoryUpdate ifContentSha256(String sha256) {
        return new MemoryUpdate(content, path, Optional.of(sha256));
    }
}
