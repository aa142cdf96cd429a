package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page cursors: {@code page_} and base64url of the query's fingerprint and the last key returned. A cursor is
 * only valid for the query it came from; any other use is refused rather than silently giving wrong pages.
 */
public final class Cursors {

    private static final String PREFIX = "page_";

    private Cursors() {
    }

    /**
     * Makes a cursor.
     *
     * @param fingerprint what identifies the query (kind, store, filters)
     * @param key the last key of the page
     * @return the cursor
     */
    public static String encode(String fingerprint, String key) {
        String fp = Contents.sha256(fingerprint.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString((fp + "\n" + key).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor.
     *
     * @param fingerprint what identifies the query now
     * @param cursor the cursor
     * @return the key it carries
     * @throws InvalidArgumentException if it is malformed or from another query
     */
    public static String decode(String fingerprint, String cursor) {
        String fp = Contents.sha256(fingerprint.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        String text;
        try {
            if (!cursor.startsWith(PREFIX)) {
                throw new IllegalArgumentException("no prefix");
            }
            text = new String(Base64.getUrlDecoder().decode(cursor.substring(PREFIX.length())),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("cursor.malformed", "'" + IdRules.printable(cursor)
                    + "' is not a page cursor; pass the nextCursor of the previous page unchanged");
        }
        int nl = text.indexOf('\n');
        if (nl != fp.length() || !text.substring(0, nl).matches("[0-9a-f]+")) {
            throw new InvalidArgumentException("cursor.malformed", "'" + IdRules.printable(cursor)
                    + "' is not a page cursor; pass the nextCursor of the previous page unchanged");
        }
        if (!text.substring(0, nl).equals(fp)) {
            throw new InvalidArgumentException("cursor.mismatch", "the page cursor belongs to another query;"
                    + " continue a listing with the same store, prefix, depth and filters it started with");
        }
        return text.substring(nl + 1);
    }
}
