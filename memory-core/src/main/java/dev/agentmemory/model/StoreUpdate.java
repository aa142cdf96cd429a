package dev.agentmemory.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A change to a store's name, description, metadata or limits. Fields left empty are unchanged; the metadata is a
 * patch: a present value sets the key, an empty value removes it.
 *
 * <pre>{@code
 * StoreUpdate.builder().description("").putMetadata("team", "search").removeMetadata("owner").build();
 * }</pre>
 *
 * @param name the new name
 * @param description the new description ({@code ""} clears it)
 * @param metadataPatch keys to set (present value) or remove (empty value)
 * @param contentLimitBytes a new per-store content limit
 * @param memoryLimit a new per-store memory count limit
 */
public record StoreUpdate(
        Optional<String> name,
        Optional<String> description,
        Map<String, Optional<String>> metadataPatch,
        OptionalInt contentLimitBytes,
        OptionalInt memoryLimit) {

    /** Checks that every field is present and copies the patch, keeping its order. */
    public StoreUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        metadataPatch = Collections.unmodifiableMap(new LinkedHashMap<>(metadataPatch));
        metadataPatch.forEach((k, v) -> Objects.requireNonNull(v, "metadata patch value for " + k));
        Objects.requireNonNull(contentLimitBytes, "contentLimitBytes");
        Objects.requireNonNull(memoryLimit, "memoryLimit");
    }

    /**
     * Starts an update.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link StoreUpdate}. Not thread-safe. */
    public static final class Builder {
        private Optional<String> name = Optional.empty();
        private Optional<String> description = Optional.empty();
        private final Map<String, Optional<String>> patch = new LinkedHashMap<>();
        private OptionalInt contentLimitBytes = OptionalInt.empty();
        private OptionalInt memoryLimit = OptionalInt.empty();

        private Builder() {
        }

        /**
         * Renames the store. Sessions created before keep their snapshot of the old name.
         *
         * @param name the new name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Optional.of(name);
            return this;
        }

        /**
         * Replaces the description; {@code ""} clears it.
         *
         * @param description the new description
         * @return this builder
         */
        public Builder description(String description) {
            this.description = Optional.of(description);
            return this;
        }

        /**
         * Sets one metadata key.
         *
         * @param key the key
         * @param value its new value
         * @return this builder
         */
        public Builder putMetadata(String key, String value) {
            patch.put(Objects.requireNonNull(key, "key"), Optional.of(value));
            return this;
        }

        /**
         * Removes one metadata key; removing an absent key is not an error.
         *
         * @param key the key
         * @return this builder
         */
        public Builder removeMetadata(String key) {
            patch.put(Objects.requireNonNull(key, "key"), Optional.empty());
            return this;
        }

        /**
         * Sets this store's content size limit; existing memories over it stay until they are next written.
         *
         * @param bytes the maximum number of UTF-8 bytes per memory
         * @return this builder
         */
        public Builder contentLimitBytes(int bytes) {
            this.contentLimitBytes = OptionalInt.of(bytes);
            return this;
        }

        /**
         * Sets this store's memory count limit; a store already over it refuses creates, not edits.
         *
         * @param count the maximum number of memories
         * @return this builder
         */
        public Builder memoryLimit(int count) {
            this.memoryLimit = OptionalInt.of(count);
            return this;
        }

        /**
         * Returns the update.
         *
         * @return the update
         */
        public StoreUpdate build() {
            return new StoreUpdate(name, description, patch, contentLimitBytes, memoryLimit);
        }
    }
}
