package dev.agentmemory.testkit;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The reference model's own, deliberately plain reading of the path, content and precondition rules (NFC paths of
 * at most 1024 bytes and 32 segments without {@code .}, {@code ..}, control or format characters; UTF-8 content within
 * the store's size limit; a content SHA-256 that must match the stored one), written independently of the library's
 * code. A broken rule is
 * thrown as a {@link StatefulModelFailure}.
 */
final class StatefulModelRules {

    /** Unicode code point order: the order in which listings return paths. */
    static final Comparator<String> CODE_POINT_ORDER = StatefulModelRules::compareCodePoints;

    private StatefulModelRules() {
    }

    static int compareCodePoints(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** A path's characters, then its shape, then its size; returns the path in NFC. */
    static String path(String raw, int maxBytes, int maxSegments) {
        checkCharacters(raw);
        String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
        if (!nfc.startsWith("/")) {
            throw invalid("path.absolute");
        }
        if (nfc.length() > 1 && nfc.endsWith("/")) {
            throw invalid("path.trailing_slash");
        }
        if (nfc.equals("/")) {
            throw invalid("path.root");
        }
        String[] segments = nfc.substring(1).split("/", -1);
        for (String s : segments) {
            if (s.isEmpty()) {
                throw invalid("path.empty_segment");
            }
            if (s.equals(".") || s.equals("..")) {
                throw invalid("path.dot_segment");
            }
        }
        checkSize(nfc, maxBytes, maxSegments);
        return nfc;
    }

    /** The size limits alone, for paths made of valid parts (a directory move's new paths). */
    static void checkSize(String path, int maxBytes, int maxSegments) {
        int bytes = utf8(path).length;
        if (bytes > maxBytes) {
            throw StatefulModelFailure.of(LimitExceededException.class, "path_bytes", (long) bytes,
                    (long) maxBytes);
        }
        int segments = path.substring(1).split("/", -1).length;
        if (segments > maxSegments) {
            throw StatefulModelFailure.of(LimitExceededException.class, "path_segments", (long) segments,
                    (long) maxSegments);
        }
    }

    /** A directory prefix: must end in '/', is '/' or a valid path followed by '/'; a final '//' is an empty segment. */
    static String prefix(String raw, int maxBytes, int maxSegments) {
        if (!raw.endsWith("/")) {
            throw invalid("prefix.trailing_slash");
        }
        if (raw.equals("/")) {
            return raw;
        }
        if (raw.endsWith("//")) {
            // '/a//' names an empty last segment, not a missing slash.
            throw invalid("path.empty_segment");
        }
        return path(raw.substring(0, raw.length() - 1), maxBytes, maxSegments) + "/";
    }

    private static void checkCharacters(String raw) {
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            int cp;
            int width;
            if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                cp = Character.toCodePoint(c, raw.charAt(i + 1));
                width = 2;
            } else if (Character.isSurrogate(c)) {
                throw invalid("path.utf8");
            } else {
                cp = c;
                width = 1;
            }
            int type = Character.getType(cp);
            if (type == Character.CONTROL) {
                throw invalid("path.control_character");
            }
            if (type == Character.FORMAT) {
                throw invalid("path.format_character");
            }
            i += width;
        }
    }

    /** Content: well-formed Unicode first, then the size limit. */
    static void content(String content, int maxBytes) {
        if (hasUnpairedSurrogate(content)) {
            throw invalid("content.utf8");
        }
        int bytes = utf8(content).length;
        if (bytes > maxBytes) {
            throw StatefulModelFailure.of(LimitExceededException.class, "content_size_bytes", (long) bytes,
                    (long) maxBytes);
        }
    }

    /** A precondition's syntax: 64 lowercase hex digits. */
    static void sha(String sha) {
        if (!sha.matches("[0-9a-f]{64}")) {
            throw invalid("precondition.sha256");
        }
    }

    static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Proper ancestors of a path, shortest first: /a and /a/b for /a/b/c. */
    static List<String> ancestors(String path) {
        List<String> out = new ArrayList<>();
        String[] segments = path.substring(1).split("/");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < segments.length - 1; i++) {
            b.append('/').append(segments[i]);
            out.add(b.toString());
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static long size(String content) {
        return utf8(content).length;
    }

    static String sha256(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(utf8(content));
            StringBuilder b = new StringBuilder();
            for (byte x : digest) {
                b.append(String.format("%02x", x & 0xff));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StatefulModelFailure invalid(String rule) {
        return StatefulModelFailure.of(InvalidArgumentException.class, rule);
    }
}
