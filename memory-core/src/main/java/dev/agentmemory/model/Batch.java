package dev.agentmemory.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Changes applied atomically: all of them, in order, or none. A later change sees the effect of the earlier ones (a
 * memory created in the batch can be renamed later in it, by the id of its result; a path freed by one change can be
 * taken by the next).
 *
 * <pre>{@code
 * Batch batch = Batch.builder()
 *         .update(a.id(), MemoryUpdate.content("x").ifContentSha256(a.contentSha256()))
 *         .delete(b.id(), b.contentSha256())
 *         .create("/c.md", "new")
 *         .build();
 * }</pre>
 *
 * @param changes the changes, in order; at least one
 */
public record Batch(List<Change> changes) {

    /** Copies the changes. */
    public Batch {
        changes = List.copyOf(changes);
    }

    /**
     * Starts a batch.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Batch}. Not thread-safe. */
    public static final class Builder {
        private final List<Change> changes = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a create.
         *
         * @param path the path
         * @param content the content
         * @return this builder
         */
        public Builder create(String path, String content) {
            changes.add(new Change.Create(path, content));
            return this;
        }

        /**
         * Adds an update.
         *
         * @param memoryId the memory
         * @param update the change, with its optional precondition
         * @return this builder
         */
        public Builder update(MemoryId memoryId, MemoryUpdate update) {
            changes.add(new Change.Update(memoryId, update));
            return this;
        }

        /**
         * Adds an unconditional delete.
         *
         * @param memoryId the memory
         * @return this builder
         */
        public Builder delete(MemoryId memoryId) {
            changes.add(new Change.Delete(memoryId, Optional.empty()));
            return this;
        }

        /**
         * Adds a conditional delete.
         *
         * @param memoryId the memory
         * @param expectedContentSha256 the SHA-256 the stored content must have
         * @return this builder
         */
        public Builder delete(MemoryId memoryId, String expectedContentSha256) {
            changes.add(new Change.Delete(memoryId, Optional.of(expectedContentSha256)));
            return this;
        }

        /**
         * Adds any change.
         *
         * @param change the change
         * @return this builder
         */
        public Builder add(Change change) {
            changes.add(change);
            return this;
        }

        /**
         * Returns the batch.
         *
         * @return the batch
         */
        public Batch build() {
            return new Batch(changes);
        }
    }
}
