package dev.agentmemory.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.policy.InjectionDetector;
import dev.agentmemory.policy.SecretScanner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The keyword scan with its skip filter reports exactly the matches that a plain regular-expression search for each
 * keyword at each position reports, on random text with planted keywords (in random case, with random runs of
 * whitespace where a phrase has a space), for the secret scanner's keywords and for the injection detector's kind of
 * phrases; and the injection detector's hidden-Unicode test, which now skips ahead to the first character that can be
 * hidden, finds what plain regular expressions find.
 */
class KeywordAutomatonProperties {

    private static final List<String> SECRET_KEYWORDS = SecretScanner.defaults().rules().stream()
            .flatMap(r -> r.keywords().stream()).map(k -> k.toLowerCase(Locale.ROOT)).distinct().toList();

    /** Phrases shaped like the injection detector's (spaces inside, punctuation, short ones), and edge cases. */
    private static final List<String> PHRASES = List.of("ignore previous instructions", "ignore all previous instructions",
            "disregard the above instructions", "new instructions:", "instead, you must", "you are now", "you must now",
            "from now on, you", "pretend to be", "role-play as", "don't tell the user", "do not tell the user",
            "jailbreak", "dan mode", "<|im_start|>", "<|system|>", "[inst]", "[/inst]", "<<sys>>", "<system>",
            "</system>", "### system:", "human:", "assistant:", "a b", "x", "q~", "no", "to the ai reading this");

    /** Pieces of text: keyword fragments, whitespace of every kind, case, non-ASCII, the filter's folded classes. */
    private static final List<String> PIECES = List.of(" ", "  ", "\n", "\t", "\r\n", "\u00a0", "\n\n", "the ", "you ",
            "a", "A", "b", "x", "X", "q", "~", "-", "_", ":", "<", "|", "[", "#", "/", "'", ",", ".", "0", "9", "=",
            "\"", "\u00e9", "\u6771", "\ud83d\ude80", "\u200b", "AKIA", "sk-", "eyJ", "pass", "word", "token", "tok",
            "ghp", "xox", "-----", "begin", "BEGIN", "ignore", "previous", "instruct", "you are", "now", "tell");

    @Provide
    Arbitrary<String> plantedSecrets() {
        return planted(SECRET_KEYWORDS, false);
    }

    @Provide
    Arbitrary<String> plantedPhrases() {
        return planted(PHRASES, true);
    }

    private static Arbitrary<String> planted(List<String> keywords, boolean collapse) {
        Arbitrary<String> keyword = Combinators.combine(Arbitraries.of(keywords),
                Arbitraries.longs(), Arbitraries.of(" ", "  ", "\n", " \t ", "\u00a0", "\r\n"))
                .as((k, bits, space) -> disguise(k, bits, collapse ? space : " "));
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(PIECES)),
                net.jqwik.api.Tuple.of(2, keyword),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(6)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ascii().ofMaxLength(6)));
        return piece.list().ofMaxSize(120).map(l -> String.join("", l));
    }

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

    @Property(tries = 400)
    void secretKeywordsAsPlainSearchFindsThem(@ForAll("plantedSecrets") String text) {
        check(SECRET_KEYWORDS, false, text);
    }

    @Property(tries = 400)
    void phrasesAsPlainSearchFindsThem(@ForAll("plantedPhrases") String text) {
        check(PHRASES, true, text);
    }

    @Property(tries = 200)
    void phrasesWithoutCollapsingAsPlainSearchFindsThem(@ForAll("plantedPhrases") String text) {
        check(PHRASES, false, text);
    }

    private static void check(List<String> keywords, boolean collapse, String text) {
        KeywordAutomaton automaton = new KeywordAutomaton(keywords, collapse);
        List<String> found = new ArrayList<>();
        automaton.scan(text, (k, end) -> found.add(end + " " + automaton.keyword(k)));
        List<String> expected = oracle(keywords, collapse, text);
        assertThat(sorted(found)).isEqualTo(sorted(expected));
        assertThat(automaton.matchesAny(text)).isEqualTo(!expected.isEmpty());
    }

    private static List<String> sorted(List<String> hits) {
        return hits.stream().sorted(Comparator.comparingInt((String h) -> Integer.parseInt(h.split(" ", 2)[0]))
                .thenComparing(Comparator.naturalOrder())).collect(Collectors.toList());
    }

    /**
     * Every keyword tried at every position with a regular expression: ASCII case ignored, and, when whitespace
     * collapses, a space in the keyword matching the shortest run of whitespace that lets the rest match.
     */
    private static List<String> oracle(List<String> keywords, boolean collapse, String text) {
        List<String> hits = new ArrayList<>();
        for (String k : keywords) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < k.length(); i++) {
                char c = k.charAt(i);
                if (collapse && c == ' ') {
                    re.append("[ \\n\\t\\r\\u00a0]+?");
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            Matcher m = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE).matcher(text);
            for (int p = 0; p < text.length(); p++) {
                m.region(p, text.length());
                if (m.lookingAt()) {
                    hits.add(m.end() + " " + k);
                }
            }
        }
        return hits;
    }

    // ---- one pass for several automata ----

    @Provide
    Arbitrary<String> plantedMixed() {
        return Arbitraries.oneOf(plantedSecrets(), plantedPhrases(), plantedHidden()).list().ofMaxSize(3)
                .map(l -> String.join("", l));
    }

    @Property(tries = 600)
    void combinedScanAnswersAsEachAutomatonAlone(@ForAll("plantedMixed") String text) {
        KeywordAutomaton secrets = new KeywordAutomaton(SECRET_KEYWORDS, false);
        KeywordAutomaton phrases = new KeywordAutomaton(PHRASES.stream().filter(p -> !p.equals("a b")).toList(), true);
        KeywordAutomaton plain = new KeywordAutomaton(List.of("human:", "q~", "x", "you are now"), false);
        List<KeywordAutomaton> all = List.of(secrets, phrases, plain);
        int bits = new CombinedScan(all).scan(text);
        for (int a = 0; a < all.size(); a++) {
            assertThat((bits & (1 << a)) != 0).as("automaton %d", a).isEqualTo(all.get(a).matchesAny(text));
        }
        boolean candidate = text.chars().anyMatch(c -> (c >= 0x200B && c <= 0x200D) || (c >= 0x202A && c <= 0x202E)
                || c == 0x2060 || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == 0xDB40);
        assertThat((bits & CombinedScan.HIDDEN_CANDIDATE) != 0).isEqualTo(candidate);
        int two = new CombinedScan(List.of(secrets, phrases)).scan(text);
        assertThat(two & ~CombinedScan.HIDDEN_CANDIDATE).isEqualTo(bits & 3);
        // a hidden character anywhere the detector would flag is always a candidate
        if (!InjectionDetector.defaults().detect(text).isEmpty()
                && InjectionDetector.defaults().detect(text).get(0).weight() == 0) {
            assertThat(candidate).isTrue();
        }
    }

    // ---- hidden Unicode ----

    private static final List<String> HIDDEN = List.of("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a",
            "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\udb40\udc41", "\udb40\udc7f", "\udb40",
            "\ud83c\udff4", "\ud83c\udff4\udb40\udc67\udb40\udc62\udb40\udc73\udb40\udc63\udb40\udc74\udb40\udc7f",
            "\ud83c\udff4\udb40\udc7f", "\ud83d\udc68\u200d\ud83d\udcbb", "a", " ", "\u00e9", "\u6771");

    @Provide
    Arbitrary<String> plantedHidden() {
        return Arbitraries.oneOf(Arbitraries.of(HIDDEN), Arbitraries.strings().all().ofMaxLength(3),
                Arbitraries.strings().alpha().ofMaxLength(8)).list().ofMaxSize(60).map(l -> String.join("", l));
    }

    private static final Pattern ZERO_WIDTH_RUN = Pattern.compile("[\u200b\u200c\u200d\u2060\ufeff]{3}");
    private static final Pattern BIDI = Pattern.compile("[\u202a-\u202e\u2066-\u2069]");
    // Regular expressions match code points: a tag character is one, written as its surrogate pair in the text.
    private static final Pattern TAG = Pattern.compile("[\\x{E0000}-\\x{E007F}]");
    private static final Pattern FLAG =
            Pattern.compile("\\x{1F3F4}((?:[\\x{E0030}-\\x{E0039}\\x{E0061}-\\x{E007A}]){1,6}\\x{E007F})");

    @Property(tries = 500)
    void hiddenUnicodeAsPlainSearchFindsIt(@ForAll("plantedHidden") String text) {
        // The plain oracle: the character that decides is the earliest of the third of a zero-width run, a bidi
        // control, and a tag character outside a well-formed subdivision flag.
        Matcher z = ZERO_WIDTH_RUN.matcher(text);
        int zw = z.find() ? z.start() : -1;
        Matcher b = BIDI.matcher(text);
        int bidi = b.find() ? b.start() : -1;
        boolean[] inFlag = new boolean[text.length()];
        Matcher f = FLAG.matcher(text);
        while (f.find()) {
            for (int i = f.start(1); i < f.end(1); i++) {
                inFlag[i] = true;
            }
        }
        int tag = -1;
        Matcher t = TAG.matcher(text);
        while (t.find()) {
            if (!inFlag[t.start()]) {
                tag = t.start();
                break;
            }
        }
        String rule = null;
        int at = -1;
        int trigger = Integer.MAX_VALUE;
        if (zw >= 0 && zw + 2 < trigger) {
            trigger = zw + 2;
            rule = "zero-width-run";
            at = zw;
        }
        if (bidi >= 0 && bidi < trigger) {
            trigger = bidi;
            rule = "bidi-control";
            at = bidi;
        }
        if (tag >= 0 && tag < trigger) {
            rule = "unicode-tag-characters";
            at = tag;
        }
        List<InjectionDetector.Detection> found = InjectionDetector.defaults().detect(text);
        if (rule == null) {
            assertThat(found).allSatisfy(d -> assertThat(d.weight()).isPositive());
        } else {
            assertThat(found).containsExactly(new InjectionDetector.Detection(rule, 0, at));
        }
    }
}
