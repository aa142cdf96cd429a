package dev.agentmemory.inmemory;

import java.util.HashMap;
import java.util.Map;

/**
 * The directories of one store's paths, each with the number of memories below it at any depth: the answer to "is
 * anything under this directory?" in one hash lookup instead of a walk down the path-ordered tree (which every create
 * asks, for its own path). Mirrors the keys of the store's path index: told of every path added to and removed from it.
 * Confined to the store's lock.
 */
final class Directories {

    /** Directory prefix ({@code /a/}, {@code /a/b/}) to the number of memories below it. */
    private final Map<String, Integer> below = new HashMap<>();

    /** Counts a path that the index now holds. */
    void pathAdded(String path) {
        for (int i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
            below.merge(path.substring(0, i + 1), 1, Integer::sum);
        }
    }

    /** Uncounts a path that the index no longer holds. */
    void pathRemoved(String path) {
        for (int i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
            below.computeIfPresent(path.substring(0, i + 1), (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /**
     * Tells whether no memory is below a directory prefix.
     *
     * @param prefix a prefix; only one that ends with {@code /} (other than the root) names a directory
     * @return true if it names a directory with no memory below it; false if something is there or it may be
     */
    boolean nothingUnder(String prefix) {
        return prefix.length() > 1 && prefix.charAt(prefix.length() - 1) == '/' && !below.containsKey(prefix);
    }

    /** Forgets every path. */
    void clear() {
        below.clear();
    }
}
