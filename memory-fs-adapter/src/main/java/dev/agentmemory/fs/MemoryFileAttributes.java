package dev.agentmemory.fs;

import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.VersionId;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The basic attributes of a file or directory in a memory file system, plus the memory behind a file. Read with
 * {@code Files.readAttributes(path, MemoryFileAttributes.class)} or, by name, {@code Files.readAttributes(path,
 * "memory:*")}: {@code memory:memory_id}, {@code memory:content_sha256} and {@code memory:head_version_id} (strings,
 * present for files only) beside the basic attributes. An immutable snapshot.
 */
public interface MemoryFileAttributes extends BasicFileAttributes {

    /**
     * Returns the memory's id; empty for a directory.
     *
     * @return the id
     */
    Optional<MemoryId> memoryId();

    /**
     * Returns the lowercase hex SHA-256 of the content; empty for a directory.
     *
     * @return the SHA-256, usable with {@link ExpectedContentSha256}
     */
    Optional<String> contentSha256();

    /**
     * Returns the version that produced the current content; empty for a directory.
     *
     * @return the head version id
     */
    Optional<VersionId> headVersionId();
}
