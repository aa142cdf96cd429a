package dev.agentmemory.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.policy.LibraryAutomata;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The one pass with its prefilters (the three-character start table and the six-character window of the injection
 * phrases) answers exactly what the library's automata answer without any filter: the automaton walked over every
 * character from its start state, and a plain regular-expression search of every keyword. The inputs are adversarial
 * for the filters: the library's own keywords in random case with runs of every kind of whitespace (so that the
 * six-character window sees every stretching), cut short or with one character changed (near misses that pass the
 * first test and fail later), the common words that begin phrases, hidden Unicode, non-ASCII characters, and random
 * text; a keyword at the very end of the text reads the padding after it.
 */
class CombinedScanProperties {

    private static final KeywordAutomaton SECRETS = LibraryAutomata.secrets();
    private static final KeywordAutomaton INJECTIONS = LibraryAutomata.injections();
    private static final List<KeywordAutomaton> LIBRARY = List.of(SECRETS, INJECTIONS);
    private static final CombinedScan SCAN = new CombinedScan(LIBRARY);
    private static final List<String> SECRET_KEYWORDS = LibraryAutomata.keywords(SECRETS);
    private static final List<String> PHRASES = LibraryAutomata.keywords(INJECTIONS);
    private static final List<String> WHITESPACE = List.of(" ", "  ", "\n", "\t", "\r\n", "\u00a0", " \t ", "\n\n",
            "      ");
    private static final List<String> PIECES = List.of(" ", "\n", "\u00a0", "the ", "The ", "you ", "for", "not",
            "new ", "act", "update", "never ", "keep ", "note ", "to the ", "as an ", "if you ", "do ", "system", "[",
            "<|", "#", ":", "-", "_", "'", "\"", "~", "q", "\u00e9", "\u6771", "\ud83d\ude80", "\u200b", "\u202e",
            "\udb40\udc41", "\u2014", "AKIA", "eyJ", "pass", "token");

    /** The keyword with its letters' case flipped by the bits, and each space replaced by the given whitespace. */
    private static String disguise(String keyword, long bits, String space) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (c == ' ') {
                b.append(space);
            } else {
                b.append(((bits >>> (i % 64)) & 1) != 0 ? Character.toUpperCase(c) : c);
            }
        }
        return b.toString();
    }

    private static Arbitrary<String> keyword() {
        Arbitrary<String> k = Arbitraries.oneOf(Arbitraries.of(PHRASES), Arbitraries.of(SECRET_KEYWORDS));
        return Combinators.combine(k, Arbitraries.longs(), Arbitraries.of(WHITESPACE))
                .as(CombinedScanProperties::disguise);
    }

    /** A keyword cut short: its first 1 to length - 1 characters (a phrase's first six pass the window). */
    private static Arbitrary<String> cutShort() {
        return Combinators.combine(keyword(), Arbitraries.integers().between(1, 40))
                .as((k, n) -> k.substring(0, Math.max(1, Math.min(k.length() - 1, n))));
    }

    /** A keyword with one character replaced. */
    private static Arbitrary<String> mutated() {
        return Combinators.combine(keyword(), Arbitraries.integers().between(0, 60),
                Arbitraries.chars().with('x', 'e', ' ', '_', '-', ':', 'A', '\u00e9', '\u0000', '|'))
                .as((k, at, c) -> {
                    int i = at % k.length();
                    return k.substring(0, i) + c + k.substring(i + 1);
                });
    }

    @Provide
    Arbitrary<String> adversarial() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(PIECES)),
                Tuple.of(1, keyword()),
                Tuple.of(3, cutShort()),
                Tuple.of(2, mutated()),
                Tuple.of(1, Arbitraries.of(WHITESPACE)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(4)),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').withChars(' ', ':', '[', '|')
                        .ofMaxLength(8)));
        return piece.list().ofMaxSize(80).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> random() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().ascii().ofMaxLength(300),
                Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '\n').ofMaxLength(2000));
    }

    @Property(tries = 1500)
    void answersAsTheUnfilteredAutomataOnAdversarialText(@ForAll("adversarial") String text) {
        checkUnfiltered(text);
    }

    @Property(tries = 500)
    void answersAsTheUnfilteredAutomataOnRandomText(@ForAll("random") String text) {
        checkUnfiltered(text);
    }

    @Property(tries = 300)
    void answersAsAPlainSearchOfEveryKeyword(@ForAll("adversarial") String text) {
        int bits = SCAN.scan(text);
        assertThat((bits & 1) != 0).as("secret keyword in %s", text).isEqualTo(anyMatch(SECRET_PATTERNS, text));
        assertThat((bits & 2) != 0).as("injection phrase in %s", text).isEqualTo(anyMatch(PHRASE_PATTERNS, text));
    }

    /** Every keyword, alone, after a word, and before one, with every kind of whitespace run in its spaces. */
    @Example
    void findsEveryKeywordWhereverItStandsAndHoweverItsSpacesAreStretched() {
        for (int a = 0; a < LIBRARY.size(); a++) {
            for (String k : LibraryAutomata.keywords(LIBRARY.get(a))) {
                for (String space : WHITESPACE) {
                    for (long bits : new long[] {0, -1, 0x5555_5555_5555_5555L}) {
                        String d = disguise(k, bits, LIBRARY.get(a).collapsesWhitespace() ? space : " ");
                        for (String text : List.of(d, "x" + d, d + "x", "the " + d + "\n", "\u6771" + d)) {
                            assertThat(SCAN.scan(text) & (1 << a)).as("%s in %s", k, text).isNotZero();
                            checkUnfiltered(text);
                        }
                    }
                }
            }
        }
    }

    private static void checkUnfiltered(String text) {
        int bits = SCAN.scan(text);
        for (int a = 0; a < LIBRARY.size(); a++) {
            assertThat((bits & (1 << a)) != 0).as("automaton %d on %s", a, text)
                    .isEqualTo(unfiltered(LIBRARY.get(a), text));
        }
        boolean candidate = text.chars().anyMatch(c -> (c >= 0x200B && c <= 0x200D) || (c >= 0x202A && c <= 0x202E)
                || c == 0x2060 || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == 0xDB40);
        assertThat((bits & CombinedScan.HIDDEN_CANDIDATE) != 0).isEqualTo(candidate);
        assertThat(bits & ~(3 | CombinedScan.HIDDEN_CANDIDATE)).isZero();
    }

    /** The automaton without any filter: walked from its start state over every character of the text. */
    static boolean unfiltered(KeywordAutomaton automaton, String text) {
        char[] t = text.toCharArray();
        int i = 0;
        while (i < t.length) {
            int r = automaton.runFrom(t, i, t.length, null);
            if (r == KeywordAutomaton.MATCHED) {
                return true;
            }
            i = r;
        }
        return false;
    }

    private static final List<Pattern> SECRET_PATTERNS = patterns(SECRET_KEYWORDS, false);
    private static final List<Pattern> PHRASE_PATTERNS = patterns(PHRASES, true);

    /** Each keyword as a regular expression: ASCII case ignored, a space matching a run of whitespace if it collapses. */
    private static List<Pattern> patterns(List<String> keywords, boolean collapse) {
        List<Pattern> out = new ArrayList<>();
        for (String k : keywords) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < k.length(); i++) {
                char c = k.charAt(i);
                re.append(collapse && c == ' ' ? "[ \\n\\t\\r\\u00a0]+" : Pattern.quote(String.valueOf(c)));
            }
            out.add(Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE));
        }
        return out;
    }

    private static boolean anyMatch(List<Pattern> patterns, String text) {
        for (Pattern p : patterns) {
            if (p.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }
}
