package dev.agentmemory.policy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Answers, in one pass over a text, the clean-path questions of several keyword automata at once: does any keyword
 * of each occur, and does the text hold a character that may be hidden Unicode (zero-width characters, bidi
 * controls, the high surrogate of tag characters). Most writes hold neither, and then this pass is all the scanners
 * read.
 *
 * <p>The pass reads each character once through a start table built over the union of the automata's keywords
 * (their first three characters, folded onto 31 classes shared by all of them, every whitespace character onto the
 * space's class), which says which automata have a keyword that can begin there. Only there does it ask those
 * automata's own filters and run them,
 * exactly as {@link KeywordAutomaton#matchesAny} would, each automaton resuming where it last returned to its start
 * state; so each answer is exactly that automaton's. The hidden-Unicode test costs nothing for a character below
 * U+0100 (the filter's table lookup already branches on that). Immutable and thread-safe; a scan allocates nothing
 * for a text of up to 16,384 characters.
 */
public final class CombinedScan {

    /** The bit set in {@link #scan}'s result when the text holds a character that may be hidden Unicode. */
    public static final int HIDDEN_CANDIDATE = 1 << 30;

    private final KeywordAutomaton[] automata;
    private final byte[] foldOf = new byte[256];
    // For each triple of shared classes (a << 10 | b << 5 | c), the automata that have a keyword beginning with it:
    // bit k for automaton k (so at most 7 automata); 0 where no keyword begins.
    private final byte[] startersOf = new byte[1 << 15];

    /**
     * Builds the shared filter.
     *
     * @param automata the automata, 1 to 30, each with a start filter
     * @throws IllegalArgumentException if there are too many, or one has no start filter
     */
    public CombinedScan(List<KeywordAutomaton> automata) {
        if (automata.isEmpty() || automata.size() > 7) {
            throw new IllegalArgumentException("a combined scan takes 1 to 7 automata: " + automata.size());
        }
        this.automata = automata.toArray(new KeywordAutomaton[0]);
        List<Character> chars = new ArrayList<>();
        for (KeywordAutomaton a : this.automata) {
            if (!a.hasStartFilter()) {
                throw new IllegalArgumentException("an automaton without a start filter cannot be combined");
            }
            for (int k = 0; k < a.size(); k++) {
                for (char c : a.keyword(k).toCharArray()) {
                    char f = KeywordAutomaton.isSpace(c) ? ' ' : c;
                    if (!chars.contains(f)) {
                        chars.add(f);
                    }
                }
            }
        }
        for (int n = 0; n < chars.size(); n++) {
            char c = chars.get(n);
            byte cl = (byte) (1 + n % 31);
            foldOf[c] = cl;
            if (c >= 'a' && c <= 'z') {
                foldOf[c - 32] = cl;
            }
        }
        if (chars.contains(' ')) {
            for (char c : new char[] {' ', '\n', '\t', '\r', '\u00a0'}) {
                foldOf[c] = foldOf[' '];
            }
        }
        for (int n = 0; n < this.automata.length; n++) {
            KeywordAutomaton a = this.automata[n];
            for (int k = 0; k < a.size(); k++) {
                String w = a.keyword(k).toLowerCase(Locale.ROOT);
                int x = fold(w.charAt(0));
                int[] ys = w.length() > 1 ? new int[] {fold(w.charAt(1))} : all();
                int[] zs = w.length() > 2 ? new int[] {fold(w.charAt(2))} : all();
                for (int y : ys) {
                    for (int z : zs) {
                        set(x, y, z, n);
                        if (w.length() > 2 && w.charAt(1) == ' ') {
                            set(x, y, y, n); // a run of whitespace fills the third place too
                        }
                    }
                }
            }
        }
    }

    private int fold(char c) {
        return foldOf[KeywordAutomaton.isSpace(c) ? ' ' : c];
    }

    private void set(int a, int b, int c, int automaton) {
        startersOf[a << 10 | b << 5 | c] |= (byte) (1 << automaton);
    }

    private static int[] all() {
        int[] a = new int[32];
        for (int i = 0; i < 32; i++) {
            a[i] = i;
        }
        return a;
    }

    /**
     * Scans a text.
     *
     * @param text the text
     * @return bit {@code k} set when automaton {@code k} (in the order given) has a match in the text, and
     *     {@link #HIDDEN_CANDIDATE} when the text holds U+200B to U+200D, U+202A to U+202E, U+2060, U+2066 to
     *     U+2069, U+FEFF or U+DB40
     */
    public int scan(String text) {
        int len = text.length();
        char[] buf = KeywordAutomaton.borrow(len + 2);
        try {
            text.getChars(0, len, buf, 0);
            buf[len] = 0;
            buf[len + 1] = 0;
            return run(buf, len);
        } finally {
            KeywordAutomaton.release(buf);
        }
    }

    private int run(char[] text, int length) {
        final KeywordAutomaton[] as = automata;
        final byte[] starters = startersOf;
        final byte[] fold = foldOf;
        int matched = 0;
        int hidden = length > 0 && (hiddenCandidate(text[0]) || (length > 1 && hiddenCandidate(text[1])))
                ? HIDDEN_CANDIDATE : 0;
        // Where each automaton is next in its start state: the first two in locals, any others in an array made
        // only when one of them runs.
        int resume0 = 0;
        int resume1 = 0;
        int[] resume = null;
        int key = cls(fold, text[0]) << 5 | cls(fold, text[1]);
        for (int i = 0; i < length; i++) {
            char c = text[i + 2];
            int cl;
            if (c < 256) {
                cl = fold[c];
            } else {
                cl = 0;
                if (hiddenCandidate(c)) {
                    hidden = HIDDEN_CANDIDATE;
                }
            }
            key = ((key << 5) | cl) & 0x7FFF;
            int may = starters[key] & ~matched;
            if (may == 0) {
                continue;
            }
            for (int a = 0; a < as.length; a++) {
                if ((may & (1 << a)) == 0) {
                    continue;
                }
                int from = a == 0 ? resume0 : a == 1 ? resume1 : resume == null ? 0 : resume[a];
                if (i < from || !as[a].mayStartAt(text, i)) {
                    continue;
                }
                int r = as[a].runFrom(text, i, length, null);
                if (r == KeywordAutomaton.MATCHED) {
                    matched |= 1 << a;
                } else if (a == 0) {
                    resume0 = r;
                } else if (a == 1) {
                    resume1 = r;
                } else {
                    if (resume == null) {
                        resume = new int[as.length];
                    }
                    resume[a] = r;
                }
            }
        }
        return matched | hidden;
    }

    private static int cls(byte[] fold, char c) {
        return c < 256 ? fold[c] : 0;
    }

    /** The characters the hidden-Unicode test looks at; a text without any of them has no hidden Unicode. */
    private static boolean hiddenCandidate(char c) {
        return (c >= 0x200B && c <= 0x200D) || (c >= 0x202A && c <= 0x202E) || c == 0x2060
                || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == 0xDB40;
    }
}
