package dev.agentmemory.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Which memories to list: those under a path prefix, to a depth, one page at a time, ordered by path.
 *
 * <p>The prefix ends in {@code /} and matches whole segments ({@code /a/} matches {@code /a/b} but not {@code /ab}).
 * Depth 0 lists the whole subtree; depth 1 lists the children only, with a {@link MemoryPrefix} such as {@code /a/b/}
 * for each child directory. Entries are ordered by path in Unicode code point order.
 *
 * @param pathPrefix the prefix, {@code /} by default
 * @param depth 0 (whole subtree, the default) or 1 (children only)
 * @param limit page size, 1 to 100 (20 by default); prefixes count toward it
 * @param cursor the {@link Page#nextCursor()} of the previous page
 * @param includeContent whether memories carry their content (off by default)
 */
public record ListQuery(String pathPrefix, int depth, int limit, Optional<String> cursor, boolean includeContent) {

    /** Checks that every field is present. */
    public ListQuery {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(cursor, "cursor");
    }

    /**
     * Returns the query for the whole store, first page of 20, without content.
     *
     * @return the query
     */
    public static ListQuery all() {
        return builder().build();
    }

    /**
     * Starts a query under a prefix.
     *
     * @param pathPrefix a prefix ending in {@code /}
     * @return a builder
     */
    public static Builder under(String pathPrefix) {
        return builder().pathPrefix(pathPrefix);
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
    public ListQuery page(String nextCursor) {
        return new ListQuery(pathPrefix, depth, limit, Optional.of(nextCursor), includeContent);
    }

    /** Builds a {@link ListQuery}. Not thread-safe. */
    public static final class Builder {
        private String pathPrefix = "/";
        private int depth;
        private int limit = 20;
        private Optional<String> cursor = Optional.empty();
        private boolean includeContent;

        private Builder() {
        }

        /**
         * Sets the prefix.
         *
         * @param pathPrefix a prefix ending in {@code /}
         * @return this builder
         */
        public Builder pathPrefix(String pathPrefix) {
            this.pathPrefix = Objects.requireNonNull(pathPrefix, "pathPrefix");
            return this;
        }

        /**
         * Sets the depth.
         *
         * @param depth 0 for the whole subtree, 1 for children only
         * @return this builder
         */
        public Builder depth(int depth) {
            this.depth = depth;
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
         * Asks for each memory's content.
         *
         * @param include whether to load content
         * @return this builder
         */
        public Builder includeContent(boolean include) {
            this.includeContent = include;
            return this;
        }

        /**
         * Returns the query.
         *
         * @return the query
         */
        public ListQuery build() {
            return new ListQuery(pathPrefix, depth, limit, cursor, includeContent);
        }
    }
}
