package dev.agentmemory.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What to create a store with. The name is required; the rest is optional. The service checks the limits (name 1 to
 * 255 characters, description at most 1,024, metadata at most 16 pairs) when the store is created.
 *
 * <pre>{@code
 * NewStore spec = NewStore.named("Project notes").description("What we learned about the build").build();
 * }</pre>
 *
 * @param name the store's name
 * @param description the description, empty by default
 * @param metadata the host's own key-value pairs
 * @param contentLimitBytes overrides the library's limit on a memory's size for this store
 * @param memoryLimit overrides the library's limit on the number of memories in this store
 */
public record NewStore(
        String name, String description, Map<String, String> metadata, OptionalInt contentLimitBytes,
        OptionalInt memoryLimit) {

    /** Checks that every field is present and copies the metadata. */
    public NewStore {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(contentLimitBytes, "contentLimitBytes");
        Objects.requireNonNull(memoryLimit, "memoryLimit");
    }

    /**
     * Starts a store specification with its name.
     *
     * @param name the store's name
     * @return a builder
     */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Builds a {@link NewStore}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private OptionalInt contentLimitBytes = OptionalInt.empty();
        private OptionalInt memoryLimit = OptionalInt.empty();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * Sets the description, which goes into the agent's system prompt.
         *
         * @param description at most 1,024 characters
         * @return this builder
         */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * Adds one metadata pair.
         *
         * @param key at most 64 characters
         * @param value at most 512 characters
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets this store's limit on a memory's content size.
         *
         * @param bytes the maximum number of UTF-8 bytes
         * @return this builder
         */
        public Builder contentLimitBytes(int bytes) {
            this.contentLimitBytes = OptionalInt.of(bytes);
            return this;
        }

        /**
         * Sets this store's limit on its number of memories.
         *
         * @param count the maximum number of live memories
         * @return this builder
         */
        public Builder memoryLimit(int count) {
            this.memoryLimit = OptionalInt.of(count);
            return this;
        }

        /**
         * Returns the specification.
         *
         * @return the new-store specification
         */
        public NewStore build() {
            return new NewStore(name, description, metadata, contentLimitBytes, memoryLimit);
        }
    }
}
