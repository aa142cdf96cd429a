package dev.agentmemory.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param items the items of this page, in the listing's order
 * @param nextCursor the opaque cursor for the next page; empty on the last page
 * @param <T> the item type
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {

    /** Copies the items. */
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }

    /**
     * Tells whether another page follows.
     *
     * @return true if {@link #nextCursor()} is present
     */
    public boolean hasMore() {
        return nextCursor.isPresent();
    }
}
