package dev.agentmemory.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which stores to list: newest first, archived ones only when asked for, optionally within a created-at range, with
 * a given name, or with given metadata. The name and every metadata pair must match exactly (case-sensitive).
 *
 * @param includeArchived whether archived stores are listed (off by default)
 * @param createdAtOrAfter only stores created at or after this instant
 * @param createdAtOrBefore only stores created at or before this instant
 * @param limit page size, 1 to 100 (20 by default)
 * @param cursor the {@link Page#nextCursor()} of the previous page
 * @param name only stores with exactly this name
 * @param metadata only stores whose metadata holds every one of these key-value pairs (and possibly others)
 */
public record StoreQuery(
        boolean includeArchived,
        Optional<Instant> createdAtOrAfter,
        Optional<Instant> createdAtOrBefore,
        int limit,
        Optional<String> cursor,
        Optional<String> name,
        Map<String, String> metadata) {

    /** Checks that every field is present and copies the metadata. */
    public StoreQuery {
        Objects.requireNonNull(createdAtOrAfter, "createdAtOrAfter");
        Objects.requireNonNull(createdAtOrBefore, "createdAtOrBefore");
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(name, "name");
        metadata = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(metadata));
    }

    /**
     * Creates a query without name or metadata filters.
     *
     * @param includeArchived whether archived stores are listed
     * @param createdAtOrAfter only stores created at or after this instant
     * @param createdAtOrBefore only stores created at or before this instant
     * @param limit page size, 1 to 100
     * @param cursor the {@link Page#nextCursor()} of the previous page
     */
    public StoreQuery(boolean includeArchived, Optional<Instant> createdAtOrAfter, Optional<Instant> createdAtOrBefore,
            int limit, Optional<String> cursor) {
        this(includeArchived, createdAtOrAfter, createdAtOrBefore, limit, cursor, Optional.empty(), Map.of());
    }

    /**
     * Returns the default query: live stores, first page of 20.
     *
     * @return the query
     */
    public static StoreQuery firstPage() {
        return builder().build();
    }

    /**
     * Starts a query.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns this query moved to the page that the cursor names.
     *
     * @param nextCursor a cursor from the previous page of this same query
     * @return the query for the next page
     */
    public StoreQuery page(String nextCursor) {
        return new StoreQuery(includeArchived, createdAtOrAfter, createdAtOrBefore, limit, Optional.of(nextCursor), name,
                metadata);
    }

    /** Builds a {@link StoreQuery}. Not thread-safe. */
    public static final class Builder {
        private boolean includeArchived;
        private Optional<Instant> after = Optional.empty();
        private Optional<Instant> before = Optional.empty();
        private int limit = 20;
        private Optional<String> cursor = Optional.empty();
        private Optional<String> name = Optional.empty();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Keeps stores with exactly this name.
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Optional.of(Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * Keeps stores whose metadata maps {@code key} to exactly {@code value}; several calls keep stores that have
         * all the pairs.
         *
         * @param key the metadata key
         * @param value its value
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Lists archived stores too.
         *
         * @param include whether to include them
         * @return this builder
         */
        public Builder includeArchived(boolean include) {
            this.includeArchived = include;
            return this;
        }

        /**
         * Keeps stores created at or after an instant.
         *
         * @param instant the lower bound, inclusive
         * @return this builder
         */
        public Builder createdAtOrAfter(Instant instant) {
            this.after = Optional.of(instant);
            return this;
        }

        /**
         * Keeps stores created at or before an instant.
         *
         * @param instant the upper bound, inclusive
         * @return this builder
         */
        public Builder createdAtOrBefore(Instant instant) {
            this.before = Optional.of(instant);
            return this;
        }

        /**
         * Sets the page size.
         *
         * @param limit 1 to 100
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * Continues a listing.
         *
         * @param cursor the previous page's cursor
         * @return this builder
         */
        public Builder cursor(String cursor) {
            this.cursor = Optional.of(cursor);
            return this;
        }

        /**
         * Returns the query.
         *
         * @return the query
         */
        public StoreQuery build() {
            return new StoreQuery(includeArchived, after, before, limit, cursor, name, metadata);
        }
    }
}
