package dev.agentmemory.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which stores to list: newest first, archived ones only when asked for, optionally within a created-at range.
 *
 * @param includeArchived whether archived stores are listed (off by default)
 * @param createdAtOrAfter only stores created at or after this instant
 * @param createdAtOrBefore only stores created at or before this instant
 * @param limit page size, 1 to 100 (20 by default)
 * @param cursor the {@link Page#nextCursor()} of the previous page
 */
public record StoreQuery(
        boolean includeArchived,
        Optional<Instant> createdAtOrAfter,
        Optional<Instant> createdAtOrBefore,
        int limit,
        Optional<String> cursor) {

    /** Checks that every field is present. */
    public StoreQuery {
        Objects.requireNonNull(createdAtOrAfter, "createdAtOrAfter");
        Objects.requireNonNull(createdAtOrBefore, "createdAtOrBefore");
        Objects.requireNonNull(cursor, "cursor");
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
        return new StoreQuery(includeArchived, createdAtOrAfter, createdAtOrBefore, limit, Optional.of(nextCursor));
    }

    /** Builds a {@link StoreQuery}. Not thread-safe. */
    public static final class Builder {
        private boolean includeArchived;
        private Optional<Instant> after = Optional.empty();
        private Optional<Instant> before = Optional.empty();
        private int limit = 20;
        private Optional<String> cursor = Optional.empty();

        private Builder() {
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
            return new StoreQuery(includeArchived, after, before, limit, cursor);
        }
    }
}
