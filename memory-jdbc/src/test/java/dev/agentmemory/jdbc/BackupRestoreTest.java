package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup and restore recipes of {@code docs/operations.md}, run as written with the real tools while a writer
 * keeps writing: the {@code sqlite3} shell's {@code .backup} and {@code VACUUM INTO} on SQLite, {@code pg_dump} and
 * {@code pg_restore} on PostgreSQL. A restored copy must pass the database's integrity check and hold exactly the
 * first k writes of the writer, for some k, with nothing torn or reordered. Without the tools the test is skipped,
 * except in CI ({@code CI=true}), where it fails.
 */
class BackupRestoreTest {

    @TempDir
    Path dir;

    /** Keeps updating one memory with "1", "2", ... and reports how far it got. */
    private static final class Writer implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger written = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread;

        Writer(Memories m, Memory counter) {
            thread = new Thread(() -> {
                try {
                    for (int n = 1; !stop.get(); n++) {
                        m.update(counter.id(), MemoryUpdate.content(Integer.toString(n)));
                        written.set(n);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "backup-test-writer");
            thread.start();
        }

        void awaitAtLeast(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (written.get() < n && failure.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(written.get()).as("writes before the backup").isGreaterThanOrEqualTo(n);
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while the writer stopped", e);
            }
            assertThat(failure.get()).as("the writer's failure").isNull();
        }
    }

    /** The restored store holds the counter's versions "0", "1", ..., "k" in order, its head is "k", and k >= min. */
    private static int assertPrefix(AgentMemory restored, MemoryStore store, Memory counter, int min) {
        Memories m = restored.workspace("default").memories(store.id(), Actor.user("checker"));
        Memory head = m.get(counter.id());
        int k = Integer.parseInt(head.text().equals("start") ? "0" : head.text());
        List<String> contents = new ArrayList<>();
        VersionQuery q = VersionQuery.builder().memoryId(counter.id()).includeContent(true).limit(100).build();
        while (true) {
            var page = m.versions(q);
            page.items().forEach(v -> contents.add(v.content().orElseThrow()));
            if (page.nextCursor().isEmpty()) {
                break;
            }
            q = q.page(page.nextCursor().get());
        }
        Collections.reverse(contents);
        List<String> expected = new ArrayList<>(List.of("start"));
        for (int i = 1; i <= k; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(contents).isEqualTo(expected);
        assertThat(k).isGreaterThanOrEqualTo(min);
        return k;
    }

    private static void run(Path workDir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + out);
        }
    }

    private static String requireTool(Supplier<String> find, String what) {
        String tool = find.get();
        if (tool == null) {
            String why = what + " is not installed";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the backup recipe cannot be tested in CI: " + why);
            }
            Assumptions.abort(why);
        }
        return tool;
    }

    private static String onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        return null;
    }

    @Test
    void sqliteOnlineBackupDuringWritesRestoresAConsistentPrefix() throws Exception {
        String sqlite3 = requireTool(() -> onPath("sqlite3"), "the sqlite3 shell (Debian package sqlite3)");
        Path db = dir.resolve("agent-memory.db");
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(db)).build()) {
            MemoryStore store = memory.workspace("default").stores().create(NewStore.named("notes").build());
            Memories m = memory.workspace("default").memories(store.id(), Actor.user("writer"));
            Memory counter = m.create("/counter.md", "start");
            int before;
            try (Writer w = new Writer(m, counter)) {
                w.awaitAtLeast(20);
                // the recipes, as docs/operations.md gives them
                run(dir, sqlite3, db.toString(), ".backup '" + dir.resolve("backup.db") + "'");
                w.awaitAtLeast(w.written.get() + 5);
                run(dir, sqlite3, db.toString(), "VACUUM INTO '" + dir.resolve("vacuumed.db") + "'");
                before = w.written.get();
                w.awaitAtLeast(before + 5);
            }
            assertThat(Files.exists(dir.resolve("backup.db-amseq"))).as("the side file is not part of a backup")
                    .isFalse();
            for (String copy : List.of("backup.db", "vacuumed.db")) {
                // restore: into place with no process running (here: a new directory), then open it
                Path restoredDir = Files.createDirectories(dir.resolve("restored-" + copy));
                Path restored = restoredDir.resolve("agent-memory.db");
                Files.copy(dir.resolve(copy), restored);
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + restored);
                        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("ok");
                }
                try (AgentMemory back = AgentMemory.builder()
                        .backend(JdbcBackend.sqlite(restored, OpenMode.EXISTING)).build()) {
                    int k = assertPrefix(back, store, counter, 20);
                    assertThat(k).isLessThanOrEqualTo(before + 5);
                    // the restored copy is a working database: it takes writes
                    back.workspace("default").memories(store.id(), Actor.user("after")).create("/new.md", "x");
                }
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + restored);
                        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("wal");
                }
            }
        }
    }

    @Test
    void postgresDumpDuringWritesRestoresAConsistentPrefix() throws Exception {
        String serverUrl = PostgresFixture.requireServer();
        String bin = requireTool(BackupRestoreTest::postgresBin, "pg_dump and pg_restore (PostgreSQL server package)");
        URI uri = URI.create(serverUrl.substring("jdbc:".length()));
        String host = uri.getHost();
        String port = Integer.toString(uri.getPort());
        String schema = "am_backup_" + ProcessHandle.current().pid();
        String restoredDb = "am_restored_" + ProcessHandle.current().pid();
        String url = serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
            s.execute("DROP DATABASE IF EXISTS " + restoredDb);
        }
        Path dump = dir.resolve("agent-memory.dump");
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.postgres(url, null, null)).build()) {
            MemoryStore store = memory.workspace("default").stores().create(NewStore.named("notes").build());
            Memories m = memory.workspace("default").memories(store.id(), Actor.user("writer"));
            Memory counter = m.create("/counter.md", "start");
            int before;
            try (Writer w = new Writer(m, counter)) {
                w.awaitAtLeast(20);
                run(dir, bin + "/pg_dump", "-h", host, "-p", port, "-U", "postgres", "-d", "postgres",
                        "--schema=" + schema, "-Fc", "-f", dump.toString());
                before = w.written.get();
                w.awaitAtLeast(before + 5);
            }
            run(dir, bin + "/createdb", "-h", host, "-p", port, "-U", "postgres", restoredDb);
            run(dir, bin + "/pg_restore", "-h", host, "-p", port, "-U", "postgres", "-d", restoredDb,
                    "--exit-on-error", dump.toString());
            String restoredUrl = serverUrl.replace("/postgres?", "/" + restoredDb + "?")
                    + "&currentSchema=" + schema;
            try (AgentMemory back = AgentMemory.builder()
                    .backend(JdbcBackend.postgres(restoredUrl, null, null, OpenMode.EXISTING)).build()) {
                int k = assertPrefix(back, store, counter, 20);
                assertThat(k).isLessThanOrEqualTo(before);
                back.workspace("default").memories(store.id(), Actor.user("after")).create("/new.md", "x");
                List<MemoryVersion> all = back.workspace("default").memories(store.id(), Actor.user("r"))
                        .versions(VersionQuery.builder().limit(100).build()).items();
                assertThat(all).isNotEmpty();
            }
        } finally {
            try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                s.execute("DROP DATABASE IF EXISTS " + restoredDb);
            }
        }
    }

    /** The folder of the installed PostgreSQL client binaries, matched to the server's major version if several. */
    private static String postgresBin() {
        try (var dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
            return dirs.map(d -> d.resolve("bin")).filter(d -> Files.isExecutable(d.resolve("pg_dump")))
                    .map(Path::toString).sorted(Collections.reverseOrder()).findFirst().orElse(null);
        } catch (IOException e) {
            return onPath("pg_dump") == null ? null : Path.of(onPath("pg_dump")).getParent().toString();
        }
    }
}
