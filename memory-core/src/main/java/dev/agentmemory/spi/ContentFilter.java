package dev.agentmemory.spi;

import java.util.Objects;

/**
 * A cheap test on a memory's whole content that a search asks a backend to apply before it loads memories: the
 * content must contain {@link #text()}, exactly or ignoring ASCII case. It only narrows the candidates; the service
 * decides every match itself, so a backend must return every memory that passes this filter (and may not return one
 * that fails it). A backend that cannot evaluate it efficiently can rely on
 * {@link MemoryBackend#scanMemoriesContaining}'s default, which evaluates {@link #accepts} on each scanned memory.
 *
 * @param text the text the content must contain; ASCII only when {@code asciiIgnoreCase} is set
 * @param asciiIgnoreCase whether the letters {@code A}-{@code Z} and {@code a}-{@code z} are compared ignoring case
 *     (no other character is folded)
 */
public record ContentFilter(String text, boolean asciiIgnoreCase) {

    /** Checks that the text is present and, when case is ignored, ASCII. */
    public ContentFilter {
        Objects.requireNonNull(text, "text");
        if (asciiIgnoreCase && !text.chars().allMatch(c -> c < 128)) {
            throw new IllegalArgumentException("a filter that ignores ASCII case takes ASCII text only");
        }
    }

    /**
     * Tells whether content passes the filter: the definition every backend's evaluation must agree with.
     *
     * @param content a memory's content
     * @return true if it contains the text
     */
    public boolean accepts(String content) {
        return asciiIgnoreCase ? lowerAscii(content).contains(lowerAscii(text)) : content.contains(text);
    }

    /**
     * Returns a string with {@code A}-{@code Z} replaced by {@code a}-{@code z} and every other character unchanged.
     *
     * @param s the string
     * @return it in ASCII lower case
     */
    public static String lowerAscii(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[i] = (char) (c + ('a' - 'A'));
            }
        }
        return out == null ? s : new String(out);
    }
}
