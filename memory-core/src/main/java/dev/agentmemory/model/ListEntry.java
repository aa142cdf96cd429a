package dev.agentmemory.model;

/**
 * One entry of a memory listing: a {@link Memory}, or a {@link MemoryPrefix} where the listing's depth cuts the tree.
 */
public sealed interface ListEntry permits Memory, MemoryPrefix {
    /**
     * Returns the entry's path: a memory's path, or a prefix such as {@code /a/} that ends in {@code /}.
     *
     * @return the path
     */
    String path();
}
