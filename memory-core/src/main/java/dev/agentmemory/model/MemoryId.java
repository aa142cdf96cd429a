package dev.agentmemory.model;

import dev.agentmemory.model.internal.IdRules;

/**
 * Identifies a memory: one text document in a store. A rename keeps the id.
 *
 * <p>Ids are opaque strings with the prefix {@code mem_}; those made by the library carry at least 80 random bits and
 * sort by creation time. Compare them with {@link #equals}, never by parsing.
 *
 * @param value the whole id, prefix included
 */
public record MemoryId(String value) implements Comparable<MemoryId> {

    /** The prefix every id of this kind starts with. */
    public static final String PREFIX = "mem_";

    /**
     * Checks the syntax of an id.
     *
     * @throws dev.agentmemory.error.InvalidArgumentException if the value is not a well-formed {@code mem_} id
     */
    public MemoryId {
        IdRules.checkSyntax(PREFIX, value, "MemoryId");
    }

    /**
     * Returns the id with this exact value.
     *
     * @param value the id, for example as returned earlier by {@link #value()}
     * @return the id
     * @throws dev.agentmemory.error.InvalidArgumentException if the value is not a well-formed {@code mem_} id
     */
    public static MemoryId of(String value) {
        return new MemoryId(value);
    }

    @Override
    public int compareTo(MemoryId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
