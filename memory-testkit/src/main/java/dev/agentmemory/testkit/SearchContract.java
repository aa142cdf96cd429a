package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.SearchMatch;
import dev.agentmemory.model.SearchMatch.Span;
import dev.agentmemory.model.SearchQuery;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Content search: fixed strings and regular expressions matched line by line, case-sensitive or not, with path
 * prefix and glob filters and a limit, lazily, with every backend giving the same answer (including for characters a
 * database folds differently from Java), and with a bounded cost for pathological regular expressions.
 */
public abstract class SearchContract extends ContractSupport {

    private static List<String> where(Stream<SearchMatch> s) {
        return s.map(x -> x.path() + ":" + x.lineNumber() + ":" + x.line()).toList();
    }

    @Test
    void findsFixedStringsLineByLineInPathOrder() {
        Memories m = freshStore();
        Memory b = m.create("/notes/b.md", "alpha\nbeta gamma beta\n\nbeta");
        m.create("/notes/a.md", "no match here\nbetamax");
        m.create("/other.txt", "Beta");
        List<SearchMatch> found = m.search(SearchQuery.literal("beta").build()).toList();
        assertThat(found).extracting(x -> x.path() + ":" + x.lineNumber()).containsExactly(
                "/notes/a.md:2", "/notes/b.md:2", "/notes/b.md:4");
        SearchMatch second = found.get(1);
        assertThat(second.memoryId()).isEqualTo(b.id());
        assertThat(second.line()).isEqualTo("beta gamma beta");
        assertThat(second.spans()).containsExactly(new Span(0, 4), new Span(11, 15));
        assertThat(where(m.search(SearchQuery.literal("beta").ignoreCase(true).build())))
                .containsExactly("/notes/a.md:2:betamax", "/notes/b.md:2:beta gamma beta", "/notes/b.md:4:beta",
                        "/other.txt:1:Beta");
        assertThat(m.search(SearchQuery.literal("zeta").build())).isEmpty();
    }

    @Test
    void ignoringCaseFollowsJavaNotTheDatabase() {
        Memories m = freshStore();
        m.create("/k.md", "temperature in \u212Aelvin"); // KELVIN SIGN equals 'k' ignoring case
        m.create("/s.md", "\u017Fecret");                // LATIN SMALL LETTER LONG S equals 's'
        m.create("/e.md", "CAF\u00c9");
        m.create("/nul.md", "x\u0000y\nKELVIN");
        assertThat(where(m.search(SearchQuery.literal("kelvin").ignoreCase(true).build())))
                .containsExactly("/k.md:1:temperature in \u212Aelvin", "/nul.md:2:KELVIN");
        assertThat(where(m.search(SearchQuery.literal("SECRET").ignoreCase(true).build())))
                .containsExactly("/s.md:1:\u017Fecret");
        assertThat(where(m.search(SearchQuery.literal("caf\u00e9").ignoreCase(true).build())))
                .containsExactly("/e.md:1:CAF\u00c9");
        assertThat(m.search(SearchQuery.literal("caf\u00e9").build())).isEmpty();
        assertThat(where(m.search(SearchQuery.regex("k.lvin").ignoreCase(true).build())))
                .containsExactly("/k.md:1:temperature in \u212Aelvin", "/nul.md:2:KELVIN");
        assertThat(where(m.search(SearchQuery.literal("x\u0000y").build()))).containsExactly("/nul.md:1:x\u0000y");
    }

    @Test
    void regularExpressionsMatchWithinOneLine() {
        Memories m = freshStore();
        m.create("/a.md", "first line\r\nsecond line\nthird");
        assertThat(where(m.search(SearchQuery.regex("^s\\w+").build()))).containsExactly("/a.md:2:second line");
        assertThat(where(m.search(SearchQuery.regex("line$").build()))).containsExactly("/a.md:2:second line");
        assertThat(where(m.search(SearchQuery.regex("line\\r$").build())))
                .as("a \\r before the line break stays in the line").containsExactly("/a.md:1:first line\r");
        assertThat(m.search(SearchQuery.regex("line\\nsecond").build())).as("no match across lines").isEmpty();
        SearchMatch x = m.search(SearchQuery.regex("i(r|n)").build()).findFirst().orElseThrow();
        assertThat(x.spans()).containsExactly(new Span(1, 3), new Span(7, 9));
        assertThat(m.search(SearchQuery.regex("z*").build()).toList()).hasSize(3)
                .allSatisfy(s -> assertThat(s.spans()).containsExactly(new Span(0, 0)));
    }

    @Test
    void pathPrefixAndGlobNarrowTheSearch() {
        Memories m = freshStore();
        for (String p : List.of("/a.md", "/notes/a.md", "/notes/b.txt", "/notes/deep/c.md", "/notesx/d.md")) {
            m.create(p, "todo");
        }
        assertThat(where(m.search(SearchQuery.literal("todo").pathPrefix("/notes/").build())).stream()
                .map(s -> s.split(":")[0])).containsExactly("/notes/a.md", "/notes/b.txt", "/notes/deep/c.md");
        assertThat(where(m.search(SearchQuery.literal("todo").pathGlob("*.md").build())).stream()
                .map(s -> s.split(":")[0])).containsExactly("/a.md", "/notes/a.md", "/notes/deep/c.md",
                        "/notesx/d.md");
        assertThat(where(m.search(SearchQuery.literal("todo").pathGlob("/notes/*.md").build())).stream()
                .map(s -> s.split(":")[0])).containsExactly("/notes/a.md");
        assertThat(where(m.search(SearchQuery.literal("todo").pathGlob("/notes/**/*.md").build())).stream()
                .map(s -> s.split(":")[0])).containsExactly("/notes/a.md", "/notes/deep/c.md");
        assertThat(where(m.search(SearchQuery.literal("todo").pathPrefix("/notes/").pathGlob("?.txt").build()))
                .stream().map(s -> s.split(":")[0])).containsExactly("/notes/b.txt");
    }

    @Test
    void aLimitAndALazyStreamStopEarly() {
        Memories m = freshStore();
        for (int i = 0; i < 80; i++) {
            m.create(String.format("/m/%03d.md", i), "hit\nhit");
        }
        assertThat(m.search(SearchQuery.literal("hit").limit(5).build()).toList()).hasSize(5)
                .extracting(SearchMatch::lineNumber).containsExactly(1, 2, 1, 2, 1);
        assertThat(m.search(SearchQuery.literal("hit").build()).count()).isEqualTo(160);
        Stream<SearchMatch> lazy = m.search(SearchQuery.literal("late").build());
        m.create("/m/999.md", "late");
        assertThat(where(lazy)).as("memories are read when the stream is consumed").containsExactly(
                "/m/999.md:1:late");
    }

    @Test
    void badQueriesAreRefusedAtOnce() {
        Memories m = freshStore();
        m.create("/a.md", "x");
        assertThat(rejects(InvalidArgumentException.class, () -> m.search(SearchQuery.regex("a(b").build())).rule())
                .isEqualTo("search.pattern_syntax");
        assertThat(rejects(InvalidArgumentException.class, () -> m.search(SearchQuery.literal("a\nb").build()))
                .rule()).isEqualTo("search.pattern_line_break");
        assertThat(rejects(InvalidArgumentException.class, () -> m.search(SearchQuery.literal("x".repeat(1001))
                .build())).rule()).isEqualTo("search.pattern_length");
        assertThat(rejects(InvalidArgumentException.class, () -> m.search(SearchQuery.literal("x").limit(-1)
                .build())).rule()).isEqualTo("search.limit");
        rejects(InvalidArgumentException.class, () -> m.search(SearchQuery.literal("x").pathPrefix("/a").build()));
        rejects(InvalidArgumentException.class, () -> m.search(SearchQuery.literal("x").pathGlob("").build()));
        rejects(InvalidArgumentException.class, () -> m.search(SearchQuery.literal("\ud800").build()));
        ws.stores().delete(m.storeId());
        rejects(NotFoundException.class, () -> m.search(SearchQuery.literal("x").build()));
    }

    @Test
    void aPathologicalRegularExpressionIsStoppedNotRunForever() {
        Memories m = freshStore();
        m.create("/a.md", "harmless");
        m.create("/b.md", "a".repeat(40));
        long start = System.nanoTime();
        InvalidArgumentException e = rejects(InvalidArgumentException.class,
                () -> m.search(SearchQuery.regex("((a+)+)+b").build()).toList());
        assertThat(e.rule()).isEqualTo("search.too_costly");
        assertThat(e.getMessage()).contains("/b.md");
        assertThat(System.nanoTime() - start).as("stopped within a minute, not after 2^40 steps")
                .isLessThan(60_000_000_000L);
    }
}
