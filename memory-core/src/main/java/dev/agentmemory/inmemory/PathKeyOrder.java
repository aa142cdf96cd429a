package dev.agentmemory.inmemory;

import dev.agentmemory.spi.PathOrder;
import java.util.Comparator;

/**
 * The order of one store's path index: {@link PathOrder} (code point order), computed by {@link String#compareTo}
 * (UTF-16 order, which the JDK compares many characters at a time) for as long as no indexed path holds a character
 * at or above U+D800.
 *
 * <p>The two orders differ only where the first two characters that differ are both at or above U+D800 (a surrogate
 * against a character from U+E000 to U+FFFF). While no key of the index holds such a character, every comparison the
 * index makes is between a key and some string (another key, or a query such as a scan's start), and at the first
 * difference the key's character is below U+D800: both orders agree. A path with such a character switches the order
 * to {@link PathOrder#compare} before it is inserted, for good; the keys already indexed are ordered alike by both, so
 * the index stays valid. Guarded by the store's lock, as the index is.
 */
final class PathKeyOrder implements Comparator<String> {

    /** Whether a path at or above U+D800 was ever indexed: then the order is {@link PathOrder#compare}. */
    private boolean high;

    /**
     * Makes the order fit a path about to be indexed.
     *
     * @param path the path
     */
    void admit(String path) {
        if (!high) {
            for (int i = 0, n = path.length(); i < n; i++) {
                if (path.charAt(i) >= '\uD800') {
                    high = true;
                    return;
                }
            }
        }
    }

    @Override
    public int compare(String a, String b) {
        return high ? PathOrder.compare(a, b) : a.compareTo(b);
    }
}
