package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.InvalidArgumentException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Content rules: strict UTF-8, SHA-256 in lowercase hex, size in bytes. */
public final class Contents {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    });

    /**
     * The UTF-8 bytes of the text this thread encoded or decoded last, kept until the write's chain leaf takes them
     * ({@link #utf8BytesOf}) so that a write encodes its content once. Keyed by the text's identity: a hit is the
     * very string those bytes were made from or made into, so the bytes are exact. At most {@value #KEEP_MAX_BYTES}
     * bytes are kept.
     */
    private static final ThreadLocal<LastEncoded> LAST = ThreadLocal.withInitial(LastEncoded::new);
    private static final int KEEP_MAX_BYTES = 1 << 20;

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** SHA-256 of the empty string. */
    public static final String EMPTY_SHA256 = sha256(new byte[0]);

    private Contents() {
    }

    /**
     * The encoded form of a text: its UTF-8 bytes' count and SHA-256.
     *
     * @param sizeBytes the number of UTF-8 bytes
     * @param sha256 lowercase hex SHA-256 of those bytes
     */
    public record Encoded(long sizeBytes, String sha256) {
    }

    /**
     * Encodes a text strictly as UTF-8 and hashes it.
     *
     * @param text the content
     * @return its size and SHA-256
     * @throws InvalidArgumentException if the text has an unpaired surrogate, which UTF-8 cannot encode
     */
    public static Encoded encode(String text) {
        byte[] bytes = utf8Bytes(text);
        keep(text, bytes);
        return new Encoded(bytes.length, sha256(bytes));
    }

    /**
     * Returns the strict UTF-8 bytes of a text.
     *
     * @param text the content
     * @return the bytes
     * @throws InvalidArgumentException if the text has an unpaired surrogate
     */
    public static byte[] utf8Bytes(String text) {
        // The JDK's encoder would replace an unpaired surrogate with '?' (one byte, like ASCII), so look first.
        int bad = unpairedSurrogateIndex(text);
        if (bad >= 0) {
            throw new InvalidArgumentException("content.utf8", "content is not valid Unicode text: it has an"
                    + " unpaired surrogate at index " + bad + "; memories hold UTF-8 text only");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the index of the first unpaired surrogate, or -1. One cheap test per char in the common case. */
    static int unpairedSurrogateIndex(String s) {
        int n = s.length();
        if (n > SCAN_CHARS) {
            return unpairedSurrogateIndex(s.toCharArray(), n);
        }
        char[] chars = SCAN_BUFFER.get();
        s.getChars(0, n, chars, 0); // one bulk copy, then a loop over an array without per-char checks
        return unpairedSurrogateIndex(chars, n);
    }

    private static final int SCAN_CHARS = 8192;
    private static final ThreadLocal<char[]> SCAN_BUFFER = ThreadLocal.withInitial(() -> new char[SCAN_CHARS]);

    private static int unpairedSurrogateIndex(char[] s, int n) {
        int i = 0;
        while (i < n) {
            // A block of 64 chars without a branch per char: (c ^ 0xD800) - 0x800 is negative exactly when c is a
            // surrogate (U+D800 to U+DFFF), so the OR of the block is negative when the block holds one. Most text
            // has none, and text with emoji has them in a few blocks; only those are read char by char.
            int end = Math.min(n, i + 64);
            int any = 0;
            for (int j = i; j < end; j++) {
                any |= (s[j] ^ 0xD800) - 0x800;
            }
            if (any >= 0) {
                i = end;
                continue;
            }
            for (; i < end; i++) { // may step one past end, over the low half of a pair that straddles it
                char ch = s[i];
                if ((ch & 0xF800) == 0xD800) {
                    if (ch <= 0xDBFF && i + 1 < n && Character.isLowSurrogate(s[i + 1])) {
                        i++;
                    } else {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /**
     * Text given as UTF-8 bytes, checked once: the decoded text, and the size and SHA-256 taken from the bytes
     * themselves, so that nothing is encoded a second time.
     *
     * @param text the decoded text
     * @param encoded the bytes' size and SHA-256
     */
    public record Utf8(String text, Encoded encoded) {
    }

    /**
     * Decodes UTF-8 bytes strictly and hashes them as they are.
     *
     * @param bytes the bytes; not modified, and kept (not copied) only until this thread's write that hands them in
     *     ends, for the chain's leaf hash
     * @return the text, its size and SHA-256
     * @throws InvalidArgumentException if the bytes are not well-formed UTF-8
     */
    public static Utf8 fromUtf8(byte[] bytes) {
        String text = decodeUtf8(bytes);
        Utf8 out = new Utf8(text, new Encoded(bytes.length, sha256(bytes)));
        keep(text, bytes);
        return out;
    }

    /** A text and its UTF-8 bytes; one per thread, confined to it. */
    private static final class LastEncoded {
        String text;
        byte[] bytes;
    }

    /**
     * Forgets the text and bytes this thread kept for the chain's leaf, if a write kept them and did not use them
     * (a write that changed nothing, was refused or failed): content, erased later or not, is not held in memory
     * beyond the write that brought it.
     */
    static void forgetEncoded() {
        LastEncoded last = LAST.get();
        last.text = null;
        last.bytes = null;
    }

    private static void keep(String text, byte[] bytes) {
        if (bytes.length <= KEEP_MAX_BYTES) {
            LastEncoded last = LAST.get();
            last.text = text;
            last.bytes = bytes;
        }
    }

    /**
     * Returns the UTF-8 bytes of a text: the ones this thread's last {@link #encode} or {@link #fromUtf8} made from
     * or decoded into this very string, if it was the last (and then forgets them), else a new encoding. The caller
     * must not change the array. Text that is not valid Unicode is encoded as the JDK does (unpaired surrogates
     * become {@code ?}), without an exception: this is for hashing text that is already stored.
     *
     * @param text the text
     * @return its UTF-8 bytes
     */
    static byte[] utf8BytesOf(String text) {
        LastEncoded last = LAST.get();
        if (last.text == text) {
            byte[] hit = last.bytes;
            last.text = null;
            last.bytes = null;
            return hit;
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks that bytes are well-formed UTF-8 without keeping the text.
     *
     * @param bytes the bytes
     * @throws InvalidArgumentException if they are not
     */
    public static void checkUtf8(byte[] bytes) {
        decodeUtf8(bytes);
    }

    /**
     * Decodes bytes that must be well-formed UTF-8.
     *
     * @param bytes the bytes
     * @return the text
     * @throws InvalidArgumentException if they are not valid UTF-8
     */
    public static String decodeUtf8(byte[] bytes) {
        // The JDK's own decoding is the fast path; it replaces every malformed sequence with U+FFFD, so a result
        // without one came from well-formed bytes. Only text that has U+FFFD (written, or replaced) is decoded again,
        // strictly, to tell the two apart.
        String fast = new String(bytes, StandardCharsets.UTF_8);
        if (fast.indexOf('\uFFFD') < 0) {
            return fast;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidArgumentException("content.utf8",
                    "content is not valid UTF-8 (" + e.getMessage() + "); memories hold UTF-8 text only");
        }
    }

    /**
     * Hashes bytes.
     *
     * @param bytes the bytes
     * @return lowercase hex SHA-256
     */
    public static String sha256(byte[] bytes) {
        // digest() leaves the digest reset, and nothing else updates this thread's digest: no reset before
        return hex(SHA256.get().digest(bytes));
    }

    /**
     * Writes bytes as lowercase hex, as {@link java.util.HexFormat#formatHex} does, into one array that becomes the
     * string (Latin-1, so the string keeps it without widening).
     *
     * @param bytes the bytes
     * @return two lowercase hex digits per byte
     */
    static String hex(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i];
            out[2 * i] = HEX_DIGITS[(b >> 4) & 0xF];
            out[2 * i + 1] = HEX_DIGITS[b & 0xF];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /**
     * Checks the form of a SHA-256 given as a precondition.
     *
     * @param sha the value
     * @return the value
     * @throws InvalidArgumentException unless it is 64 lowercase hex digits
     */
    public static String checkSha256(String sha) {
        boolean ok = sha != null && sha.length() == 64;
        for (int i = 0; ok && i < 64; i++) {
            char ch = sha.charAt(i);
            ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
        }
        if (!ok) {
            throw new InvalidArgumentException("precondition.sha256", "'" + (sha == null ? "null"
                    : IdRules.printable(sha)) + "' is not a content_sha256: expected 64 lowercase hex digits,"
                    + " as in Memory.contentSha256()");
        }
        return sha;
    }
}
