package dev.agentmemory.model;

import dev.agentmemory.error.ConflictException;
import java.util.Optional;

/**
 * A path is taken: a memory already has it, or a memory's path would be a directory of another's (with {@code /a/b}
 * present, neither {@code /a} nor {@code /a/b/c} can be created). Creates never overwrite.
 */
public class PathConflictException extends ConflictException {

    private final String path;
    private final MemoryId conflictingMemoryId;
    private final String conflictingPath;

    /**
     * Creates the exception.
     *
     * @param path the path that was asked for
     * @param conflictingMemoryId the memory in the way
     * @param conflictingPath that memory's path
     */
    public PathConflictException(String path, MemoryId conflictingMemoryId, String conflictingPath) {
        super(Kind.PATH_CONFLICT, message(path, conflictingMemoryId, conflictingPath));
        this.path = path;
        this.conflictingMemoryId = conflictingMemoryId;
        this.conflictingPath = conflictingPath;
    }

    private static String message(String path, MemoryId id, String other) {
        String how = other.equals(path) ? "memory " + id + " already has that path"
                : other.startsWith(path + "/") ? "it is a directory of memory " + id + " at " + other
                : "memory " + id + " at " + other + " is in the way (a memory cannot be a directory of another)";
        return "path conflict at " + path + ": " + how
                + "; choose another path, or update or delete the existing memory";
    }

    /**
     * Returns the path that was asked for.
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    /**
     * Returns the memory whose path is in the way.
     *
     * @return its id
     */
    public Optional<MemoryId> conflictingMemoryId() {
        return Optional.of(conflictingMemoryId);
    }

    /**
     * Returns the path of the memory in the way.
     *
     * @return its path
     */
    public Optional<String> conflictingPath() {
        return Optional.of(conflictingPath);
    }
}
