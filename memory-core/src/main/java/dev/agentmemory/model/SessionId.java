package dev.agentmemory.model;

import dev.agentmemory.model.internal.IdRules;

/**
 * Identifies a session: one agent run with its attached stores.
 *
 * <p>Ids are opaque strings with the prefix {@code sesn_}; those made by the library carry at least 80 random bits and
 * sort by creation time. Compare them with {@link #equals}, never by parsing.
 *
 * @param value the whole id, prefix included
 */
public record SessionId(String value) implements Comparable<SessionId> {

    /** The prefix every id of this kind starts with. */
    public static final String PREFIX = "sesn_";

    /**
     * Checks the syntax of an id.
     *
     * @throws dev.agentmemory.error.InvalidArgumentException if the value is not a well-formed {@code sesn_} id
     */
    public SessionId {
        IdRules.checkSyntax(PREFIX, value, "SessionId");
    }

    /**
     * Returns the id with this exact value.
     *
     * @param value the id, for example as returned earlier by {@link #value()}
     * @return the id
     * @throws dev.agentmemory.error.InvalidArgumentException if the value is not a well-formed {@code sesn_} id
     */
    public static SessionId of(String value) {
        return new SessionId(value);
    }

    @Override
    public int compareTo(SessionId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
