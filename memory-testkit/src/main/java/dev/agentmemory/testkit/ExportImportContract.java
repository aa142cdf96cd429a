package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.VersionQuery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Export and import: a store exports as JSON Lines (the store, then each memory, then each version,
 * redacted ones without content), and importing that file into an empty workspace of another backend reproduces the
 * store, its memories and its versions with the same ids, timestamps, actors and redactions. A malformed import
 * changes nothing.
 */
public abstract class ExportImportContract extends ContractSupport {

    private static final String TARGET_WORKSPACE = "imported";

    /** A store with every kind of history: four kinds of actor, renames, a deletion, a redaction, odd paths. */
    private Memories richStore() {
        MemoryStore s = ws.stores().create(NewStore.named("Project notes").description("What we learned")
                .metadata("team", "search").metadata("tier", "gold").contentLimitBytes(50_000).memoryLimit(500)
                .build());
        Memories operator = ws.memories(s.id(), OPERATOR);
        Memories user = ws.memories(s.id(), Actor.user("ada"));
        Memories service = ws.memories(s.id(), Actor.serviceAccount("sa_build"));
        Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(s.id())));
        Memories agent = session.mount(s.id());

        Memory a = operator.create("/notes/a.md", "first draft with a secret");
        clock.advance(Duration.ofSeconds(1).plusNanos(123_456_789));
        user.update(a.id(), MemoryUpdate.content("second draft"));
        clock.advance(Duration.ofMinutes(1));
        Memory b = service.create("/notes/b.md", "");
        service.update(b.id(), MemoryUpdate.path("/archive/b.md"));
        clock.advance(Duration.ofMinutes(1));
        Memory c = agent.create("/caf\u00e9/\uD83D\uDE00 notes.md", "émoji ✓\r\nline two");
        agent.update(c.id(), MemoryUpdate.content("émoji ✓ edited"));
        Memory tmp = agent.create("/tmp.md", "short-lived");
        agent.delete(tmp.id());
        clock.advance(Duration.ofHours(1));
        ws.stores().redact(s.id(), history(operator, a.id()).get(1).id(), Actor.user("admin"));
        ws.stores().update(s.id(), StoreUpdate.builder().putMetadata("reviewed", "yes").build());
        clock.advance(Duration.ofHours(1));
        return operator;
    }

    private String export(Workspace w, StoreId id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransferSummary summary = w.stores().exportStore(id, out, ProgressListener.NONE);
        assertThat(summary.storeId()).isEqualTo(id);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static TransferSummary importInto(Workspace w, byte[] bytes) {
        return w.stores().importStore(new ByteArrayInputStream(bytes), ProgressListener.NONE);
    }

    private static TransferSummary importInto(Workspace w, String text) {
        return importInto(w, text.getBytes(StandardCharsets.UTF_8));
    }

    private Workspace emptyTarget() {
        AgentMemory target = open(Limits.defaults());
        return watch(target.workspace(TARGET_WORKSPACE));
    }

    private static MemoryStore inWorkspace(MemoryStore s, Workspace w) {
        return new MemoryStore(s.id(), w.id(), s.name(), s.description(), s.metadata(), s.contentLimitBytes(),
                s.memoryLimit(), s.createdAt(), s.updatedAt(), s.archivedAt());
    }

    @Test
    void exportIsJsonLinesStoreThenMemoriesThenVersionsThenTheChainHead() {
        Memories m = richStore();
        String text = export(ws, m.storeId());
        List<String> lines = Arrays.asList(text.split("\n"));
        int memories = allMemories(m).size();
        int versions = allVersions(m, VersionQuery.builder()).size();
        // the store, its memories, its versions (each with its seal in the hash chain), and last the chain's head
        assertThat(lines).hasSize(1 + memories + versions + 1);
        assertThat(lines.get(0)).contains("\"memory_store\"").contains(m.storeId().value());
        assertThat(lines.subList(1, 1 + memories)).allSatisfy(l -> assertThat(l).contains("\"type\":\"memory\""));
        assertThat(lines.subList(1 + memories, lines.size() - 1))
                .allSatisfy(l -> assertThat(l).contains("\"type\":\"memory_version\"").contains("\"chain\":{"));
        assertThat(lines.get(lines.size() - 1)).contains("\"type\":\"memory_chain_head\"")
                .contains("\"length\":" + (versions + 1) + ","); // one redaction link
        assertThat(text).doesNotContain("first draft with a secret");
    }

    @Test
    void importIntoAnotherWorkspaceReproducesTheStore() {
        Memories m = richStore();
        StoreState original = new StoreState(ws.stores().get(m.storeId()), allMemories(m),
                allVersions(m, VersionQuery.builder()));
        String text = export(ws, m.storeId());

        Workspace target = emptyTarget();
        TransferSummary summary = importInto(target, text);
        assertThat(summary.storeId()).isEqualTo(m.storeId());
        assertThat(summary.memories()).isEqualTo(original.memories().size());
        assertThat(summary.versions()).isEqualTo(original.versions().size());

        MemoryStore imported = target.stores().get(m.storeId());
        assertThat(imported).isEqualTo(inWorkspace(original.store(), target));
        Memories copy = target.memories(m.storeId(), OPERATOR);
        assertThat(allMemories(copy)).isEqualTo(original.memories());
        assertThat(allVersions(copy, VersionQuery.builder())).isEqualTo(original.versions());
        assertThat(allVersions(copy, VersionQuery.builder())).anySatisfy(v -> {
            assertThat(v.isRedacted()).isTrue();
            assertThat(v.redactedBy()).contains(Actor.user("admin"));
        });
        assertThat(allVersions(copy, VersionQuery.builder())).extracting(MemoryVersion::createdBy)
                .anySatisfy(a -> assertThat(a.type()).isEqualTo(Actor.Type.SESSION))
                .contains(OPERATOR, Actor.user("ada"), Actor.serviceAccount("sa_build"));

        String reexported = export(target, m.storeId());
        assertThat(reexported).isEqualTo(text.replace("\"workspace_id\":\"" + WORKSPACE + "\"",
                "\"workspace_id\":\"" + TARGET_WORKSPACE + "\""));
    }

    @Test
    void importedStoreWorksLikeTheOriginal() {
        Memories m = richStore();
        Workspace target = emptyTarget();
        importInto(target, export(ws, m.storeId()));
        Memories copy = target.memories(m.storeId(), OPERATOR);
        Memory a = copy.getByPath("/notes/a.md");
        Memory updated = copy.update(a.id(), MemoryUpdate.content("third").ifContentSha256(sha256("second draft")));
        assertThat(updated.id()).isEqualTo(a.id());
        assertThat(history(copy, a.id())).hasSize(3);
        assertThat(copy.create("/new.md", "new").id().value()).startsWith("mem_");
        assertThat(allStores(target, StoreQuery.firstPage())).extracting(MemoryStore::id)
                .containsExactly(m.storeId());
    }

    /**
     * A whole workspace moves to a new backend: every store (an archived one stays archived, not archived for good
     * because it was moved), every version, and every session with its attachments, field by field.
     */
    @Test
    void aWorkspaceWithItsSessionsMovesToAnotherBackend() {
        Memories m = richStore();
        MemoryStore other = ws.stores().create(NewStore.named("Reference").description("read me").build());
        ws.memories(other.id(), OPERATOR).create("/ref.md", "reference");
        Session both = ws.sessions().create(List.of(AttachmentSpec.readWrite(m.storeId()),
                AttachmentSpec.readOnly(other.id()).withInstructions("look, do not touch")));
        MemoryStore archived = ws.stores().archive(other.id());
        clock.advance(Duration.ofMinutes(5));

        AgentMemory target = open(Limits.defaults());
        Workspace to = target.workspace(WORKSPACE);
        for (MemoryStore s : allStores(ws, StoreQuery.builder().includeArchived(true).build())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ws.stores().exportStore(s.id(), out);
            to.stores().importStore(new ByteArrayInputStream(out.toByteArray()));
        }
        ByteArrayOutputStream sessions = new ByteArrayOutputStream();
        List<long[]> progress = new ArrayList<>();
        long written = ws.sessions().exportAll(sessions, (phase, done, total) -> progress.add(new long[] {done}));
        assertThat(written).isEqualTo(2); // richStore's own session and 'both'
        assertThat(progress).isNotEmpty();
        assertThat(to.sessions().importAll(new ByteArrayInputStream(sessions.toByteArray()), ProgressListener.NONE))
                .isEqualTo(2);

        assertThat(snapshotOf(to)).isEqualTo(snapshotOf(ws));
        assertThat(to.stores().get(other.id())).isEqualTo(archived);
        assertThat(to.sessions().get(both.id()).info()).isEqualTo(ws.sessions().get(both.id()).info());
        assertThat(target.workspaces()).containsExactly(ws.id());
        assertThat(memory.workspaces()).contains(ws.id());

        // run again (an interrupted migration): identical sessions are skipped; other content is a conflict
        assertThat(to.sessions().importAll(new ByteArrayInputStream(sessions.toByteArray()), ProgressListener.NONE))
                .isZero();
        String changed = sessions.toString(StandardCharsets.UTF_8).replace("look, do not touch", "changed");
        rejects(ConflictException.class, () -> to.sessions().importAll(
                new ByteArrayInputStream(changed.getBytes(StandardCharsets.UTF_8)), ProgressListener.NONE));
        // another workspace's sessions are refused, and a malformed line imports nothing
        rejects(InvalidArgumentException.class, () -> target.workspace("elsewhere").sessions().importAll(
                new ByteArrayInputStream(sessions.toByteArray()), ProgressListener.NONE));
        String broken = "{\"type\":\"session\",\"id\":\"sesn_x\"}\n";
        rejects(InvalidArgumentException.class, () -> target.workspace("fresh").sessions().importAll(
                new ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8)), ProgressListener.NONE));
        assertThat(target.workspaces()).containsExactly(ws.id());
    }

    /** Everything a workspace holds, as values: stores with memories and versions (content included). */
    private static List<Object> snapshotOf(Workspace w) {
        List<Object> out = new ArrayList<>();
        for (MemoryStore s : allStores(w, StoreQuery.builder().includeArchived(true).build())) {
            Memories m = w.memories(s.id(), OPERATOR);
            out.add(inWorkspace(s, w));
            out.add(allMemories(m));
            out.add(allVersions(m, VersionQuery.builder().includeContent(true)));
        }
        return out;
    }

    @Test
    void archivedStoreRoundTripsArchived() {
        Memories m = richStore();
        MemoryStore archived = ws.stores().archive(m.storeId());
        Workspace target = emptyTarget();
        importInto(target, export(ws, m.storeId()));
        assertThat(target.stores().get(m.storeId())).isEqualTo(inWorkspace(archived, target));
        rejects(ArchivedException.class, () -> target.memories(m.storeId(), OPERATOR).create("/x.md", "x"));
    }

    @Test
    void importOfAnExistingStoreIsAConflict() {
        Memories m = richStore();
        String text = export(ws, m.storeId());
        rejects(ConflictException.class, () -> importInto(otherWs, text));
        rejects(ConflictException.class, () -> importInto(ws, text));
    }

    /**
     * Another service (another process on the same database) deletes a store and imports it again, with the same id,
     * and writes on until the store's sequence is at least the one this service's last commit there left. This
     * service still remembers the store as its own last commit left it; a write of this service must be decided on
     * the store as it is now, never on the earlier incarnation it remembers.
     */
    @Test
    void aWriteNeverAppliesOnAnEarlierIncarnationOfItsStore() {
        // not closed by the test: closing it would close the backend it shares with memory, which closes it
        Workspace second = AgentMemory.builder().backend(backend).clock(clock).build().workspace(WORKSPACE);
        MemoryStore s = newStore("Shared");
        Memories mine = ws.memories(s.id(), OPERATOR);
        Memory a = mine.create("/a.md", "one");
        String exported = export(ws, s.id());
        for (int i = 2; i <= 6; i++) {
            mine.update(a.id(), MemoryUpdate.content("v" + i));
        }
        long myLast = mine.revision();

        assertThat(second.stores().delete(s.id())).isNotNull();
        importInto(second, exported);
        Memories theirs = second.memories(s.id(), OPERATOR);
        theirs.delete(a.id());
        Memory pad = null;
        while (theirs.revision() < myLast) { // one commit a turn, so that it stops exactly at myLast if it can
            if (pad == null) {
                pad = theirs.create("/pad.md", "x");
            } else {
                theirs.delete(pad.id());
                pad = null;
            }
        }

        // a rename (not a content update, which a database may also check against the memory's head in its commit)
        rejects(NotFoundException.class, () -> mine.update(a.id(), MemoryUpdate.path("/stale.md")));
        assertThat(theirs.findByPath("/a.md")).isEmpty();
        Memory b = mine.create("/b.md", "after");
        assertThat(theirs.getByPath("/b.md").id()).isEqualTo(b.id());
        assertThat(ws.stores().verify(s.id()).broken()).as("the chain links onto the store's own head").isEmpty();
    }

    @Test
    void malformedImportChangesNothing() {
        Memories m = richStore();
        String text = export(ws, m.storeId());
        Workspace target = emptyTarget();
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n")));

        assertThat(rejects(InvalidArgumentException.class, () -> importInto(target, "")).rule())
                .isEqualTo("import.empty");
        assertThat(rejects(InvalidArgumentException.class, () -> importInto(target, "not json\n")).rule())
                .isEqualTo("import.line");
        assertThat(rejects(InvalidArgumentException.class, () -> importInto(target, lines.get(1) + "\n")).rule())
                .as("a memory line first").isEqualTo("import.line");

        // the last line is broken after the store and every memory were read
        String truncated = text.substring(0, text.length() - 20);
        assertThat(rejects(InvalidArgumentException.class, () -> importInto(target, truncated)).rule())
                .isEqualTo("import.line");

        // content that no longer matches its SHA-256
        List<String> tampered = new ArrayList<>(lines);
        int memoryLine = lines.indexOf(lines.stream()
                .filter(l -> l.contains("\"type\":\"memory\"") && l.contains("second draft")).findFirst()
                .orElseThrow());
        tampered.set(memoryLine, tampered.get(memoryLine).replace("\"content\":\"second draft\"",
                "\"content\":\"forged draft\""));
        assertThat(tampered.get(memoryLine)).contains("forged draft");
        assertThat(rejects(InvalidArgumentException.class,
                () -> importInto(target, String.join("\n", tampered) + "\n")).rule()).isEqualTo("import.line");

        // a memory whose head version is missing
        List<String> headless = new ArrayList<>(lines);
        String headId = m.getByPath("/notes/a.md").headVersionId().value();
        headless.removeIf(l -> l.contains("\"type\":\"memory_version\"") && l.contains("\"id\":\"" + headId + "\""));
        assertThat(headless).hasSize(lines.size() - 1);
        assertThat(rejects(InvalidArgumentException.class,
                () -> importInto(target, String.join("\n", headless) + "\n")).rule()).isEqualTo("import.head");

        // bytes that are not UTF-8
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] needle = "second draft".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, needle);
        assertThat(at).isPositive();
        bytes[at] = (byte) 0xFF;
        assertThat(rejects(InvalidArgumentException.class, () -> importInto(target, bytes)).rule())
                .startsWith("import.");

        rejects(NotFoundException.class, () -> target.stores().get(m.storeId()));
        assertThat(importInto(target, text).versions()).as("the intact file still imports")
                .isEqualTo(allVersions(m, VersionQuery.builder()).size());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
