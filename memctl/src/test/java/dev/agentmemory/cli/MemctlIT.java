package dev.agentmemory.cli;

import static dev.agentmemory.cli.MemctlProcess.snapshot;
import static dev.agentmemory.cli.MemctlProcess.withDb;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.cli.MemctlProcess.Result;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.VersionQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code java -jar memctl.jar} for every command and each of its failures, and checks what it printed, its exit
 * code, and the SQLite file afterwards through the library.
 */
class MemctlIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Actor ALICE = Actor.user("alice");
    private static final Actor SETUP = Actor.user("setup");

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("memory.db");
    }

    /** memctl opens only existing databases: each test starts with an empty agent-memory database. */
    @BeforeEach
    void createDatabase() {
        withDb(db(), ws -> null);
    }

    private Result memctl(String... args) {
        return memctlIn("", args);
    }

    private Result memctlIn(String stdin, String... args) {
        return memctlBytes(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    private Result memctlBytes(byte[] stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db().toString(), "--actor", "user:alice"));
        all.addAll(Arrays.asList(args));
        return MemctlProcess.run(dir, Map.of(), stdin, all);
    }

    private StoreId newStore(String name) {
        return withDb(db(), ws -> ws.stores().create(NewStore.named(name).build()).id());
    }

    private Memory put(StoreId store, String path, String content) {
        return withDb(db(), ws -> {
            Memories m = ws.memories(store, SETUP);
            return m.findByPath(path).map(old -> m.update(old.id(), MemoryUpdate.content(content)))
                    .orElseGet(() -> m.create(path, content));
        });
    }

    private List<MemoryVersion> versions(StoreId store, MemoryId memory) {
        return withDb(db(), ws -> ws.memories(store, SETUP)
                .versions(VersionQuery.ofMemory(memory).limit(100).includeContent(true).build()).items());
    }

    private String state() {
        return withDb(db(), MemctlProcess::snapshot);
    }

    // ---------------------------------------------------------------- help, version, usage

    @Test
    void helpListsEveryCommandAndVersionIsTheProjects() {
        Result help = memctl("--help").assertOk();
        assertThat(help.out()).contains("Usage: memctl", "Exit codes:");
        for (String cmd : List.of("stores", "ls", "cat", "write", "mv", "rm", "log", "diff", "revert", "redact",
                "export", "import", "purge", "verify", "checkpoint", "checkout", "sync", "mount")) {
            assertThat(help.out()).containsPattern("(?m)^  " + cmd + " ");
        }
        assertThat(memctl("write", "--help").assertOk().out()).contains("Usage: memctl write", "--if-sha", "--db");
        assertThat(memctl("--version").assertOk().out().strip())
                .isEqualTo("memctl " + System.getProperty("project.version") + " (agent-memory)");

        memctl("frobnicate").assertFails(2, "Unmatched argument");
        // memctl.jar has no memory-fuse (it needs Java 22+): mount says where to find it and changes nothing.
        StoreId notes = newStore("Notes");
        String session = withDb(db(), ws -> ws.sessions().create(List.of(
                dev.agentmemory.model.AttachmentSpec.readWrite(notes))).id().value());
        String before = state();
        memctl("mount", session, dir.resolve("mnt").toString()).assertFails(13, "memctl-fuse.jar");
        assertThat(state()).isEqualTo(before);
        assertThat(dir.resolve("mnt")).doesNotExist();
        memctl("ls").assertFails(2, "see 'memctl ls --help'");
        memctl("--actor", "session:sesn_abc", "stores", "list").assertFails(2, "not to a session");
    }

    // ---------------------------------------------------------------- stores

    @Test
    void storesCreateListArchiveDelete() throws IOException {
        Result created = memctl("--json", "stores", "create", "Project notes", "-d", "What we learned",
                "-m", "team=core").assertOk();
        JsonNode store = JSON.readTree(created.out());
        StoreId id = StoreId.of(store.get("id").asText());
        assertThat(store.get("name").asText()).isEqualTo("Project notes");
        MemoryStore stored = withDb(db(), ws -> ws.stores().get(id));
        assertThat(stored.description()).isEqualTo("What we learned");
        assertThat(stored.metadata()).containsEntry("team", "core");

        assertThat(memctl("stores", "list").assertOk().out()).contains(id.value(), "Project notes", "ARCHIVED");

        assertThat(memctl("stores", "archive", "Project notes").assertOk().out()).contains("archived " + id);
        assertThat(withDb(db(), ws -> ws.stores().get(id)).isArchived()).isTrue();
        assertThat(memctl("stores", "list").assertOk().out()).doesNotContain(id.value());
        JsonNode listed = JSON.readTree(memctl("--json", "stores", "list", "--archived").assertOk().out());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("archived_at").isNull()).isFalse();

        String before = state();
        memctl("stores", "delete", id.value()).assertFails(2, "add --yes");
        assertThat(state()).isEqualTo(before);

        assertThat(memctl("stores", "delete", id.value(), "--yes").assertOk().out()).contains("deleted " + id);
        List<MemoryStore> left = withDb(db(), ws -> ws.stores()
                .list(StoreQuery.builder().includeArchived(true).build()).items());
        assertThat(left).isEmpty();
    }

    @Test
    void storeFailures_unknownAmbiguousAndBadInput_changeNothing() throws IOException {
        StoreId a = newStore("dup");
        StoreId b = newStore("dup");
        String before = state();

        memctl("ls", "dup").assertFails(10, "ambiguous").assertFails(10, a.value()).assertFails(10, b.value());
        memctl("ls", "nope").assertFails(3, "no store named 'nope'");
        memctl("ls", "memstore_000000000000000000000000000").assertFails(3, "");
        memctl("stores", "create", "bad\u0001name").assertFails(6, "");
        memctl("stores", "create", "x".repeat(300)).assertFails(7, "");
        Result json = memctl("--json", "ls", "nope");
        assertThat(json.exit()).isEqualTo(3);
        JsonNode error = JSON.readTree(json.err()).get("error");
        assertThat(error.get("exit_code").asInt()).isEqualTo(3);
        assertThat(error.get("type").asText()).isEqualTo("not_found_error");
        assertThat(error.get("message").asText()).contains("nope");
        assertThat(state()).isEqualTo(before);

        // by id, an ambiguous name is no obstacle
        memctl("ls", a.value()).assertOk();
    }

    // ---------------------------------------------------------------- write, cat, ls

    @Test
    void writeCreatesThenUpdatesWithAndWithoutPrecondition() throws IOException {
        StoreId s = newStore("notes");
        Result created = memctlIn("first\n", "write", "notes", "/a.md").assertOk();
        assertThat(created.out()).startsWith("created /a.md mem_");
        Memory a = withDb(db(), ws -> ws.memories(s, SETUP).getByPath("/a.md"));
        assertThat(a.text()).isEqualTo("first\n");

        JsonNode updated = JSON.readTree(memctlIn("second\n", "--json", "write", "notes", "/a.md", "--if-sha",
                a.contentSha256()).assertOk().out());
        assertThat(updated.get("result").asText()).isEqualTo("updated");
        assertThat(updated.get("id").asText()).isEqualTo(a.id().value());

        assertThat(memctlIn("second\n", "write", "notes", a.id().value()).assertOk().out()).startsWith("unchanged");

        List<MemoryVersion> vs = versions(s, a.id());
        assertThat(vs).extracting(MemoryVersion::operation).containsExactly(Operation.MODIFIED, Operation.CREATED);
        assertThat(vs).extracting(MemoryVersion::createdBy).containsOnly(ALICE);
        assertThat(vs.get(0).content()).contains("second\n");
    }

    /**
     * Four processes increment a counter with {@code memctl write --if-sha}: each round every writer reads the counter
     * ({@code cat --json}), waits until all have read, then writes the successor with the SHA-256 it read. All four
     * ask for the same new content from the same state: one write makes the version, and the three others find it
     * already stored. Each of them must print {@code unchanged}, naming the winner's version and author, never
     * {@code updated}: the acknowledged updates equal the versions in the store.
     */
    @Test
    void racingConditionalWritersAreToldWhetherTheyMadeTheVersion() throws Exception {
        StoreId s = newStore("notes");
        Memory counter = put(s, "/counter", "0");
        int writers = 4;
        int rounds = 3;
        java.util.concurrent.CyclicBarrier readAll = new java.util.concurrent.CyclicBarrier(writers);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        List<java.util.concurrent.Future<List<String>>> outputs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String actor = "user:w" + w;
            outputs.add(pool.submit(() -> {
                List<String> lines = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    List<String> base = List.of("--db", db().toString(), "--actor", actor);
                    List<String> cat = new ArrayList<>(base);
                    cat.addAll(List.of("--json", "cat", "notes", "/counter"));
                    JsonNode read = JSON.readTree(MemctlProcess.run(dir, Map.of(), new byte[0], cat).assertOk().out());
                    readAll.await(2, java.util.concurrent.TimeUnit.MINUTES);
                    String next = String.valueOf(Integer.parseInt(read.get("content").asText()) + 1);
                    List<String> write = new ArrayList<>(base);
                    write.addAll(List.of("write", "notes", "/counter", "--if-sha",
                            read.get("content_sha256").asText()));
                    lines.add(actor + " " + MemctlProcess.run(dir, Map.of(), next.getBytes(StandardCharsets.UTF_8),
                            write).assertOk().out().strip());
                    readAll.await(2, java.util.concurrent.TimeUnit.MINUTES); // the next round reads after all wrote
                }
                return lines;
            }));
        }
        List<String> lines = new ArrayList<>();
        try {
            for (java.util.concurrent.Future<List<String>> f : outputs) {
                lines.addAll(f.get(10, java.util.concurrent.TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        List<MemoryVersion> vs = versions(s, counter.id());
        long updated = lines.stream().filter(l -> l.split(" ")[1].equals("updated")).count();
        assertThat(vs).as("the create plus one version per round").hasSize(rounds + 1);
        assertThat(updated).as("acknowledged updates in %s", lines).isEqualTo(vs.size() - 1).isEqualTo(rounds);
        assertThat(lines).filteredOn(l -> l.split(" ")[1].equals("unchanged")).hasSize(rounds * (writers - 1))
                .allSatisfy(l -> {
                    String version = l.split(" ")[5];
                    MemoryVersion winner = vs.stream().filter(v -> v.id().value().equals(version)).findFirst()
                            .orElseThrow(() -> new AssertionError("no version " + version + ": " + l));
                    assertThat(l).endsWith("(no new version: written by "
                            + winner.createdBy().type().wireName().replace("_actor", "") + ":"
                            + winner.createdBy().id() + ")");
                    assertThat(l).doesNotStartWith("user:" + winner.createdBy().id() + " ");
                });
        assertThat(withDb(db(), ws -> ws.memories(s, SETUP).get(counter.id())).text())
                .isEqualTo(String.valueOf(rounds));
    }

    @Test
    void writeFailures_changeNothing() {
        StoreId s = newStore("notes");
        Memory a = put(s, "/a.md", "v1");
        withDb(db(), ws -> ws.stores().create(NewStore.named("tiny").contentLimitBytes(4).build()));
        StoreId old = newStore("old");
        withDb(db(), ws -> ws.stores().archive(old));
        String before = state();

        memctlIn("v2", "write", "notes", "/a.md", "--if-sha", "0".repeat(64))
                .assertFails(5, a.contentSha256());
        memctlIn("v2", "write", "notes", "/missing.md", "--if-sha", a.contentSha256()).assertFails(3, "--if-sha");
        memctlIn("x", "write", "notes", "relative.md").assertFails(6, "");
        memctlIn("x", "write", "notes", "/a/../b.md").assertFails(6, "");
        memctlBytes(new byte[] {(byte) 0xC3, (byte) 0x28}, "write", "notes", "/bin.md").assertFails(6, "UTF-8");
        memctlIn("too long", "write", "tiny", "/t.md").assertFails(7, "content");
        memctlIn("x", "write", "old", "/t.md").assertFails(8, "");
        memctlIn("x", "write", "notes", "/a.md/child.md").assertFails(4, "/a.md");

        assertThat(state()).isEqualTo(before);
    }

    @Test
    void lsAndCat() throws IOException {
        StoreId s = newStore("notes");
        Memory a = put(s, "/a.md", "alpha");
        put(s, "/dir/b.md", "beta\n");
        put(s, "/dir/sub/c.md", "gamma");
        Memory a2 = put(s, "/a.md", "alpha 2");

        String table = memctl("ls", "notes").assertOk().out();
        assertThat(table.lines().toList()).hasSize(4);
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("PATH");
        assertThat(table).contains("/a.md", "/dir/b.md", "/dir/sub/c.md", a.id().value());

        JsonNode shallow = JSON.readTree(memctl("--json", "ls", "notes", "/dir", "--depth", "1").assertOk().out());
        assertThat(shallow).hasSize(2);
        assertThat(shallow.get(0).get("path").asText()).isEqualTo("/dir/b.md");
        assertThat(shallow.get(0).get("content_size_bytes").asLong()).isEqualTo(5);
        assertThat(shallow.get(1).get("type").asText()).isEqualTo("memory_prefix");
        assertThat(shallow.get(1).get("path").asText()).isEqualTo("/dir/sub/");

        assertThat(memctl("cat", "notes", "/dir/b.md").assertOk().out()).isEqualTo("beta\n");
        assertThat(memctl("cat", "notes", a.id().value()).assertOk().out()).isEqualTo("alpha 2");
        assertThat(memctl("cat", "notes", "/a.md", "--version", a.headVersionId().value()).assertOk().out())
                .isEqualTo("alpha");
        JsonNode json = JSON.readTree(memctl("--json", "cat", "notes", "/a.md").assertOk().out());
        assertThat(json.get("content").asText()).isEqualTo("alpha 2");
        assertThat(json.get("memory_version_id").asText()).isEqualTo(a2.headVersionId().value());

        String before = state();
        memctl("cat", "notes", "/nope.md").assertFails(3, "");
        memctl("cat", "notes", "/dir/b.md", "--version", a.headVersionId().value()).assertFails(3, "belongs to");
        memctl("cat", "notes", "no-slash").assertFails(6, "");
        memctl("ls", "notes", "/nothing/").assertOk();
        assertThat(state()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- mv, rm

    @Test
    void mvRenamesAndMovesDirectories_rmDeletes() {
        StoreId s = newStore("notes");
        Memory a = put(s, "/a.md", "alpha");
        Memory b = put(s, "/dir/b.md", "beta");
        Memory c = put(s, "/dir/c.md", "gamma");

        assertThat(memctl("mv", "notes", "/a.md", "/renamed.md").assertOk().out()).contains("renamed /a.md");
        assertThat(memctl("mv", "notes", "/dir/", "/moved/").assertOk().out()).contains("moved 2 memories");
        withDb(db(), ws -> {
            Memories m = ws.memories(s, SETUP);
            assertThat(m.getByPath("/renamed.md").id()).isEqualTo(a.id());
            assertThat(m.getByPath("/moved/b.md").id()).isEqualTo(b.id());
            assertThat(m.getByPath("/moved/c.md").id()).isEqualTo(c.id());
            assertThat(m.findByPath("/dir/b.md")).isEmpty();
            return null;
        });
        assertThat(versions(s, a.id()).get(0).createdBy()).isEqualTo(ALICE);

        String before = state();
        memctl("mv", "notes", "/renamed.md", "/moved/b.md").assertFails(4, "/moved/b.md");
        memctl("mv", "notes", "/nope/", "/x/").assertFails(3, "");
        memctl("mv", "notes", "/renamed.md", "/x.md", "--if-sha", "1".repeat(64)).assertFails(5, "");
        memctl("rm", "notes", "/renamed.md", "--if-sha", "1".repeat(64)).assertFails(5, a.contentSha256());
        memctl("rm", "notes", "/nope.md").assertFails(3, "");
        assertThat(state()).isEqualTo(before);

        assertThat(memctl("rm", "notes", "/renamed.md", "--if-sha", a.contentSha256()).assertOk().out())
                .contains("deleted /renamed.md");
        List<MemoryVersion> vs = versions(s, a.id());
        assertThat(vs.get(0).operation()).isEqualTo(Operation.DELETED);
        assertThat(vs.get(0).createdBy()).isEqualTo(ALICE);
        java.util.Optional<Memory> gone = withDb(db(), ws -> ws.memories(s, SETUP).findByPath("/renamed.md"));
        assertThat(gone).isEmpty();
    }

    // ---------------------------------------------------------------- log

    @Test
    void logFiltersByMemorySessionActorOperationAndTime() throws IOException {
        StoreId s = newStore("notes");
        Memory a = put(s, "/a.md", "one");
        put(s, "/a.md", "two");
        Memory b = put(s, "/b.md", "bee");
        String sessionId = withDb(db(), ws -> {
            Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(s)));
            session.mount(s).create("/agent.md", "by the agent");
            return session.id().value();
        });

        String all = memctl("log", "notes").assertOk().out();
        assertThat(all.lines().toList()).hasSize(5);
        assertThat(all).contains("user:setup", "session:" + sessionId);

        JsonNode ofA = JSON.readTree(memctl("--json", "log", "notes", "/a.md").assertOk().out());
        assertThat(ofA).hasSize(2);
        assertThat(ofA.get(0).get("operation").asText()).isEqualTo("modified");
        assertThat(ofA.get(0).get("memory_id").asText()).isEqualTo(a.id().value());
        assertThat(ofA.get(0).get("created_by").get("user_id").asText()).isEqualTo("setup");

        JsonNode bySession = JSON.readTree(memctl("--json", "log", "notes", "--session", sessionId).assertOk().out());
        assertThat(bySession).hasSize(1);
        assertThat(bySession.get(0).get("path").asText()).isEqualTo("/agent.md");

        JsonNode created = JSON.readTree(memctl("--json", "log", "notes", "--operation", "created", "--by",
                "user:setup").assertOk().out());
        assertThat(created).extracting(n -> n.get("path").asText()).containsExactlyInAnyOrder("/a.md", "/b.md");

        assertThat(JSON.readTree(memctl("--json", "log", "notes", "--since", "2999-01-01").assertOk().out()))
                .isEmpty();
        JsonNode untilB = JSON.readTree(memctl("--json", "log", "notes", "--until", b.createdAt().toString())
                .assertOk().out());
        assertThat(untilB).hasSize(3);
        assertThat(JSON.readTree(memctl("--json", "log", "notes", "-n", "2").assertOk().out())).hasSize(2);

        memctl("log", "notes", "--since", "yesterday").assertFails(2, "not a time");
        memctl("log", "notes", "--operation", "renamed").assertFails(2, "renamed");
        memctl("log", "notes", "/nope.md").assertFails(3, "");
    }

    // ---------------------------------------------------------------- diff, revert, redact

    @Test
    void diffShowsAUnifiedDiff() throws IOException {
        StoreId s = newStore("notes");
        Memory v1 = put(s, "/a.md", "line 1\nline 2\nline 3\n");
        Memory v2 = put(s, "/a.md", "line 1\nline two\nline 3\n");
        put(s, "/a.md", "line 1\nline two\nline 3\nline 4\n");

        String diff = memctl("diff", "notes", v1.headVersionId().value(), v2.headVersionId().value()).assertOk()
                .out();
        assertThat(diff.lines().toList()).containsExactly(
                "--- /a.md\t" + v1.headVersionId(),
                "+++ /a.md\t" + v2.headVersionId(),
                "@@ -1,3 +1,3 @@",
                " line 1",
                "-line 2",
                "+line two",
                " line 3");

        String toCurrent = memctl("diff", "notes", v2.headVersionId().value()).assertOk().out();
        assertThat(toCurrent).contains("(current)", "+line 4").doesNotContain("-line");

        assertThat(memctl("diff", "notes", v1.headVersionId().value(), v1.headVersionId().value()).assertOk().out())
                .isEmpty();
        JsonNode json = JSON.readTree(memctl("--json", "diff", "notes", v1.headVersionId().value(),
                v2.headVersionId().value()).assertOk().out());
        assertThat(json.get("identical").asBoolean()).isFalse();
        assertThat(json.get("diff").asText()).contains("+line two\n");

        withDb(db(), ws -> ws.stores().redact(s, v1.headVersionId(), SETUP));
        memctl("diff", "notes", v1.headVersionId().value(), v2.headVersionId().value()).assertFails(6, "redacted");
        memctl("diff", "notes", "memver_000000000000000000000000000").assertFails(3, "");
    }

    @Test
    void revertWritesTheOldContentBackAsAnUpdate() throws IOException {
        StoreId s = newStore("notes");
        Memory v1 = put(s, "/a.md", "good");
        put(s, "/a.md", "bad");

        JsonNode reverted = JSON.readTree(memctl("--json", "revert", "notes", v1.headVersionId().value()).assertOk()
                .out());
        assertThat(reverted.get("result").asText()).isEqualTo("reverted");
        List<MemoryVersion> vs = versions(s, v1.id());
        assertThat(vs).hasSize(3);
        assertThat(vs.get(0).operation()).isEqualTo(Operation.MODIFIED);
        assertThat(vs.get(0).content()).contains("good");
        assertThat(vs.get(0).createdBy()).isEqualTo(ALICE);

        assertThat(memctl("revert", "notes", v1.headVersionId().value()).assertOk().out()).startsWith("unchanged");
        assertThat(versions(s, v1.id())).hasSize(3);

        withDb(db(), ws -> {
            ws.memories(s, SETUP).delete(v1.id());
            return null;
        });
        MemoryVersion deletion = versions(s, v1.id()).get(0);
        String before = state();
        memctl("revert", "notes", deletion.id().value()).assertFails(6, "deletion");
        memctl("revert", "notes", v1.headVersionId().value()).assertFails(3, "");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void redactErasesAnOldVersion_notTheHead() throws IOException {
        StoreId s = newStore("notes");
        Memory v1 = put(s, "/a.md", "secret");
        Memory v2 = put(s, "/a.md", "clean");

        String before = state();
        memctl("redact", "notes", v2.headVersionId().value()).assertFails(6, "");
        memctl("redact", "notes", "memver_000000000000000000000000000").assertFails(3, "");
        memctl("redact", "notes", "not-a-version").assertFails(6, "");
        assertThat(state()).isEqualTo(before);

        JsonNode redacted = JSON.readTree(memctl("--json", "redact", "notes", v1.headVersionId().value()).assertOk()
                .out());
        assertThat(redacted.get("redacted_by").get("user_id").asText()).isEqualTo("alice");
        MemoryVersion v = withDb(db(), ws -> ws.memories(s, SETUP).version(v1.headVersionId()));
        assertThat(v.isRedacted()).isTrue();
        assertThat(v.redactedBy()).contains(ALICE);
        assertThat(v.content()).isEmpty();
        memctl("cat", "notes", "--version", v1.headVersionId().value()).assertFails(6, "redacted");
    }

    // ---------------------------------------------------------------- export, import, purge

    @Test
    void exportThenImportIntoAnotherDatabase() throws IOException {
        StoreId s = newStore("notes");
        Memory a = put(s, "/a.md", "one");
        put(s, "/a.md", "two");
        put(s, "/b.md", "bee");

        Path file = dir.resolve("notes.jsonl");
        Result exported = memctl("export", "notes", "-o", file.toString()).assertOk();
        assertThat(exported.out()).contains("2 memories, 3 versions");
        assertThat(exported.err()).as("no progress bar without a terminal").isEmpty();
        String toStdout = memctl("export", "notes").assertOk().out();
        assertThat(toStdout).isEqualTo(Files.readString(file));
        assertThat(toStdout.lines().toList()).hasSize(1 + 2 + 3 + 1); // the store, its memories, its versions, the chain head

        Path other = dir.resolve("other.db");
        Result imported = MemctlProcess.run(dir, Map.of(), new byte[0],
                List.of("--db", other.toString(), "--create", "--json", "import", file.toString())).assertOk();
        JsonNode summary = JSON.readTree(imported.out());
        assertThat(summary.get("memory_store_id").asText()).isEqualTo(s.value());
        assertThat(summary.get("versions").asLong()).isEqualTo(3);
        assertThat(withDb(other, MemctlProcess::snapshot)).isEqualTo(state());
        String copied = withDb(other, ws -> ws.memories(s, SETUP).get(a.id()).text());
        assertThat(copied).isEqualTo("two");

        // importing the same store again conflicts; malformed input is refused; neither changes anything
        String before = state();
        memctlIn(toStdout, "import").assertFails(4, s.value());
        memctlIn("{\"not\": \"an export\"}\n", "import").assertFails(6, "");
        memctl("import", dir.resolve("missing.jsonl").toString()).assertFails(9, "missing.jsonl");
        memctl("export", "nope", "-o", dir.resolve("nope.jsonl").toString()).assertFails(3, "");
        assertThat(Files.exists(dir.resolve("nope.jsonl"))).isFalse();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void exportShowsAProgressBarOnATerminal() throws IOException, InterruptedException {
        StoreId s = newStore("notes");
        for (int i = 0; i < 5; i++) {
            put(s, "/m" + i + ".md", "content " + i);
        }
        Path script = Path.of("/usr/bin/script");
        if (!Files.isExecutable(script)) {
            org.junit.jupiter.api.Assumptions.assumeFalse("true".equalsIgnoreCase(System.getenv("CI")),
                    "script(1) is missing");
            org.junit.jupiter.api.Assertions.fail("script(1) from util-linux is needed to give memctl a terminal");
        }
        Path file = dir.resolve("notes.jsonl");
        String command = String.join(" ", MemctlProcess.javaBin(), "-jar", MemctlProcess.JAR.toAbsolutePath()
                .toString(), "--db", db().toString(), "export", "notes", "-o", file.toString());
        Path typescript = dir.resolve("typescript.txt");
        Process p = new ProcessBuilder(script.toString(), "-qec", command, "/dev/null")
                .redirectOutput(typescript.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        String screen = Files.readString(typescript);
        assertThat(p.exitValue()).as(screen).isZero();
        assertThat(screen).contains("memories [", "versions [", "100% 5/5", "\r", "exported " + s);
        assertThat(Files.readString(file).lines().toList()).hasSize(1 + 5 + 5 + 1); // the store, its memories, its versions, the chain head
    }

    @Test
    void purgeRemovesOldVersionsButKeepsTheRecentOnes() throws IOException {
        StoreId s = newStore("notes");
        Memory a = put(s, "/a.md", "1");
        put(s, "/a.md", "2");
        put(s, "/a.md", "3");
        put(s, "/a.md", "4");

        JsonNode kept = JSON.readTree(memctl("--json", "purge", "notes").assertOk().out());
        assertThat(kept.get("versions_removed").asLong()).isZero();
        assertThat(versions(s, a.id())).hasSize(4);

        String out = memctl("purge", "notes", "--older-than", "0s", "--keep", "2").assertOk().out();
        assertThat(out).contains("removed 2");
        assertThat(versions(s, a.id())).extracting(v -> v.content().orElseThrow()).containsExactly("4", "3");

        memctl("purge", "notes", "--older-than", "soon").assertFails(2, "not a duration");
        withDb(db(), ws -> ws.stores().archive(s));
        String before = state();
        memctl("purge", "notes", "--older-than", "0s", "--keep", "0").assertFails(8, "");
        assertThat(state()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- global options

    @Test
    void defaultsComeFromTheEnvironment_andWorkspacesAreSeparate() throws IOException {
        Path envDb = dir.resolve("from-env.db");
        Map<String, String> env = MemctlProcess.env("AGENT_MEMORY_DB", envDb.toString(),
                "AGENT_MEMORY_WORKSPACE", "acme", "AGENT_MEMORY_ACTOR", "service_account:ci");
        String id = MemctlProcess.run(dir, env, new byte[0], List.of("--create", "stores", "create", "shared"))
                .assertOk().out().strip();
        MemctlProcess.run(dir, env, "hi".getBytes(StandardCharsets.UTF_8), List.of("write", "shared", "/x.md"))
                .assertOk();
        try (var memory = dev.agentmemory.AgentMemory.builder()
                .backend(dev.agentmemory.jdbc.JdbcBackend.sqlite(envDb)).build()) {
            Workspace acme = memory.workspace("acme");
            Memories m = acme.memories(StoreId.of(id), SETUP);
            assertThat(m.versions(VersionQuery.all()).items().get(0).createdBy())
                    .isEqualTo(Actor.serviceAccount("ci"));
            assertThat(memory.workspace("default").stores().list(StoreQuery.firstPage()).items()).isEmpty();
        }
        // another workspace does not see the store
        MemctlProcess.run(dir, env, new byte[0], List.of("-w", "other", "ls", "shared")).assertFails(3, "other");

        // without --db or $AGENT_MEMORY_DB, memctl uses ./agent-memory.db in the working directory
        MemctlProcess.run(dir, Map.of(), new byte[0], List.of("init")).assertOk();
        MemctlProcess.run(dir, Map.of(), new byte[0], List.of("stores", "create", "here")).assertOk();
        assertThat(Files.exists(dir.resolve("agent-memory.db"))).isTrue();
        // and attributes writes to the login name
        MemctlProcess.run(dir, Map.of(), "x".getBytes(StandardCharsets.UTF_8), List.of("write", "here", "/y.md"))
                .assertOk();
        MemoryStore here = withDb(dir.resolve("agent-memory.db"), ws -> ws.stores().list(StoreQuery.firstPage())
                .items().get(0));
        Actor writer = withDb(dir.resolve("agent-memory.db"), ws -> ws.memories(here.id(), SETUP)
                .versions(VersionQuery.all()).items().get(0).createdBy());
        assertThat(writer).isEqualTo(Actor.user(System.getProperty("user.name")));
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsAStorageError() throws IOException {
        Path notADb = dir.resolve("junk.db");
        Files.writeString(notADb, "this is not a SQLite database, just text that is long enough to have a header");
        MemctlProcess.run(dir, Map.of(), new byte[0], List.of("--db", notADb.toString(), "stores", "list"))
                .assertFails(9, notADb + " is damaged or is not a SQLite database");
        MemctlProcess.run(dir, Map.of(), new byte[0], List.of("--db", dir.toString(), "stores", "list"))
                .assertFails(9, "directory");
        MemctlProcess.run(dir, Map.of(), new byte[0], List.of("--db", "x.db", "--url", "jdbc:postgresql://h/db",
                "stores", "list")).assertFails(2, "not both");
        assertThat(Files.readString(notADb)).startsWith("this is not");
    }

    // ---------------------------------------------------------------- checkout, sync

    @Test
    void checkoutThenSyncBothWays() throws Exception {
        StoreId notes = newStore("notes");
        StoreId conv = newStore("conventions");
        Memory a = put(notes, "/a.md", "alpha\n");
        Memory b = put(notes, "/dir/b.md", "beta\n");
        Memory rule = put(conv, "/rules.md", "be kind\n");
        Path co = dir.resolve("co");

        JsonNode made = JSON.readTree(memctl("--json", "checkout", co.toString(), "notes", "--ro", "conventions")
                .assertOk().out());
        String sessionId = made.get("session_id").asText();
        assertThat(made.get("mounts")).extracting(m -> m.get("slug").asText() + ":" + m.get("access").asText())
                .containsExactly("notes:read_write", "conventions:read_only");
        assertThat(Files.readString(co.resolve("notes/a.md"))).isEqualTo("alpha\n");
        assertThat(Files.readString(co.resolve("notes/dir/b.md"))).isEqualTo("beta\n");
        assertThat(Files.getPosixFilePermissions(co.resolve("conventions/rules.md")))
                .doesNotContain(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        // edit with real tools, as a user would, while another writer changes the store: one sync does both
        Process shell = new ProcessBuilder("bash", "-c", "set -e; echo edited >> notes/a.md;"
                + " echo new > notes/new.md; rm notes/dir/b.md").directory(co.toFile()).inheritIO().start();
        assertThat(shell.waitFor()).isZero();
        Memory c = put(notes, "/c.md", "from elsewhere\n");
        JsonNode synced = JSON.readTree(memctl("--json", "sync", co.toString()).assertOk().out());
        assertThat(synced.get("pushed")).extracting(n -> n.get("path").asText() + ":" + n.get("operation").asText())
                .containsExactlyInAnyOrder("/a.md:modified", "/new.md:created", "/dir/b.md:deleted");
        assertThat(synced.get("pulled")).extracting(n -> n.get("path").asText() + ":" + n.get("operation").asText())
                .containsExactly("/c.md:created");
        assertThat(synced.get("clean").asBoolean()).isTrue();
        assertThat(Files.readString(co.resolve("notes/c.md"))).isEqualTo("from elsewhere\n");
        assertThat(Files.readString(co.resolve("notes/new.md"))).isEqualTo("new\n");
        assertThat(memctl("sync", co.toString()).assertOk().out()).as("a second sync finds nothing")
                .contains("pushed 0, pulled 0, 0 conflict(s), 0 refused, 0 error(s)");
        Actor session = Actor.session(dev.agentmemory.model.SessionId.of(sessionId));
        List<MemoryVersion> ofA = versions(notes, a.id());
        assertThat(ofA.get(0).content()).contains("alpha\nedited\n");
        assertThat(ofA.get(0).createdBy()).isEqualTo(session);
        assertThat(versions(notes, b.id()).get(0).operation()).isEqualTo(Operation.DELETED);
        String pushedNew = withDb(db(), ws -> ws.memories(notes, SETUP).getByPath("/new.md").text());
        assertThat(pushedNew).isEqualTo("new\n");
        assertThat(c.path()).isEqualTo("/c.md");

        // a local edit in the read-only mount is refused and undone; the store is untouched; exit code 12
        Path ruleFile = co.resolve("conventions/rules.md");
        ruleFile.toFile().setWritable(true);
        Files.writeString(ruleFile, "be rude\n");
        String before = state();
        Result refused = memctl("sync", co.toString());
        assertThat(refused.exit()).as(refused.err()).isEqualTo(12);
        assertThat(refused.out()).contains("refused", "/rules.md");
        assertThat(refused.err()).startsWith("memctl: ").contains("1 refusal(s)");
        assertThat(state()).isEqualTo(before);
        assertThat(versions(conv, rule.id())).hasSize(1);
        assertThat(Files.readString(ruleFile)).isEqualTo("be kind\n");

        // failures: a non-empty directory, an unknown store, a directory that is not a checkout
        before = state();
        memctl("checkout", co.toString(), "notes").assertFails(11, "not empty");
        memctl("checkout", dir.resolve("new").toString(), "nope").assertFails(3, "nope");
        assertThat(Files.exists(dir.resolve("new"))).isFalse();
        memctl("checkout", dir.resolve("none").toString()).assertFails(2, "at least one store");
        Files.createDirectories(dir.resolve("plain"));
        memctl("sync", dir.resolve("plain").toString()).assertFails(3, "not a checkout");
        assertThat(state()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- verifiable history

    @Test
    void verifyAndSignedCheckpointsDetectAStorageEdit() throws Exception {
        StoreId notes = newStore("Notes");
        Memory a = put(notes, "/a.md", "one");
        put(notes, "/a.md", "two");
        assertThat(memctl("verify", "Notes").assertOk().out()).startsWith("verified " + notes.value())
                .contains("2 links");
        JsonNode ok = JSON.readTree(memctl("--json", "verify", "Notes").assertOk().out());
        assertThat(ok.get("links_verified").asLong()).isEqualTo(2);
        assertThat(ok.get("head_length").asLong()).isEqualTo(2);

        Path key = dir.resolve("host.key");
        assertThat(memctl("checkpoint", "keygen", key.toString()).assertOk().out()).contains("key id");
        assertThat(dir.resolve("host.key.pub")).exists();
        memctl("checkpoint", "keygen", key.toString()).assertFails(4, "exists already");
        Path cp = dir.resolve("checkpoint.json");
        memctl("checkpoint", "sign", "Notes", "--key", key.toString(), "-o", cp.toString()).assertOk();
        JsonNode signed = JSON.readTree(Files.readString(cp));
        assertThat(signed.get("type").asText()).isEqualTo("memory_chain_checkpoint");
        assertThat(signed.get("length").asLong()).isEqualTo(2);

        put(notes, "/b.md", "three");
        memctl("verify", "Notes", "--checkpoint", cp.toString(), "--public-key", key + ".pub").assertOk();
        memctl("verify", "Notes", "--checkpoint", cp.toString()).assertFails(2, "come together");

        // a checkpoint changed after signing is refused
        Path forged = dir.resolve("forged.json");
        Files.writeString(forged, Files.readString(cp).replace("\"length\":2", "\"length\":1"));
        memctl("verify", "Notes", "--checkpoint", forged.toString(), "--public-key", key + ".pub")
                .assertFails(15, "not signed");

        // an edit of the database with sqlite3 breaks the chain at that version
        Process p = new ProcessBuilder("sqlite3", db().toString(), "UPDATE am_version SET actor_id = 'mallory'"
                + " WHERE id = '" + a.headVersionId().value() + "'").redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        memctl("verify", "Notes").assertFails(15, "broken at link 1 (version " + a.headVersionId().value()
                + "): metadata");
        Result json = memctl("--json", "verify", "Notes");
        assertThat(json.exit()).isEqualTo(15);
        JsonNode error = JSON.readTree(json.err()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("chain_broken_error");
        assertThat(error.get("message").asText()).contains(a.headVersionId().value(), "metadata");
        memctl("verify", "Notes", "--checkpoint", cp.toString(), "--public-key", key + ".pub").assertFails(15,
                "broken");
        memctl("checkpoint", "sign", "Notes", "--key", key.toString()).assertFails(15, "nothing was signed");
    }
}
