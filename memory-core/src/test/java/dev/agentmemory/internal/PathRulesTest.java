package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.TextArbitraries;
import dev.agentmemory.spi.PathOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathRulesTest {

    private static final Limits LIMITS = Limits.defaults();

    private static String normalize(String path) {
        return PathRules.normalize(path, LIMITS);
    }

    private static String ruleOf(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(InvalidArgumentException.class);
        return ((InvalidArgumentException) t).rule();
    }

    // ------------------------------------------------------------------ normalize: accepted

    @ParameterizedTest
    @ValueSource(strings = {"/a", "/notes/java.md", "/a b/c-d_e.f", "/.hidden/..dots/...", "/a.", "/😀/ü/中文",
            "/\u00e9", "/0/1/2"})
    void validPathsAreKeptAsTheyAre(String path) {
        assertThat(normalize(path)).isEqualTo(path);
    }

    @Test
    void decomposedPathIsStoredInNfc() {
        String decomposed = "/caf" + "e\u0301" + "/r" + "e\u0301" + "sum" + "e\u0301";
        String normalized = normalize(decomposed);
        assertThat(normalized).isEqualTo("/caf\u00e9/r\u00e9sum\u00e9");
        assertThat(normalized.length()).isLessThan(decomposed.length());
        // normalizing again changes nothing
        assertThat(normalize(normalized)).isEqualTo(normalized);
    }

    @Test
    void hangulJamoAreComposedToo() {
        assertThat(normalize("/\u1100\u1161")).isEqualTo("/\uAC00");
    }

    // ------------------------------------------------------------------ normalize: refused by rule

    @Test
    void nullIsRefused() {
        assertThat(ruleOf(() -> normalize(null))).isEqualTo("path.required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a/b", "notes/java.md", " /a", "\u00e9/a"})
    void relativePathsAreRefused(String path) {
        assertThat(ruleOf(() -> normalize(path))).isEqualTo("path.absolute");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/", "/a/b/", "//", "/a//"})
    void trailingSlashIsRefused(String path) {
        assertThat(ruleOf(() -> normalize(path))).isEqualTo("path.trailing_slash");
    }

    @Test
    void rootIsRefused() {
        assertThat(ruleOf(() -> normalize("/"))).isEqualTo("path.root");
    }

    @ParameterizedTest
    @ValueSource(strings = {"//a", "/a//b", "/a///b", "///a"})
    void emptySegmentsAreRefused(String path) {
        assertThat(ruleOf(() -> normalize(path))).isEqualTo("path.empty_segment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.", "/..", "/a/.", "/a/..", "/./a", "/../a", "/a/./b", "/a/../b"})
    void dotSegmentsAreRefused(String path) {
        assertThat(ruleOf(() -> normalize(path))).isEqualTo("path.dot_segment");
    }

    @Test
    void everyControlAndFormatCharacterIsRefusedWherever() {
        List<String> accepted = new ArrayList<>();
        int checked = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            int type = Character.getType(cp);
            if (type != Character.CONTROL && type != Character.FORMAT) {
                continue;
            }
            String ch = new String(Character.toChars(cp));
            String expected = type == Character.CONTROL ? "path.control_character" : "path.format_character";
            for (String path : List.of("/" + ch, "/a" + ch + "b", "/a/b" + ch, "/" + ch + "/a")) {
                checked++;
                try {
                    normalize(path);
                    accepted.add(String.format("U+%04X in %s", cp, IdRules.printable(path)));
                } catch (InvalidArgumentException e) {
                    if (!e.rule().equals(expected)) {
                        accepted.add(String.format("U+%04X refused as %s", cp, e.rule()));
                    }
                }
            }
        }
        assertThat(accepted).isEmpty();
        // Cc alone has 65 characters; Cf has well over 100 in every Unicode version Java 17 knows.
        assertThat(checked).isGreaterThan(4 * 65 + 4 * 100);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x85, 0x9F})
    void namedControlCharactersAreRefused(int cp) {
        assertThat(ruleOf(() -> normalize("/a" + (char) cp))).isEqualTo("path.control_character");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202E, 0x2066, 0x2069, 0xFEFF,
            0xE0001, 0xE0041, 0xE007F, 0x110BD, 0x1D173})
    void namedFormatCharactersAreRefused(int cp) {
        String path = "/notes" + new String(Character.toChars(cp)) + ".md";
        InvalidArgumentException e = (InvalidArgumentException) catchThrowable(() -> normalize(path));
        assertThat(e).isNotNull();
        assertThat(e.rule()).isEqualTo("path.format_character");
        assertThat(e.getMessage()).contains(String.format("U+%04X", cp));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\uD800", "/a\uDC00b", "/\uD83D\uD83D", "/\uDE00\uD83D", "/a/\uDBFF", "/\uDFFF/a"})
    void unpairedSurrogatesAreRefused(String path) {
        assertThat(ruleOf(() -> normalize(path))).isEqualTo("path.utf8");
    }

    @Test
    void pairedSurrogatesAreFine() {
        assertThat(normalize("/\uD83D\uDE00")).isEqualTo("/😀");
    }

    // ------------------------------------------------------------------ limits

    @Test
    void byteLimitCountsUtf8BytesOfFourByteCharacters() {
        String emoji = "😀"; // 4 UTF-8 bytes, 2 chars
        String exact = "/" + emoji.repeat(255) + "abc";
        assertThat(exact.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
        assertThat(normalize(exact)).isEqualTo(exact);

        String over = exact + "d";
        assertThat(over.getBytes(StandardCharsets.UTF_8)).hasSize(1025);
        assertThat(over.length()).isLessThan(1024);
        assertPathBytes(over, 1025);

        String fourByteOnly = "/" + emoji.repeat(256);
        assertThat(fourByteOnly.length()).isEqualTo(513);
        assertPathBytes(fourByteOnly, 1025);
    }

    @Test
    void byteLimitCountsTwoAndThreeByteCharacters() {
        // 1 + 341 * 3 = 1024
        String threes = "/" + "€".repeat(341);
        assertThat(normalize(threes)).isEqualTo(threes);
        assertPathBytes(threes + "a", 1025);
        // 1 + 511 * 2 + 1 = 1024
        String twos = "/" + "é".repeat(511) + "x";
        assertThat(normalize(twos)).isEqualTo(twos);
        assertPathBytes(twos + "y", 1025);
        // spread over many segments: 32 segments "/" + 31 bytes = 1024
        String segs = ("/" + "a".repeat(27) + "😀").repeat(32);
        assertThat(segs.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
        assertThat(normalize(segs)).isEqualTo(segs);
    }

    @Test
    void byteLimitAppliesToTheNfcForm() {
        // 1 + 400 * 3 = 1201 bytes as given, 1 + 400 * 2 = 801 bytes in NFC
        String decomposed = "/" + "e\u0301".repeat(400);
        assertThat(normalize(decomposed)).isEqualTo("/" + "\u00e9".repeat(400));
    }

    @Test
    void segmentLimit() {
        String thirtyTwo = "/a".repeat(32);
        assertThat(normalize(thirtyTwo)).isEqualTo(thirtyTwo);
        Throwable t = catchThrowable(() -> normalize("/a".repeat(33)));
        assertThat(t).isInstanceOf(LimitExceededException.class);
        LimitExceededException e = (LimitExceededException) t;
        assertThat(e.limit()).isEqualTo("path_segments");
        assertThat(e.value()).isEqualTo(33);
        assertThat(e.maximum()).isEqualTo(32);
    }

    @Test
    void configuredLimitsAreHonoured() {
        Limits small = Limits.builder().maxPathBytes(10).maxPathSegments(2).build();
        assertThat(PathRules.normalize("/abcdefghi", small)).isEqualTo("/abcdefghi");
        assertThatThrownBy(() -> PathRules.normalize("/abcdefghij", small))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("path_bytes");
                    assertThat(e.maximum()).isEqualTo(10);
                });
        assertThat(PathRules.normalize("/a/b", small)).isEqualTo("/a/b");
        assertThatThrownBy(() -> PathRules.normalize("/a/b/c", small))
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo("path_segments"));
    }

    private static void assertPathBytes(String path, long bytes) {
        Throwable t = catchThrowable(() -> normalize(path));
        assertThat(t).isInstanceOf(LimitExceededException.class);
        LimitExceededException e = (LimitExceededException) t;
        assertThat(e.limit()).isEqualTo("path_bytes");
        assertThat(e.value()).isEqualTo(bytes);
        assertThat(e.maximum()).isEqualTo(1024);
    }

    @Property(tries = 300)
    void utf8LengthIsTheEncodedLength(@ForAll("wellFormed") String s) {
        assertThat(PathRules.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    // ------------------------------------------------------------------ prefixes

    @Test
    void prefixes() {
        assertThat(PathRules.normalizePrefix("/", LIMITS)).isEqualTo("/");
        assertThat(PathRules.normalizePrefix("/a/", LIMITS)).isEqualTo("/a/");
        assertThat(PathRules.normalizePrefix("/a/b c/", LIMITS)).isEqualTo("/a/b c/");
        assertThat(PathRules.normalizePrefix("/caf" + "e\u0301" + "/", LIMITS)).isEqualTo("/caf\u00e9/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "/a/b", "a"})
    void prefixWithoutTrailingSlashIsRefused(String prefix) {
        assertThat(ruleOf(() -> PathRules.normalizePrefix(prefix, LIMITS))).isEqualTo("prefix.trailing_slash");
    }

    @Test
    void prefixFollowsThePathRules() {
        assertThat(ruleOf(() -> PathRules.normalizePrefix(null, LIMITS))).isEqualTo("prefix.required");
        assertThat(ruleOf(() -> PathRules.normalizePrefix("a/", LIMITS))).isEqualTo("path.absolute");
        assertThat(ruleOf(() -> PathRules.normalizePrefix("//", LIMITS))).isEqualTo("path.empty_segment");
        assertThat(ruleOf(() -> PathRules.normalizePrefix("/a//", LIMITS))).isEqualTo("path.empty_segment");
        assertThat(ruleOf(() -> PathRules.normalizePrefix("//a/", LIMITS))).isEqualTo("path.empty_segment");
        assertThat(ruleOf(() -> PathRules.normalizePrefix("/a/../", LIMITS))).isEqualTo("path.dot_segment");
        assertThat(ruleOf(() -> PathRules.normalizePrefix("/a\u200B/", LIMITS)))
                .isEqualTo("path.format_character");
        assertThat(ruleOf(() -> PathRules.normalizePrefix("/a\u0007/", LIMITS)))
                .isEqualTo("path.control_character");
        assertThatThrownBy(() -> PathRules.normalizePrefix("/a".repeat(33) + "/", LIMITS))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void ancestors() {
        assertThat(PathRules.ancestors("/a")).isEmpty();
        assertThat(PathRules.ancestors("/a/b")).containsExactly("/a");
        assertThat(PathRules.ancestors("/a/b/c")).containsExactly("/a", "/a/b");
        assertThat(PathRules.ancestors("/😀/é/x.md")).containsExactly("/😀", "/😀/é");
    }

    @Test
    void prefixEndAndSuccessor() {
        assertThat(PathOrder.prefixEnd("/a/")).isEqualTo("/a0");
        assertThat(PathOrder.prefixEnd("/")).isEqualTo("0");
        assertThat(PathOrder.successor("/a")).isEqualTo("/a\u0000");
        assertThat(PathOrder.compare("/a/zzz", PathOrder.prefixEnd("/a/"))).isNegative();
        assertThat(PathOrder.compare("/a0", PathOrder.prefixEnd("/a/"))).isZero();
        assertThat(PathOrder.compare("/a/\uDBFF\uDFFF", PathOrder.prefixEnd("/a/"))).isNegative();
        // "/a-b" sorts before "/a/" and is not under it
        assertThat(PathOrder.compare("/a-b", "/a/")).isNegative();
    }

    // ------------------------------------------------------------------ order

    @Test
    void codePointOrderIsNotStringCompareTo() {
        String supplementary = "/\uD83D\uDE00"; // U+1F600
        String highBmp = "/\uFB01"; // U+FB01, after the surrogate block
        assertThat(supplementary.compareTo(highBmp)).isNegative(); // UTF-16 order
        assertThat(PathOrder.compare(supplementary, highBmp)).isPositive(); // code point order
        assertThat(PathOrder.ORDER.compare(highBmp, supplementary)).isNegative();
        assertThat(PathOrder.compare("/a", "/a")).isZero();
        assertThat(PathOrder.compare("/a", "/ab")).isNegative();
        assertThat(PathOrder.compare("/B", "/a")).isNegative();
    }

    @Property(tries = 1000)
    void compareAgreesWithUnsignedUtf8Bytes(@ForAll("wellFormed") String a, @ForAll("wellFormed") String b) {
        assertSameOrder(a, b);
    }

    @Property(tries = 1000)
    void compareAgreesWithUnsignedUtf8BytesOnSimilarStrings(@ForAll("edgy") String a, @ForAll("edgy") String b) {
        assertSameOrder(a, b);
        assertSameOrder(a + b, a);
        assertSameOrder(a + b, b + a);
    }

    private static void assertSameOrder(String a, String b) {
        int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        assertThat(Integer.signum(PathOrder.compare(a, b))).as("compare(%s, %s)", IdRules.printable(a), IdRules.printable(b))
                .isEqualTo(expected);
        assertThat(Integer.signum(PathOrder.compare(b, a))).isEqualTo(-expected);
    }

    @Property(tries = 1000)
    void everyStringUnderAPrefixIsInItsRange(@ForAll("wellFormed") String dir, @ForAll("wellFormed") String rest) {
        String prefix = dir + "/";
        String s = prefix + rest;
        assertThat(PathOrder.compare(s, prefix)).isGreaterThanOrEqualTo(0);
        assertThat(PathOrder.compare(s, PathOrder.prefixEnd(prefix))).isNegative();
    }

    @Property(tries = 1000)
    void noStringOutsideAPrefixIsInItsRange(@ForAll("edgy") String dir, @ForAll("edgy") String s) {
        String prefix = dir + "/";
        boolean inRange = PathOrder.compare(s, prefix) >= 0
                && PathOrder.compare(s, PathOrder.prefixEnd(prefix)) < 0;
        assertThat(inRange).as("%s in range of %s", IdRules.printable(s), IdRules.printable(prefix))
                .isEqualTo(s.startsWith(prefix));
    }

    @Property(tries = 500)
    void successorIsTheNextString(@ForAll("edgy") String path, @ForAll("edgy") String other) {
        String next = PathOrder.successor(path);
        assertThat(PathOrder.compare(path, next)).isNegative();
        if (PathOrder.compare(other, path) > 0) {
            assertThat(PathOrder.compare(other, next)).isGreaterThanOrEqualTo(0);
        }
    }

    @Provide
    Arbitrary<String> wellFormed() {
        return TextArbitraries.wellFormed(12);
    }

    @Provide
    Arbitrary<String> edgy() {
        return Arbitraries.oneOf(TextArbitraries.edgy(5), TextArbitraries.fromCodePoints(
                Arbitraries.of((int) '/', (int) '0', (int) '.', (int) 'a', 0x00, 0xFFFF, 0x10000), 6));
    }
}
