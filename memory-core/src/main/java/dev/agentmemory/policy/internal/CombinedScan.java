package dev.agentmemory.policy.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Answers, in one pass over a text, the clean-path questions of several keyword automata at once: does any keyword
 * of each occur, and does the text hold a character that may be hidden Unicode (zero-width characters, bidi
 * controls, the high surrogate of tag characters). Most writes hold neither, and then this pass is all the scanners
 * read.
 *
 * <p>The pass reads each character once and keeps the classes of the next eight characters in one long (the
 * characters of the keywords folded onto 31 classes shared by all automata: every whitespace character onto the
 * space's class, each letter its own class, punctuation and digits sharing the rest). Two tests decide where an
 * automaton has to run:
 *
 * <ul>
 *   <li>a table over the first three classes says which automata have a keyword that can begin there;
 *   <li>for an automaton whose keywords are all at least six characters long (the injection phrases), a bit set over
 *       a hash of all eight classes says whether the eight characters can be the start of one of its keywords, a run
 *       of whitespace counted for each space in a keyword (a keyword of six or seven characters: followed by any
 *       class). This is what keeps common English words that begin a phrase ("the", "you", "for", "not") from
 *       starting the automaton: "the user" passes the first test for "the system prompt" and fails the second, and
 *       "update the" (a phrase begins "update the system") fails it at the eighth character.
 * </ul>
 *
 * <p>Both tests only rule positions out where no keyword can begin, so the automata that do run, exactly as
 * {@link KeywordAutomaton#matchesAny} would, each resuming where it last returned to its start state, give exactly
 * that automaton's answer. The hidden-Unicode test costs nothing for a character below U+0100 (the class lookup
 * already branches on that). Immutable and thread-safe; a scan allocates nothing for a text of up to 16,377
 * characters.
 */
public final class CombinedScan {

    /** The bit set in {@link #scan}'s result when the text holds a character that may be hidden Unicode. */
    public static final int HIDDEN_CANDIDATE = 1 << 30;

    /** How many characters the pass looks ahead of a position: the long window's length. */
    static final int WINDOW = 8;
    /** The shortest keyword the long window takes, the places after its end matching any class. */
    private static final int SHORTEST_LONG = 6;
    /** The bits of the long window's hash: its bit set holds 2^16 bits (8 KiB). */
    private static final int HASH_BITS = 16;

    private final KeywordAutomaton[] automata;
    private final byte[] foldOf = new byte[256];
    private final byte spaceClass;
    // For each triple of shared classes (a << 10 | b << 5 | c), the automata that have a keyword beginning with it:
    // bit k for automaton k (so at most 7 automata); 0 where no keyword begins.
    private final byte[] startersOf = new byte[1 << 15];
    // Bit t set when startersOf[t] is not 0: what the pass tests at every character. 4 KiB instead of the table's
    // 32 KiB, so the pass keeps few cache lines of its own hot and leaves the rest of the write's in the cache.
    private final long[] anyStarter = new long[(1 << 15) >>> 6];
    // The automata tested through the long window as well (bit k for automaton k), and the bit set of the hashes of
    // every window of eight classes their keywords can begin with.
    private final int longMask;
    private final long[] longStarts = new long[1 << HASH_BITS >>> 6];

    /**
     * Builds the shared filter.
     *
     * @param automata the automata, 1 to 7, each with a start filter
     * @throws IllegalArgumentException if there are too many, or one has no start filter
     */
    public CombinedScan(List<KeywordAutomaton> automata) {
        if (automata.isEmpty() || automata.size() > 7) {
            throw new IllegalArgumentException("a combined scan takes 1 to 7 automata: " + automata.size());
        }
        this.automata = automata.toArray(new KeywordAutomaton[0]);
        // The characters, whitespace as ' ': the space and the letters first, each its own class, so that the
        // windows tell words apart; the other characters share what classes remain.
        Set<Character> letters = new TreeSet<>();
        Set<Character> others = new LinkedHashSet<>();
        boolean space = false;
        for (KeywordAutomaton a : this.automata) {
            if (!a.hasStartFilter()) {
                throw new IllegalArgumentException("an automaton without a start filter cannot be combined");
            }
            for (int k = 0; k < a.size(); k++) {
                for (char c : a.keyword(k).toCharArray()) {
                    if (KeywordAutomaton.isSpace(c)) {
                        space = true;
                    } else if (c >= 'a' && c <= 'z') {
                        letters.add(c);
                    } else {
                        others.add(c);
                    }
                }
            }
        }
        int next = 1;
        if (space) {
            for (char c : new char[] {' ', '\n', '\t', '\r', '\u00a0'}) {
                foldOf[c] = (byte) next;
            }
            next++;
        }
        for (char c : letters) {
            foldOf[c] = (byte) next;
            foldOf[c - 32] = (byte) next;
            next++;
        }
        int firstOther = next;
        int n = 0;
        for (char c : others) {
            foldOf[c] = (byte) (firstOther + n++ % (32 - firstOther));
        }
        spaceClass = space ? (byte) 1 : 0;
        int longs = 0;
        for (int a = 0; a < this.automata.length; a++) {
            KeywordAutomaton au = this.automata[a];
            boolean collapse = au.collapsesWhitespace();
            boolean allLong = true;
            List<int[]> longWindows = new ArrayList<>();
            for (int k = 0; k < au.size(); k++) {
                String w = au.keyword(k).toLowerCase(Locale.ROOT);
                for (int[] start : windows(w, 3, true)) {
                    markStarters(start, 0, 0, a);
                }
                List<int[]> eight = windows(w, WINDOW, collapse);
                for (int[] win : eight) {
                    if (win[SHORTEST_LONG - 1] < 0) {
                        allLong = false; // a keyword shorter than six characters
                    }
                }
                longWindows.addAll(eight);
            }
            if (allLong) {
                longs |= 1 << a;
                for (int[] win : longWindows) {
                    markLong(win, 0, 0L);
                }
            }
        }
        longMask = longs;
        for (int t = 0; t < startersOf.length; t++) {
            if (startersOf[t] != 0) {
                anyStarter[t >>> 6] |= 1L << t;
            }
        }
    }

    /**
     * Every window of {@code width} classes that an occurrence of the keyword can begin with: each space in the
     * keyword a run of one or more whitespace characters when {@code runs} is set; -1 for a place past the keyword's
     * end (any class).
     */
    private List<int[]> windows(String keyword, int width, boolean runs) {
        List<int[]> out = new ArrayList<>();
        expand(keyword, 0, new int[width], 0, runs, out);
        return out;
    }

    private void expand(String keyword, int at, int[] window, int filled, boolean runs, List<int[]> out) {
        if (filled == window.length) {
            out.add(window.clone());
            return;
        }
        if (at == keyword.length()) {
            int[] w = window.clone();
            Arrays.fill(w, filled, w.length, -1);
            out.add(w);
            return;
        }
        char c = keyword.charAt(at);
        if (KeywordAutomaton.isSpace(c)) {
            // A run of one or more whitespace characters; with runs, as long as fits the window.
            int max = runs ? window.length - filled : 1;
            for (int r = 1; r <= max; r++) {
                Arrays.fill(window, filled, filled + r, spaceClass);
                expand(keyword, at + 1, window, filled + r, runs, out);
            }
        } else {
            window[filled] = foldOf[c];
            expand(keyword, at + 1, window, filled + 1, runs, out);
        }
    }

    /**
     * Marks the automaton in every triple the window's first three places allow (a place past the keyword: all 32
     * classes), the places before {@code place} already in {@code key}.
     */
    private void markStarters(int[] window, int place, int key, int automaton) {
        if (place == 3) {
            startersOf[key] |= (byte) (1 << automaton);
            return;
        }
        if (window[place] >= 0) {
            markStarters(window, place + 1, key << 5 | window[place], automaton);
        } else {
            for (int cl = 0; cl < 32; cl++) {
                markStarters(window, place + 1, key << 5 | cl, automaton);
            }
        }
    }

    /**
     * Sets the hash of every window the given one allows in {@link #longStarts} (a place past the keyword: all 32
     * classes), the places before {@code place} already in {@code key}.
     */
    private void markLong(int[] window, int place, long key) {
        if (place == WINDOW) {
            int h = hash(key);
            longStarts[h >>> 6] |= 1L << h;
            return;
        }
        if (window[place] >= 0) {
            markLong(window, place + 1, key << 5 | window[place]);
        } else {
            for (int cl = 0; cl < 32; cl++) {
                markLong(window, place + 1, key << 5 | cl);
            }
        }
    }

    /** The long window's hash: the top {@value #HASH_BITS} bits of a multiplicative hash of its 40 bits. */
    private static int hash(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - HASH_BITS));
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
        char[] buf = KeywordAutomaton.borrow(len + WINDOW - 1);
        try {
            text.getChars(0, len, buf, 0);
            Arrays.fill(buf, len, len + WINDOW - 1, (char) 0);
            return run(buf, len);
        } finally {
            KeywordAutomaton.release(buf);
        }
    }

    private int run(char[] text, int length) {
        final KeywordAutomaton[] as = automata;
        final byte[] starters = startersOf;
        final long[] any = anyStarter;
        final byte[] fold = foldOf;
        final long[] longBits = longStarts;
        final int longs = longMask;
        int matched = 0;
        int hidden = 0;
        // key's low 40 bits hold the classes of i .. i + 7, five bits each, i's highest; the text is followed by seven
        // NULs. The bits above are what is left of earlier characters: masked off where key is read, not on the
        // chain from one character to the next, which is then one shift and one or.
        long key = 0;
        for (int j = 0; j < WINDOW - 1; j++) {
            char c = text[j];
            if (j < length && hiddenCandidate(c)) {
                hidden = HIDDEN_CANDIDATE;
            }
            key = key << 5 | cls(fold, c);
        }
        // Where each automaton is next in its start state: the first two in locals, any others in an array made
        // only when one of them runs.
        int resume0 = 0;
        int resume1 = 0;
        int[] resume = null;
        for (int i = 0; i < length; i++) {
            char c = text[i + WINDOW - 1];
            int cl;
            if (c < 256) {
                cl = fold[c];
            } else {
                cl = 0;
                if (hiddenCandidate(c)) {
                    hidden = HIDDEN_CANDIDATE;
                }
            }
            key = (key << 5) | cl;
            int triple = (int) (key >>> 25) & 0x7FFF;
            if ((any[triple >>> 6] & (1L << triple)) == 0) {
                continue; // no keyword of any automaton begins here: most positions
            }
            int may = starters[triple] & ~matched;
            if (may == 0) {
                continue;
            }
            if ((may & longs) != 0) {
                int h = hash(key & 0xFF_FFFF_FFFFL);
                if ((longBits[h >>> 6] & (1L << h)) == 0) {
                    may &= ~longs;
                    if (may == 0) {
                        continue;
                    }
                }
            }
            for (int a = 0; a < as.length; a++) {
                if ((may & (1 << a)) == 0) {
                    continue;
                }
                int from = a == 0 ? resume0 : a == 1 ? resume1 : resume == null ? 0 : resume[a];
                if (i < from || ((longs & (1 << a)) == 0 && !as[a].mayStartAt(text, i))) {
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
