package dev.agentmemory.model;

import dev.agentmemory.model.internal.IdRules;

/**
 * Identifies a memory version: one immutable record of one change to one memory.
 *
 * <p>Ids are opaque strings with the prefix {@code memver_}; those made by the library carry at least 80 random bits and
 * sort by creation time. Compare them with {@link #equals}, never by parsing.
 *
 * @param value the whole id, prefix included
 */
public record VersionId(String value) implements Comparable<VersionId> {

    /** The prefix every id of this kind starts with. */
    public static final String PREFIX = "memver_";

    /**
     * Checks the syntax of an id.
     *
     * @throws dev.agentmemory.error.InvalidArgumentException if the value is not a well-formed {@code memver_} id
     */
    public VersionId {
        IdRules.checkSyntax(PREFIX, value, "VersionId");
    }

    /**
     * Returns the id with this exact value.
     *
     * @param value the id, for example as returned earlier by {@link #value()}
     * @return the id
     * @throws dev.agentmemory.error.InvalidArgumentException if the value is not a well-formed {@code memver_} id
     */
    public static VersionId of(String value) {
        return new VersionId(value);
    }

    @Override
    public int compareTo(VersionId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
