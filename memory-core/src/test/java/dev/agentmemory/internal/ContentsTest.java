package dev.agentmemory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.TextArbitraries;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentsTest {

    private static String independentSha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder b = new StringBuilder();
            for (byte x : digest) {
                b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String ruleOf(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(InvalidArgumentException.class);
        return ((InvalidArgumentException) t).rule();
    }

    // ------------------------------------------------------------------ hashing and size

    @Test
    void knownDigests() {
        // FIPS 180-2 test vector and the digest of nothing
        assertThat(Contents.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Contents.EMPTY_SHA256)
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Contents.encode("")).isEqualTo(new Contents.Encoded(0, Contents.EMPTY_SHA256));
    }

    @Property(tries = 300)
    void sha256OfBytesIsTheDigestInLowercaseHex(@ForAll @Size(max = 300) byte[] bytes) {
        String sha = Contents.sha256(bytes);
        assertThat(sha).isEqualTo(independentSha256(bytes)).matches("[0-9a-f]{64}");
    }

    @Property(tries = 500)
    void encodeGivesUtf8SizeAndDigest(@ForAll("text") String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Contents.Encoded enc = Contents.encode(text);
        assertThat(enc.sizeBytes()).isEqualTo(utf8.length);
        assertThat(enc.sha256()).isEqualTo(independentSha256(utf8));
        assertThat(Contents.utf8Bytes(text)).isEqualTo(utf8);
    }

    @Test
    void sizeCountsBytesNotChars() {
        assertThat(Contents.encode("😀").sizeBytes()).isEqualTo(4);
        assertThat(Contents.encode("é").sizeBytes()).isEqualTo(2);
        assertThat(Contents.encode("€").sizeBytes()).isEqualTo(3);
        assertThat(Contents.encode("\u0000").sizeBytes()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ unpaired surrogates

    @ParameterizedTest
    @ValueSource(strings = {"abc\uD83D", "\uD83D", "a\uDE00b", "\uDE00", "\uD83D\uD83D", "\uD83D\uD83D\uDE00",
            "\uDE00\uD83D", "ok😀\uDBFF"})
    void unpairedSurrogatesAreRefused(String text) {
        assertThat(ruleOf(() -> Contents.encode(text))).isEqualTo("content.utf8");
        assertThat(ruleOf(() -> Contents.utf8Bytes(text))).isEqualTo("content.utf8");
    }

    @Property(tries = 500)
    void aLoneSurrogateAnywhereIsRefused(@ForAll("text") String text, @ForAll @IntRange(max = 1000) int at,
            @ForAll("surrogates") char surrogate) {
        int cps = text.codePointCount(0, text.length());
        int index = text.offsetByCodePoints(0, at % (cps + 1));
        String broken = text.substring(0, index) + surrogate + text.substring(index);
        assertThat(ruleOf(() -> Contents.encode(broken))).isEqualTo("content.utf8");
    }

    @Property(tries = 1000)
    void theFirstUnpairedSurrogateIsFoundWhereverBlocksEnd(@ForAll @IntRange(max = 400) int length,
            @ForAll long seed) {
        // dense surrogates, so pairs straddle the scan's 64-char blocks and lone halves sit at their edges
        java.util.Random random = new java.util.Random(seed);
        char[] chars = new char[length];
        int density = 1 + random.nextInt(200);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(density);
            chars[i] = pick == 0 ? (char) (0xD800 + random.nextInt(0x400)) // high half
                    : pick == 1 ? (char) (0xDC00 + random.nextInt(0x400)) // low half
                    : (char) random.nextInt(0xD800);
        }
        String text = new String(chars);
        int expected = -1; // independently: walk the text by code points
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                expected = i;
                break;
            }
            i += Character.charCount(cp);
        }
        assertThat(Contents.unpairedSurrogateIndex(text)).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ strict decoding

    @ParameterizedTest
    @ValueSource(strings = {
        "c0af", "c1bf", "e080af", "f08080af", "f8888080af", // overlong encodings
        "80", "bf", "61bf62", "c3a980", // lone continuation bytes
        "eda0bdedb880", "eda080", "edbfbf", // CESU-8 / encoded surrogates
        "e282", "f09f98", "c3", "61e2", // truncated sequences
        "f4908080", "f5808080", "fe", "ff", "c328" // beyond U+10FFFF, never-valid bytes, bad continuation
    })
    void malformedUtf8IsRefused(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(ruleOf(() -> Contents.decodeUtf8(bytes))).isEqualTo("content.utf8");
    }

    @Test
    void wellFormedUtf8IsDecoded() {
        assertThat(Contents.decodeUtf8(HexFormat.of().parseHex("e282ac"))).isEqualTo("€");
        assertThat(Contents.decodeUtf8(HexFormat.of().parseHex("f09f9880"))).isEqualTo("😀");
        assertThat(Contents.decodeUtf8(HexFormat.of().parseHex("f48fbfbf"))).isEqualTo("\uDBFF\uDFFF");
        assertThat(Contents.decodeUtf8(HexFormat.of().parseHex("00"))).isEqualTo("\u0000");
        assertThat(Contents.decodeUtf8(HexFormat.of().parseHex("efbbbf61"))).isEqualTo("\uFEFFa");
        assertThat(Contents.decodeUtf8(new byte[0])).isEmpty();
    }

    @Property(tries = 500)
    void decodingUndoesEncoding(@ForAll("text") String text) {
        assertThat(Contents.decodeUtf8(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    }

    // ------------------------------------------------------------------ precondition syntax

    @Test
    void checkSha256AcceptsLowercaseHex() {
        String sha = Contents.sha256("x".getBytes(StandardCharsets.UTF_8));
        assertThat(Contents.checkSha256(sha)).isEqualTo(sha);
        assertThat(Contents.checkSha256("0123456789abcdef".repeat(4))).isEqualTo("0123456789abcdef".repeat(4));
    }

    @Test
    void checkSha256RefusesAnythingElse() {
        String sha = Contents.EMPTY_SHA256;
        for (String bad : new String[] {null, "", sha.substring(1), sha + "0", sha.toUpperCase(),
            "g" + sha.substring(1), " " + sha.substring(1), sha.substring(1) + "\n", "0x" + sha.substring(2)}) {
            assertThat(ruleOf(() -> Contents.checkSha256(bad))).as(String.valueOf(bad)).isEqualTo("precondition.sha256");
        }
    }

    @Provide
    Arbitrary<String> text() {
        return TextArbitraries.wellFormed(40);
    }

    @Provide
    Arbitrary<Character> surrogates() {
        return Arbitraries.chars().range('\uD800', '\uDFFF');
    }
}
