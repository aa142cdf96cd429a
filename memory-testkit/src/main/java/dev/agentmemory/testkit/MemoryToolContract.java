package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.InvalidArgumentException;
import dev.agentmemory.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.MemoryException;
import dev.agentmemory.NotFoundException;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Batch;
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
 * The Claude memory tool ({@code memory_20250818}, issue 5) on a store: every command's exact success and error text
 * (see {@code docs/memory-tool.md}), the path rules, read-only and archived mounts, limits, and what each command
 * leaves in the store: a successful change writes the expected number of versions, all attributed to the session; a
 * failed command writes nothing anywhere.
 *
 * <p>Each test gets a fresh store "Tool notes" attached read-write to a fresh session, {@link #tool} over it, and
 * {@link #op}, the operator's handle on the same store, for seeding files and reading them back.
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
    /** The tool over the session's only attachment. */
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

    /** The message the core gives for a call, prefixed as the tool reports store refusals. */
    private static String coreError(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(MemoryException.class);
        return "Error: " + t.getMessage();
    }

    // ------------------------------------------------------------------------------------------------ view

    @Test
    void viewOfAnEmptyMemoryDirectoryShowsOnlyTheRoot() {
        ok(view("/memories"), DIR_HEADER.formatted("/memories") + "0B\t/memories", 0);
        ok(view("/memories/"), DIR_HEADER.formatted("/memories") + "0B\t/memories", 0);
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
        ok(view("/memories"), DIR_HEADER.formatted("/memories") + String.join("\n",
                "3.5K\t/memories",
                "5B\t/memories/a.md",
                "3.5K\t/memories/dir/",
                "2K\t/memories/dir/b.md",
                "1.5K\t/memories/dir/sub/"), 0);
        ok(view("/memories/dir/"), DIR_HEADER.formatted("/memories/dir") + String.join("\n",
                "3.5K\t/memories/dir",
                "2K\t/memories/dir/b.md",
                "1.5K\t/memories/dir/sub/",
                "1.5K\t/memories/dir/sub/c.md",
                "3B\t/memories/dir/sub/deep/"), 0);
        ok(view("/memories/.hidden"), DIR_HEADER.formatted("/memories/.hidden") + "1B\t/memories/.hidden\n"
                + "1B\t/memories/.hidden/x.md", 0);
    }

    @Test
    void directoryEntriesAreOrderedByNameWithinEachDirectory() {
        seed("/a-b.md", "1");
        seed("/a/x.md", "22");
        seed("/B.md", "333");
        ok(view("/memories"), DIR_HEADER.formatted("/memories") + String.join("\n",
                "6B\t/memories",
                "3B\t/memories/B.md",
                "2B\t/memories/a/",
                "2B\t/memories/a/x.md",
                "1B\t/memories/a-b.md"), 0);
    }

    @Test
    void humanSizesFollowTheReference() {
        seed("/k/exact.md", "z".repeat(1024));
        StringBuilder parts = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            seed(String.format("/m/part-%02d.md", i), "z".repeat(100 * 1024));
            parts.append(String.format("%n100K\t/memories/m/part-%02d.md", i).replace(System.lineSeparator(), "\n"));
        }
        // 1,024 + 12 * 102,400 bytes = 1.17 MiB
        ok(view("/memories"), DIR_HEADER.formatted("/memories") + String.join("\n",
                "1.2M\t/memories",
                "1K\t/memories/k/",
                "1K\t/memories/k/exact.md",
                "1.2M\t/memories/m/") + parts, 0);
    }

    @Test
    void viewOfAFileNumbersItsLines() {
        seed("/f.md", "one\ntwo\nthree\n");
        seed("/g.md", "one\ntwo\nthree");
        seed("/blank.md", "a\n\nb");
        String expected = fileView("/memories/f.md", row(1, "one"), row(2, "two"), row(3, "three"));
        ok(view("/memories/f.md"), expected, 0);
        ok(view("/memories/g.md"), fileView("/memories/g.md", row(1, "one"), row(2, "two"), row(3, "three")), 0);
        ok(view("/memories/blank.md"), fileView("/memories/blank.md", row(1, "a"), row(2, ""), row(3, "b")), 0);
    }

    @Test
    void viewOfAnEmptyFileShowsTheHeaderOnly() {
        seed("/e.md", "");
        ok(view("/memories/e.md"), "Here's the content of /memories/e.md with line numbers:", 0);
        fails(view("/memories/e.md", 1, 1), "Invalid `view_range`: [1, 1]. Its first element `1` should be within the"
                + " range of lines of the file: [1, 0]");
    }

    @Test
    void viewHidesCarriageReturnsOfCrlfLines() {
        seed("/w.md", "a\r\nb\r\n");
        ok(view("/memories/w.md"), fileView("/memories/w.md", row(1, "a"), row(2, "b")), 0);
    }

    @Test
    void viewRangeIsOneBasedInclusiveWithMinusOneForTheEnd() {
        seed("/f.md", "l1\nl2\nl3\nl4\nl5\n");
        ok(view("/memories/f.md", 2, 3), fileView("/memories/f.md", row(2, "l2"), row(3, "l3")), 0);
        ok(view("/memories/f.md", 4, -1), fileView("/memories/f.md", row(4, "l4"), row(5, "l5")), 0);
        ok(view("/memories/f.md", 5, 5), fileView("/memories/f.md", row(5, "l5")), 0);
        ok(view("/memories/f.md", 1, -1), fileView("/memories/f.md", row(1, "l1"), row(2, "l2"), row(3, "l3"),
                row(4, "l4"), row(5, "l5")), 0);
        ok(view("/memories/f.md", 4, 99), fileView("/memories/f.md", row(4, "l4"), row(5, "l5")), 0);
    }

    @Test
    void invalidViewRangesAreErrors() {
        seed("/f.md", "l1\nl2\nl3\n");
        seed("/d/x.md", "x");
        fails(view("/memories/f.md", 0, 2), "Invalid `view_range`: [0, 2]. Its first element `0` should be within the"
                + " range of lines of the file: [1, 3]");
        fails(view("/memories/f.md", 4, 5), "Invalid `view_range`: [4, 5]. Its first element `4` should be within the"
                + " range of lines of the file: [1, 3]");
        fails(view("/memories/f.md", -1, -1), "Invalid `view_range`: [-1, -1]. Its first element `-1` should be"
                + " within the range of lines of the file: [1, 3]");
        fails(view("/memories/f.md", 3, 2), "Invalid `view_range`: [3, 2]. Its second element `2` should be larger or"
                + " equal than its first `3`");
        fails(view("/memories/f.md", 2, -2), "Invalid `view_range`: [2, -2]. Its second element `-2` should be larger"
                + " or equal than its first `2`");
        String shape = "Invalid `view_range`. It should be a list of two integers.";
        fails(json("command", "view", "path", "/memories/f.md", "view_range", List.of(1)), shape);
        fails(json("command", "view", "path", "/memories/f.md", "view_range", List.of(1, 2, 3)), shape);
        fails(json("command", "view", "path", "/memories/f.md", "view_range", "1-2"), shape);
        fails(json("command", "view", "path", "/memories/f.md", "view_range", List.of(1, "2")), shape);
        fails(json("command", "view", "path", "/memories/f.md", "view_range", List.of(1.5, 2)), shape);
        fails(view("/memories/d", 1, 2), "The `view_range` parameter is not allowed when `path` points to a"
                + " directory.");
        assertThat(tool.view("/memories/f.md", Optional.of(List.of(1L)))).isEqualTo(ToolResult.error(shape));
    }

    @Test
    void viewOfAMissingPathIsAnError() {
        fails(view("/memories/nope.md"), "The path /memories/nope.md does not exist. Please provide a valid path.");
        fails(view("/memories/nope"), "The path /memories/nope does not exist. Please provide a valid path.");
    }

    @Test
    void viewOutputIsCappedAtLineBoundariesWithANoteSayingHowToSeeTheRest() {
        MemoryTool small = MemoryTool.builder(session).maxViewChars(1000).build();
        String lines = IntStream.rangeClosed(1, 200).mapToObj(i -> String.format("line %03d\n", i))
                .collect(Collectors.joining());
        seed("/long.md", lines);
        String[] rows = IntStream.rangeClosed(1, 62).mapToObj(i -> row(i, String.format("line %03d", i)))
                .toArray(String[]::new);
        ok(small, op, view("/memories/long.md"), fileView("/memories/long.md", rows)
                + "\n[Truncated: a view shows at most 1000 characters; shown up to line 62 of 200. Use view_range"
                + " [63, 200] to see more.]", 0);
        ok(small, op, view("/memories/long.md", 150, 160), fileView("/memories/long.md", IntStream.rangeClosed(150,
                160).mapToObj(i -> row(i, String.format("line %03d", i))).toArray(String[]::new)), 0);
        // the default cap is 16,000 characters: 200 short lines fit
        assertThat(tool.execute(view("/memories/long.md")).text()).doesNotContain("[Truncated");

        seed("/wide.md", "x".repeat(3000));
        ok(small, op, view("/memories/wide.md"), fileView("/memories/wide.md", row(1, "x".repeat(993)))
                + "\n[Truncated: a view shows at most 1000 characters; shown up to line 1 of 1.]", 0);
    }

    @Test
    void directoryListingsAreCappedToo() {
        MemoryTool small = MemoryTool.builder(session).maxViewChars(1000).build();
        for (int i = 0; i < 60; i++) {
            seed(String.format("/many/file-%02d.md", i), "x");
        }
        ToolResult r = small.execute(view("/memories/many"));
        assertThat(r.isError()).isFalse();
        // after the header: the root line (18 chars), then 28-char rows, each after a newline: 18 + 33 * 29 = 975
        // characters fit in 1,000, a 34th row would pass it
        List<String> lines = r.text().lines().toList();
        assertThat(lines).hasSize(1 + 1 + 33 + 1);
        assertThat(lines.get(1)).isEqualTo("60B\t/memories/many");
        assertThat(lines.get(34)).isEqualTo("1B\t/memories/many/file-32.md");
        assertThat(lines.get(35)).isEqualTo("[Truncated: a view shows at most 1000 characters; 27 more"
                + " entries not shown. View a subdirectory to see them.]");
    }

    // ------------------------------------------------------------------------------------------------ create

    @Test
    void createWritesOneVersionAttributedToTheSession() {
        ok(create("/memories/new.md", "hello\n"), "File created successfully at: /memories/new.md", 1);
        assertThat(text("/new.md")).isEqualTo("hello\n");
        ok(create("/memories/x/y/z.md", ""), "File created successfully at: /memories/x/y/z.md", 1);
        assertThat(text("/x/y/z.md")).isEmpty();
        MemoryVersion v = allVersions(op, VersionQuery.builder()).get(0);
        assertThat(v.operation()).isEqualTo(Operation.CREATED);
        assertThat(v.createdBy()).isEqualTo(sessionActor());
    }

    @Test
    void createNeverOverwrites() {
        seed("/a.md", "old");
        seed("/dir/b.md", "b");
        fails(create("/memories/a.md", "new"), "Error: File /memories/a.md already exists");
        fails(create("/memories/dir", "new"), "Error: The path /memories/dir is a directory");
        fails(create("/memories/a.md/x", "new"), "Error: Cannot create /memories/a.md/x: /memories/a.md is a file, not"
                + " a directory");
        fails(create("/memories", "new"), "Error: The path /memories is a directory");
        fails(create("/memories/", "new"), "Error: The path /memories/ is a directory");
        fails(create("/memories/new/", "new"), "Error: Cannot create /memories/new/: a file path must not end in '/'");
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
        fails(t, create("/memories/big.md", "123456789"), expected);
        m.create("/f.md", "1234567\n");
        String tooBig = coreError(() -> sess.mount(s.id()).update(m.getByPath("/f.md").id(),
                MemoryUpdate.content("x\n1234567\n")));
        fails(t, insert("/memories/f.md", 0, "x"), tooBig);
        fails(t, replace("/memories/f.md", "1234567", "123456789"), coreError(() -> sess.mount(s.id()).update(
                m.getByPath("/f.md").id(), MemoryUpdate.content("123456789\n"))));
        assertThat(m.getByPath("/f.md").text()).isEqualTo("1234567\n");

        assertThat(t.execute(create("/memories/g.md", "g")).isError()).isFalse();
        String full = coreError(() -> sess.mount(s.id()).create("/h.md", "h"));
        assertThat(full).startsWith("Error: limit memories_per_store exceeded");
        fails(t, create("/memories/h.md", "h"), full);
    }

    @Test
    void storeRuleViolationsBecomeErrors() {
        String expected = coreError(() -> session.mount(store.id()).create("/a//b.md", "x"));
        fails(create("/memories/a//b.md", "x"), expected);
        fails(create("/memories/a\u0000b.md", "x"), coreError(() -> session.mount(store.id()).create("/a\u0000b.md",
                "x")));
    }

    // ------------------------------------------------------------------------------------------------ str_replace

    @Test
    void strReplaceReplacesTheOnlyOccurrenceAndShowsASnippet() {
        seed("/f.md", "one\ntwo\nthree\n");
        ok(replace("/memories/f.md", "two", "2"), edited(row(1, "one"), row(2, "2"), row(3, "three")), 1);
        assertThat(text("/f.md")).isEqualTo("one\n2\nthree\n");
        MemoryVersion v = allVersions(op, VersionQuery.builder()).get(0);
        assertThat(v.operation()).isEqualTo(Operation.MODIFIED);
    }

    @Test
    void theSnippetShowsTwoLinesAroundTheChange() {
        seed("/ten.md", IntStream.rangeClosed(1, 10).mapToObj(i -> "l" + i + "\n").collect(Collectors.joining()));
        ok(replace("/memories/ten.md", "l5\n", "five\n"), edited(row(3, "l3"), row(4, "l4"), row(5, "five"),
                row(6, "l6"), row(7, "l7")), 1);
        ok(replace("/memories/ten.md", "l8", "eight\nand a half"), edited(row(6, "l6"), row(7, "l7"),
                row(8, "eight"), row(9, "and a half"), row(10, "l9"), row(11, "l10")), 1);
        ok(replace("/memories/ten.md", "l1\n", ""), edited(row(1, "l2"), row(2, "l3"), row(3, "l4")), 1);
    }

    @Test
    void oldStrIsMatchedOverTheWholeTextAcrossLines() {
        seed("/f.md", "one\ntwo\nthree\n");
        ok(replace("/memories/f.md", "two\nthree", "2-3"), edited(row(1, "one"), row(2, "2-3")), 1);
        assertThat(text("/f.md")).isEqualTo("one\n2-3\n");
    }

    @Test
    void newStrIsInsertedLiterally() {
        seed("/f.md", "price: X\n");
        ok(replace("/memories/f.md", "X", "$& and $1 and \\0 and $$"), edited(row(1,
                "price: $& and $1 and \\0 and $$")), 1);
        assertThat(text("/f.md")).isEqualTo("price: $& and $1 and \\0 and $$\n");
        seed("/g.md", "a.b\n");
        ok(replace("/memories/g.md", ".", "(.*)"), edited(row(1, "a(.*)b")), 1);
    }

    @Test
    void omittedNewStrDeletesOldStr() {
        seed("/f.md", "keep drop keep\n");
        ok(json("command", "str_replace", "path", "/memories/f.md", "old_str", " drop"),
                edited(row(1, "keep keep")), 1);
        assertThat(text("/f.md")).isEqualTo("keep keep\n");
        ok(json("command", "str_replace", "path", "/memories/f.md", "old_str", "keep keep\n", "new_str", null),
                "The memory file has been edited. Here is the snippet showing the change (with line numbers):", 1);
        assertThat(text("/f.md")).isEmpty();
    }

    @Test
    void strReplaceKeepsCrlf() {
        seed("/w.md", "a\r\nb\r\nc\r\n");
        ok(replace("/memories/w.md", "b", "B"), edited(row(1, "a"), row(2, "B"), row(3, "c")), 1);
        assertThat(text("/w.md")).isEqualTo("a\r\nB\r\nc\r\n");
    }

    @Test
    void strReplaceWithTheSameTextWritesNoVersion() {
        seed("/f.md", "same\n");
        ok(replace("/memories/f.md", "same", "same"), edited(row(1, "same")), 0);
    }

    @Test
    void strReplaceErrors() {
        seed("/f.md", "x\ny\nx x\n");
        seed("/d/x.md", "x");
        fails(replace("/memories/f.md", "four", "4"), "No replacement was performed, old_str `four` did not appear"
                + " verbatim in /memories/f.md.");
        fails(replace("/memories/f.md", "x", "z"), "No replacement was performed. Multiple occurrences of old_str `x`"
                + " in lines: 1, 3. Please ensure it is unique");
        fails(replace("/memories/f.md", "x\n", "z"), "No replacement was performed. Multiple occurrences of old_str"
                + " `x\n` in lines: 1, 3. Please ensure it is unique");
        fails(replace("/memories/nope.md", "x", "z"), "Error: The path /memories/nope.md does not exist. Please"
                + " provide a valid path.");
        fails(replace("/memories/d", "x", "z"), "Error: The path /memories/d does not exist. Please provide a valid"
                + " path.");
        fails(replace("/memories", "x", "z"), "Error: The path /memories does not exist. Please provide a valid"
                + " path.");
        fails(replace("/memories/f.md", "", "z"), "Error: old_str must not be empty; give the exact text to replace");
        fails(replace("/memories/f.md", "X", "z"), "No replacement was performed, old_str `X` did not appear verbatim"
                + " in /memories/f.md.");
    }

    // ------------------------------------------------------------------------------------------------ insert

    @Test
    void insertPutsTextAfterTheGivenLine() {
        seed("/f.md", "one\ntwo\n");
        ok(insert("/memories/f.md", 0, "zero"), "The file /memories/f.md has been edited.", 1);
        assertThat(text("/f.md")).isEqualTo("zero\none\ntwo\n");
        ok(insert("/memories/f.md", 3, "three\n"), "The file /memories/f.md has been edited.", 1);
        assertThat(text("/f.md")).isEqualTo("zero\none\ntwo\nthree\n");
        ok(insert("/memories/f.md", 2, "1.5a\n1.5b"), "The file /memories/f.md has been edited.", 1);
        assertThat(text("/f.md")).isEqualTo("zero\none\n1.5a\n1.5b\ntwo\nthree\n");
        ok(insert("/memories/f.md", 1, ""), "The file /memories/f.md has been edited.", 1);
        assertThat(text("/f.md")).isEqualTo("zero\n\none\n1.5a\n1.5b\ntwo\nthree\n");
        assertThat(allVersions(op, VersionQuery.builder().limit(100)).get(0).createdBy()).isEqualTo(sessionActor());
    }

    @Test
    void insertKeepsAMissingFinalNewlineMissing() {
        seed("/g.md", "one\ntwo");
        ok(insert("/memories/g.md", 2, "three"), "The file /memories/g.md has been edited.", 1);
        assertThat(text("/g.md")).isEqualTo("one\ntwo\nthree");
        ok(insert("/memories/g.md", 0, "zero"), "The file /memories/g.md has been edited.", 1);
        assertThat(text("/g.md")).isEqualTo("zero\none\ntwo\nthree");
    }

    @Test
    void insertIntoAnEmptyFile() {
        seed("/e.md", "");
        fails(insert("/memories/e.md", 1, "x"), "Error: Invalid `insert_line` parameter: 1. It should be within the"
                + " range of lines of the file: [0, 0]");
        ok(insert("/memories/e.md", 0, "x"), "The file /memories/e.md has been edited.", 1);
        assertThat(text("/e.md")).isEqualTo("x\n");
    }

    @Test
    void insertUsesTheFilesCrlfLineEndings() {
        seed("/w.md", "a\r\nb\r\n");
        ok(insert("/memories/w.md", 1, "mid"), "The file /memories/w.md has been edited.", 1);
        assertThat(text("/w.md")).isEqualTo("a\r\nmid\r\nb\r\n");
        ok(insert("/memories/w.md", 3, "end\r\n"), "The file /memories/w.md has been edited.", 1);
        assertThat(text("/w.md")).isEqualTo("a\r\nmid\r\nb\r\nend\r\n");
    }

    @Test
    void insertErrors() {
        seed("/f.md", "one\ntwo\n");
        seed("/d/x.md", "x");
        fails(insert("/memories/f.md", 3, "x"), "Error: Invalid `insert_line` parameter: 3. It should be within the"
                + " range of lines of the file: [0, 2]");
        fails(insert("/memories/f.md", -1, "x"), "Error: Invalid `insert_line` parameter: -1. It should be within the"
                + " range of lines of the file: [0, 2]");
        fails(insert("/memories/nope.md", 0, "x"), "Error: The path /memories/nope.md does not exist");
        fails(insert("/memories/d", 0, "x"), "Error: The path /memories/d does not exist");
        fails(insert("/memories", 0, "x"), "Error: The path /memories does not exist");
    }

    // ------------------------------------------------------------------------------------------------ delete

    @Test
    void deleteOfAFile() {
        seed("/f.md", "x");
        ok(delete("/memories/f.md"), "Successfully deleted /memories/f.md", 1);
        assertThat(op.findByPath("/f.md")).isEmpty();
        assertThat(allVersions(op, VersionQuery.builder()).get(0).operation()).isEqualTo(Operation.DELETED);
    }

    @Test
    void deleteOfADirectoryDeletesEverythingUnderItHiddenFilesToo() {
        seedTree();
        ok(delete("/memories/dir"), "Successfully deleted /memories/dir", 5);
        assertThat(allMemories(op)).extracting(Memory::path)
                .containsExactly("/.hidden/x.md", "/.secret.md", "/a.md", "/node_modules/m.js");
        ok(delete("/memories/.hidden/"), "Successfully deleted /memories/.hidden/", 1);
    }

    @Test
    void deleteErrors() {
        seed("/f.md", "x");
        fails(delete("/memories"), "Error: Cannot delete the /memories directory itself");
        fails(delete("/memories/"), "Error: Cannot delete the /memories directory itself");
        fails(delete("/memories/nope"), "Error: The path /memories/nope does not exist");
        fails(delete("/memories/f"), "Error: The path /memories/f does not exist");
    }

    // ------------------------------------------------------------------------------------------------ rename

    @Test
    void renameOfAFileKeepsItsIdAndContent() {
        Memory f = seed("/f.md", "body");
        ok(rename("/memories/f.md", "/memories/archive/g.md"),
                "Successfully renamed /memories/f.md to /memories/archive/g.md", 1);
        Memory g = op.getByPath("/archive/g.md");
        assertThat(g.id()).isEqualTo(f.id());
        assertThat(g.text()).isEqualTo("body");
        assertThat(op.findByPath("/f.md")).isEmpty();
    }

    @Test
    void renameOfADirectoryMovesEverythingUnderIt() {
        seedTree();
        ok(rename("/memories/dir", "/memories/moved/dir2"), "Successfully renamed /memories/dir to"
                + " /memories/moved/dir2", 5);
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
        fails(rename("/memories", "/memories/x"), "Error: Cannot rename the /memories directory itself");
        fails(rename("/memories/", "/memories/x"), "Error: Cannot rename the /memories directory itself");
        fails(rename("/memories/nope.md", "/memories/c.md"), "Error: The path /memories/nope.md does not exist");
        fails(rename("/memories/a.md", "/memories/b.md"), "Error: The destination /memories/b.md already exists");
        fails(rename("/memories/a.md", "/memories/dir"), "Error: The destination /memories/dir already exists");
        fails(rename("/memories/dir", "/memories/other"), "Error: The destination /memories/other already exists");
        fails(rename("/memories/a.md", "/memories"), "Error: The destination /memories already exists");
        fails(rename("/memories/dir", "/memories/dir/inner"), "Error: Cannot rename /memories/dir to"
                + " /memories/dir/inner: the destination is inside the source");
        fails(rename("/memories/a.md", "/memories/b.md/c.md"), "Error: Cannot rename /memories/a.md to"
                + " /memories/b.md/c.md: /memories/b.md is a file, not a directory");
        fails(rename("/memories/a.md", "/memories/../a.md"), BAD_PATH.formatted("/memories/../a.md", "a '..' segment"));
        fails(rename("/memories/a.md", "/tmp/a.md"), OUTSIDE.formatted("/tmp/a.md"));
    }

    // ------------------------------------------------------------------------------------------------ paths

    /** Paths the tool refuses, with the reason it gives. */
    private static Map<String, String> refusedPaths() {
        Map<String, String> refused = new LinkedHashMap<>();
        for (String p : List.of("/etc/passwd", "/memoriesX/a.md", "/memoriesX", "memories/a.md", "", "/",
                "/Memories/a.md", "./memories/a.md", "../memories/a.md")) {
            refused.put(p, OUTSIDE.formatted(p));
        }
        for (String p : List.of("/memories/../etc/passwd", "/memories/a/../../x", "/memories/..",
                "/memories/a/..")) {
            refused.put(p, BAD_PATH.formatted(p, "a '..' segment"));
        }
        for (String p : List.of("/memories/./a.md", "/memories/.")) {
            refused.put(p, BAD_PATH.formatted(p, "a '.' segment"));
        }
        for (String p : List.of("/memories/%2e%2e%2fetc", "/memories/%2E%2E/x", "/memories/..%2fx",
                "/memories/%252e%252e/x", "/memories%2f..%2fetc", "/memories/%c0%ae%c0%ae/x", "/memories/a%20b.md")) {
            refused.put(p, BAD_PATH.formatted(p, "a percent-escape"));
        }
        for (String p : List.of("/memories\\..\\etc", "/memories/a\\b.md", "/memories/..\\x")) {
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
            fails(rename(p, "/memories/b.md"), expected);
            fails(rename("/memories/a.md", p), expected);
        });
    }

    @Test
    void aPercentSignThatIsNotAnEscapeIsAnOrdinaryCharacter() {
        ok(create("/memories/100%.md", "x"), "File created successfully at: /memories/100%.md", 1);
        assertThat(text("/100%.md")).isEqualTo("x");
    }

    @Test
    void dotFilesAreOrdinaryFiles() {
        ok(create("/memories/.notes", "x"), "File created successfully at: /memories/.notes", 1);
        ok(create("/memories/..x/y.md", "y"), "File created successfully at: /memories/..x/y.md", 1);
        ok(view("/memories/.notes"), fileView("/memories/.notes", row(1, "x")), 0);
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
        ok(t, op, view("/memories/f.md"), fileView("/memories/f.md", row(1, "one")), 0);
        fails(t, create("/memories/g.md", "x"), coreError(() -> m.create("/g.md", "x")));
        fails(t, replace("/memories/f.md", "one", "1"), coreError(() -> m.update(f.id(), MemoryUpdate.content("1\n"))));
        fails(t, insert("/memories/f.md", 0, "x"), coreError(() -> m.update(f.id(), MemoryUpdate.content("x\n"))));
        fails(t, delete("/memories/f.md"), coreError(() -> m.delete(f.id())));
        fails(t, delete("/memories/d"), coreError(() -> m.apply(Batch.builder().delete(op.getByPath("/d/x.md").id())
                .build())));
        fails(t, rename("/memories/f.md", "/memories/g.md"), coreError(() -> m.update(f.id(),
                MemoryUpdate.path("/g.md"))));
        fails(t, rename("/memories/d", "/memories/e"), coreError(() -> m.move("/d/", "/e/")));
    }

    @Test
    void anArchivedStoreReadsButNeverWrites() {
        seed("/f.md", "one\n");
        seed("/d/x.md", "x");
        Memory f = op.getByPath("/f.md");
        ws.stores().archive(store.id());
        Memories m = session.mount(store.id());
        ok(view("/memories/f.md"), fileView("/memories/f.md", row(1, "one")), 0);
        fails(create("/memories/g.md", "x"), coreError(() -> m.create("/g.md", "x")));
        fails(replace("/memories/f.md", "one", "1"), coreError(() -> m.update(f.id(), MemoryUpdate.content("1\n"))));
        fails(insert("/memories/f.md", 1, "x"), coreError(() -> m.update(f.id(), MemoryUpdate.content("one\nx\n"))));
        fails(delete("/memories/f.md"), coreError(() -> m.delete(f.id())));
        fails(delete("/memories/d"), coreError(() -> m.apply(Batch.builder().delete(op.getByPath("/d/x.md").id())
                .build())));
        fails(rename("/memories/f.md", "/memories/g.md"), coreError(() -> m.update(f.id(),
                MemoryUpdate.path("/g.md"))));
        fails(rename("/memories/d", "/memories/e"), coreError(() -> m.move("/d/", "/e/")));
    }

    // ------------------------------------------------------------------------------------------------ the factory

    @Test
    void theToolWritesToTheMountItNames() {
        MemoryStore other = newStore("Other notes");
        Session two = ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id()),
                AttachmentSpec.readWrite(other.id())));
        String slugs = two.attachments().stream().map(a -> a.slug()).collect(Collectors.joining(", "));
        InvalidArgumentException e = rejects(InvalidArgumentException.class, () -> MemoryTool.of(two));
        assertThat(e.rule()).isEqualTo("tool.mount");
        assertThat(e.getMessage()).contains("2 attachments (" + slugs + ")").contains(".mount(slug)");
        rejects(NotFoundException.class, () -> MemoryTool.builder(two).mount("no-such-mount").build());
        rejects(InvalidArgumentException.class, () -> MemoryTool.builder(two).maxViewChars(999));

        MemoryTool toOther = MemoryTool.builder(two).mount(two.attachments().get(1).slug()).build();
        assertThat(toOther.execute(create("/memories/o.md", "o"))).isEqualTo(ToolResult.ok(
                "File created successfully at: /memories/o.md"));
        Memories otherOp = ws.memories(other.id(), OPERATOR);
        assertThat(otherOp.getByPath("/o.md").text()).isEqualTo("o");
        assertThat(op.findByPath("/o.md")).isEmpty();
        assertThat(allVersions(otherOp, VersionQuery.builder()).get(0).createdBy()).isEqualTo(Actor.session(two.id()));

        MemoryTool byStore = MemoryTool.builder(two).mount(store.id()).build();
        assertThat(byStore.execute(create("/memories/s.md", "s")).isError()).isFalse();
        assertThat(op.getByPath("/s.md").text()).isEqualTo("s");
    }

    // ------------------------------------------------------------------------------------------------ execute

    @Test
    void executeDispatchesMapsAsTheSdkDecodesThem() {
        seed("/f.md", "one\ntwo\n");
        Map<String, Object> input = new HashMap<>();
        input.put("command", "view");
        input.put("path", "/memories/f.md");
        input.put("view_range", List.of(2, -1));
        assertThat(tool.execute(input)).isEqualTo(ToolResult.ok(fileView("/memories/f.md", row(2, "two"))));
        input.put("view_range", List.of(2L, 2L));
        assertThat(tool.execute(input)).isEqualTo(ToolResult.ok(fileView("/memories/f.md", row(2, "two"))));
        input.put("view_range", null);
        assertThat(tool.execute(input)).isEqualTo(ToolResult.ok(fileView("/memories/f.md", row(1, "one"),
                row(2, "two"))));
        assertThat(tool.execute(Map.of("command", "insert", "path", "/memories/f.md", "insert_line", 2L,
                "insert_text", "three"))).isEqualTo(ToolResult.ok("The file /memories/f.md has been edited."));
        assertThat(tool.execute(Map.of("command", "insert", "path", "/memories/f.md", "insert_line", 0.0,
                "insert_text", "zero"))).isEqualTo(ToolResult.ok("The file /memories/f.md has been edited."));
        assertThat(text("/f.md")).isEqualTo("zero\none\ntwo\nthree\n");
    }

    @Test
    void missingAndMistypedParametersAreErrors() {
        seed("/f.md", "one\n");
        fails("{}", "Error: Missing required parameter `command`");
        fails(json("command", 5), "Error: Parameter `command` must be a string");
        fails(json("command", null, "path", "/memories"), "Error: Missing required parameter `command`");
        fails(json("command", "undo", "path", "/memories"), "Error: Unknown command `undo`. The memory tool's commands"
                + " are view, create, str_replace, insert, delete and rename");
        fails(json("command", "View", "path", "/memories"), "Error: Unknown command `View`. The memory tool's commands"
                + " are view, create, str_replace, insert, delete and rename");
        fails(json("command", "view"), "Error: Missing required parameter `path`");
        fails(json("command", "view", "path", 7), "Error: Parameter `path` must be a string");
        fails(json("command", "create", "path", "/memories/g.md"), "Error: Missing required parameter `file_text`");
        fails(json("command", "create", "path", "/memories/g.md", "file_text", List.of("a")),
                "Error: Parameter `file_text` must be a string");
        fails(json("command", "str_replace", "path", "/memories/f.md", "new_str", "x"),
                "Error: Missing required parameter `old_str`");
        fails(json("command", "str_replace", "path", "/memories/f.md", "old_str", "one", "new_str", 1),
                "Error: Parameter `new_str` must be a string");
        fails(json("command", "insert", "path", "/memories/f.md", "insert_text", "x"),
                "Error: Missing required parameter `insert_line`");
        fails(json("command", "insert", "path", "/memories/f.md", "insert_line", "1", "insert_text", "x"),
                "Error: Parameter `insert_line` must be an integer");
        fails(json("command", "insert", "path", "/memories/f.md", "insert_line", 1.5, "insert_text", "x"),
                "Error: Parameter `insert_line` must be an integer");
        fails(json("command", "insert", "path", "/memories/f.md", "insert_line", true, "insert_text", "x"),
                "Error: Parameter `insert_line` must be an integer");
        fails(json("command", "insert", "path", "/memories/f.md", "insert_line", 1),
                "Error: Missing required parameter `insert_text`");
        fails(json("command", "delete"), "Error: Missing required parameter `path`");
        fails(json("command", "rename", "old_path", "/memories/f.md"), "Error: Missing required parameter `new_path`");
        fails(json("command", "rename", "new_path", "/memories/g.md"), "Error: Missing required parameter `old_path`");
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
                        results.add(tool.insert("/memories/shared.md", 0, "note " + me + "-" + r));
                        results.add(tool.strReplace("/memories/shared.md", "slot-" + me + ": " + r + "\n",
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
