package dev.agentmemory.model;

import java.util.Objects;

/**
 * A directory-like entry in a listing: the prefix {@code /a/} stands for every memory under it. Prefixes have no id;
 * directories are implicit in memory paths.
 *
 * @param path the prefix, ending in {@code /}
 */
public record MemoryPrefix(String path) implements ListEntry {
    /** Checks that the prefix ends in {@code /}. */
    public MemoryPrefix {
        Objects.requireNonNull(path, "path");
        if (!path.endsWith("/")) {
            throw new IllegalArgumentException("a prefix ends in '/': " + path);
        }
    }
}
