package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.Memories;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryPrefix;
import dev.agentmemory.model.Page;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Listing memories: a path prefix that ends in {@code /} and matches whole segments; depth 0 (the
 * whole subtree) or 1 (children only, with a {@link MemoryPrefix} where the depth cuts the tree); page size 1 to 100;
 * an opaque cursor that only continues its own query; entries ordered by path in code point order; content only when
 * asked for.
 */
public abstract class ListingContract extends ContractSupport {

    private static final List<String> TREE = List.of(
            "/a.txt", "/a/b/c.md", "/a/b/d.md", "/a/e.md", "/ab.md", "/b/x/y/z.md", "/top.md");

    private Memories tree() {
        Memories m = freshStore();
        for (String p : TREE) {
            m.create(p, "content of " + p);
        }
        return m;
    }

    private static List<String> paths(List<ListEntry> entries) {
        return entries.stream().map(ListEntry::path).toList();
    }

    /** Sorts paths by their UTF-8 bytes, independently of the library. */
    private static List<String> byteOrder(List<String> paths) {
        List<String> sorted = new ArrayList<>(paths);
        sorted.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                y.getBytes(StandardCharsets.UTF_8)));
        return sorted;
    }

    @Test
    void prefixMatchesWholeSegments() {
        Memories m = tree();
        assertThat(paths(listAll(m, ListQuery.under("/a/").build())))
                .containsExactly("/a/b/c.md", "/a/b/d.md", "/a/e.md");
        assertThat(paths(listAll(m, ListQuery.under("/a/b/").build()))).containsExactly("/a/b/c.md", "/a/b/d.md");
        assertThat(listAll(m, ListQuery.under("/a.t/").build())).isEmpty();
        assertThat(listAll(m, ListQuery.under("/nothing/").build())).isEmpty();
    }

    @Test
    void depthZeroListsTheWholeSubtreeInPathOrder() {
        Memories m = tree();
        List<ListEntry> all = listAll(m, ListQuery.builder().depth(0).build());
        assertThat(all).allSatisfy(e -> assertThat(e).isInstanceOf(Memory.class));
        assertThat(paths(all)).containsExactlyElementsOf(byteOrder(TREE));
    }

    @Test
    void depthOneListsChildrenAndPrefixes() {
        Memories m = tree();
        List<ListEntry> root = listAll(m, ListQuery.builder().depth(1).build());
        assertThat(root).containsExactly(
                m.getByPath("/a.txt").withoutContent(),
                new MemoryPrefix("/a/"),
                m.getByPath("/ab.md").withoutContent(),
                new MemoryPrefix("/b/"),
                m.getByPath("/top.md").withoutContent());
        assertThat(listAll(m, ListQuery.under("/a/").depth(1).build()))
                .containsExactly(new MemoryPrefix("/a/b/"), m.getByPath("/a/e.md").withoutContent());
        assertThat(listAll(m, ListQuery.under("/b/").depth(1).build())).containsExactly(new MemoryPrefix("/b/x/"));
    }

    @Test
    void pathsAreOrderedByCodePointNotByUtf16() {
        Memories m = freshStore();
        // U+FF5E sorts before U+1F600 by code point, but after it by UTF-16 unit (0xD83D < 0xFF5E)
        List<String> created = List.of("/\uD83D\uDE00.md", "/\uFF5E.md", "/z.md", "/Z.md", "/\u00e9.md", "/e.md");
        for (String p : created) {
            m.create(p, p);
        }
        List<String> expected = byteOrder(created);
        assertThat(expected).containsExactly("/Z.md", "/e.md", "/z.md", "/\u00e9.md", "/\uFF5E.md",
                "/\uD83D\uDE00.md");
        for (int size : new int[] {1, 2, 100}) {
            assertThat(paths(listAll(m, ListQuery.builder().limit(size).build()))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void contentOnlyWhenAskedFor() {
        Memories m = tree();
        List<ListEntry> without = listAll(m, ListQuery.builder().build());
        assertThat(without).allSatisfy(e -> {
            Memory mem = (Memory) e;
            assertThat(mem.content()).isEmpty();
            assertThat(mem.contentSha256()).isEqualTo(sha256("content of " + mem.path()));
            assertThat(mem.contentSizeBytes()).isEqualTo(utf8Size("content of " + mem.path()));
        });
        List<ListEntry> with = listAll(m, ListQuery.builder().includeContent(true).build());
        assertThat(with).allSatisfy(e -> assertThat(((Memory) e).text()).isEqualTo("content of " + e.path()));
        assertThat(listAll(m, ListQuery.builder().depth(1).includeContent(true).build()))
                .filteredOn(e -> e instanceof Memory)
                .allSatisfy(e -> assertThat(((Memory) e).content()).isPresent());
    }

    @Test
    void cursorsWalkEveryPageWithoutDuplicatesOrOmissions() {
        Memories m = freshStore();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 57; i++) {
            String p = "/d" + (i % 4) + (i % 3 == 0 ? "/deep/er" : "") + "/m" + i + ".md";
            m.create(p, "x");
            created.add(p);
        }
        List<String> expected = byteOrder(created);
        for (int size : new int[] {1, 2, 3, 7, 20, 56, 57, 58, 100}) {
            List<String> seen = paths(listAll(m, ListQuery.builder().limit(size).build()));
            assertThat(seen).as("page size %d", size).containsExactlyElementsOf(expected);
        }
        List<ListEntry> depthOne = listAll(m, ListQuery.builder().depth(1).limit(100).build());
        for (int size : new int[] {1, 2, 3}) {
            assertThat(listAll(m, ListQuery.builder().depth(1).limit(size).build())).as("depth 1, page size %d", size)
                    .containsExactlyElementsOf(depthOne);
        }
        assertThat(paths(depthOne)).containsExactly("/d0/", "/d1/", "/d2/", "/d3/");
        List<ListEntry> underD0 = listAll(m, ListQuery.under("/d0/").depth(1).limit(2).build());
        assertThat(underD0).contains(new MemoryPrefix("/d0/deep/"));
        assertThat(new HashSet<>(underD0)).hasSameSizeAs(underD0);
    }

    @Test
    void cursorKeepsItsPlaceWhileTheStoreChanges() {
        Memories m = freshStore();
        for (int i = 0; i < 10; i++) {
            m.create("/m" + i + ".md", "x");
        }
        ListQuery q = ListQuery.builder().limit(4).build();
        Page<ListEntry> first = m.list(q);
        assertThat(paths(first.items())).containsExactly("/m0.md", "/m1.md", "/m2.md", "/m3.md");
        m.delete(m.getByPath("/m1.md").id());
        m.create("/m99.md", "late");
        m.delete(m.getByPath("/m5.md").id());
        List<String> rest = paths(drain(m.list(q.page(first.nextCursor().orElseThrow())),
                c -> m.list(q.page(c)), 4));
        assertThat(rest).containsExactly("/m4.md", "/m6.md", "/m7.md", "/m8.md", "/m9.md", "/m99.md");
    }

    @Test
    void pageSizeMustBe1To100() {
        Memories m = tree();
        for (int bad : new int[] {0, -1, 101, Integer.MAX_VALUE}) {
            InvalidArgumentException e = rejects(InvalidArgumentException.class,
                    () -> m.list(ListQuery.builder().limit(bad).build()));
            assertThat(e.rule()).isEqualTo("page.limit");
        }
        assertThat(m.list(ListQuery.builder().limit(1).build()).items()).hasSize(1);
        assertThat(m.list(ListQuery.builder().limit(100).build()).items()).hasSize(TREE.size());
    }

    @Test
    void depthMustBe0Or1() {
        Memories m = tree();
        for (int bad : new int[] {2, -1}) {
            InvalidArgumentException e = rejects(InvalidArgumentException.class,
                    () -> m.list(ListQuery.builder().depth(bad).build()));
            assertThat(e.rule()).isEqualTo("list.depth");
        }
    }

    @Test
    void prefixMustEndWithASlash() {
        Memories m = tree();
        InvalidArgumentException e = rejects(InvalidArgumentException.class,
                () -> m.list(ListQuery.under("/a").build()));
        assertThat(e.rule()).isEqualTo("prefix.trailing_slash");
        InvalidArgumentException bad = rejects(InvalidArgumentException.class,
                () -> m.list(ListQuery.under("/a//").build()));
        assertThat(bad.rule()).isEqualTo("path.empty_segment");
        InvalidArgumentException relative = rejects(InvalidArgumentException.class,
                () -> m.list(ListQuery.under("a/").build()));
        assertThat(relative.rule()).isEqualTo("path.absolute");
    }

    @Test
    void cursorOnlyContinuesItsOwnQuery() {
        Memories m = tree();
        String cursor = m.list(ListQuery.builder().limit(1).build()).nextCursor().orElseThrow();
        InvalidArgumentException otherPrefix = rejects(InvalidArgumentException.class,
                () -> m.list(ListQuery.under("/a/").limit(1).cursor(cursor).build()));
        assertThat(otherPrefix.rule()).isEqualTo("cursor.mismatch");
        InvalidArgumentException otherDepth = rejects(InvalidArgumentException.class,
                () -> m.list(ListQuery.builder().depth(1).limit(1).cursor(cursor).build()));
        assertThat(otherDepth.rule()).isEqualTo("cursor.mismatch");
        Memories otherStore = tree();
        InvalidArgumentException otherStoreCursor = rejects(InvalidArgumentException.class,
                () -> otherStore.list(ListQuery.builder().limit(1).cursor(cursor).build()));
        assertThat(otherStoreCursor.rule()).isEqualTo("cursor.mismatch");
        InvalidArgumentException garbage = rejects(InvalidArgumentException.class,
                () -> m.list(ListQuery.builder().cursor("garbage").build()));
        assertThat(garbage.rule()).isEqualTo("cursor.malformed");
        Set<String> ok = new HashSet<>(paths(m.list(ListQuery.builder().limit(1).cursor(cursor).build()).items()));
        assertThat(ok).hasSize(1);
    }
}
