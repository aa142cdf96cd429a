package dev.agentmemory.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which versions to list: newest first, filtered by memory, actor (a session is an actor), operation and a created-at
 * range, one page at a time.
 *
 * @param memoryId only this memory's versions
 * @param actor only versions made by this actor
 * @param operation only versions of this kind
 * @param createdAtOrAfter only versions created at or after this instant
 * @param createdAtOrBefore only versions created at or before this instant
 * @param limit page size, 1 to 100 (20 by default)
 * @param cursor the {@link Page#nextCursor()} of the previous page
 * @param includeContent whether versions carry their content (off by default)
 */
public record VersionQuery(
        Optional<MemoryId> memoryId,
        Optional<Actor> actor,
        Optional<Operation> operation,
        Optional<Instant> createdAtOrAfter,
        Optional<Instant> createdAtOrBefore,
        int limit,
        Optional<String> cursor,
        boolean includeContent) {

    /** Checks that every field is present. */
    public VersionQuery {
        Objects.requireNonNull(memoryId, "memoryId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(createdAtOrAfter, "createdAtOrAfter");
        Objects.requireNonNull(createdAtOrBefore, "createdAtOrBefore");
        Objects.requireNonNull(cursor, "cursor");
    }

    /**
     * Returns the query for every version of the store, first page of 20, without content.
     *
     * @return the query
     */
    public static VersionQuery all() {
        return builder().build();
    }

    /**
     * Returns the query for one memory's history.
     *
     * @param memoryId the memory
     * @return a builder
     */
    public static Builder ofMemory(MemoryId memoryId) {
        return builder().memoryId(memoryId);
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
    public VersionQuery page(String nextCursor) {
        return new VersionQuery(memoryId, actor, operation, createdAtOrAfter, createdAtOrBefore, limit,
                Optional.of(nextCursor), includeContent);
    }

    /** Builds a {@link VersionQuery}. Not thread-safe. */
    public static final class Builder {
        private Optional<MemoryId> memoryId = Optional.empty();
        private Optional<Actor> actor = Optional.empty();
        private Optional<Operation> operation = Optional.empty();
        private Optional<Instant> after = Optional.empty();
        private Optional<Instant> before = Optional.empty();
        private int limit = 20;
        private Optional<String> cursor = Optional.empty();
        private boolean includeContent;

        private Builder() {
        }

        /**
         * Keeps one memory's versions.
         *
         * @param id the memory
         * @return this builder
         */
        public Builder memoryId(MemoryId id) {
            this.memoryId = Optional.of(id);
            return this;
        }

        /**
         * Keeps one actor's versions.
         *
         * @param actor the actor
         * @return this builder
         */
        public Builder actor(Actor actor) {
            this.actor = Optional.of(actor);
            return this;
        }

        /**
         * Keeps one session's versions.
         *
         * @param sessionId the session
         * @return this builder
         */
        public Builder session(SessionId sessionId) {
            return actor(Actor.session(sessionId));
        }

        /**
         * Keeps one kind of version.
         *
         * @param operation the kind
         * @return this builder
         */
        public Builder operation(Operation operation) {
            this.operation = Optional.of(operation);
            return this;
        }

        /**
         * Keeps versions created at or after an instant.
         *
         * @param instant the lower bound, inclusive
         * @return this builder
         */
        public Builder createdAtOrAfter(Instant instant) {
            this.after = Optional.of(instant);
            return this;
        }

        /**
         * Keeps versions created at or before an instant.
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
         * Asks for each version's content.
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
        public VersionQuery build() {
            return new VersionQuery(memoryId, actor, operation, after, before, limit, cursor, includeContent);
        }
    }
}
