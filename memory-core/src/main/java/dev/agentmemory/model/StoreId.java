package dev.agentmemory.model;

import dev.agentmemory.model.internal.IdRules;

/**
 * Identifies a memory store.
 *
 * <p>Ids are opaque strings with the prefix {@code memstore_}; those made by the library carry at least 80 random bits and
 * sort by creation time. Compare them with {@link #equals}, never by parsing.
 *
 * @param value the whole id, prefix included
 */
public record StoreId(String value) implements Comparable<StoreId> {

    /** The prefix every id of this kind starts with. */
    public static final String PREFIX = "memstore_";

    /**
     * Checks the syntax of an id.
     *
     * @throws dev.agentmemory.error.InvalidArgumentException if the value is not a well-formed {@code memstore_} id
     */
    public StoreId {
        IdRules.checkSyntax(PREFIX, value, "StoreId");
    }

    /**
     * Returns the id with this exact value.
     *
     * @param value the id, for example as returned earlier by {@link #value()}
     * @return the id
     * @throws dev.agentmemory.error.InvalidArgumentException if the value is not a well-formed {@code memstore_} id
     */
    public static StoreId of(String value) {
        return new StoreId(value);
    }

    @Override
    public int compareTo(StoreId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
