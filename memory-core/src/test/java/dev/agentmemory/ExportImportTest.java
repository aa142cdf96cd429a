package dev.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.ProgressListener;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.model.WorkspaceId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** A store exported as JSON Lines and imported elsewhere is the same store. */
class ExportImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A clock that moves on by an odd number of nanoseconds at every reading, to test timestamp precision. */
    static final class SteppingClock extends Clock {
        private Instant now = Instant.parse("2025-02-03T04:05:06.789012345Z");

        @Override
        public synchronized Instant instant() {
            now = now.plusNanos(1_234_567_891L);
            return now;
        }

        @Override
        public long millis() {
            return instant().toEpochMilli();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    // ------------------------------------------------------------------ the script of changes

    /** One change to the store; indexes pick among the memories or versions that exist by then. */
    sealed interface Step permits Create, Update, Rename, Delete, Move, Redact {
    }

    record Create(String path, String content, int actor) implements Step {
    }

    record Update(int memory, String content, int actor) implements Step {
    }

    record Rename(int memory, String path, int actor) implements Step {
    }

    record Delete(int memory, int actor) implements Step {
    }

    record Move(String from, String to, int actor) implements Step {
    }

    record Redact(int version, int actor) implements Step {
    }

    /** The source store and the handles that write to it as different actors. */
    private static final class Source implements AutoCloseable {
        final AgentMemory memory = AgentMemory.builder().backend(InMemoryBackend.create())
                .clock(new SteppingClock()).build();
        final Workspace ws = memory.workspace("source-tenant");
        final MemoryStore store;
        final List<Memories> writers = new ArrayList<>();
        final List<Actor> redactors;
        final List<MemoryId> ids = new ArrayList<>();

        Source() {
            store = ws.stores().create(NewStore.named("Notes \"✓\" \\ 😀")
                    .description("Says \"hi\" \\ and\nmore\u2028lines 😀\ttabbed")
                    .metadata("team", "se\"arch\\")
                    .metadata("emoji", "😀")
                    .metadata("empty", "")
                    .contentLimitBytes(4096)
                    .build());
            Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
            writers.add(session.mount(store.id()));
            writers.add(ws.memories(store.id(), Actor.user("user-ana")));
            writers.add(ws.memories(store.id(), Actor.apiKey("apikey_01")));
            writers.add(ws.memories(store.id(), Actor.serviceAccount("sa@ci")));
            redactors = List.of(Actor.user("admin"), Actor.serviceAccount("compliance-bot"),
                    Actor.session(session.id()));
        }

        Memories writer(int i) {
            return writers.get(Math.floorMod(i, writers.size()));
        }

        MemoryId pick(int i) {
            return ids.get(Math.floorMod(i, ids.size()));
        }

        void run(Step step) {
            try {
                if (step instanceof Create c) {
                    ids.add(writer(c.actor()).create(c.path(), c.content()).id());
                } else if (ids.isEmpty()) {
                    return;
                } else if (step instanceof Update u) {
                    writer(u.actor()).update(pick(u.memory()), MemoryUpdate.content(u.content()));
                } else if (step instanceof Rename r) {
                    writer(r.actor()).update(pick(r.memory()), MemoryUpdate.path(r.path()));
                } else if (step instanceof Delete d) {
                    writer(d.actor()).delete(pick(d.memory()));
                } else if (step instanceof Move m) {
                    writer(m.actor()).move(m.from(), m.to());
                } else if (step instanceof Redact r) {
                    List<MemoryVersion> all = versions(ws, store, false);
                    VersionId v = all.get(Math.floorMod(r.version(), all.size())).id();
                    ws.stores().redact(store.id(), v, redactors.get(Math.floorMod(r.actor(), redactors.size())));
                }
            } catch (PathConflictException | NotFoundException | InvalidArgumentException
                    | LimitExceededException e) {
                // a step that breaks a rule changes nothing; the script goes on
            }
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    static List<Memory> memories(Workspace ws, MemoryStore store) {
        Memories m = ws.memories(store.id(), Actor.user("reader"));
        List<Memory> out = new ArrayList<>();
        ListQuery q = ListQuery.builder().limit(7).includeContent(true).build();
        while (true) {
            Page<ListEntry> page = m.list(q);
            page.items().forEach(e -> out.add((Memory) e));
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            q = q.page(page.nextCursor().get());
        }
    }

    static List<MemoryVersion> versions(Workspace ws, MemoryStore store, boolean content) {
        Memories m = ws.memories(store.id(), Actor.user("reader"));
        List<MemoryVersion> out = new ArrayList<>();
        VersionQuery q = VersionQuery.builder().limit(9).includeContent(content).build();
        while (true) {
            Page<MemoryVersion> page = m.versions(q);
            out.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            q = q.page(page.nextCursor().get());
        }
    }

    static byte[] export(Workspace ws, MemoryStore store) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ws.stores().exportStore(store.id(), out, ProgressListener.NONE);
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ the property

    @Property(tries = 100)
    void importReproducesTheExportedStore(@ForAll("scripts") List<Step> script, @ForAll boolean archive) {
        try (Source src = new Source(); AgentMemory target = AgentMemory.inMemory()) {
            script.forEach(src::run);
            if (archive) {
                src.ws.stores().archive(src.store.id());
            }
            MemoryStore original = src.ws.stores().get(src.store.id());
            List<Memory> memories = memories(src.ws, original);
            List<MemoryVersion> versions = versions(src.ws, original, true);
            collect("redacted", versions.stream().anyMatch(MemoryVersion::isRedacted));
            collect("deleted", versions.stream().anyMatch(v -> v.operation() == Operation.DELETED));
            collect("renamed", versions.stream().collect(Collectors.groupingBy(MemoryVersion::memoryId,
                    Collectors.mapping(MemoryVersion::path, Collectors.toSet()))).values().stream()
                    .anyMatch(paths -> paths.stream().filter(Optional::isPresent).count() > 1));
            collect("archived", original.isArchived());
            collect("several memories", memories.size() > 2);

            byte[] exported = export(src.ws, original);
            String text = new String(exported, StandardCharsets.UTF_8);
            // the store, its memories, its versions, the chain head, and the empty string after the last newline
            assertThat(text.split("\n", -1)).hasSize(1 + memories.size() + versions.size() + 1 + 1);

            Workspace other = target.workspace("target-tenant");
            TransferSummary summary = other.stores().importStore(new ByteArrayInputStream(exported),
                    ProgressListener.NONE);
            assertThat(summary).isEqualTo(new TransferSummary(original.id(), memories.size(), versions.size()));

            MemoryStore imported = other.stores().get(original.id());
            assertThat(imported).isEqualTo(new MemoryStore(original.id(), WorkspaceId.of("target-tenant"),
                    original.name(), original.description(), original.metadata(), original.contentLimitBytes(),
                    original.memoryLimit(), original.createdAt(), original.updatedAt(), original.archivedAt()));
            assertThat(memories(other, imported)).isEqualTo(memories);
            assertThat(versions(other, imported, true)).isEqualTo(versions);
            Memories reader = other.memories(imported.id(), Actor.user("reader"));
            for (MemoryVersion v : versions) {
                assertThat(reader.version(v.id())).isEqualTo(v);
            }
            for (Memory m : memories) {
                assertThat(reader.get(m.id())).isEqualTo(m);
            }

            // exporting the copy gives the same file but for the workspace
            String again = new String(export(other, imported), StandardCharsets.UTF_8);
            assertThat(again).isEqualTo(text.replace("\"workspace_id\":\"source-tenant\"",
                    "\"workspace_id\":\"target-tenant\""));
        }
    }

    /** Counts how often a case occurs, and fails the property if it occurs in fewer than a tenth of the tries. */
    private static void collect(String label, boolean happened) {
        Statistics.label(label).collect(happened);
        Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p >= 10));
    }

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "é", "e\u0301", "😀", "x y", "\"q\"", "back\\slash",
                "l\u2028s", "0");
        Arbitrary<String> path = segment.list().ofMinSize(1).ofMaxSize(3).map(s -> "/" + String.join("/", s));
        Arbitrary<String> prefix = segment.list().ofMinSize(1).ofMaxSize(2).map(s -> "/" + String.join("/", s) + "/");
        Arbitrary<Integer> specials = Arbitraries.of(0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x00, 0x2028, 0x2029, 0x85,
                0x1F600, 0x1F9D1, 0x200D, 0xFEFF, 0x7B, 0x7D, 0xE9, 0x301, 0xFFFF);
        Arbitrary<String> content = TextArbitraries.fromCodePoints(
                Arbitraries.frequencyOf(Tuple.of(1, specials), Tuple.of(1, TextArbitraries.scalarValues())), 30);
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 50);
        Arbitrary<Integer> actor = Arbitraries.integers().between(0, 7);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(5, Combinators.combine(path, content, actor).as(Create::new)),
                Tuple.of(4, Combinators.combine(index, content, actor).as(Update::new)),
                Tuple.of(2, Combinators.combine(index, path, actor).as(Rename::new)),
                Tuple.of(2, Combinators.combine(index, actor).as(Delete::new)),
                Tuple.of(1, Combinators.combine(prefix, prefix, actor).as(Move::new)),
                Tuple.of(4, Combinators.combine(index, actor).as(Redact::new)));
        Arbitrary<List<Step>> creates = Combinators.combine(path, content, actor).as(Create::new).map(Step.class::cast)
                .list().ofMinSize(1).ofMaxSize(6);
        return Combinators.combine(creates, step.list().ofMinSize(4).ofMaxSize(30)).as((first, then) -> {
            List<Step> all = new ArrayList<>(first);
            all.addAll(then);
            return all;
        });
    }

    // ------------------------------------------------------------------ refused imports

    /** A small store exported, as lines. */
    private static List<String> exampleLines(int extraMemories) {
        try (Source src = new Source()) {
            Memories w = src.writer(1);
            Memory a = w.create("/notes/a.md", "first \"a\"\n");
            w.update(a.id(), MemoryUpdate.content("second a 😀"));
            Memory b = w.create("/notes/b.md", "b");
            w.update(b.id(), MemoryUpdate.path("/b.md"));
            Memory c = w.create("/c.md", "gone");
            w.delete(c.id());
            for (int i = 0; i < extraMemories; i++) {
                w.create("/many/" + i, ("memory number " + i + " ").repeat(5));
            }
            VersionId firstOfA = versions(src.ws, src.store, false).stream()
                    .filter(v -> v.memoryId().equals(a.id())).reduce((x, y) -> y).orElseThrow().id();
            src.ws.stores().redact(src.store.id(), firstOfA, Actor.user("admin"));
            String text = new String(export(src.ws, src.store), StandardCharsets.UTF_8);
            return new ArrayList<>(Arrays.asList(text.split("\n")));
        }
    }

    private static int indexOfType(List<String> lines, String type, int nth) {
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"type\":\"" + type + "\"") && seen++ == nth) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " line " + nth);
    }

    private static String edit(String line, UnaryOperator<ObjectNode> change) {
        try {
            return JSON.writeValueAsString(change.apply((ObjectNode) JSON.readTree(line)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] join(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Imports bytes that must be refused, then checks that nothing is left and the valid file still imports. */
    private static void assertRefused(byte[] bad, List<String> valid) {
        try (AgentMemory target = AgentMemory.inMemory()) {
            StoreAdmin stores = target.workspace("t").stores();
            Throwable t = catchThrowable(() -> stores.importStore(new ByteArrayInputStream(bad),
                    ProgressListener.NONE));
            assertThat(t).isInstanceOf(InvalidArgumentException.class);
            assertThat(stores.list(StoreQuery.builder().includeArchived(true).build()).items()).isEmpty();
            String storeId = field(valid.get(0), "id");
            assertThatThrownBy(() -> stores.get(dev.agentmemory.model.StoreId.of(storeId)))
                    .isInstanceOf(NotFoundException.class);
            // the same store id is free: the valid file imports into the same backend
            TransferSummary ok = stores.importStore(new ByteArrayInputStream(join(valid)), ProgressListener.NONE);
            assertThat(ok.storeId().value()).isEqualTo(storeId);
        }
    }

    @Test
    void theExampleImportsAsIs() {
        List<String> lines = exampleLines(0);
        try (AgentMemory target = AgentMemory.inMemory()) {
            TransferSummary s = target.workspace("t").stores().importStore(new ByteArrayInputStream(join(lines)),
                    ProgressListener.NONE);
            // a: created, modified; b: created, renamed; c: created, deleted
            assertThat(s.memories()).isEqualTo(2);
            assertThat(s.versions()).isEqualTo(6);
        }
    }

    @Test
    void wrongContentShaIsRefused() {
        List<String> lines = exampleLines(0);
        List<String> bad = new ArrayList<>(lines);
        int i = indexOfType(bad, "memory", 0);
        bad.set(i, edit(bad.get(i), n -> n.put("content_sha256", "0".repeat(64))));
        assertRefused(join(bad), lines);

        List<String> badVersion = new ArrayList<>(lines);
        int lastVersion = badVersion.size() - 1;
        while (!field(badVersion.get(lastVersion), "type").equals("memory_version")) {
            lastVersion--;
        }
        badVersion.set(lastVersion, edit(badVersion.get(lastVersion), n -> n.put("content_sha256", "f".repeat(64))));
        assertRefused(join(badVersion), lines);
    }

    @Test
    void wrongContentSizeIsRefused() {
        List<String> lines = exampleLines(0);
        List<String> bad = new ArrayList<>(lines);
        int i = indexOfType(bad, "memory", 1);
        bad.set(i, edit(bad.get(i), n -> n.put("content_size_bytes", n.get("content_size_bytes").asLong() + 1)));
        assertRefused(join(bad), lines);
    }

    @Test
    void duplicateMemoryIdIsRefused() {
        List<String> lines = exampleLines(0);
        List<String> bad = new ArrayList<>(lines);
        int i = indexOfType(bad, "memory", 0);
        bad.add(i + 1, edit(bad.get(i), n -> n.put("path", "/elsewhere.md")));
        assertRefused(join(bad), lines);

        List<String> exact = new ArrayList<>(lines);
        exact.add(i + 1, lines.get(i));
        assertRefused(join(exact), lines);
    }

    @Test
    void memoryWithoutItsHeadVersionIsRefused() {
        List<String> lines = exampleLines(0);
        for (int nth = 0; nth < 2; nth++) {
            String head = field(lines.get(indexOfType(lines, "memory", nth)), "memory_version_id");
            List<String> bad = new ArrayList<>(lines);
            assertThat(bad.removeIf(l -> l.contains("\"type\":\"memory_version\"")
                    && l.contains("\"id\":\"" + head + "\""))).isTrue();
            assertRefused(join(bad), lines);
        }
    }

    @Test
    void invalidJsonIsRefused() {
        List<String> lines = exampleLines(0);
        int i = indexOfType(lines, "memory", 1);
        for (String broken : List.of(lines.get(i).substring(0, lines.get(i).length() / 2), "{not json}", "[1,2]",
                "\"just a string\"", lines.get(i) + " {}", "{\"type\":\"memory\"}")) {
            List<String> bad = new ArrayList<>(lines);
            bad.set(i, broken);
            assertRefused(join(bad), lines);
        }
    }

    @Test
    void nonUtf8BytesAreRefused() {
        List<String> lines = exampleLines(0);
        for (byte[] junk : List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF})) {
            assertRefused(withJunkInContent(lines, indexOfType(lines, "memory", 1), junk), lines);
        }
    }

    @Test
    void nonUtf8BytesLateInALargeFileAreRefusedAndTheWrittenPartIsRemoved() {
        // more lines than one import chunk, so that part of the store is written before the bad line is read
        List<String> lines = exampleLines(600);
        assertThat(String.join("\n", lines).length()).isGreaterThan(64 * 1024);
        int last = lines.size() - 1;
        while (!lines.get(last).contains("\"content\":\"")) {
            last--;
        }
        assertThat(last).isGreaterThan(600);
        assertRefused(withJunkInContent(lines, last, new byte[] {(byte) 0xFE}), lines);
        List<String> bad = new ArrayList<>(lines);
        bad.set(bad.size() - 1, "{broken");
        assertRefused(join(bad), lines);
    }

    @Test
    void otherBrokenFilesAreRefused() {
        List<String> lines = exampleLines(0);
        int m = indexOfType(lines, "memory", 0);
        int v = indexOfType(lines, "memory_version", 0);
        List<List<String>> variants = new ArrayList<>();
        // a memory line after the versions
        List<String> late = new ArrayList<>(lines);
        late.add(late.remove(m));
        variants.add(late);
        // an unknown line type
        List<String> unknown = new ArrayList<>(lines);
        unknown.set(v, edit(unknown.get(v), n -> n.put("type", "memory_snapshot")));
        variants.add(unknown);
        // a line of another store
        List<String> foreign = new ArrayList<>(lines);
        foreign.set(v, edit(foreign.get(v), n -> n.put("memory_store_id", "memstore_someoneelse")));
        variants.add(foreign);
        // a path that is not NFC
        List<String> decomposed = new ArrayList<>(lines);
        decomposed.set(m, edit(decomposed.get(m), n -> n.put("path", "/caf" + "e\u0301")));
        variants.add(decomposed);
        // a duplicate version
        List<String> twice = new ArrayList<>(lines);
        twice.add(lines.get(v));
        variants.add(twice);
        // a redacted version that still has content
        int redacted = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"redacted_by\":{")) {
                redacted = i;
            }
        }
        assertThat(redacted).isPositive();
        List<String> leaky = new ArrayList<>(lines);
        leaky.set(redacted, edit(leaky.get(redacted), n -> n.put("content", "secret")));
        variants.add(leaky);
        for (List<String> bad : variants) {
            assertRefused(join(bad), lines);
        }
        try (AgentMemory target = AgentMemory.inMemory()) {
            assertThatThrownBy(() -> target.workspace("t").stores().importStore(
                    new ByteArrayInputStream(new byte[0]), ProgressListener.NONE))
                    .isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void importingAStoreThatExistsIsAConflict() {
        List<String> lines = exampleLines(0);
        try (AgentMemory target = AgentMemory.inMemory()) {
            StoreAdmin stores = target.workspace("t").stores();
            stores.importStore(new ByteArrayInputStream(join(lines)), ProgressListener.NONE);
            assertThatThrownBy(() -> target.workspace("u").stores().importStore(
                    new ByteArrayInputStream(join(lines)), ProgressListener.NONE))
                    .isInstanceOf(ConflictException.class);
            assertThat(target.workspace("u").stores().list(StoreQuery.firstPage()).items()).isEmpty();
        }
    }

    private static String field(String line, String name) {
        try {
            return JSON.readTree(line).get(name).asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Puts raw bytes into the content string of one line. */
    private static byte[] withJunkInContent(List<String> lines, int index, byte[] junk) {
        String line = lines.get(index);
        int at = line.indexOf("\"content\":\"") + "\"content\":\"".length();
        assertThat(at).isGreaterThan("\"content\":\"".length());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            if (i == index) {
                out.writeBytes(line.substring(0, at).getBytes(StandardCharsets.UTF_8));
                out.writeBytes(junk);
                out.writeBytes(line.substring(at).getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes(lines.get(i).getBytes(StandardCharsets.UTF_8));
            }
            out.write('\n');
        }
        return out.toByteArray();
    }
}
