package dev.agentmemory.policy;

import dev.agentmemory.policy.internal.KeywordAutomaton;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds text written to steer the model that will later read this memory: prompt-injection markers. By default it
 * quarantines such a write; it can block instead.
 *
 * <p>It looks for four things:
 *
 * <ul>
 *   <li><b>{@code override-instructions}</b>: phrases that tell the model to drop its instructions ("ignore previous
 *       instructions", "disregard the above", "forget your instructions", "new instructions:"). Weight 2.
 *   <li><b>{@code role-reassignment}</b> and <b>{@code concealment}</b>: phrases that give the model a new identity or
 *       tell it to hide things ("you are now", "from now on you", "pretend you are", "developer mode", "do not tell
 *       the user"). Weight 1: each alone is common in ordinary notes.
 *   <li><b>{@code fake-turn}</b>: chat-template markers that forge a system or assistant turn ({@code <|im_start|>},
 *       {@code [INST]}, {@code <<SYS>>}, {@code <|system|>}, {@code <system>}, {@code ### System:}, and
 *       {@code Human:} or {@code Assistant:} at the start of a line after a blank line). Weight 2.
 *   <li><b>Hidden Unicode</b>, which decides alone whatever the phrases: Unicode tag characters U+E0000 to U+E007F
 *       ({@code unicode-tag-characters}; except a well-formed emoji subdivision flag such as the flag of Scotland,
 *       U+1F3F4 followed by lowercase tag letters and U+E007F), bidirectional embeddings, overrides and isolates
 *       U+202A to U+202E and U+2066 to U+2069 ({@code bidi-control}; the plain marks U+200E, U+200F and U+061C are
 *       not flagged), and runs of three or more zero-width characters U+200B, U+200C, U+200D, U+2060, U+FEFF
 *       ({@code zero-width-run}; a single joiner inside an emoji sequence is not a run).
 * </ul>
 *
 * <p>A write is flagged when it holds a weight-2 phrase, or two <em>different</em> weight-1 phrases whose starts are
 * at most {@value #WEAK_PAIR_DISTANCE} characters apart in one paragraph (no blank line between them; an attack states its new role and its demand together; an
 * ordinary note that says "you are now on call" in one paragraph and "pretend to be a new user" in another is not
 * flagged), or when it holds hidden Unicode. Phrases are matched ignoring ASCII case, with any run of whitespace matching one space.
 *
 * <p><b>Mentions are not instructions.</b> A phrase that lies inside a quoted span on its line (between straight
 * double quotes, curly double quotes or backticks that close on the same line) or inside a fenced code block
 * ({@code ```}) counts 0: a note that says the attacker wrote "ignore previous instructions" discusses an injection
 * and is not one. An attacker who quotes the whole instruction is missed by this rule; {@link #strict()} counts
 * quoted phrases too, for stores where no note has reason to discuss injections. Hidden Unicode is never excused by
 * quoting.
 *
 * <p>Pure, immutable and thread-safe; the time is linear in the content.
 */
public final class InjectionDetector implements WritePolicy {

    /** What the detector does with a flagged write. */
    public enum Action {
        /** Store it where only operators see it. */
        QUARANTINE,
        /** Refuse it. */
        BLOCK
    }

    /** The name this policy reports. */
    public static final String NAME = "injection-detector";

    /** The weight at which one phrase flags a write alone. */
    public static final int THRESHOLD = 2;

    /** How close (in characters, start to start) two different weight-1 phrases must be to flag a write together. */
    public static final int WEAK_PAIR_DISTANCE = 300;

    private record Phrase(String text, String rule, int weight, boolean lineStartAfterBlank) {
    }

    private static final List<Phrase> PHRASES = phrases();
    /** The phrases' automaton, shared with {@link DefaultScan}. */
    static final KeywordAutomaton AUTOMATON =
            new KeywordAutomaton(PHRASES.stream().map(Phrase::text).toList(), true);
    private static final InjectionDetector DEFAULTS = new InjectionDetector(Action.QUARANTINE, false);

    private static List<Phrase> phrases() {
        List<Phrase> p = new ArrayList<>();
        for (String verb : List.of("ignore", "disregard", "forget", "override", "skip", "bypass")) {
            for (String obj : List.of("previous instructions", "all previous instructions", "the previous instructions",
                    "prior instructions", "all prior instructions", "the above instructions", "all the above",
                    "your instructions", "all your instructions", "your previous instructions", "your system prompt",
                    "the system prompt", "everything above", "all instructions", "your guidelines", "your rules",
                    "earlier instructions", "all earlier instructions")) {
                p.add(new Phrase(verb + " " + obj, "override-instructions", 2, false));
            }
        }
        for (String s : List.of("new instructions:", "updated instructions:", "new system prompt", "system override",
                "these instructions supersede", "this overrides all", "instead, you must", "the real instructions are")) {
            p.add(new Phrase(s, "override-instructions", 2, false));
        }
        for (String s : List.of("you are now", "from now on you", "from now on, you", "pretend you are",
                "pretend to be", "act as if you", "roleplay as", "role-play as", "role play as", "you must now",
                "developer mode", "dan mode", "do anything now", "jailbreak", "no longer bound by",
                "without any restrictions", "you have no restrictions", "reveal your system prompt",
                "print your system prompt", "repeat your system prompt", "note to the ai", "note to the assistant",
                "message for the ai", "attention ai", "to the ai reading this", "when the assistant reads this",
                "if you are an ai", "as an ai model reading")) {
            p.add(new Phrase(s, "role-reassignment", 1, false));
        }
        for (String s : List.of("do not tell the user", "don't tell the user", "do not mention this",
                "don't mention this", "without telling the user", "never reveal this", "keep this secret from the user",
                "do not inform the user", "hide this from the user")) {
            p.add(new Phrase(s, "concealment", 1, false));
        }
        for (String s : List.of("<|im_start|>", "<|im_end|>", "<|system|>", "<|assistant|>", "<|user|>",
                "<|start_header_id|>", "[inst]", "[/inst]", "<<sys>>", "<system>", "</system>", "### system:",
                "### instruction:", "### system prompt")) {
            p.add(new Phrase(s, "fake-turn", 2, false));
        }
        p.add(new Phrase("human:", "fake-turn", 2, true));
        p.add(new Phrase("assistant:", "fake-turn", 2, true));
        return List.copyOf(p);
    }

    private final Action action;
    private final boolean strict;

    private InjectionDetector(Action action, boolean strict) {
        this.action = Objects.requireNonNull(action, "action");
        this.strict = strict;
    }

    /**
     * Returns the detector that quarantines, and does not count quoted mentions.
     *
     * @return the detector
     */
    public static InjectionDetector defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a detector that also counts phrases inside quotes and code blocks.
     *
     * @return the detector, with the same action
     */
    public InjectionDetector strict() {
        return new InjectionDetector(action, true);
    }

    /**
     * Returns a detector that acts differently.
     *
     * @param newAction what to do with a flagged write
     * @return the detector
     */
    public InjectionDetector withAction(Action newAction) {
        return new InjectionDetector(newAction, strict);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * What the detector found in a text.
     *
     * @param rule the rule that decided: the first hidden-Unicode rule found, else the first weight-2 phrase's rule,
     *     else the rule of the earlier phrase of the first close pair of weight-1 phrases
     * @param weight 0 for hidden Unicode, else 2
     * @param at the index of the first character of what decided
     */
    public record Detection(String rule, int weight, int at) {
    }

    @Override
    public Verdict evaluate(WriteRequest request) {
        if (request.content().isEmpty()) {
            return Verdict.allow();
        }
        List<Detection> found = detect(request.content().get());
        if (found.isEmpty()) {
            return Verdict.allow();
        }
        Detection d = found.get(0);
        String reason = "the content looks written to steer the model that reads it (rule " + d.rule()
                + " at character " + d.at() + "); an operator must review it before sessions can read it";
        return action == Action.BLOCK ? Verdict.block(NAME, d.rule(), reason) : Verdict.Quarantine.of(NAME, d.rule(),
                reason, request);
    }

    /**
     * Looks for injection markers in a text.
     *
     * @param text any text
     * @return one detection when the text is flagged, else empty
     */
    public List<Detection> detect(String text) {
        int pass = DefaultScan.bits(text);
        if ((pass & DefaultScan.HIDDEN_CANDIDATE) != 0) {
            Detection hidden = hiddenUnicode(text);
            if (hidden != null) {
                return List.of(hidden);
            }
        }
        if ((pass & DefaultScan.INJECTION_PHRASE) == 0) {
            return List.of(); // the common case: no phrase, nothing allocated
        }
        Detection[] strong = new Detection[1];
        Detection[] pair = new Detection[1];
        int[] weakStart = new int[PHRASES.size()]; // the latest start of each weak phrase, or -1
        java.util.Arrays.fill(weakStart, -1);
        Quotes[] quotes = new Quotes[1];
        AUTOMATON.scan(text, (k, end) -> {
            if (strong[0] != null) {
                return; // decided: the first strong phrase names the rule
            }
            Phrase p = PHRASES.get(k);
            int start = startOf(text, end, p.text());
            if (p.lineStartAfterBlank() && !atLineStartAfterBlank(text, start)) {
                return;
            }
            if (!strict) {
                if (quotes[0] == null) {
                    quotes[0] = new Quotes(text);
                }
                if (quotes[0].quoted(start, end, text.length())) {
                    return;
                }
            }
            if (p.weight() >= THRESHOLD) {
                strong[0] = new Detection(p.rule(), p.weight(), start);
                return;
            }
            if (pair[0] == null) {
                for (int other = 0; other < weakStart.length; other++) {
                    if (other != k && weakStart[other] >= 0 && start - weakStart[other] <= WEAK_PAIR_DISTANCE
                            && !PHRASES.get(other).text().equals(p.text())
                            && sameParagraph(text, weakStart[other], start)) {
                        pair[0] = new Detection(PHRASES.get(other).rule(), 2, weakStart[other]);
                        break;
                    }
                }
            }
            weakStart[k] = start;
        });
        if (strong[0] != null) {
            return List.of(strong[0]);
        }
        return pair[0] == null ? List.of() : List.of(pair[0]);
    }

    /** Tells whether no blank line lies between two positions, the first not after the second. */
    private static boolean sameParagraph(String text, int from, int to) {
        boolean lineBlank = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                if (lineBlank) {
                    return false;
                }
                lineBlank = true;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                lineBlank = false;
            }
        }
        return true;
    }

    /** Walks back from a match's end over the phrase, letting a space in the phrase cover a run of whitespace. */
    private static int startOf(String text, int end, String phrase) {
        int i = end;
        for (int j = phrase.length() - 1; j >= 0; j--) {
            if (phrase.charAt(j) == ' ') {
                while (i > 0 && isSpace(text.charAt(i - 1))) {
                    i--;
                }
            } else {
                i--;
            }
        }
        return Math.max(0, i);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\u00a0';
    }

    private static boolean atLineStartAfterBlank(String text, int start) {
        if (start == 0) {
            return true;
        }
        if (text.charAt(start - 1) != '\n') {
            return false;
        }
        int i = start - 2;
        while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\r')) {
            i--;
        }
        return i < 0 || text.charAt(i) == '\n';
    }

    /**
     * Where a text's quotes, line breaks and code fences are, found in one pass the first time a phrase occurs, so
     * that telling whether an occurrence is quoted costs a few binary searches however many phrases the text holds.
     */
    private static final class Quotes {
        private final int[] newlines;
        private final int[] straight;
        private final int[] backticks;
        private final int[] curlyOpen;
        private final int[] curlyClose;
        private final int[] fenceLines; // starts of lines that begin (after blanks) with ```

        Quotes(String text) {
            IntList nl = new IntList();
            IntList st = new IntList();
            IntList bt = new IntList();
            IntList co = new IntList();
            IntList cc = new IntList();
            IntList fl = new IntList();
            boolean lineBlankSoFar = true;
            int lineStart = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '\n' -> {
                        nl.add(i);
                        lineBlankSoFar = true;
                        lineStart = i + 1;
                        continue;
                    }
                    case '"' -> st.add(i);
                    case '`' -> {
                        bt.add(i);
                        if (lineBlankSoFar && text.startsWith("```", i)) {
                            fl.add(lineStart);
                        }
                    }
                    case '\u201c' -> co.add(i);
                    case '\u201d' -> cc.add(i);
                    default -> {
                    }
                }
                if (c != ' ' && c != '\t' && c != '\r') {
                    lineBlankSoFar = false;
                }
            }
            newlines = nl.toArray();
            straight = st.toArray();
            backticks = bt.toArray();
            curlyOpen = co.toArray();
            curlyClose = cc.toArray();
            fenceLines = fl.toArray();
        }

        /** Tells whether [start, end) lies inside a quoted span of its line or a fenced code block. */
        boolean quoted(int start, int end, int length) {
            int li = lowerBound(newlines, start); // newlines before start
            int lineStart = li == 0 ? 0 : newlines[li - 1] + 1;
            int le = lowerBound(newlines, end);
            int lineEnd = le < newlines.length ? newlines[le] : length;
            if (lowerBound(fenceLines, lineStart) % 2 == 1) {
                return true;
            }
            for (int[] q : new int[][] {straight, backticks}) {
                int before = lowerBound(q, start) - lowerBound(q, lineStart);
                int after = lowerBound(q, end);
                if (before % 2 == 1 && after < q.length && q[after] < lineEnd) {
                    return true;
                }
            }
            int o = lowerBound(curlyOpen, start) - 1; // last opening quote before start
            if (o >= 0 && curlyOpen[o] >= lineStart) {
                int cb = lowerBound(curlyClose, start) - 1; // last closing quote before start
                int ca = lowerBound(curlyClose, end);
                boolean open = cb < 0 || curlyClose[cb] < curlyOpen[o];
                return open && ca < curlyClose.length && curlyClose[ca] < lineEnd;
            }
            return false;
        }

        /** The number of elements less than {@code key}. */
        private static int lowerBound(int[] a, int key) {
            int lo = 0;
            int hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < key) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    private static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    // The characters this test looks for are the candidates CombinedScan reports; change both together.
    private static Detection hiddenUnicode(String text) {
        int len = text.length();
        // Every hidden character is at or above U+200B; most texts hold none, and a run of zero-width characters
        // cannot begin before the first of them, so the full test starts there.
        int first = 0;
        while (first < len && text.charAt(first) < 0x200B) {
            first++;
        }
        int zeroWidthRun = 0;
        for (int i = first; i < len; i++) {
            char c = text.charAt(i);
            if (c < 0x200B) {
                zeroWidthRun = 0;
                continue;
            }
            if (c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF) {
                if (++zeroWidthRun >= 3) {
                    return new Detection("zero-width-run", 0, i - 2);
                }
                continue;
            }
            zeroWidthRun = 0;
            if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
                return new Detection("bidi-control", 0, i);
            }
            if (c == 0xDB40 && i + 1 < len && text.charAt(i + 1) >= 0xDC00 && text.charAt(i + 1) <= 0xDC7F) {
                int flagEnd = subdivisionFlagEnd(text, i);
                if (flagEnd < 0) {
                    return new Detection("unicode-tag-characters", 0, i);
                }
                i = flagEnd - 1;
            }
        }
        return null;
    }

    /**
     * If the tag characters at {@code i} form the tail of an emoji subdivision flag (U+1F3F4, then 1 to 6 tag digits
     * or lowercase tag letters, then U+E007F), returns the index just past it; otherwise -1.
     */
    private static int subdivisionFlagEnd(String text, int i) {
        if (i < 2 || text.charAt(i - 2) != '\uD83C' || text.charAt(i - 1) != '\uDFF4') {
            return -1;
        }
        int n = 0;
        int j = i;
        while (j + 1 < text.length() && text.charAt(j) == 0xDB40) {
            char lo = text.charAt(j + 1);
            if (lo == 0xDC7F) {
                return n >= 1 && n <= 6 ? j + 2 : -1;
            }
            boolean tagDigit = lo >= 0xDC30 && lo <= 0xDC39;
            boolean tagLower = lo >= 0xDC61 && lo <= 0xDC7A;
            if (!tagDigit && !tagLower) {
                return -1;
            }
            n++;
            j += 2;
        }
        return -1;
    }

    @Override
    public String toString() {
        return "InjectionDetector[" + action + (strict ? ", strict" : "") + "]";
    }
}
