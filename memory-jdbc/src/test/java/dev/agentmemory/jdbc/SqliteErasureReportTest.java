package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.RedactionReport;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Erasure on SQLite says what it did. With a real {@code sqlite3} process holding a read transaction open, a redaction
 * or store deletion returns promptly: the content is unreachable through the API at once, the report says its bytes
 * are still in the files (and they are), and once the reader ends the backend finishes by itself and the files are
 * clean. Ordinary writes no longer zero what they free, so their stale copies of content sit in free space; erasure
 * reaches those too. Each test checks its markers are in the files first, so it can fail.
 */
class SqliteErasureReportTest {

    private static final Actor ADMIN = Actor.user("erasure-admin");
    private static final Duration LONG = Duration.ofSeconds(60);

    private SqliteFixture fixture;
    private Path file;

    @BeforeEach
    void setUp() {
        fixture = new SqliteFixture();
        file = fixture.nextFile();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private List<Path> databaseFiles(Path db) {
        String name = db.getFileName().toString();
        try (Stream<Path> s = Files.list(db.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith(name)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> found(String marker) {
        return Erasure.findings(databaseFiles(file), marker);
    }

    @Test
    void redactionUnderAnOpenSqlite3ReaderIsReportedPendingAndFinishesWhenTheReaderEnds() {
        String marker = Erasure.marker();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (AgentMemory memory = AgentMemory.builder()
                .backend(JdbcBackend.builder().dataSource(JdbcBackend.sqliteDataSource(file))
                        .dialect(Dialect.SQLITE).closeDataSource(true).clock(clock).build())
                .build()) {
            Workspace ws = memory.workspace("ws_erasure");
            MemoryStore store = ws.stores().create(NewStore.named("erasure").build());
            Memories m = ws.memories(store.id(), Actor.user("writer"));
            Memory secret = m.create("/secret.md", "token " + marker + " " + Erasure.randomHex(5_000));
            m.update(secret.id(), MemoryUpdate.content("clean"));
            assertThat(found(marker)).as("control: the marker is on disk").isNotEmpty();

            RedactionReport report;
            try (Sqlite3Reader reader = Sqlite3Reader.open(file)) {
                long start = System.nanoTime();
                report = ws.stores().redact(store.id(), secret.headVersionId(), ADMIN);
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                // What the report says is true: unreachable at once, bytes still on disk while the reader reads.
                assertThat(took).as("the caller is not held up for long").isLessThan(Duration.ofSeconds(20));
                assertThat(report.version().isRedacted()).isTrue();
                assertThat(report.erasure().state()).isEqualTo(ErasureStatus.State.PENDING);
                assertThat(report.erasure().detail()).contains("older snapshot");
                assertThat(report.erasure().pendingSince()).contains(clock.instant());
                assertThat(m.version(secret.headVersionId()).content()).isEmpty();
                assertThat(m.versions(VersionQuery.ofMemory(secret.id()).includeContent(true).build()).items())
                        .noneMatch(v -> v.content().orElse("").contains(marker));
                assertThat(found(marker)).as("the bytes are still there, as reported").isNotEmpty();

                // Writers are not held up by the pending erasure.
                Memory other = m.create("/other.md", "written while the erasure waits");
                assertThat(m.update(other.id(), MemoryUpdate.content("and again")).text()).isEqualTo("and again");
                assertThat(ws.stores().erasureStatus().state()).isEqualTo(ErasureStatus.State.PENDING);
            }
            ErasureStatus after = ws.stores().awaitErasure(LONG);
            assertThat(after.state()).as(after.detail()).isEqualTo(ErasureStatus.State.DONE);
            assertThat(after.detail()).contains("write-ahead log");
            assertThat(found(marker)).as("after the reader ended, backend open").isEmpty();
            assertThat(m.getByPath("/other.md").text()).isEqualTo("and again");
        }
        assertThat(found(marker)).as("after close").isEmpty();
    }

    @Test
    void storeDeletionUnderAnOpenReaderFinishesWhenTheReaderEnds() {
        String marker = Erasure.marker();
        String kept = Erasure.marker();
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build()) {
            StoreAdmin stores = memory.workspace("ws_erasure").stores();
            MemoryStore doomed = stores.create(NewStore.named("doomed").build());
            MemoryStore other = stores.create(NewStore.named("other").build());
            memory.workspace("ws_erasure").memories(doomed.id(), Actor.user("w")).create("/a.md", "x " + marker);
            memory.workspace("ws_erasure").memories(other.id(), Actor.user("w")).create("/k.md", "k " + kept);
            assertThat(found(marker)).as("control").isNotEmpty();
            ErasureStatus deleted;
            try (Sqlite3Reader reader = Sqlite3Reader.open(file)) {
                deleted = stores.delete(doomed.id());
                assertThat(deleted.state()).isEqualTo(ErasureStatus.State.PENDING);
                assertThat(found(marker)).isNotEmpty();
            }
            assertThat(stores.awaitErasure(LONG).isDone()).isTrue();
            assertThat(found(marker)).as("after the reader ended").isEmpty();
            assertThat(found(kept)).as("the other store's content stays").isNotEmpty();
        }
    }

    @Test
    void anErasureLeftPendingAtCloseIsRecordedInTheDatabaseAndFinishedByTheNextBackend() {
        String marker = Erasure.marker();
        try (Sqlite3Reader reader = Sqlite3Reader.open(prepared(marker))) {
            try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build()) {
                Workspace ws = memory.workspace("ws_erasure");
                MemoryStore store = ws.stores().list(dev.agentmemory.model.StoreQuery.firstPage()).items().get(0);
                Memories m = ws.memories(store.id(), ADMIN);
                Memory secret = m.getByPath("/secret.md");
                MemoryVersion old = m.versions(VersionQuery.ofMemory(secret.id()).build()).items().get(1);
                assertThat(ws.stores().redact(store.id(), old.id(), ADMIN).erasure().isDone()).isFalse();
            }
            // A new backend (another process, later) learns from the database that the erasure is unfinished.
            try (JdbcBackend backend = JdbcBackend.sqlite(file, OpenMode.EXISTING)) {
                assertThat(backend.erasureStatus().state()).isEqualTo(ErasureStatus.State.PENDING);
                assertThat(found(marker)).as("control: still on disk").isNotEmpty();
                reader.close();
                ErasureStatus status = backend.awaitErasure(LONG);
                assertThat(status.state()).as(status.detail()).isEqualTo(ErasureStatus.State.DONE);
                assertThat(found(marker)).as("finished by the next backend").isEmpty();
            }
        }
        try (JdbcBackend backend = JdbcBackend.sqlite(file, OpenMode.EXISTING)) {
            assertThat(backend.erasureStatus().state()).as("recorded as done").isEqualTo(ErasureStatus.State.DONE);
        }
    }

    /** A database with one memory whose first version holds the marker; returns its file. */
    private Path prepared(String marker) {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            MemoryStore store = ws.stores().create(NewStore.named("erasure").build());
            Memories m = ws.memories(store.id(), ADMIN);
            Memory secret = m.create("/secret.md", "token " + marker);
            m.update(secret.id(), MemoryUpdate.content("clean"));
        }
        return file;
    }

    @Test
    void staleCopiesLeftInFreeSpaceByOrdinaryUpdatesAreErasedToo() throws Exception {
        String marker = Erasure.marker();
        Memory secret;
        MemoryStore store;
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            store = ws.stores().create(NewStore.named("churn").build());
            Memories m = ws.memories(store.id(), Actor.user("writer"));
            // The secret is the head's content first, so the head row's overflow pages hold copies of it; then the
            // head moves on and many ordinary updates of its neighbours rewrite rows, split pages and reuse the freed
            // pages without zeroing anything.
            for (int i = 0; i < 30; i++) {
                m.create("/n/" + i + ".md", Erasure.randomHex(300));
            }
            StringBuilder big = new StringBuilder("token ");
            for (int i = 0; i < 40; i++) {
                big.append(Erasure.randomHex(500)).append(marker);
            }
            secret = m.create("/secret.md", big.toString());
            m.update(secret.id(), MemoryUpdate.content("clean"));
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 30; i += 2) {
                    Memory n = m.getByPath("/n/" + i + ".md");
                    m.update(n.id(), MemoryUpdate.content(Erasure.randomHex(100 + 37 * ((i + round) % 11))));
                }
            }
        }
        // Control, on a copy: the content is stored once, so exactly one live row holds the marker (its first
        // version); the ordinary updates since were made without zeroing, so any copy they left behind is in free
        // space, which only the erasure's rebuild of the file reaches.
        Path copyDir = Files.createTempDirectory(file.getParent(), "control");
        Path copy = copyDir.resolve("copy.db");
        for (Path p : databaseFiles(file)) {
            Files.copy(p, copyDir.resolve(p.getFileName().toString().replace(file.getFileName().toString(),
                    "copy.db")), StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder("sqlite3", copy.toString(), "PRAGMA secure_delete = ON;"
                + " UPDATE am_version SET content = NULL WHERE content IS NOT NULL AND instr(content, CAST('"
                + marker + "' AS BLOB)) > 0; SELECT changes(); PRAGMA wal_checkpoint(TRUNCATE);")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).as("exactly one live copy: the first version").startsWith("1\n");

        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            Memories m = ws.memories(store.id(), ADMIN);
            MemoryVersion first = m.versions(VersionQuery.ofMemory(secret.id()).limit(100).build()).items()
                    .stream().filter(v -> v.id().equals(secret.headVersionId())).findFirst().orElseThrow();
            RedactionReport report = ws.stores().redact(store.id(), first.id(), ADMIN);
            assertThat(report.erasure().state()).as(report.erasure().detail()).isEqualTo(ErasureStatus.State.DONE);
            assertThat(found(marker)).as("after redaction, backend open").isEmpty();
            assertThat(m.list(ListQuery.under("/n/").limit(100).build()).items()).hasSize(30);
        }
        assertThat(found(marker)).as("after close").isEmpty();
    }
}
