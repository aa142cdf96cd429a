package dev.agentmemory.tool.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The line model of the memory tool. A file's lines are its text split at {@code \n}; a final {@code \n} ends the
 * last line rather than starting an empty one, so {@code "a\nb\n"} and {@code "a\nb"} both have 2 lines and the
 * empty file has none. A {@code \r} before a {@code \n} belongs to the line ending: it is not shown, and lines
 * inserted into a file whose first line ends in {@code \r\n} end in {@code \r\n} too. Thread-safe (stateless).
 */
public final class TextLines {

    /** Width of the right-aligned line number, as in the reference implementations ({@code %6d\t}). */
    static final int NUMBER_WIDTH = 6;

    private TextLines() {
    }

    /**
     * Splits text into lines, without their line endings.
     *
     * @param text the text
     * @return the lines
     */
    public static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                lines.add(text.substring(start));
                break;
            }
            int end = nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            lines.add(text.substring(start, end));
            start = nl + 1;
        }
        return lines;
    }

    /**
     * Returns the line ending the file uses: {@code \r\n} if its first line ends so, else {@code \n}.
     *
     * @param text the text
     * @return the line ending
     */
    public static String lineEnding(String text) {
        int nl = text.indexOf('\n');
        return nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
    }

    /**
     * Returns the 1-based line on which a character offset lies.
     *
     * @param text the text
     * @param offset a character offset in it
     * @return the line number
     */
    public static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
            line++;
        }
        return line;
    }

    /**
     * Inserts text after line {@code after} (0 = at the top). The inserted text loses one trailing line ending and
     * gets the file's line ending; the file keeps whether it ended in a line ending (an empty file gets one).
     *
     * @param text the file's text
     * @param after the line after which to insert, in {@code [0, split(text).size()]}
     * @param insertText the text to insert
     * @return the new text
     */
    public static String insert(String text, int after, String insertText) {
        String eol = lineEnding(text);
        String piece = insertText;
        if (piece.endsWith("\r\n")) {
            piece = piece.substring(0, piece.length() - 2);
        } else if (piece.endsWith("\n")) {
            piece = piece.substring(0, piece.length() - 1);
        }
        if (text.isEmpty()) {
            return piece + eol;
        }
        int offset = 0;
        for (int i = 0; i < after; i++) {
            int nl = text.indexOf('\n', offset);
            if (nl < 0) {
                // after == number of lines and the last line has no line ending: keep it that way
                return text + eol + piece;
            }
            offset = nl + 1;
        }
        return text.substring(0, offset) + piece + eol + text.substring(offset);
    }

    /**
     * Renders lines with their numbers as {@code %6d\t{line}}, joined by {@code \n}, cut at a line boundary to at
     * most {@code maxChars} characters (the first line is always shown, cut to {@code maxChars} if it is longer).
     *
     * @param lines the file's lines
     * @param from the first line to show, 1-based
     * @param to the last line to show, inclusive
     * @param maxChars the cap
     * @return the rendering and the last line shown
     */
    public static Numbered numbered(List<String> lines, int from, int to, int maxChars) {
        StringBuilder out = new StringBuilder();
        int last = from - 1;
        boolean cut = false;
        for (int n = from; n <= to; n++) {
            String row = String.format(Locale.ROOT, "%" + NUMBER_WIDTH + "d\t%s", n, lines.get(n - 1));
            int need = row.length() + (out.length() > 0 ? 1 : 0);
            if (out.length() + need > maxChars) {
                if (out.length() == 0) {
                    out.append(row, 0, maxChars);
                    last = n;
                    cut = true;
                }
                break;
            }
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(row);
            last = n;
        }
        return new Numbered(out.toString(), last, cut);
    }

    /**
     * Numbered lines.
     *
     * @param text the rendering
     * @param lastShown the number of the last line (partly) shown
     * @param cut whether that line was longer than the cap and was cut
     */
    public record Numbered(String text, int lastShown, boolean cut) {
    }

    /**
     * Formats a size the way the reference implementations do: {@code 0B}, {@code 512B}, {@code 2K}, {@code 1.5K},
     * {@code 3.2M}, {@code 1G} (powers of 1,024, one decimal unless whole).
     *
     * @param bytes the size
     * @return the human size
     */
    public static String humanSize(long bytes) {
        String[] units = {"B", "K", "M", "G"};
        int i = 0;
        double size = bytes;
        while (size >= 1024 && i < units.length - 1) {
            size /= 1024;
            i++;
        }
        if (size == Math.rint(size)) {
            return (long) size + units[i];
        }
        return String.format(Locale.ROOT, "%.1f", size) + units[i];
    }
}
