package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.SearchQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.statistics.Statistics;

/**
 * Content search against a naive oracle: random memories (with characters that fold differently in Java and in
 * databases: the Kelvin sign, the long s, dotted and dotless i, a supplementary letter, NUL, {@code \r}) and random
 * queries (fixed strings and regular expressions, with and without case, prefixes, globs and limits); the search must
 * return exactly what scanning every memory and matching each line in plain Java returns. Run on every backend, it
 * shows that no backend's pre-filter drops a match.
 *
 * <p>The number of tries is the system property {@code agentmemory.search.tries} (300 by default).
 */
public abstract class SearchPropertyTest {

    private static final List<String> TOKENS = List.of("a", "A", "b", "k", "K", "\u212A", "s", "S", "\u017F", "i",
            "I", "\u0130", "\u0131", "\u00e9", "\u00c9", "\r", " ", "\u0000", "\uD801\uDC00", "\uD801\uDC28", "x", ".");
    private static final List<String> PATHS = List.of("/a.md", "/a/b.md", "/a/c.txt", "/b.txt", "/k.md",
            "/a/d/e.md", "/x.txt");
    private static final List<String> REGEXES = List.of("a.", "^k", "s$", "[ab]+", "(?:x|\u00e9)", "\\s", "I.",
            "k|s", "", ".", "\u212A", "x*", "\\.$");

    private BackendFixture fixture;
    private AgentMemory memory;

    /**
     * Returns the backend under test.
     *
     * @return a fixture that opens fresh, empty backends
     */
    protected abstract BackendFixture fixture();

    /** A path filter and the predicate it must amount to, written without the library's glob. */
    record Glob(String glob, Predicate<String> fits) {
        @Override
        public String toString() {
            return glob;
        }
    }

    /** One generated case. */
    record Case(Map<String, String> memories, SearchQuery query, Predicate<String> pathFits) {
    }

    /**
     * The search returns exactly the oracle's matches.
     *
     * @param c the memories and the query
     */
    @Property
    @AddLifecycleHook(Tries.class)
    public void searchEqualsTheNaiveScan(@ForAll("cases") Case c) {
        if (memory == null) {
            fixture = fixture();
            memory = AgentMemory.builder().backend(fixture.open()).build();
        }
        MemoryStore store = memory.workspace("acme").stores().create(NewStore.named("search").build());
        try {
            Memories m = memory.workspace("acme").memories(store.id(), Actor.apiKey("apikey_search"));
            c.memories().forEach(m::create);
            List<String> expected = oracle(m, c);
            List<String> actual = m.search(c.query()).map(x -> x.path() + ":" + x.lineNumber() + ":" + x.line()
                    + ":" + x.spans().stream().map(s -> s.start() + "-" + s.end()).toList()).toList();
            assertThat(actual).as("search %s over %s", c.query(), c.memories()).isEqualTo(expected);
            Statistics.label("matches").collect(expected.isEmpty() ? "none" : "some");
            Statistics.label("matches").coverage(cov -> cov.check("some").percentage(p -> p > 10));
        } finally {
            memory.workspace("acme").stores().delete(store.id());
        }
    }

    /** Scans every memory through a plain listing and matches each line in plain Java. */
    private static List<String> oracle(Memories m, Case c) {
        SearchQuery q = c.query();
        List<String> out = new ArrayList<>();
        for (ListEntry e : m.listStream(ListQuery.builder().includeContent(true).limit(100).build()).toList()) {
            Memory mem = (Memory) e;
            if (!mem.path().startsWith(q.pathPrefix()) || !c.pathFits().test(mem.path())) {
                continue;
            }
            String[] lines = mem.text().split("\n", -1);
            for (int n = 0; n < lines.length; n++) {
                List<String> spans = q.syntax() == SearchQuery.Syntax.LITERAL
                        ? literal(lines[n], q.pattern(), q.ignoreCase()) : regex(lines[n], q.pattern(), q.ignoreCase());
                if (!spans.isEmpty()) {
                    out.add(mem.path() + ":" + (n + 1) + ":" + lines[n] + ":" + spans);
                }
            }
        }
        return q.limit() > 0 && out.size() > q.limit() ? out.subList(0, q.limit()) : out;
    }

    private static List<String> literal(String line, String p, boolean ignoreCase) {
        List<String> spans = new ArrayList<>();
        if (p.isEmpty()) {
            return List.of("0-0");
        }
        for (int i = 0; i + p.length() <= line.length(); i++) {
            if (line.regionMatches(ignoreCase, i, p, 0, p.length())) {
                spans.add(i + "-" + (i + p.length()));
                i += p.length() - 1;
            }
        }
        return spans;
    }

    private static List<String> regex(String line, String re, boolean ignoreCase) {
        Matcher matcher = Pattern.compile(re, Pattern.UNIX_LINES
                | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)).matcher(line);
        List<String> spans = new ArrayList<>();
        String empty = null;
        while (matcher.find()) {
            if (matcher.end() > matcher.start()) {
                spans.add(matcher.start() + "-" + matcher.end());
            } else if (empty == null) {
                empty = matcher.start() + "-" + matcher.start();
            }
        }
        return spans.isEmpty() && empty != null ? List.of(empty) : spans;
    }

    /**
     * Generates memories and a query.
     *
     * @return the cases
     */
    @Provide
    public Arbitrary<Case> cases() {
        List<String> contentTokens = new ArrayList<>(TOKENS);
        contentTokens.add("\n");
        contentTokens.add("\n");
        Arbitrary<String> content = Arbitraries.of(contentTokens).list().ofMaxSize(24).map(l -> String.join("", l));
        Arbitrary<Map<String, String>> memories = Arbitraries.maps(Arbitraries.of(PATHS), content).ofMaxSize(6);
        Arbitrary<String> literal = Arbitraries.of(TOKENS).list().ofMinSize(0).ofMaxSize(3).map(l -> String.join("", l));
        Arbitrary<SearchQuery.Builder> pattern = Arbitraries.oneOf(literal.map(SearchQuery::literal),
                Arbitraries.of(REGEXES).map(SearchQuery::regex));
        Arbitrary<Glob> glob = Arbitraries.of(
                new Glob("", p -> true),
                new Glob("*.md", p -> p.endsWith(".md")),
                new Glob("/a/*", p -> p.startsWith("/a/") && p.indexOf('/', 3) < 0),
                new Glob("/a/**", p -> p.startsWith("/a/")),
                new Glob("**/*.txt", p -> p.endsWith(".txt")),
                new Glob("?.txt", p -> p.substring(p.lastIndexOf('/') + 1).matches("[^/]\\.txt")));
        return Combinators.combine(memories, pattern, Arbitraries.of(true, false), Arbitraries.of("/", "/a/", "/a/d/"),
                glob, Arbitraries.of(0, 0, 1, 2, 5)).as((mems, b, ic, prefix, g, limit) -> {
                    b.ignoreCase(ic).pathPrefix(prefix).limit(limit);
                    if (!g.glob().isEmpty()) {
                        b.pathGlob(g.glob());
                    }
                    return new Case(mems, b.build(), g.fits());
                });
    }

    /** Closes the service and the fixture once the property has run. */
    @AfterProperty
    public void closeMemory() {
        if (memory != null) {
            memory.close();
            memory = null;
        }
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    /** Sets the property's tries from the system property {@code agentmemory.search.tries}, 300 if unset. */
    public static final class Tries implements AroundPropertyHook {

        /** Creates the hook; jqwik does. */
        public Tries() {
        }

        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(Integer.getInteger("agentmemory.search.tries", 300));
            return property.execute();
        }
    }
}
