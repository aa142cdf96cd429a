package dev.agentmemory.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One change in a {@link Batch}: a create, an update or a delete, each with its own precondition where it takes one.
 */
public sealed interface Change permits Change.Create, Change.Update, Change.Delete {

    /**
     * Creates a memory; fails with a path conflict if the path or a clashing prefix is taken.
     *
     * @param path the new memory's path
     * @param content its content
     */
    record Create(String path, String content) implements Change {
        /** Checks that every field is present. */
        public Create {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * Updates a memory's content and/or path.
     *
     * @param memoryId the memory
     * @param update the change and its optional precondition
     */
    record Update(MemoryId memoryId, MemoryUpdate update) implements Change {
        /** Checks that every field is present. */
        public Update {
            Objects.requireNonNull(memoryId, "memoryId");
            Objects.requireNonNull(update, "update");
        }
    }

    /**
     * Deletes a memory.
     *
     * @param memoryId the memory
     * @param expectedContentSha256 the precondition: the SHA-256 the stored content must have
     */
    record Delete(MemoryId memoryId, Optional<String> expectedContentSha256) implements Change {
        /** Checks that every field is present. */
        public Delete {
            Objects.requireNonNull(memoryId, "memoryId");
            Objects.requireNonNull(expectedContentSha256, "expectedContentSha256");
        }
    }
}
