package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.tool.MemoryTool;
import dev.agentmemory.tool.ToolResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Claude memory tool ({@code memory_20250818}) on a session's mounts: every command's exact success and error text
 * (see {@code docs/memory-tool.md}), the path rules, {@code /memories} listing every mount, read-only and archived
 * mounts beside read-write ones, renames that would cross mounts, the tool's own system prompt, limits, and what each
 * command leaves in the store: a successful change writes the expected number of versions, all attributed to the
 * session; a failed command writes nothing anywhere.
 *
 * <p>Each test gets a fresh store "Tool notes" attached read-write to a fresh session (so mounted at
 * {@code /memories/tool-notes/}), {@link #tool} over that session, and {@link #op}, the operator's handle on the same
 * store, for seeding files and reading them back.
 */
public abstract class MemoryToolContract extends ContractSupport {

    private static final String DIR_HEADER = "Here're the files and directories up to 2 levels deep in %s, excluding"
            + " hidden items and node_modules:\n";
    private static final String EDITED = "The memory file has been edited. Here is the snippet showing the change"
            + " (with line numbers):\n";
    private static final String BAD_PATH = "Error: The path %s is not allowed: it contains %s. Memory paths are plain"
            + " paths under /memories, without '..' or '.' segments, backslashes or percent-escapes";
    private static final String OUTSIDE = "Error: The path %s is outside /memories. Every memory path must be"
            + " /memories or start with /memories/";

    /** The store the tool works on. */
    protected MemoryStore store;
    /** The operator's read-write handle on {@link #store}. */
    protected Memories op;
    /** The session the tool writes as. */
    protected Session session;
    /** The tool over every attachment of {@link #session} (here one, at {@code /memories/tool-notes/}). */
    protected MemoryTool tool;

    @BeforeEach
    final void openTool() {
        store = newStore("Tool notes");
        op = ws.memories(store.id(), OPERATOR);
        session = ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
        tool = MemoryTool.of(session);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String json(Object... keyValues) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote((String) keyValues[i])).append(':').append(value(keyValues[i + 1]));
        }
        return out.append('}').toString();
    }

    private static String value(Object v) {
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof List<?> list) {
            return list.stream().map(MemoryToolContract::value).collect(Collectors.joining(",", "[", "]"));
        }
        return String.valueOf(v);
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private Actor sessionActor() {
        return Actor.session(session.id());
    }

    /**
     * Runs a command as JSON, expects success with exactly {@code expected}, and checks that it wrote exactly
     * {@code versions} versions, all attributed to the session.
     */
    private void ok(MemoryTool t, Memories m, String input, String expected, int versions) {
        List<MemoryVersion> before = allVersions(m, VersionQuery.builder().limit(100));
        ToolResult result = t.execute(input);
        assertThat(result).as("result of %s", input).isEqualTo(ToolResult.ok(expected));
        List<MemoryVersion> after = allVersions(m, VersionQuery.builder().limit(100));
        assertThat(after).as("versions written by %s", input).hasSize(before.size() + versions);
        assertThat(after.subList(0, versions)).as("versions written by %s", input)
                .allSatisfy(v -> assertThat(v.createdBy()).isEqualTo(sessionActor()));
        assertThat(after.subList(versions, after.size())).isEqualTo(before);
    }

    private void ok(String input, String expected, int versions) {
        ok(tool, op, input, expected, versions);
    }

    /** Runs a command as JSON, expects an error result with exactly {@code expected}, and that nothing changed. */
    private void fails(MemoryTool t, String input, String expected) {
        var before = snapshot();
        ToolResult result = t.execute(input);
        assertThat(result).as("result of %s", input).isEqualTo(ToolResult.error(expected));
        assertThat(snapshot()).as("a failed command changes nothing").isEqualTo(before);
    }

    private void fails(String input, String expected) {
        fails(tool, input, expected);
    }

    private String text(String storePath) {
        return op.getByPath(storePath).text();
    }

    private Memory seed(String storePath, String content) {
        return op.create(storePath, content);
    }

    private static String view(String path) {
        return json("command", "view", "path", path);
    }

    private static String view(String path, Object start, Object end) {
        return json("command", "view", "path", path, "view_range", List.of(start, end));
    }

    private static String create(String path, String text) {
        return json("command", "create", "path", path, "file_text", text);
    }

    private static String replace(String path, String oldStr, String newStr) {
        return json("command", "str_replace", "path", path, "old_str", oldStr, "new_str", newStr);
    }

    private static String insert(String path, long line, String text) {
        return json("command", "insert", "path", path, "insert_line", line, "insert_text", text);
    }

    private static String delete(String path) {
        return json("command", "delete", "path", path);
    }

    private static String rename(String from, String to) {
        return json("command", "rename", "old_path", from, "new_path", to);
    }

    private static String fileView(String path, String... rows) {
        StringBuilder out = new StringBuilder("Here's the content of " + path + " with line numbers:");
        for (String row : rows) {
            out.append('\n').append(row);
        }
        return out.toString();
    }

    private static String row(int n, String line) {
        return String.format("%6d\t%s", n, line);
    }

    private static String edited(String... rows) {
        return EDITED + String.join("\n", rows);
    }

    /**
     * The message the core gives for a call, as the tool reports store refusals: prefixed, and naming a mount by its
     * tool path ({@code /memories/<slug>/}) where the session names it {@code /mnt/memory/<slug>/}.
     */
    private static String coreError(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(MemoryException.class);
        return "Error: " + t.getMessage().replace("/mnt/memory/", "/memories/");
    }

    // ------------------------------------------------------------------------------------------------ view

    @Test
    void viewOfAnEmptyMemoryDirectoryShowsOnlyTheRoot() {
        ok(view("/memories/tool-notes"), DIR_HEADER.formatted("/memories/tool-notes") + "0B\t/memories/tool-notes", 0);
        ok(view("/memories/tool-notes/"), DIR_HEADER.formatted("/memories/tool-notes") + "0B\t/memories/tool-notes", 0);
    }

    /** The tree used by the directory views: hidden entries and node_modules count in sizes but are not shown. */
    private void seedTree() {
        seed("/a.md", "hello");
        seed("/dir/b.md", "x".repeat(2048));
        seed("/dir/sub/c.md", "y".repeat(1536));
        seed("/dir/sub/deep/d.md", "abc");
        seed("/.hidden/x.md", "h");
        seed("/.secret.md", "s");
        seed("/node_modules/m.js", "m");
        seed("/dir/node_modules/n.js", "n");
        seed("/dir/.h.md", "h");
    }

    @Test
    void viewOfADirectoryListsTwoLevelsWithHumanSizesSkippingHiddenItemsAndNodeModules() {
        seedTree();
        ok(view("/memories/tool-notes"), DIR_HEADER.formatted("/memories/tool-notes") + String.join("\n",
                "3.5K\t/memories/tool-notes",
                "5B\t/memories/tool-notes/a.md",
                "3.5K\t/memories/tool-notes/dir/",
                "2K\t/memories/tool-notes/dir/b.md",
                "1.5K\t/memories/tool-notes/dir/sub/"), 0);
        ok(view("/memories/tool-notes/dir/"), DIR_HEADER.formatted("/memories/tool-notes/dir") + String.join("\n",
                "3.5K\t/memories/tool-notes/dir",
                "2K\t/memories/tool-notes/dir/b.md",
                "1.5K\t/memories/tool-notes/dir/sub/",
                "1.5K\t/memories/tool-notes/dir/sub/c.md",
                "3B\t/memories/tool-notes/dir/sub/deep/"), 0);
        ok(view("/memories/tool-notes/.hidden"),
                DIR_HEADER.formatted("/memories/tool-notes/.hidden") + "1B\t/memories/tool-notes/.hidden\n"
                + "1B\t/memories/tool-notes/.hidden/x.md", 0);
    }

    @Test
    void directoryEntriesAreOrderedByNameWithinEachDirectory() {
        seed("/a-b.md", "1");
        seed("/a/x.md", "22");
        seed("/B.md", "333");
        ok(view("/memories/tool-notes"), DIR_HEADER.formatted("/memories/tool-notes") + String.join("\n",
                "6B\t/memories/tool-notes",
                "3B\t/memories/tool-notes/B.md",
                "2B\t/memories/tool-notes/a/",
                "2B\t/memories/tool-notes/a/x.md",
                "1B\t/memories/tool-notes/a-b.md"), 0);
    }

    @Test
    void humanSizesFollowTheReference() {
        seed("/k/exact.md", "z".repeat(1024));
        StringBuilder parts = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            seed(String.format("/m/part-%02d.md", i), "z".repeat(100 * 1024));
            parts.append(String.format("%n100K\t/memories/tool-notes/m/part-%02d.md",
                    i).replace(System.lineSeparator(), "\n"));
        }
        // 1,024 + 12 * 102,400 bytes = 1.17 MiB
        ok(view("/memories/tool-notes"), DIR_HEADER.formatted("/memories/tool-notes") + String.join("\n",
                "1.2M\t/memories/tool-notes",
                "1K\t/memories/tool-notes/k/",
                "1K\t/memories/tool-notes/k/exact.md",
                "1.2M\t/memories/tool-notes/m/") + parts, 0);
    }

    @Test
    void viewOfAFileNumbersItsLines() {
        seed("/f.md", "one\ntwo\nthree\n");
        seed("/g.md", "one\ntwo\nthree");
        seed("/blank.md", "a\n\nb");
        String expected = fileView("/memories/tool-notes/f.md", row(1, "one"), row(2, "two"), row(3, "three"));
        ok(view("/memories/tool-notes/f.md"), expected, 0);
        ok(view("/memories/tool-notes/g.md"), fileView("/memories/tool-notes/g.md", row(1, "one"), row(2, "two"),
                row(3, "three")), 0);
        ok(view("/memories/tool-notes/blank.md"), fileView("/memories/tool-notes/blank.md", row(1, "a"), row(2, ""),
                row(3, "b")), 0);
    }

    @Test
    void viewOfAnEmptyFileShowsTheHeaderOnly() {
        seed("/e.md", "");
        ok(view("/memories/tool-notes/e.md"), "Here's the content of /memories/tool-notes/e.md with line numbers:", 0);
        fails(view("/memories/tool-notes/e.md", 1, 1),
                "Invalid `view_range`: [1, 1]. Its first element `1` should be within the"
                + " range of lines of the file: [1, 0]");
    }

    @Test
    void viewHidesCarriageReturnsOfCrlfLines() {
        seed("/w.md", "a\r\nb\r\n");
        ok(view("/memories/tool-notes/w.md"), fileView("/memories/tool-notes/w.md", row(1, "a"), row(2, "b")), 0);
    }

    @Test
    void viewRangeIsOneBasedInclusiveWithMinusOneForTheEnd() {
        seed("/f.md", "l1\nl2\nl3\nl4\nl5\n");
        ok(view("/memories/tool-notes/f.md", 2, 3), fileView("/memories/tool-notes/f.md", row(2, "l2"), row(3, "l3")),
                0);
        ok(view("/memories/tool-notes/f.md", 4, -1), fileView("/memories/tool-notes/f.md", row(4, "l4"), row(5, "l5")),
                0);
        ok(view("/memories/tool-notes/f.md", 5, 5), fileView("/memories/tool-notes/f.md", row(5, "l5")), 0);
        ok(view("/memories/tool-notes/f.md", 1, -1), fileView("/memories/tool-notes/f.md", row(1, "l1"), row(2, "l2"),
                row(3, "l3"),
                row(4, "l4"), row(5, "l5")), 0);
        ok(view("/memories/tool-notes/f.md", 4, 99), fileView("/memories/tool-notes/f.md", row(4, "l4"), row(5, "l5")),
                0);
    }

    @Test
    void invalidViewRangesAreErrors() {
        seed("/f.md", "l1\nl2\nl3\n");
        seed("/d/x.md", "x");
        fails(view("/memories/tool-notes/f.md", 0, 2),
                "Invalid `view_range`: [0, 2]. Its first element `0` should be within the"
                + " range of lines of the file: [1, 3]");
        fails(view("/memories/tool-notes/f.md", 4, 5),
                "Invalid `view_range`: [4, 5]. Its first element `4` should be within the"
                + " range of lines of the file: [1, 3]");
        fails(view("/memories/tool-notes/f.md", -1, -1),
                "Invalid `view_range`: [-1, -1]. Its first element `-1` should be"
                + " within the range of lines of the file: [1, 3]");
        fails(view("/memories/tool-notes/f.md", 3, 2),
                "Invalid `view_range`: [3, 2]. Its second element `2` should be larger or"
                + " equal than its first `3`");
        fails(view("/memories/tool-notes/f.md", 2, -2),
                "Invalid `view_range`: [2, -2]. Its second element `-2` should be larger"
                + " or equal than its first `2`");
        String shape = "Invalid `view_range`. It should be a list of two integers.";
        fails(json("command", "view", "path", "/memories/tool-notes/f.md", "view_range", List.of(1)), shape);
        fails(json("command", "view", "path", "/memories/tool-notes/f.md", "view_range", List.of(1, 2, 3)), shape);
        fails(json("command", "view", "path", "/memories/tool-notes/f.md", "view_range", "1-2"), shape);
        fails(json("command", "view", "path", "/memories/tool-notes/f.md", "view_range", List.of(1, "2")), shape);
        fails(json("command", "view", "path", "/memories/tool-notes/f.md", "view_range", List.of(1.5, 2)), shape);
        fails(view("/memories/tool-notes/d", 1, 2), "The `view_range` parameter is not allowed when `path` points to a"
                + " directory.");
        assertThat(tool.view("/memories/tool-notes/f.md", Optional.of(List.of(1L)))).isEqualTo(ToolResult.error(shape));
    }

    @Test
    void viewOfAMissingPathIsAnError() {
        fails(view("/memories/tool-notes/nope.md"),
                "The path /memories/tool-notes/nope.md does not exist. Please provide a valid path.");
        fails(view("/memories/tool-notes/nope"),
                "The path /memories/tool-notes/nope does not exist. Please provide a valid path.");
    }

    @Test
    void viewOutputIsCappedAtLineBoundariesWithANoteSayingHowToSeeTheRest() {
        MemoryTool small = MemoryTool.builder(session).maxViewChars(1000).build();
        String lines = IntStream.rangeClosed(1, 200).mapToObj(i -> String.format("line %03d\n", i))
                .collect(Collectors.joining());
        seed("/long.md", lines);
        String[] rows = IntStream.rangeClosed(1, 62).mapToObj(i -> row(i, String.format("line %03d", i)))
                .toArray(String[]::new);
        ok(small, op, view("/memories/tool-notes/long.md"), fileView("/memories/tool-notes/long.md", rows)
                + "\n[Truncated: a view shows at most 1000 characters; shown up to line 62 of 200. Use view_range"
                + " [63, 200] to see more.]", 0);
        ok(small, op, view("/memories/tool-notes/long.md", 150, 160), fileView("/memories/tool-notes/long.md",
                IntStream.rangeClosed(150,
                160).mapToObj(i -> row(i, String.format("line %03d", i))).toArray(String[]::new)), 0);
        // the default cap is 16,000 characters: 200 short lines fit
        assertThat(tool.execute(view("/memories/tool-notes/long.md")).text()).doesNotContain("[Truncated");

        seed("/wide.md", "x".repeat(3000));
        ok(small, op, view("/memories/tool-notes/wide.md"), fileView("/memories/tool-notes/wide.md", row(1,
                "x".repeat(993)))
                + "\n[Truncated: a view shows at most 1000 characters; shown up to line 1 of 1.]", 0);
    }

    @Test
    void directoryListingsAreCappedToo() {
        MemoryTool small = MemoryTool.builder(session).maxViewChars(1000).build();
        for (int i = 0; i < 60; i++) {
            seed(String.format("/many/file-%02d.md", i), "x");
        }
        ToolResult r = small.execute(view("/memories/tool-notes/many"));
        assertThat(r.isError()).isFalse();
        // after the header: the root line (29 chars), then 39-char rows, each after a newline: 29 + 24 * 40 = 989
        // characters fit in 1,000, a 25th row would pass it
        List<String> lines = r.text().lines().toList();
        assertThat(lines).hasSize(1 + 1 + 24 + 1);
        assertThat(lines.get(1)).isEqualTo("60B\t/memories/tool-notes/many");
        assertThat(lines.get(25)).isEqualTo("1B\t/memories/tool-notes/many/file-23.md");
        assertThat(lines.get(26)).isEqualTo("[Truncated: a view shows at most 1000 characters; 36 more"
                + " entries not shown. View a subdirectory to see them.]");
    }

    // ------------------------------------------------------------------------------------------------ create

    @Test
    void createWritesOneVersionAttributedToTheSession() {
        ok(create("/memories/tool-notes/new.md", "hello\n"),
                "File created successfully at: /memories/tool-notes/new.md", 1);
        assertThat(text("/new.md")).isEqualTo("hello\n");
        ok(create("/memories/tool-notes/x/y/z.md", ""), "File created successfully at: /memories/tool-notes/x/y/z.md",
                1);
        assertThat(text("/x/y/z.md")).isEmpty();
        MemoryVersion v = allVersions(op, VersionQuery.builder()).get(0);
        assertThat(v.operation()).isEqualTo(Operation.CREATED);
        assertThat(v.createdBy()).isEqualTo(sessionActor());
    }

    @Test
    void createNeverOverwrites() {
        seed("/a.md", "old");
        seed("/dir/b.md", "b");
        fails(create("/memories/tool-notes/a.md", "new"), "Error: File /memories/tool-notes/a.md already exists");
        fails(create("/memories/tool-notes/dir", "new"), "Error: The path /memories/tool-notes/dir is a directory");
        fails(create("/memories/tool-notes/a.md/x", "new"),
                "Error: Cannot create /memories/tool-notes/a.md/x: /memories/tool-notes/a.md is a file, not"
                + " a directory");
        fails(create("/memories/tool-notes", "new"), "Error: The path /memories/tool-notes is a directory");
        fails(create("/memories/tool-notes/", "new"), "Error: The path /memories/tool-notes/ is a directory");
        fails(create("/memories", "new"), "Error: The path /memories is a directory");
        fails(create("/memories/", "new"), "Error: The path /memories/ is a directory");
        fails(create("/memories/tool-notes/new/", "new"),
                "Error: Cannot create /memories/tool-notes/new/: a file path must not end in '/'");
    }

    @Test
    void createOverTheContentLimitIsAnErrorThatWritesNothing() {
        AgentMemory small = open(Limits.builder().maxContentBytes(8).maxMemoriesPerStore(2).build());
        Workspace w = workspaceOf(small);
        MemoryStore s = w.stores().create(dev.agentmemory.model.NewStore.named("Small").build());
        Session sess = w.sessions().create(List.of(AttachmentSpec.readWrite(s.id())));
        MemoryTool t = MemoryTool.of(sess);
        Memories m = w.memories(s.id(), OPERATOR);
        String expected = coreError(() -> sess.mount(s.id()).create("/big.md", "123456789"));
        assertThat(expected).startsWith("Error: limit content_size_bytes exceeded: 9 is more than the maximum of 8");
        fails(t, create("/memories/small/big.md", "123456789"), expected);
        m.create("/f.md", "1234567\n");
        String tooBig = coreError(() -> sess.mount(s.id()).update(m.getByPath("/f.md").id(),
                MemoryUpdate.content("x\n1234567\n")));
        fails(t, insert("/memories/small/f.md", 0, "x"), tooBig);
        fails(t, replace("/memories/small/f.md", "1234567", "123456789"), coreError(() -> sess.mount(s.id()).update(
                m.getByPath("/f.md").id(), MemoryUpdate.content("123456789\n"))));
        assertThat(m.getByPath("/f.md").text()).isEqualTo("1234567\n");

        assertThat(t.execute(create("/memories/small/g.md", "g")).isError()).isFalse();
        String full = coreError(() -> sess.mount(s.id()).create("/h.md", "h"));
        assertThat(full).startsWith("Error: limit memories_per_store exceeded");
        fails(t, create("/memories/small/h.md", "h"), full);
    }

    @Test
    void storeRuleViolationsBecomeErrors() {
        String expected = coreError(() -> session.mount(store.id()).create("/a//b.md", "x"));
        fails(create("/memories/tool-notes/a//b.md", "x"), expected);
        fails(create("/memories/tool-notes/a\u0000b.md", "x"),
                coreError(() -> session.mount(store.id()).create("/a\u0000b.md",
                "x")));
    }

    // ------------------------------------------------------------------------------------------------ str_replace

    @Test
    void strReplaceReplacesTheOnlyOccurrenceAndShowsASnippet() {
        seed("/f.md", "one\ntwo\nthree\n");
        ok(replace("/memories/tool-notes/f.md", "two", "2"), edited(row(1, "one"), row(2, "2"), row(3, "three")), 1);
        assertThat(text("/f.md")).isEqualTo("one\n2\nthree\n");
        MemoryVersion v = allVersions(op, VersionQuery.builder()).get(0);
        assertThat(v.operation()).isEqualTo(Operation.MODIFIED);
    }

    @Test
    void theSnippetShowsTwoLinesAroundTheChange() {
        seed("/ten.md", IntStream.rangeClosed(1, 10).mapToObj(i -> "l" + i + "\n").collect(Collectors.joining()));
        ok(replace("/memories/tool-notes/ten.md", "l5\n", "five\n"), edited(row(3, "l3"), row(4, "l4"), row(5, "five"),
                row(6, "l6"), row(7, "l7")), 1);
        ok(replace("/memories/tool-notes/ten.md", "l8", "eight\nand a half"), edited(row(6, "l6"), row(7, "l7"),
                row(8, "eight"), row(9, "and a half"), row(10, "l9"), row(11, "l10")), 1);
        ok(replace("/memories/tool-notes/ten.md", "l1\n", ""), edited(row(1, "l2"), row(2, "l3"), row(3, "l4")), 1);
    }

    @Test
    void oldStrIsMatchedOverTheWholeTextAcrossLines() {
        seed("/f.md", "one\ntwo\nthree\n");
        ok(replace("/memories/tool-notes/f.md", "two\nthree", "2-3"), edited(row(1, "one"), row(2, "2-3")), 1);
        assertThat(text("/f.md")).isEqualTo("one\n2-3\n");
    }

    @Test
    void newStrIsInsertedLiterally() {
        seed("/f.md", "price: X\n");
        ok(replace("/memories/tool-notes/f.md", "X", "$& and $1 and \\0 and $$"), edited(row(1,
                "price: $& and $1 and \\0 and $$")), 1);
        assertThat(text("/f.md")).isEqualTo("price: $& and $1 and \\0 and $$\n");
        seed("/g.md", "a.b\n");
        ok(replace("/memories/tool-notes/g.md", ".", "(.*)"), edited(row(1, "a(.*)b")), 1);
    }

    @Test
    void omittedNewStrDeletesOldStr() {
        seed("/f.md", "keep drop keep\n");
        ok(json("command", "str_replace", "path", "/memories/tool-notes/f.md", "old_str", " drop"),
                edited(row(1, "keep keep")), 1);
        assertThat(text("/f.md")).isEqualTo("keep keep\n");
        ok(json("command", "str_replace", "path", "/memories/tool-notes/f.md", "old_str", "keep keep\n", "new_str",
                null),
                "The memory file has been edited. Here is the snippet showing the change (with line numbers):", 1);
        assertThat(text("/f.md")).isEmpty();
    }

    @Test
    void strReplaceKeepsCrlf() {
        seed("/w.md", "a\r\nb\r\nc\r\n");
        ok(replace("/memories/tool-notes/w.md", "b", "B"), edited(row(1, "a"), row(2, "B"), row(3, "c")), 1);
        assertThat(text("/w.md")).isEqualTo("a\r\nB\r\nc\r\n");
    }

    @Test
    void strReplaceWithTheSameTextWritesNoVersion() {
        seed("/f.md", "same\n");
        ok(replace("/memories/tool-notes/f.md", "same", "same"), edited(row(1, "same")), 0);
    }

    @Test
    void strReplaceErrors() {
        seed("/f.md", "x\ny\nx x\n");
        seed("/d/x.md", "x");
        fails(replace("/memories/tool-notes/f.md", "four", "4"),
                "No replacement was performed, old_str `four` did not appear"
                + " verbatim in /memories/tool-notes/f.md.");
        fails(replace("/memories/tool-notes/f.md", "x", "z"),
                "No replacement was performed. Multiple occurrences of old_str `x`"
                + " in lines: 1, 3. Please ensure it is unique");
        fails(replace("/memories/tool-notes/f.md", "x\n", "z"),
                "No replacement was performed. Multiple occurrences of old_str"
                + " `x\n` in lines: 1, 3. Please ensure it is unique");
        fails(replace("/memories/tool-notes/nope.md", "x", "z"),
                "Error: The path /memories/tool-notes/nope.md does not exist. Please"
                + " provide a valid path.");
        fails(replace("/memories/tool-notes/d", "x", "z"),
                "Error: The path /memories/tool-notes/d does not exist. Please provide a valid"
                + " path.");
        fails(replace("/memories/tool-notes", "x", "z"), "Error: The path /memories/tool-notes does not exist. Please"
                + " provide a valid path.");
        fails(replace("/memories", "x", "z"), "Error: The path /memories does not exist. Please provide a valid path.");
        fails(replace("/memories/tool-notes/f.md", "", "z"),
                "Error: old_str must not be empty; give the exact text to replace");
        fails(replace("/memories/tool-notes/f.md", "X", "z"),
                "No replacement was performed, old_str `X` did not appear verbatim"
                + " in /memories/tool-notes/f.md.");
    }

    // ------------------------------------------------------------------------------------------------ insert

    @Test
    void insertPutsTextAfterTheGivenLine() {
        seed("/f.md", "one\ntwo\n");
        ok(insert("/memories/tool-notes/f.md", 0, "zero"), "The file /memories/tool-notes/f.md has been edited.", 1);
        assertThat(text("/f.md")).isEqualTo("zero\none\ntwo\n");
        ok(insert("/memories/tool-notes/f.md", 3, "three\n"), "The file /memories/tool-notes/f.md has been edited.", 1);
        assertThat(text("/f.md")).isEqualTo("zero\none\ntwo\nthree\n");
        ok(insert("/memories/tool-notes/f.md", 2, "1.5a\n1.5b"), "The file /memories/tool-notes/f.md has been edited.",
                1);
        assertThat(text("/f.md")).isEqualTo("zero\none\n1.5a\n1.5b\ntwo\nthree\n");
        ok(insert("/memories/tool-notes/f.md", 1, ""), "The file /memories/tool-notes/f.md has been edited.", 1);
        assertThat(text("/f.md")).isEqualTo("zero\n\none\n1.5a\n1.5b\ntwo\nthree\n");
        assertThat(allVersions(op, VersionQuery.builder().limit(100)).get(0).createdBy()).isEqualTo(sessionActor());
    }

    @Test
    void insertKeepsAMissingFinalNewlineMissing() {
        seed("/g.md", "one\ntwo");
        ok(insert("/memories/tool-notes/g.md", 2, "three"), "The file /memories/tool-notes/g.md has been edited.", 1);
        assertThat(text("/g.md")).isEqualTo("one\ntwo\nthree");
        ok(insert("/memories/tool-notes/g.md", 0, "zero"), "The file /memories/tool-notes/g.md has been edited.", 1);
        assertThat(text("/g.md")).isEqualTo("zero\none\ntwo\nthree");
    }

    @Test
    void insertIntoAnEmptyFile() {
        seed("/e.md", "");
        fails(insert("/memories/tool-notes/e.md", 1, "x"),
                "Error: Invalid `insert_line` parameter: 1. It should be within the"
                + " range of lines of the file: [0, 0]");
        ok(insert("/memories/tool-notes/e.md", 0, "x"), "The file /memories/tool-notes/e.md has been edited.", 1);
        assertThat(text("/e.md")).isEqualTo("x\n");
    }

    @Test
    void insertUsesTheFilesCrlfLineEndings() {
        seed("/w.md", "a\r\nb\r\n");
        ok(insert("/memories/tool-notes/w.md", 1, "mid"), "The file /memories/tool-notes/w.md has been edited.", 1);
        assertThat(text("/w.md")).isEqualTo("a\r\nmid\r\nb\r\n");
        ok(insert("/memories/tool-notes/w.md", 3, "end\r\n"), "The file /memories/tool-notes/w.md has been edited.", 1);
        assertThat(text("/w.md")).isEqualTo("a\r\nmid\r\nb\r\nend\r\n");
    }

    @Test
    void insertErrors() {
        seed("/f.md", "one\ntwo\n");
        seed("/d/x.md", "x");
        fails(insert("/memories/tool-notes/f.md", 3, "x"),
                "Error: Invalid `insert_line` parameter: 3. It should be within the"
                + " range of lines of the file: [0, 2]");
        fails(insert("/memories/tool-notes/f.md", -1, "x"),
                "Error: Invalid `insert_line` parameter: -1. It should be within the"
                + " range of lines of the file: [0, 2]");
        fails(insert("/memories/tool-notes/nope.md", 0, "x"),
                "Error: The path /memories/tool-notes/nope.md does not exist");
        fails(insert("/memories/tool-notes/d", 0, "x"), "Error: The path /memories/tool-notes/d does not exist");
        fails(insert("/memories/tool-notes", 0, "x"), "Error: The path /memories/tool-notes does not exist");
        fails(insert("/memories", 0, "x"), "Error: The path /memories does not exist");
    }

    // ------------------------------------------------------------------------------------------------ delete

    @Test
    void deleteOfAFile() {
        seed("/f.md", "x");
        ok(delete("/memories/tool-notes/f.md"), "Successfully deleted /memories/tool-notes/f.md", 1);
        assertThat(op.findByPath("/f.md")).isEmpty();
        assertThat(allVersions(op, VersionQuery.builder()).get(0).operation()).isEqualTo(Operation.DELETED);
    }

    @Test
    void deleteOfADirectoryDeletesEverythingUnderItHiddenFilesToo() {
        seedTree();
        ok(delete("/memories/tool-notes/dir"), "Successfully deleted /memories/tool-notes/dir", 5);
        assertThat(allMemories(op)).extracting(Memory::path)
                .containsExactly("/.hidden/x.md", "/.secret.md", "/a.md", "/node_modules/m.js");
        ok(delete("/memories/tool-notes/.hidden/"), "Successfully deleted /memories/tool-notes/.hidden/", 1);
    }

    @Test
    void deleteErrors() {
        seed("/f.md", "x");
        fails(delete("/memories"), "Error: Cannot delete the /memories directory itself");
        fails(delete("/memories/"), "Error: Cannot delete the /memories directory itself");
        fails(delete("/memories/tool-notes"),
                "Error: Cannot delete /memories/tool-notes: it is the directory a store is"
                + " mounted on; delete the files in it instead");
        fails(delete("/memories/tool-notes/"), "Error: Cannot delete /memories/tool-notes/: it is the directory a store"
                + " is mounted on; delete the files in it instead");
        fails(delete("/memories/tool-notes/nope"), "Error: The path /memories/tool-notes/nope does not exist");
        fails(delete("/memories/tool-notes/f"), "Error: The path /memories/tool-notes/f does not exist");
    }

    // ------------------------------------------------------------------------------------------------ rename

    @Test
    void renameOfAFileKeepsItsIdAndContent() {
        Memory f = seed("/f.md", "body");
        ok(rename("/memories/tool-notes/f.md", "/memories/tool-notes/archive/g.md"),
                "Successfully renamed /memories/tool-notes/f.md to /memories/tool-notes/archive/g.md", 1);
        Memory g = op.getByPath("/archive/g.md");
        assertThat(g.id()).isEqualTo(f.id());
        assertThat(g.text()).isEqualTo("body");
        assertThat(op.findByPath("/f.md")).isEmpty();
    }

    @Test
    void renameOfADirectoryMovesEverythingUnderIt() {
        seedTree();
        ok(rename("/memories/tool-notes/dir", "/memories/tool-notes/moved/dir2"),
                "Successfully renamed /memories/tool-notes/dir to"
                + " /memories/tool-notes/moved/dir2", 5);
        assertThat(allMemories(op)).extracting(Memory::path).containsExactly("/.hidden/x.md", "/.secret.md",
                "/a.md", "/moved/dir2/.h.md", "/moved/dir2/b.md", "/moved/dir2/node_modules/n.js",
                "/moved/dir2/sub/c.md", "/moved/dir2/sub/deep/d.md", "/node_modules/m.js");
    }

    @Test
    void renameErrors() {
        seed("/a.md", "a");
        seed("/b.md", "b");
        seed("/dir/x.md", "x");
        seed("/other/y.md", "y");
        fails(rename("/memories", "/memories/tool-notes/x"), "Error: Cannot rename the /memories directory itself");
        fails(rename("/memories/", "/memories/tool-notes/x"), "Error: Cannot rename the /memories directory itself");
        fails(rename("/memories/tool-notes", "/memories/tool-notes/x"), "Error: Cannot rename /memories/tool-notes: it"
                + " is the directory a store is mounted on, which cannot move");
        fails(rename("/memories/tool-notes/nope.md", "/memories/tool-notes/c.md"),
                "Error: The path /memories/tool-notes/nope.md does not exist");
        fails(rename("/memories/tool-notes/a.md", "/memories/tool-notes/b.md"),
                "Error: The destination /memories/tool-notes/b.md already exists");
        fails(rename("/memories/tool-notes/a.md", "/memories/tool-notes/dir"),
                "Error: The destination /memories/tool-notes/dir already exists");
        fails(rename("/memories/tool-notes/dir", "/memories/tool-notes/other"),
                "Error: The destination /memories/tool-notes/other already exists");
        fails(rename("/memories/tool-notes/a.md", "/memories/tool-notes"), "Error: The destination /memories/tool-notes"
                + " already exists");
        fails(rename("/memories/tool-notes/a.md", "/memories"), "Error: The destination /memories already exists");
        fails(rename("/memories/tool-notes/a.md", "/memories/a.md"), "Error: Cannot rename /memories/tool-notes/a.md to"
                + " /memories/a.md: /memories/a.md is not a mounted store; files go in /memories/tool-notes/");
        fails(rename("/memories/tool-notes/dir", "/memories/tool-notes/dir/inner"),
                "Error: Cannot rename /memories/tool-notes/dir to"
                + " /memories/tool-notes/dir/inner: the destination is inside the source");
        fails(rename("/memories/tool-notes/a.md", "/memories/tool-notes/b.md/c.md"),
                "Error: Cannot rename /memories/tool-notes/a.md to"
                + " /memories/tool-notes/b.md/c.md: /memories/tool-notes/b.md is a file, not a directory");
        fails(rename("/memories/tool-notes/a.md", "/memories/tool-notes/../a.md"),
                BAD_PATH.formatted("/memories/tool-notes/../a.md", "a '..' segment"));
        fails(rename("/memories/tool-notes/a.md", "/tmp/a.md"), OUTSIDE.formatted("/tmp/a.md"));
    }

    // ------------------------------------------------------------------------------------------------ paths

    /** Paths the tool refuses, with the reason it gives. */
    private static Map<String, String> refusedPaths() {
        Map<String, String> refused = new LinkedHashMap<>();
        for (String p : List.of("/etc/passwd", "/memoriesX/a.md", "/memoriesX", "memories/a.md", "", "/",
                "/Memories/a.md", "./memories/a.md", "../memories/a.md")) {
            refused.put(p, OUTSIDE.formatted(p));
        }
        for (String p : List.of("/memories/tool-notes/../etc/passwd", "/memories/tool-notes/a/../../x",
                "/memories/tool-notes/..",
                "/memories/tool-notes/a/..")) {
            refused.put(p, BAD_PATH.formatted(p, "a '..' segment"));
        }
        for (String p : List.of("/memories/tool-notes/./a.md", "/memories/tool-notes/.")) {
            refused.put(p, BAD_PATH.formatted(p, "a '.' segment"));
        }
        for (String p : List.of("/memories/tool-notes/%2e%2e%2fetc", "/memories/tool-notes/%2E%2E/x",
                "/memories/tool-notes/..%2fx",
                "/memories/tool-notes/%252e%252e/x", "/memories%2f..%2fetc", "/memories/tool-notes/%c0%ae%c0%ae/x",
                        "/memories/tool-notes/a%20b.md")) {
            refused.put(p, BAD_PATH.formatted(p, "a percent-escape"));
        }
        for (String p : List.of("/memories\\..\\etc", "/memories/tool-notes/a\\b.md", "/memories/tool-notes/..\\x")) {
            refused.put(p, BAD_PATH.formatted(p, "a backslash"));
        }
        return refused;
    }

    @Test
    void everyCommandRefusesPathsOutsideMemoriesAndTraversal() {
        seed("/a.md", "a\n");
        seed("/etc/passwd", "root\n");
        refusedPaths().forEach((p, expected) -> {
            fails(view(p), expected);
            fails(create(p, "x"), expected);
            fails(replace(p, "a", "b"), expected);
            fails(insert(p, 0, "x"), expected);
            fails(delete(p), expected);
            fails(rename(p, "/memories/tool-notes/b.md"), expected);
            fails(rename("/memories/tool-notes/a.md", p), expected);
        });
    }

    @Test
    void aPercentSignThatIsNotAnEscapeIsAnOrdinaryCharacter() {
        ok(create("/memories/tool-notes/100%.md", "x"), "File created successfully at: /memories/tool-notes/100%.md",
                1);
        assertThat(text("/100%.md")).isEqualTo("x");
    }

    @Test
    void dotFilesAreOrdinaryFiles() {
        ok(create("/memories/tool-notes/.notes", "x"), "File created successfully at: /memories/tool-notes/.notes", 1);
        ok(create("/memories/tool-notes/..x/y.md", "y"), "File created successfully at: /memories/tool-notes/..x/y.md",
                1);
        ok(view("/memories/tool-notes/.notes"), fileView("/memories/tool-notes/.notes", row(1, "x")), 0);
    }

    // ------------------------------------------------------------------------------------------------ access

    @Test
    void aReadOnlyMountReadsButNeverWrites() {
        seed("/f.md", "one\n");
        seed("/d/x.md", "x");
        Session ro = ws.sessions().create(List.of(AttachmentSpec.readOnly(store.id())));
        MemoryTool t = MemoryTool.of(ro);
        Memories m = ro.mount(store.id());
        Memory f = op.getByPath("/f.md");
        ok(t, op, view("/memories/tool-notes/f.md"), fileView("/memories/tool-notes/f.md", row(1, "one")), 0);
        fails(t, create("/memories/tool-notes/g.md", "x"), coreError(() -> m.create("/g.md", "x")));
        fails(t, replace("/memories/tool-notes/f.md", "one", "1"), coreError(() -> m.update(f.id(),
                MemoryUpdate.content("1\n"))));
        fails(t, insert("/memories/tool-notes/f.md", 0, "x"), coreError(() -> m.update(f.id(),
                MemoryUpdate.content("x\n"))));
        fails(t, delete("/memories/tool-notes/f.md"), coreError(() -> m.delete(f.id())));
        fails(t, delete("/memories/tool-notes/d"), coreError(() -> m.deleteDirectory("/d/")));
        fails(t, rename("/memories/tool-notes/f.md", "/memories/tool-notes/g.md"), coreError(() -> m.update(f.id(),
                MemoryUpdate.path("/g.md"))));
        fails(t, rename("/memories/tool-notes/d", "/memories/tool-notes/e"), coreError(() -> m.move("/d/", "/e/")));
    }

    @Test
    void anArchivedStoreReadsButNeverWrites() {
        seed("/f.md", "one\n");
        seed("/d/x.md", "x");
        Memory f = op.getByPath("/f.md");
        ws.stores().archive(store.id());
        Memories m = session.mount(store.id());
        ok(view("/memories/tool-notes/f.md"), fileView("/memories/tool-notes/f.md", row(1, "one")), 0);
        fails(create("/memories/tool-notes/g.md", "x"), coreError(() -> m.create("/g.md", "x")));
        fails(replace("/memories/tool-notes/f.md", "one", "1"), coreError(() -> m.update(f.id(),
                MemoryUpdate.content("1\n"))));
        fails(insert("/memories/tool-notes/f.md", 1, "x"), coreError(() -> m.update(f.id(),
                MemoryUpdate.content("one\nx\n"))));
        fails(delete("/memories/tool-notes/f.md"), coreError(() -> m.delete(f.id())));
        fails(delete("/memories/tool-notes/d"), coreError(() -> m.deleteDirectory("/d/")));
        fails(rename("/memories/tool-notes/f.md", "/memories/tool-notes/g.md"), coreError(() -> m.update(f.id(),
                MemoryUpdate.path("/g.md"))));
        fails(rename("/memories/tool-notes/d", "/memories/tool-notes/e"), coreError(() -> m.move("/d/", "/e/")));
    }

    // ------------------------------------------------------------------------------------------------ mounts

    @Test
    void viewOfMemoriesListsEveryMountAsADirectory() {
        ok(view("/memories"), DIR_HEADER.formatted("/memories") + "0B\t/memories\n0B\t/memories/tool-notes/", 0);
        seedTree();
        ok(view("/memories/"), DIR_HEADER.formatted("/memories") + String.join("\n",
                "3.5K\t/memories",
                "3.5K\t/memories/tool-notes/",
                "5B\t/memories/tool-notes/a.md",
                "3.5K\t/memories/tool-notes/dir/"), 0);
        fails(view("/memories", 1, 2), "The `view_range` parameter is not allowed when `path` points to a directory.");
    }

    /** A second store, "Team handbook", attached read-only beside {@link #store} to a new session. */
    private record TwoMounts(MemoryStore handbook, Memories handbookOp, Session session, MemoryTool tool) {
    }

    private TwoMounts twoMounts() {
        MemoryStore handbook = newStore("Team handbook");
        Memories handbookOp = ws.memories(handbook.id(), OPERATOR);
        handbookOp.create("/style.md", "Use tabs.\n");
        Session two = ws.sessions().create(List.of(
                AttachmentSpec.readWrite(store.id()).withInstructions("Record what you learn."),
                AttachmentSpec.readOnly(handbook.id()).withInstructions("Follow these rules.")));
        return new TwoMounts(handbook, handbookOp, two, MemoryTool.of(two));
    }

    @Test
    void oneToolReachesEveryAttachmentOfTheSession() {
        TwoMounts two = twoMounts();
        session = two.session(); // versions are checked against this session's actor
        MemoryTool t = two.tool();
        assertThat(t.mounts()).extracting(a -> a.slug()).containsExactly("tool-notes", "team-handbook");
        seed("/a.md", "hello");
        ok(t, op, view("/memories"), DIR_HEADER.formatted("/memories") + String.join("\n",
                "15B\t/memories",
                "10B\t/memories/team-handbook/",
                "10B\t/memories/team-handbook/style.md",
                "5B\t/memories/tool-notes/",
                "5B\t/memories/tool-notes/a.md"), 0);
        ok(t, op, view("/memories/team-handbook/style.md"), fileView("/memories/team-handbook/style.md",
                row(1, "Use tabs.")), 0);
        ok(t, op, view("/memories/tool-notes/a.md"), fileView("/memories/tool-notes/a.md", row(1, "hello")), 0);
        ok(t, op, create("/memories/tool-notes/learned.md", "Tabs, per the handbook.\n"),
                "File created successfully at: /memories/tool-notes/learned.md", 1);
        ok(t, op, replace("/memories/tool-notes/learned.md", "Tabs", "Tabs always"),
                edited(row(1, "Tabs always, per the handbook.")), 1);
        assertThat(text("/learned.md")).isEqualTo("Tabs always, per the handbook.\n");
        assertThat(two.handbookOp().findByPath("/learned.md")).isEmpty();
        assertThat(allVersions(two.handbookOp(), VersionQuery.builder())).hasSize(1);
    }

    @Test
    void aWriteToTheReadOnlyMountIsRefusedByTheSessionAndChangesNothing() {
        TwoMounts two = twoMounts();
        MemoryTool t = two.tool();
        Memories ro = two.session().mount("team-handbook");
        Memory style = two.handbookOp().getByPath("/style.md");
        String refused = coreError(() -> ro.create("/x.md", "x"));
        assertThat(refused).startsWith("Error: create refused: /memories/team-handbook/ is attached read-only")
                .doesNotContain("/mnt/memory");
        fails(t, create("/memories/team-handbook/x.md", "x"), refused);
        fails(t, replace("/memories/team-handbook/style.md", "tabs", "spaces"),
                coreError(() -> ro.update(style.id(), MemoryUpdate.content("Use spaces.\n"))));
        fails(t, insert("/memories/team-handbook/style.md", 0, "x"),
                coreError(() -> ro.update(style.id(), MemoryUpdate.content("x\nUse tabs.\n"))));
        fails(t, delete("/memories/team-handbook/style.md"), coreError(() -> ro.delete(style.id())));
        fails(t, rename("/memories/team-handbook/style.md", "/memories/team-handbook/old.md"),
                coreError(() -> ro.update(style.id(), MemoryUpdate.path("/old.md"))));
        // the read-write mount beside it still takes writes
        assertThat(t.execute(create("/memories/tool-notes/ok.md", "ok")).isError()).isFalse();
        assertThat(text("/ok.md")).isEqualTo("ok");
    }

    @Test
    void renamesAcrossMountsAreRefusedClearly() {
        TwoMounts two = twoMounts();
        MemoryTool t = two.tool();
        seed("/a.md", "a");
        seed("/dir/x.md", "x");
        fails(t, rename("/memories/team-handbook/style.md", "/memories/tool-notes/style.md"), "Error: Cannot rename"
                + " /memories/team-handbook/style.md to /memories/tool-notes/style.md: they are in different stores"
                + " (/memories/team-handbook/ and /memories/tool-notes/), and a rename stays inside one store. Create"
                + " the file under /memories/tool-notes/ and delete the original instead");
        fails(t, rename("/memories/tool-notes/a.md", "/memories/team-handbook/a.md"), "Error: Cannot rename"
                + " /memories/tool-notes/a.md to /memories/team-handbook/a.md: they are in different stores"
                + " (/memories/tool-notes/ and /memories/team-handbook/), and a rename stays inside one store. Create"
                + " the file under /memories/team-handbook/ and delete the original instead");
        fails(t, rename("/memories/tool-notes/dir", "/memories/team-handbook/dir"), "Error: Cannot rename"
                + " /memories/tool-notes/dir to /memories/team-handbook/dir: they are in different stores"
                + " (/memories/tool-notes/ and /memories/team-handbook/), and a rename stays inside one store. Create"
                + " the file under /memories/team-handbook/ and delete the original instead");
        fails(t, rename("/memories/tool-notes/a.md", "/memories/team-handbook"),
                "Error: The destination /memories/team-handbook already exists");
        fails(t, rename("/memories/team-handbook", "/memories/tool-notes/h"), "Error: Cannot rename"
                + " /memories/team-handbook: it is the directory a store is mounted on, which cannot move");
    }

    @Test
    void pathsOutsideEveryMountAreMissingOrRefused() {
        TwoMounts two = twoMounts();
        MemoryTool t = two.tool();
        String mounts = "files go in /memories/tool-notes/, /memories/team-handbook/";
        fails(t, create("/memories/x.md", "x"), "Error: Cannot create /memories/x.md: /memories/x.md is not a mounted"
                + " store; " + mounts);
        fails(t, create("/memories/typo/x.md", "x"), "Error: Cannot create /memories/typo/x.md: /memories/typo is not"
                + " a mounted store; " + mounts);
        fails(t, view("/memories/typo"), "The path /memories/typo does not exist. Please provide a valid path.");
        fails(t, view("/memories/mnt/memory/tool-notes/a.md"), "The path /memories/mnt/memory/tool-notes/a.md does not"
                + " exist. Please provide a valid path.");
        fails(t, replace("/memories/typo/x.md", "a", "b"), "Error: The path /memories/typo/x.md does not exist."
                + " Please provide a valid path.");
        fails(t, insert("/memories/typo/x.md", 0, "b"), "Error: The path /memories/typo/x.md does not exist");
        fails(t, delete("/memories/typo"), "Error: The path /memories/typo does not exist");
        fails(t, rename("/memories/typo/x.md", "/memories/tool-notes/x.md"),
                "Error: The path /memories/typo/x.md does not exist");
        fails(t, view("/mnt/memory/tool-notes/a.md"), OUTSIDE.formatted("/mnt/memory/tool-notes/a.md"));
    }

    @Test
    void theToolsPromptNamesItsOwnPathsWithAccessAndInstructions() {
        TwoMounts two = twoMounts();
        String prompt = two.tool().systemPrompt();
        assertThat(prompt).startsWith("# Memory\n").contains("view /memories").doesNotContain("/mnt/memory");
        int notes = prompt.indexOf("\n## /memories/tool-notes/\n");
        int handbook = prompt.indexOf("\n## /memories/team-handbook/\n");
        assertThat(notes).isPositive().isLessThan(handbook);
        assertThat(prompt.substring(notes, handbook)).contains("- Access: read-write").contains("Tool notes")
                .contains("Record what you learn.");
        assertThat(prompt.substring(handbook)).contains("- Access: read-only").contains("Team handbook")
                .contains("Follow these rules.");
        assertThat(two.session().systemPrompt()).contains("## /mnt/memory/tool-notes/");

        ws.stores().archive(store.id());
        assertThat(two.tool().systemPrompt()).contains("- Access: read-only (the store is archived)");
    }

    @Test
    void theBuilderCanServeASubsetOfTheMounts() {
        TwoMounts two = twoMounts();
        seed("/a.md", "a");
        MemoryTool only = MemoryTool.builder(two.session()).mounts("team-handbook").build();
        assertThat(only.mounts()).extracting(a -> a.slug()).containsExactly("team-handbook");
        ok(only, op, view("/memories"), DIR_HEADER.formatted("/memories") + String.join("\n",
                "10B\t/memories",
                "10B\t/memories/team-handbook/",
                "10B\t/memories/team-handbook/style.md"), 0);
        fails(only, view("/memories/tool-notes/a.md"), "The path /memories/tool-notes/a.md does not exist. Please"
                + " provide a valid path.");
        fails(only, create("/memories/tool-notes/b.md", "b"), "Error: Cannot create /memories/tool-notes/b.md:"
                + " /memories/tool-notes is not a mounted store; files go in /memories/team-handbook/");
        assertThat(only.systemPrompt()).contains("## /memories/team-handbook/").doesNotContain("tool-notes");
    }

    @Test
    void aSessionWithoutAttachmentsHasAnEmptyMemoriesDirectory() {
        Session none = ws.sessions().create(List.of());
        MemoryTool t = MemoryTool.of(none);
        assertThat(t.mounts()).isEmpty();
        session = none;
        ok(t, op, view("/memories"), DIR_HEADER.formatted("/memories") + "0B\t/memories", 0);
        fails(t, create("/memories/notes/a.md", "x"), "Error: Cannot create /memories/notes/a.md: /memories/notes is"
                + " not a mounted store, and no store is mounted");
        fails(t, view("/memories/notes"), "The path /memories/notes does not exist. Please provide a valid path.");
        assertThat(t.systemPrompt()).isEqualTo("# Memory\n\nNo memory stores are attached to this session.\n");
    }

    // ------------------------------------------------------------------------------------------------ the factory

    @Test
    void theBuilderRefusesUnknownMountsAndSmallCaps() {
        TwoMounts two = twoMounts();
        NotFoundException e = rejects(NotFoundException.class,
                () -> MemoryTool.builder(two.session()).mounts("tool-notes", "no-such-mount").build());
        assertThat(e.getMessage()).contains("no-such-mount").contains("tool-notes").contains("team-handbook");
        InvalidArgumentException none = rejects(InvalidArgumentException.class,
                () -> MemoryTool.builder(two.session()).mounts());
        assertThat(none.rule()).isEqualTo("tool.mounts");
        rejects(InvalidArgumentException.class, () -> MemoryTool.builder(two.session()).maxViewChars(999));
    }

    // ------------------------------------------------------------------------------------------------ execute

    @Test
    void executeDispatchesMapsAsTheSdkDecodesThem() {
        seed("/f.md", "one\ntwo\n");
        Map<String, Object> input = new HashMap<>();
        input.put("command", "view");
        input.put("path", "/memories/tool-notes/f.md");
        input.put("view_range", List.of(2, -1));
        assertThat(tool.execute(input)).isEqualTo(ToolResult.ok(fileView("/memories/tool-notes/f.md", row(2, "two"))));
        input.put("view_range", List.of(2L, 2L));
        assertThat(tool.execute(input)).isEqualTo(ToolResult.ok(fileView("/memories/tool-notes/f.md", row(2, "two"))));
        input.put("view_range", null);
        assertThat(tool.execute(input)).isEqualTo(ToolResult.ok(fileView("/memories/tool-notes/f.md", row(1, "one"),
                row(2, "two"))));
        assertThat(tool.execute(Map.of("command", "insert", "path", "/memories/tool-notes/f.md", "insert_line", 2L,
                "insert_text",
                        "three"))).isEqualTo(ToolResult.ok("The file /memories/tool-notes/f.md has been edited."));
        assertThat(tool.execute(Map.of("command", "insert", "path", "/memories/tool-notes/f.md", "insert_line", 0.0,
                "insert_text",
                        "zero"))).isEqualTo(ToolResult.ok("The file /memories/tool-notes/f.md has been edited."));
        assertThat(text("/f.md")).isEqualTo("zero\none\ntwo\nthree\n");
    }

    @Test
    void missingAndMistypedParametersAreErrors() {
        seed("/f.md", "one\n");
        fails("{}", "Error: Missing required parameter `command`");
        fails(json("command", 5), "Error: Parameter `command` must be a string");
        fails(json("command", null, "path", "/memories/tool-notes"), "Error: Missing required parameter `command`");
        fails(json("command", "undo", "path", "/memories/tool-notes"),
                "Error: Unknown command `undo`. The memory tool's commands"
                + " are view, create, str_replace, insert, delete and rename");
        fails(json("command", "View", "path", "/memories/tool-notes"),
                "Error: Unknown command `View`. The memory tool's commands"
                + " are view, create, str_replace, insert, delete and rename");
        fails(json("command", "view"), "Error: Missing required parameter `path`");
        fails(json("command", "view", "path", 7), "Error: Parameter `path` must be a string");
        fails(json("command", "create", "path", "/memories/tool-notes/g.md"),
                "Error: Missing required parameter `file_text`");
        fails(json("command", "create", "path", "/memories/tool-notes/g.md", "file_text", List.of("a")),
                "Error: Parameter `file_text` must be a string");
        fails(json("command", "str_replace", "path", "/memories/tool-notes/f.md", "new_str", "x"),
                "Error: Missing required parameter `old_str`");
        fails(json("command", "str_replace", "path", "/memories/tool-notes/f.md", "old_str", "one", "new_str", 1),
                "Error: Parameter `new_str` must be a string");
        fails(json("command", "insert", "path", "/memories/tool-notes/f.md", "insert_text", "x"),
                "Error: Missing required parameter `insert_line`");
        fails(json("command", "insert", "path", "/memories/tool-notes/f.md", "insert_line", "1", "insert_text", "x"),
                "Error: Parameter `insert_line` must be an integer");
        fails(json("command", "insert", "path", "/memories/tool-notes/f.md", "insert_line", 1.5, "insert_text", "x"),
                "Error: Parameter `insert_line` must be an integer");
        fails(json("command", "insert", "path", "/memories/tool-notes/f.md", "insert_line", true, "insert_text", "x"),
                "Error: Parameter `insert_line` must be an integer");
        fails(json("command", "insert", "path", "/memories/tool-notes/f.md", "insert_line", 1),
                "Error: Missing required parameter `insert_text`");
        fails(json("command", "delete"), "Error: Missing required parameter `path`");
        fails(json("command", "rename", "old_path", "/memories/tool-notes/f.md"),
                "Error: Missing required parameter `new_path`");
        fails(json("command", "rename", "new_path", "/memories/tool-notes/g.md"),
                "Error: Missing required parameter `old_path`");
    }

    @Test
    void malformedJsonIsAnError() {
        var before = snapshot();
        ToolResult broken = tool.execute("{\"command\": \"view\", ");
        assertThat(broken.isError()).isTrue();
        assertThat(broken.text()).startsWith("Error: The tool input is not valid JSON: ");
        assertThat(tool.execute("[\"view\"]")).isEqualTo(ToolResult.error(
                "Error: The tool input must be a JSON object with a `command`"));
        assertThat(tool.execute("\"view\"")).isEqualTo(ToolResult.error(
                "Error: The tool input must be a JSON object with a `command`"));
        assertThat(snapshot()).isEqualTo(before);
    }

    // ------------------------------------------------------------------------------------------------ concurrency

    @Test
    void concurrentEditsOfOneFileLoseNoUpdate() throws Exception {
        int threads = 4;
        int rounds = 8;
        StringBuilder initial = new StringBuilder();
        for (int t = 0; t < threads; t++) {
            initial.append("slot-").append(t).append(": 0\n");
        }
        seed("/shared.md", initial.toString());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<ToolResult>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<ToolResult> results = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        results.add(tool.insert("/memories/tool-notes/shared.md", 0, "note " + me + "-" + r));
                        results.add(tool.strReplace("/memories/tool-notes/shared.md", "slot-" + me + ": " + r + "\n",
                                Optional.of("slot-" + me + ": " + (r + 1) + "\n")));
                    }
                    return results;
                }));
            }
            start.countDown();
            for (Future<List<ToolResult>> f : futures) {
                assertThat(f.get(2, TimeUnit.MINUTES)).allSatisfy(r -> assertThat(r.isError()).as(r.text()).isFalse());
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = text("/shared.md").lines().toList();
        for (int t = 0; t < threads; t++) {
            assertThat(lines).contains("slot-" + t + ": " + rounds);
            for (int r = 0; r < rounds; r++) {
                assertThat(lines).containsOnlyOnce("note " + t + "-" + r);
            }
        }
        assertThat(lines).hasSize(threads + threads * rounds);
        List<MemoryVersion> versions = allVersions(op, VersionQuery.builder().limit(100));
        assertThat(versions).hasSize(1 + 2 * threads * rounds);
        assertThat(versions.subList(0, 2 * threads * rounds)).allSatisfy(v ->
                assertThat(v.createdBy()).isEqualTo(sessionActor()));
    }
}
