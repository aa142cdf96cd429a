package dev.agentmemory.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.tool.internal.TextLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties of the memory tool's edits against simple models: {@code str_replace} of a unique {@code old_str} is
 * {@link String#replace} once, {@code insert} is an insert into the list of lines, and {@code view} shows exactly the
 * lines of the model.
 */
class MemoryToolPropertiesTest {

    private static AgentMemory memory;
    private static Memories operator;
    private static MemoryTool tool;
    private static final AtomicInteger FILES = new AtomicInteger();

    @BeforeContainer
    static void open() {
        memory = AgentMemory.builder().backend(InMemoryBackend.create()).build();
        Workspace ws = memory.workspace("acme");
        MemoryStore store = ws.stores().create(NewStore.named("Properties").build());
        Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
        operator = ws.memories(store.id(), Actor.apiKey("apikey_props"));
        tool = MemoryTool.of(session);
    }

    @AfterContainer
    static void close() {
        memory.close();
    }

    /** Text over a small alphabet with newlines, CRs, regex and replacement metacharacters, so matches are common. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.of("a", "b", "ab", "\n", "\r\n", "\r", "$", "$&", "$1", "\\", ".", "*", " ", "é", "😀")
                .list().ofMaxSize(24).map(tokens -> String.join("", tokens));
    }

    private static String newFile(String content) {
        String path = "/f" + FILES.incrementAndGet() + ".md";
        operator.create(path, content);
        return path;
    }

    /** A text and a piece of it made of whole tokens (so it never splits a surrogate pair), often unique. */
    @Provide
    Arbitrary<String[]> textAndPiece() {
        Arbitrary<List<String>> tokens = Arbitraries.of("a", "b", "ab", "\n", "\r\n", "\r", "$", "$&", "$1", "\\",
                ".", "*", " ", "é", "😀").list().ofMinSize(1).ofMaxSize(24);
        return tokens.flatMap(list -> Arbitraries.integers().between(0, list.size() - 1).flatMap(from ->
                Arbitraries.integers().between(from + 1, list.size()).map(to -> new String[] {
                    String.join("", list), String.join("", list.subList(from, to))})));
    }

    @Property(tries = 300)
    void strReplaceOfAUniqueOldStrIsStringReplaceOnce(@ForAll("textAndPiece") String[] textAndPiece,
            @ForAll("texts") String newStr) {
        String text = textAndPiece[0];
        String oldStr = textAndPiece[1];
        int first = text.indexOf(oldStr);
        Assume.that(text.indexOf(oldStr, first + oldStr.length()) < 0);
        String path = newFile(text);
        ToolResult r = tool.strReplace("/memories/properties" + path, oldStr, Optional.of(newStr));
        assertThat(r.isError()).as(r.text()).isFalse();
        assertThat(operator.getByPath(path).text()).isEqualTo(text.replace(oldStr, newStr));
    }

    @Property(tries = 300)
    void strReplaceOfAnAbsentOrRepeatedOldStrChangesNothing(@ForAll("texts") String text,
            @ForAll("texts") String oldStr) {
        Assume.that(!oldStr.isEmpty());
        int first = text.indexOf(oldStr);
        Assume.that(first < 0 || text.indexOf(oldStr, first + oldStr.length()) >= 0);
        String path = newFile(text);
        ToolResult r = tool.strReplace("/memories/properties" + path, oldStr, Optional.of("X"));
        assertThat(r.isError()).isTrue();
        assertThat(r.text()).startsWith("No replacement was performed");
        assertThat(operator.getByPath(path).text()).isEqualTo(text);
    }

    /** LF-only text, so the model below needs no line-ending rules. */
    @Provide
    Arbitrary<String> lfTexts() {
        return Arbitraries.strings().withChars("ab\n$ é").ofMaxLength(40);
    }

    @Property(tries = 300)
    void insertIsAnInsertIntoTheListOfLines(@ForAll("lfTexts") String text, @ForAll("lfTexts") String insertText,
            @ForAll long seed) {
        List<String> lines = model(text);
        int at = (int) Math.floorMod(seed, (long) lines.size() + 1);
        String path = newFile(text);
        ToolResult r = tool.insert("/memories/properties" + path, at, insertText);
        assertThat(r.isError()).as(r.text()).isFalse();

        String piece = insertText.endsWith("\n") ? insertText.substring(0, insertText.length() - 1) : insertText;
        List<String> expected = new ArrayList<>(lines);
        expected.add(at, piece);
        boolean endsWithNewline = text.isEmpty() || text.endsWith("\n");
        assertThat(operator.getByPath(path).text()).isEqualTo(String.join("\n", expected) + (endsWithNewline ? "\n"
                : ""));
    }

    @Property(tries = 200)
    void insertOutsideTheLinesChangesNothing(@ForAll("lfTexts") String text, @ForAll long seed) {
        int n = model(text).size();
        long at = seed >= 0 ? n + 1 + Math.floorMod(seed, 1000) : -1 - Math.floorMod(seed, 1000);
        String path = newFile(text);
        ToolResult r = tool.insert("/memories/properties" + path, at, "x");
        assertThat(r).isEqualTo(ToolResult.error("Error: Invalid `insert_line` parameter: " + at
                + ". It should be within the range of lines of the file: [0, " + n + "]"));
        assertThat(operator.getByPath(path).text()).isEqualTo(text);
    }

    @Property(tries = 200)
    void viewShowsTheModelsLinesNumbered(@ForAll("lfTexts") String text) {
        String path = newFile(text);
        StringBuilder expected = new StringBuilder("Here's the content of /memories/properties" + path + " with line numbers:");
        List<String> lines = model(text);
        for (int i = 0; i < lines.size(); i++) {
            expected.append('\n').append(String.format("%6d\t%s", i + 1, lines.get(i)));
        }
        assertThat(tool.view("/memories/properties" + path,
                Optional.empty())).isEqualTo(ToolResult.ok(expected.toString()));
        assertThat(TextLines.split(text)).isEqualTo(lines);
    }

    /** Lines as a list: split at every newline; a final newline ends the last line instead of starting one. */
    private static List<String> model(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
