package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.SearchMatch;
import dev.agentmemory.model.SearchQuery;
import dev.agentmemory.spi.ContentFilter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A checked, compiled search: decides which paths are searched, which lines of a memory's content match and where,
 * and which cheap content filter a backend may apply first. The one place a match is decided, so every backend
 * answers identically. Pure: no I/O. Immutable and thread-safe.
 *
 * <p>A regular expression's cost is bounded: the matcher reads the content through a view that counts character
 * reads, and a memory whose matching needs more than {@link #STEP_BUDGET} reads ends the search with an
 * {@link InvalidArgumentException} (rule {@code search.too_costly}), so a pattern with catastrophic backtracking
 * cannot occupy a thread for long.
 */
final class ContentSearch {

    /** The most character reads a regular expression may make on one memory's content. */
    static final long STEP_BUDGET = 10_000_000L;

    private final SearchQuery query;
    private final String prefix;
    private final Optional<Pattern> glob;
    private final boolean globWholePath;
    private final Optional<Pattern> regex;

    private ContentSearch(SearchQuery query, String prefix, Optional<Pattern> glob, boolean globWholePath,
            Optional<Pattern> regex) {
        this.query = query;
        this.prefix = prefix;
        this.glob = glob;
        this.globWholePath = globWholePath;
        this.regex = regex;
    }

    /**
     * Checks a query and compiles it.
     *
     * @param q the query
     * @param limits the path limits
     * @return the compiled search
     * @throws InvalidArgumentException if the pattern, prefix, glob or limit breaks a rule
     */
    static ContentSearch compile(SearchQuery q, Limits limits) {
        String prefix = PathRules.normalizePrefix(q.pathPrefix(), limits);
        if (q.pattern().length() > SearchQuery.MAX_PATTERN_CHARS) {
            throw new InvalidArgumentException("search.pattern_length", "the search pattern has "
                    + q.pattern().length() + " characters; the most is " + SearchQuery.MAX_PATTERN_CHARS);
        }
        if (Contents.unpairedSurrogateIndex(q.pattern()) >= 0) {
            throw new InvalidArgumentException("search.pattern_text",
                    "the search pattern holds an unpaired surrogate; it must be valid Unicode text");
        }
        if (q.limit() < 0) {
            throw new InvalidArgumentException("search.limit",
                    "search limit " + q.limit() + " is negative: use 0 for all matches or a positive number");
        }
        Optional<Pattern> regex = Optional.empty();
        if (q.syntax() == SearchQuery.Syntax.LITERAL) {
            if (q.pattern().indexOf('\n') >= 0) {
                throw new InvalidArgumentException("search.pattern_line_break", "a fixed-string search pattern"
                        + " cannot contain a line break: content is matched one line at a time");
            }
        } else {
            try {
                regex = Optional.of(Pattern.compile(q.pattern(),
                        Pattern.UNIX_LINES | (q.ignoreCase() ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)));
            } catch (PatternSyntaxException e) {
                throw new InvalidArgumentException("search.pattern_syntax", "the regular expression is not valid: "
                        + e.getDescription() + " near index " + e.getIndex() + " of " + IdRules.printable(q.pattern()));
            }
        }
        Optional<Pattern> glob = q.pathGlob().map(ContentSearch::globToRegex);
        boolean whole = q.pathGlob().map(g -> g.indexOf('/') >= 0).orElse(false);
        return new ContentSearch(q, prefix, glob, whole, regex);
    }

    /** @return the normalised directory prefix to scan */
    String prefix() {
        return prefix;
    }

    /** @return the most matches to return; 0 for all */
    int limit() {
        return query.limit();
    }

    /**
     * Returns the content filter a backend may apply before loading memories: every memory with a matching line
     * passes it. Empty when no useful filter exists (regular expressions, empty patterns).
     *
     * @return the filter, or empty
     */
    Optional<ContentFilter> prefilter() {
        if (query.syntax() != SearchQuery.Syntax.LITERAL || query.pattern().isEmpty()) {
            return Optional.empty();
        }
        if (!query.ignoreCase()) {
            return Optional.of(new ContentFilter(query.pattern(), false));
        }
        // Ignoring case, a character may equal characters a database would not fold (the Kelvin sign equals 'k').
        // The longest run of ASCII characters whose only case-equivalents are ASCII is safe to filter on.
        String best = "";
        int start = 0;
        String p = query.pattern();
        for (int i = 0; i <= p.length(); i++) {
            if (i == p.length() || !FoldSafe.isSafe(p.charAt(i))) {
                if (i - start > best.length()) {
                    best = p.substring(start, i);
                }
                start = i + 1;
            }
        }
        return best.isEmpty() ? Optional.empty() : Optional.of(new ContentFilter(best, true));
    }

    /**
     * Tells whether a path is searched: under the prefix and fitting the glob.
     *
     * @param path a memory's path
     * @return true if its content is searched
     */
    boolean searches(String path) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        if (glob.isEmpty()) {
            return true;
        }
        String subject = globWholePath ? path : path.substring(path.lastIndexOf('/') + 1);
        return glob.get().matcher(subject).matches();
    }

    /**
     * Returns the matching lines of a memory, in line order.
     *
     * @param m a memory with content
     * @return one match per matching line
     * @throws InvalidArgumentException if a regular expression needs more than {@link #STEP_BUDGET} steps on it
     */
    List<SearchMatch> matches(Memory m) {
        String text = m.content().orElseThrow();
        List<SearchMatch> out = new ArrayList<>();
        Budgeted seq = regex.isPresent() ? new Budgeted(text) : null;
        Matcher matcher = regex.map(r -> r.matcher(seq)).orElse(null);
        int lineNumber = 1;
        int from = 0;
        while (from <= text.length()) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl;
            List<SearchMatch.Span> spans;
            try {
                spans = matcher != null ? regexSpans(matcher, from, to) : literalSpans(text, from, to);
            } catch (Budgeted.Exhausted e) {
                throw new InvalidArgumentException("search.too_costly", "the regular expression "
                        + IdRules.printable(query.pattern()) + " needed more than " + STEP_BUDGET + " steps on "
                        + IdRules.printable(m.path()) + " and was stopped; simplify it (nested repetition such as"
                        + " (a+)+ backtracks exponentially) or search for a fixed string");
            }
            if (!spans.isEmpty()) {
                out.add(new SearchMatch(m.id(), m.path(), lineNumber, text.substring(from, to), spans));
            }
            if (nl < 0) {
                break;
            }
            from = nl + 1;
            lineNumber++;
        }
        return out;
    }

    private List<SearchMatch.Span> literalSpans(String text, int from, int to) {
        String p = query.pattern();
        if (p.isEmpty()) {
            return List.of(new SearchMatch.Span(0, 0));
        }
        List<SearchMatch.Span> spans = new ArrayList<>(1);
        int i = from;
        while (i + p.length() <= to) {
            if (text.regionMatches(query.ignoreCase(), i, p, 0, p.length())) {
                spans.add(new SearchMatch.Span(i - from, i - from + p.length()));
                i += p.length();
            } else {
                i++;
            }
        }
        return spans;
    }

    private static List<SearchMatch.Span> regexSpans(Matcher matcher, int from, int to) {
        matcher.region(from, to);
        List<SearchMatch.Span> spans = new ArrayList<>(1);
        SearchMatch.Span firstEmpty = null;
        while (matcher.find()) {
            if (matcher.end() > matcher.start()) {
                spans.add(new SearchMatch.Span(matcher.start() - from, matcher.end() - from));
            } else if (firstEmpty == null) {
                firstEmpty = new SearchMatch.Span(matcher.start() - from, matcher.start() - from);
            }
        }
        if (spans.isEmpty() && firstEmpty != null) {
            spans.add(firstEmpty);
        }
        return spans;
    }

    /**
     * Turns a glob into a regular expression: {@code **}{@code /} any directories or none, {@code **} anything,
     * {@code *} anything but {@code /}, {@code ?} one character but {@code /}, everything else literally.
     */
    static Pattern globToRegex(String glob) {
        if (glob.isEmpty() || glob.length() > SearchQuery.MAX_PATTERN_CHARS) {
            throw new InvalidArgumentException("search.glob", "a path glob needs 1 to "
                    + SearchQuery.MAX_PATTERN_CHARS + " characters, for example *.md or /notes/**");
        }
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                if (c == '?') {
                    re.append("[^/]");
                    i++;
                } else if (glob.startsWith("**/", i)) {
                    re.append("(?:.*/)?");
                    i += 3;
                } else if (glob.startsWith("**", i)) {
                    re.append(".*");
                    i += 2;
                } else {
                    re.append("[^/]*");
                    i++;
                }
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** Which ASCII characters equal, ignoring case, no character outside ASCII. Computed once, when first needed. */
    static final class FoldSafe {
        private static final BitSet UNSAFE = unsafe();

        private FoldSafe() {
        }

        static boolean isSafe(char c) {
            // NUL is left out too: PostgreSQL text, which the folded comparison binds, cannot hold it.
            return c > 0 && c < 128 && !UNSAFE.get(c);
        }

        private static BitSet unsafe() {
            BitSet unsafe = new BitSet(128);
            for (int cp = 128; cp <= Character.MAX_CODE_POINT; cp++) {
                int up = Character.toUpperCase(cp);
                int[] folds = {up, Character.toLowerCase(up), Character.toLowerCase(cp)};
                for (int f : folds) {
                    if (f < 128) {
                        for (char c = 0; c < 128; c++) {
                            if (Character.toUpperCase(c) == Character.toUpperCase(f)
                                    || Character.toLowerCase(c) == Character.toLowerCase(f)) {
                                unsafe.set(c);
                            }
                        }
                    }
                }
            }
            return unsafe;
        }
    }

    /** The content as the regular expression reads it, counting reads against {@link #STEP_BUDGET}. */
    private static final class Budgeted implements CharSequence {
        /** Thrown, without a stack trace, when the budget is spent. */
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super("step budget spent", null, false, false);
            }
        }

        private final String text;
        private long steps;

        Budgeted(String text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (++steps > STEP_BUDGET) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
