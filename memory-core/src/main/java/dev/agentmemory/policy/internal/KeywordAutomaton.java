package dev.agentmemory.policy.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Finds every occurrence of a fixed set of ASCII keywords in a text in one left-to-right pass, ignoring ASCII case:
 * an Aho-Corasick automaton compiled into a dense transition table over the few character classes the keywords use.
 * Each character costs one table lookup whatever the number of keywords; a character that appears in no keyword
 * sends the automaton back to its start state.
 *
 * <p>Most of a text is far from any keyword, so while the automaton is in its start state a skip loop reads the text
 * instead: it tests the next three characters' classes against a bit set of the keywords' first three characters and
 * hands over to the automaton only where a keyword can begin (about 0.2 % of the positions of an ordinary note for
 * the secret scanner's keywords, a few percent for the injection phrases). The matches are exactly the automaton's.
 * The scan reads a copy of the text in a buffer each thread keeps (up to 16,384 characters; a longer text
 * gets a buffer of its own), so scanning a write of ordinary size allocates nothing. Immutable and thread-safe.
 *
 * <p>When {@code collapseWhitespace} is set, a run of whitespace in the text matches a single space in a keyword, so
 * {@code "ignore  previous\ninstructions"} matches the keyword {@code "ignore previous instructions"}.
 */
public final class KeywordAutomaton {

    /** Receives each match: which keyword, and the index just past its last character in the text. */
    @FunctionalInterface
    public interface Hits {
        /**
         * Called once per match, in order of end position.
         *
         * @param keyword the keyword's index in the list the automaton was built from
         * @param end the index in the text just past the match
         */
        void hit(int keyword, int end);
    }

    private final String[] keywords;
    private final byte[] classOf = new byte[128];
    private final int classes;
    // next[state * classes + class] is the next state, premultiplied by classes, and bitwise complemented (negative)
    // when some keyword ends in it; out[state] lists those keywords.
    private final int[] next;
    private final int[][] out; // keywords ending in each state, or null
    private final boolean collapseWhitespace;
    private final int spaceClass;
    // The start filter: bit (a << 10 | b << 5 | c) is set when some keyword can begin with characters of filter classes
    // a, b, c (see filterClass); null when it cannot be built exactly (a keyword that begins with whitespace while
    // whitespace collapses).
    private static final int FILTER_WORDS = 1 << 15 >>> 6;
    private final byte[] filterClassOf = new byte[256];
    private final long[] startFilter;

    /**
     * Compiles the automaton.
     *
     * @param keywords the keywords, printable ASCII, not empty; matched without regard to ASCII case
     * @param collapseWhitespace whether a run of whitespace in the text matches one space in a keyword
     * @throws IllegalArgumentException if a keyword is empty or not printable ASCII
     */
    public KeywordAutomaton(List<String> keywords, boolean collapseWhitespace) {
        this.collapseWhitespace = collapseWhitespace;
        this.keywords = new String[keywords.size()];
        int nextClass = 1; // class 0: characters in no keyword
        for (int k = 0; k < keywords.size(); k++) {
            String w = keywords.get(k).toLowerCase(Locale.ROOT);
            if (w.isEmpty()) {
                throw new IllegalArgumentException("a keyword cannot be empty");
            }
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                if (c < 0x20 || c > 0x7E) {
                    if (!(c == '\n' && !collapseWhitespace)) {
                        throw new IllegalArgumentException("keyword '" + keywords.get(k)
                                + "' has a character outside printable ASCII at index " + i);
                    }
                }
                if (classOf[c] == 0) {
                    classOf[c] = (byte) nextClass++;
                    if (c >= 'a' && c <= 'z') {
                        classOf[c - 32] = classOf[c];
                    }
                }
            }
            this.keywords[k] = w;
        }
        if (nextClass > 127) {
            throw new IllegalArgumentException("too many distinct keyword characters: " + (nextClass - 1));
        }
        classes = nextClass;
        spaceClass = classOf[' '];

        // The trie.
        List<int[]> go = new ArrayList<>();
        List<List<Integer>> outs = new ArrayList<>();
        go.add(filled(classes));
        outs.add(new ArrayList<>());
        for (int k = 0; k < this.keywords.length; k++) {
            int s = 0;
            for (char c : this.keywords[k].toCharArray()) {
                int cl = classOf[c];
                if (go.get(s)[cl] < 0) {
                    go.get(s)[cl] = go.size();
                    go.add(filled(classes));
                    outs.add(new ArrayList<>());
                }
                s = go.get(s)[cl];
            }
            outs.get(s).add(k);
        }
        // Failure links, breadth first, folded into a complete transition table.
        int n = go.size();
        int[] fail = new int[n];
        next = new int[n * classes];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int cl = 0; cl < classes; cl++) {
            int t = go.get(0)[cl];
            if (t < 0) {
                next[cl] = 0;
            } else {
                next[cl] = t;
                fail[t] = 0;
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            outs.get(s).addAll(outs.get(fail[s]));
            for (int cl = 0; cl < classes; cl++) {
                int t = go.get(s)[cl];
                if (t < 0) {
                    next[s * classes + cl] = next[fail[s] * classes + cl];
                } else {
                    next[s * classes + cl] = t;
                    fail[t] = next[fail[s] * classes + cl];
                    queue.add(t);
                }
            }
        }
        out = new int[n][];
        for (int s = 0; s < n; s++) {
            List<Integer> o = outs.get(s);
            if (!o.isEmpty()) {
                out[s] = o.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        for (int i = 0; i < next.length; i++) {
            int t = next[i];
            next[i] = out[t] != null ? ~(t * classes) : t * classes;
        }
        startFilter = buildFilter();
    }

    private long[] buildFilter() {
        for (int c = 0; c < 128; c++) {
            filterClassOf[c] = fold(classOf[c]);
        }
        if (collapseWhitespace) {
            byte space = fold(spaceClass);
            for (char c : new char[] {' ', '\n', '\t', '\r', '\u00a0'}) {
                filterClassOf[c] = space;
            }
        }
        long[] filter = new long[FILTER_WORDS];
        for (String w : keywords) {
            if (collapseWhitespace && w.charAt(0) == ' ') {
                return null;
            }
            int a = filterClassOf[w.charAt(0)];
            int[] bs = w.length() > 1 ? new int[] {filterClassOf[w.charAt(1)]} : all();
            int[] cs = w.length() > 2 ? new int[] {filterClassOf[w.charAt(2)]} : all();
            for (int b : bs) {
                for (int c : cs) {
                    set(filter, a, b, c);
                    if (collapseWhitespace && w.length() > 2 && w.charAt(1) == ' ') {
                        // "x  y": the run of whitespace fills the third place too.
                        set(filter, a, b, b);
                    }
                }
            }
        }
        return filter;
    }

    private static void set(long[] filter, int a, int b, int c) {
        int key = a << 10 | b << 5 | c;
        filter[key >>> 6] |= 1L << key;
    }

    private static int[] all() {
        int[] a = new int[32];
        for (int i = 0; i < 32; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Folds an automaton class onto 1..31 (0 stays 0): two classes may share a filter class, which only lets more pass. */
    private static byte fold(int automatonClass) {
        return (byte) (automatonClass == 0 ? 0 : 1 + (automatonClass - 1) % 31);
    }

    private static int[] filled(int size) {
        int[] a = new int[size];
        Arrays.fill(a, -1);
        return a;
    }

    /**
     * Returns the keyword with this index, in lower case.
     *
     * @param index the index
     * @return the keyword
     */
    public String keyword(int index) {
        return keywords[index];
    }

    /**
     * Returns how many keywords there are.
     *
     * @return the count
     */
    public int size() {
        return keywords.length;
    }

    /**
     * Reports every keyword occurrence in the text, in order of end position.
     *
     * @param text the text
     * @param hits receives each match
     */
    public void scan(CharSequence text, Hits hits) {
        scanCopy(text, hits);
    }

    /**
     * Reports every keyword occurrence in the first {@code length} characters of a buffer, in order of end position.
     *
     * @param text the characters
     * @param length how many of them to read
     * @param hits receives each match
     */
    public void scan(char[] text, int length, Hits hits) {
        scanCopy(java.nio.CharBuffer.wrap(text, 0, length), hits);
    }

    /**
     * Tells whether the text holds any keyword, stopping at the first.
     *
     * @param text the text
     * @return true if {@link #scan} would report at least one match
     */
    public boolean matchesAny(CharSequence text) {
        return scanCopy(text, null);
    }

    /**
     * Copies the text into a buffer (the thread's own for texts up to {@value #KEEP} characters, so a write of
     * ordinary size allocates nothing; a new one for longer texts) with two NUL characters after it, so the loop reads
     * a plain array, ahead of its position, without bounds tests; then scans it.
     */
    private boolean scanCopy(CharSequence text, Hits hits) {
        int len = text.length();
        char[] buf = borrow(len + 2);
        try {
            if (text instanceof String str) {
                str.getChars(0, len, buf, 0);
            } else {
                for (int i = 0; i < len; i++) {
                    buf[i] = text.charAt(i);
                }
            }
            buf[len] = 0;
            buf[len + 1] = 0;
            return run(buf, len, hits);
        } finally {
            release(buf);
        }
    }

    /** The size, in characters, of the buffer each thread keeps for scanning. */
    private static final int KEEP = 1 << 14;
    // One slot per thread: the kept buffer, or null while a scan on this thread uses it (a hit handler that scans
    // again then gets a buffer of its own).
    private static final ThreadLocal<char[][]> BUFFER = ThreadLocal.withInitial(() -> new char[1][]);

    static char[] borrow(int size) {
        if (size > KEEP) {
            return new char[size];
        }
        char[][] slot = BUFFER.get();
        char[] b = slot[0];
        if (b == null) {
            return new char[KEEP];
        }
        slot[0] = null;
        return b;
    }

    static void release(char[] buf) {
        if (buf.length == KEEP) {
            BUFFER.get()[0] = buf;
        }
    }

    /**
     * The filter's class of a character: the keyword characters folded onto 31 classes (whitespace onto the space's
     * class when whitespace collapses), 0 for a character in no keyword.
     */
    private int filterClass(char c) {
        return c < 256 ? filterClassOf[c] : 0;
    }

    /**
     * Tells whether a keyword can begin at {@code i}, given the filter classes of the two characters after it (0 past
     * the end): whether the triple of classes is in the start filter.
     */
    private static boolean mayStart(long[] filter, int key) {
        return (filter[(key >>> 6) & (FILTER_WORDS - 1)] & (1L << key)) != 0;
    }

    /**
     * The scan. While the automaton is in its start state, a skip loop reads the text through the start filter (no
     * table walk, no dependency on the automaton's state) and hands over only where a keyword can begin; the
     * automaton then runs until it falls back to its start state. Restarting there is exact: in the start state no
     * keyword is under way, so every later match begins at or after the current position, and the filter lets no
     * possible beginning pass. With {@code hits} null, returns at the first match.
     */
    private boolean run(char[] text, int length, Hits hits) {
        final long[] filter = startFilter;
        int i = 0;
        while (i < length) {
            if (filter != null) {
                // Skip loop: key holds the filter classes of i, i + 1 and i + 2, five bits each.
                int key = filterClass(text[i]) << 5 | filterClass(text[i + 1]);
                for (;;) {
                    key = (key << 5) | filterClass(text[i + 2]); // the text is followed by two NULs, of class 0
                    if (mayStart(filter, key)) {
                        break;
                    }
                    if (++i >= length) {
                        return false;
                    }
                }
            }
            i = runFrom(text, i, length, hits);
            if (i < 0) {
                return true;
            }
        }
        return false;
    }

    /** What {@link #runFrom} returns when it stopped at a match because it was given no {@link Hits}. */
    static final int MATCHED = -1;

    /**
     * Runs the automaton from its start state at {@code i} (where a keyword may begin) until it is back in its start
     * state, reporting matches. Every match that begins in the positions read is reported, because in the start state
     * no keyword is under way.
     *
     * @return the index of the next character to read, with the automaton in its start state (at most
     *     {@code length}); or {@link #MATCHED} at the first match when {@code hits} is null
     */
    int runFrom(char[] text, int i, int length, Hits hits) {
        final int[] table = next;
        final byte[] cls = classOf;
        int s = 0;
        boolean prevSpace = collapseWhitespace && i > 0 && isSpace(text[i - 1]);
        do {
            char c = text[i];
            int cl;
            if (collapseWhitespace && isSpace(c)) {
                if (prevSpace) {
                    i++;
                    continue;
                }
                prevSpace = true;
                cl = spaceClass;
            } else {
                prevSpace = false;
                cl = c < 128 ? cls[c] : 0;
            }
            int t = table[s + cl];
            if (t < 0) {
                t = ~t;
                if (hits == null) {
                    return MATCHED;
                }
                report(t, i + 1, hits);
            }
            s = t;
            i++;
        } while (s != 0 && i < length);
        return i;
    }

    /**
     * Tells whether a keyword of this automaton can begin at {@code i} of a padded buffer, by its own start filter
     * (true when it has none).
     */
    boolean mayStartAt(char[] text, int i) {
        if (startFilter == null) {
            return true;
        }
        int key = filterClass(text[i]) << 10 | filterClass(text[i + 1]) << 5 | filterClass(text[i + 2]);
        return mayStart(startFilter, key);
    }

    /** Whether a run of whitespace in the text matches one space in a keyword. */
    boolean collapsesWhitespace() {
        return collapseWhitespace;
    }

    /** Whether the automaton has a start filter (it has none when a keyword begins with collapsing whitespace). */
    boolean hasStartFilter() {
        return startFilter != null;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\u00a0';
    }

    private void report(int premultipliedState, int end, Hits hits) {
        for (int k : out[premultipliedState / classes]) {
            hits.hit(k, end);
        }
    }
}
