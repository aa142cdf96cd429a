package dev.agentmemory.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Which memory a read-modify-write ({@link dev.agentmemory.Memories#edit(EditTarget,
 * java.util.function.UnaryOperator)}) changes: the memory with an id wherever it is now (renamed meanwhile or not),
 * else the memory at a path, else, if asked for, a new memory created at that path from empty content. Immutable.
 *
 * @param memoryId the memory to edit, if known; it is followed through renames
 * @param path the path to use when there is no id or the memory with that id no longer exists
 * @param createIfMissing whether to create a memory at {@code path} when neither finds one
 */
public record EditTarget(Optional<MemoryId> memoryId, String path, boolean createIfMissing) {

    /** Checks that every field is present. */
    public EditTarget {
        Objects.requireNonNull(memoryId, "memoryId");
        Objects.requireNonNull(path, "path");
    }

    /**
     * The memory at a path; none there is an error.
     *
     * @param path the path
     * @return the target
     */
    public static EditTarget path(String path) {
        return new EditTarget(Optional.empty(), path, false);
    }

    /**
     * A memory by id, or, once it no longer exists, the memory at a path; neither is an error.
     *
     * @param memoryId the memory
     * @param path where to look if it is gone
     * @return the target
     */
    public static EditTarget memory(MemoryId memoryId, String path) {
        return new EditTarget(Optional.of(memoryId), path, false);
    }

    /**
     * The same target, but when no memory is found a new one is created at the path from what the edit makes of
     * empty content.
     *
     * @return the target
     */
    public EditTarget orCreate() {
        return new EditTarget(memoryId, path, true);
    }
}
