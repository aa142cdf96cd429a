package dev.agentmemory.spi;

import java.util.Comparator;

/**
 * How memory paths sort, and the bounds of the range of paths under a prefix: what a backend needs to answer
 * {@link MemoryBackend#scanMemories} in the order every backend shares.
 *
 * <p>Paths sort in Unicode code point order, which is the order of their UTF-8 bytes (SQLite's {@code BINARY}
 * collation, PostgreSQL's {@code COLLATE "C"}) and not {@link String#compareTo}, which compares UTF-16 units and so
 * puts characters above U+FFFF before U+E000..U+FFFF. Every path under a prefix {@code p} (ending in {@code /}) sorts
 * at or after {@code p} and before {@link #prefixEnd(String) prefixEnd(p)}.
 */
public final class PathOrder {

    /** Unicode code point order, which is UTF-8 byte order; the order of every path listing. */
    public static final Comparator<String> ORDER = PathOrder::compare;

    private PathOrder() {
    }

    /**
     * Compares two strings by code point, as their UTF-8 bytes compare.
     *
     * @param a one string
     * @param b another
     * @return negative, zero or positive
     */
    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF, which sort after every BMP character.
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /**
     * Returns the smallest string greater than every string that starts with {@code prefix} (which ends in
     * {@code /}): the prefix with its last {@code /} replaced by {@code 0}, the next character.
     *
     * @param prefix a prefix ending in {@code /}
     * @return the end of its range, exclusive
     */
    public static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + '0';
    }

    /**
     * Returns the smallest string greater than {@code path}.
     *
     * @param path a path
     * @return the path followed by U+0000
     */
    public static String successor(String path) {
        return path + '\u0000';
    }
}
