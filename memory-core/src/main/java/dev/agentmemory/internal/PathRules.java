package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.LimitExceededException.Limit;
import dev.agentmemory.model.Limits;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/** The rules of memory paths and prefixes; how paths sort is {@link dev.agentmemory.spi.PathOrder}. */
public final class PathRules {

    private PathRules() {
    }

    /**
     * Normalises a path to NFC and checks it: absolute, at most the byte and segment limits, segments non-empty and
     * not {@code .} or {@code ..}, no trailing {@code /}, no control (Cc) or format (Cf) characters, well-formed
     * UTF-16.
     *
     * @param path the path as given
     * @param limits the limits
     * @return the path in NFC
     * @throws InvalidArgumentException naming the path and the rule
     * @throws LimitExceededException if it is too long or too deep
     */
    public static String normalize(String path, Limits limits) {
        if (path == null) {
            throw new InvalidArgumentException("path.required", "a path is required, for example /notes/java.md");
        }
        boolean ascii = checkCharacters(path);
        String nfc = ascii || Normalizer.isNormalized(path, Normalizer.Form.NFC) ? path
                : Normalizer.normalize(path, Normalizer.Form.NFC);
        if (!nfc.startsWith("/")) {
            throw bad(nfc, "path.absolute", "it must be absolute, starting with '/'");
        }
        if (nfc.length() > 1 && nfc.endsWith("/")) {
            throw bad(nfc, "path.trailing_slash", "it must not end with '/': that names a directory, not a memory");
        }
        if (nfc.equals("/")) {
            throw bad(nfc, "path.root", "'/' is the store's root directory, not a memory path");
        }
        int segments = checkSegments(nfc, 1, nfc.length());
        checkSize(nfc, segments, limits);
        return nfc;
    }

    /**
     * Normalises a directory prefix to NFC and checks it: {@code /}, or a valid path followed by {@code /}.
     *
     * @param prefix the prefix as given
     * @param limits the limits
     * @return the prefix in NFC
     */
    public static String normalizePrefix(String prefix, Limits limits) {
        if (prefix == null) {
            throw new InvalidArgumentException("prefix.required", "a path prefix is required, for example /notes/");
        }
        if (!prefix.endsWith("/")) {
            throw new InvalidArgumentException("prefix.trailing_slash", "path prefix '" + IdRules.printable(prefix)
                    + "' must end with '/' so that it matches whole segments, for example /notes/");
        }
        if (prefix.equals("/")) {
            return prefix;
        }
        if (prefix.endsWith("//")) {
            throw bad(prefix, "path.empty_segment", "it has an empty segment ('//')");
        }
        return normalize(prefix.substring(0, prefix.length() - 1), limits) + "/";
    }

    /** Refuses control, format and unpaired surrogate characters; tells whether the string is all ASCII. */
    private static boolean checkCharacters(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 0x20 && ch < 0x7F) {
                continue;
            }
            ascii = false;
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = s.codePointAt(i);
                if (Character.getType(cp) == Character.FORMAT) {
                    throw bad(s, "path.format_character", String.format(
                            "it contains the invisible format character U+%04X", cp));
                }
                i++;
                continue;
            }
            if (Character.isSurrogate(ch)) {
                throw bad(s, "path.utf8", "it contains an unpaired surrogate, which is not valid Unicode");
            }
            if (Character.getType(ch) == Character.CONTROL) {
                throw bad(s, "path.control_character", String.format(
                        "it contains the control character U+%04X", (int) ch));
            }
            if (Character.getType(ch) == Character.FORMAT) {
                throw bad(s, "path.format_character", String.format(
                        "it contains the invisible format character U+%04X (zero-width and bidirectional marks"
                                + " hide what a path really says)", (int) ch));
            }
        }
        return ascii;
    }

    private static int checkSegments(String path, int from, int to) {
        int segments = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || path.charAt(i) == '/') {
                int len = i - start;
                if (len == 0) {
                    throw bad(path, "path.empty_segment", "it has an empty segment ('//')");
                }
                if (path.charAt(start) == '.' && (len == 1 || (len == 2 && path.charAt(start + 1) == '.'))) {
                    throw bad(path, "path.dot_segment", "it has a '" + path.substring(start, i)
                            + "' segment; paths are never relative");
                }
                segments++;
                start = i + 1;
            }
        }
        return segments;
    }

    private static void checkSize(String path, int segments, Limits limits) {
        int bytes = utf8Length(path);
        if (bytes > limits.maxPathBytes()) {
            throw new LimitExceededException(Limit.PATH_BYTES, bytes, limits.maxPathBytes(),
                    "path '" + IdRules.printable(path) + "' is too long; use shorter names");
        }
        if (segments > limits.maxPathSegments()) {
            throw new LimitExceededException(Limit.PATH_SEGMENTS, segments, limits.maxPathSegments(),
                    "path '" + IdRules.printable(path) + "' is nested too deeply; use fewer directories");
        }
    }

    /**
     * Counts the UTF-8 bytes of a well-formed string.
     *
     * @param s the string
     * @return its UTF-8 length
     */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n += 1;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static InvalidArgumentException bad(String path, String rule, String why) {
        return new InvalidArgumentException(rule, "invalid path '" + IdRules.printable(path) + "': " + why);
    }

    /**
     * Returns the proper ancestor directories of a path as paths: for {@code /a/b/c}, {@code /a} and {@code /a/b}.
     *
     * @param path a valid path
     * @return the ancestors, shortest first
     */
    public static List<String> ancestors(String path) {
        List<String> out = new ArrayList<>();
        for (int i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
            out.add(path.substring(0, i));
        }
        return out;
    }
}
