package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Redaction, retention and store deletion are physical on SQLite: after them, the erased content's bytes are in none
 * of the database's files (the database, its write-ahead log, its shared-memory index), while the backend is still
 * open and after it is closed. Each test first checks that the bytes are in the files before the erasure, so that it
 * can fail.
 */
class SqliteErasureTest {

    private static final Actor ADMIN = Actor.user("erasure-admin");

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

    /** Every file SQLite keeps for the database: {@code x.db}, {@code x.db-wal}, {@code x.db-shm}, a journal. */
    private List<Path> databaseFiles() {
        String name = file.getFileName().toString();
        try (Stream<Path> s = Files.list(file.getParent())) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith(name)).sorted().toList();
            assertThat(files).contains(file);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void redactedVersionsLeaveNoBytesInTheDatabaseFiles() {
        String small = Erasure.marker();
        String large = Erasure.marker();
        // The large one spans several overflow pages; the marker sits in the middle of one of them.
        String largeContent = Erasure.randomHex(9_000) + large + Erasure.randomHex(21_000);
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            MemoryStore store = ws.stores().create(NewStore.named("erasure").build());
            Memories m = ws.memories(store.id(), Actor.user("writer"));
            Memory a = m.create("/secret/small.md", "token: " + small + "\n");
            Memory b = m.create("/secret/large.md", largeContent);
            Memory keep = m.create("/kept.md", "kept " + Erasure.randomHex(64));
            m.update(a.id(), MemoryUpdate.content("token: <removed>\n"));
            m.update(b.id(), MemoryUpdate.content("large: <removed>\n"));

            assertThat(Erasure.findings(databaseFiles(), small)).as("control: the marker is on disk").isNotEmpty();
            assertThat(Erasure.findings(databaseFiles(), large)).as("control: the marker is on disk").isNotEmpty();

            MemoryVersion ra = ws.stores().redact(store.id(), a.headVersionId(), ADMIN).version();
            MemoryVersion rb = ws.stores().redact(store.id(), b.headVersionId(), ADMIN).version();
            assertThat(ra.isRedacted()).isTrue();
            assertThat(rb.isRedacted()).isTrue();
            assertThat(m.version(a.headVersionId()).content()).isEmpty();

            assertThat(Erasure.findings(databaseFiles(), small)).as("after redaction, backend open").isEmpty();
            assertThat(Erasure.findings(databaseFiles(), large)).as("after redaction, backend open").isEmpty();
            // The rest is intact.
            assertThat(m.get(keep.id()).text()).isEqualTo(keep.text());
            assertThat(m.get(b.id()).text()).isEqualTo("large: <removed>\n");
        }
        assertThat(Erasure.findings(databaseFiles(), small)).as("after redaction, backend closed").isEmpty();
        assertThat(Erasure.findings(databaseFiles(), large)).as("after redaction, backend closed").isEmpty();
    }

    @Test
    void redactionIsPhysicalWhileOtherThreadsAndAnotherBackendReadTheFile() throws Exception {
        String marker = Erasure.marker();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build();
                AgentMemory other = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            MemoryStore store = ws.stores().create(NewStore.named("busy").build());
            Memories m = ws.memories(store.id(), Actor.user("writer"));
            for (int i = 0; i < 20; i++) {
                m.create("/filler/" + i + ".md", Erasure.randomHex(3_000));
            }
            Memory secret = m.create("/secret.md", "before " + marker + " after");
            m.update(secret.id(), MemoryUpdate.content("clean"));
            assertThat(Erasure.findings(databaseFiles(), marker)).as("control").isNotEmpty();

            Memories otherView = other.workspace("ws_erasure").memories(store.id(), Actor.user("reader"));
            List<Future<?>> running = Stream.of(m, m, otherView).<Future<?>>map(view -> readers.submit(() -> {
                while (!stop.get()) {
                    view.list(ListQuery.under("/filler/").includeContent(true).limit(20).build());
                    view.getByPath("/secret.md");
                    reads.incrementAndGet();
                }
                return null;
            })).toList();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reads.get() < 10) {
                assertThat(System.nanoTime()).as("the readers are reading").isLessThan(deadline);
                assertThat(running).noneMatch(Future::isDone);
                Thread.sleep(1);
            }
            ws.stores().redact(store.id(), secret.headVersionId(), ADMIN);
            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
                        assertThat(Erasure.findings(databaseFiles(), marker)).as("after redaction under read load").isEmpty();
        } finally {
            stop.set(true);
            readers.shutdownNow();
            assertThat(readers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Erasure.findings(databaseFiles(), marker)).as("after close").isEmpty();
    }

    @Test
    void redactionIsPhysicalOnAHostsDataSourceWithoutSecureDelete() {
        String marker = Erasure.marker();
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(10_000);
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "false");
        SQLiteDataSource host = new SQLiteDataSource(config);
        host.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        JdbcBackend backend = JdbcBackend.builder().dataSource(host).dialect(Dialect.SQLITE).build();
        try (AgentMemory memory = AgentMemory.builder().backend(backend).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            MemoryStore store = ws.stores().create(NewStore.named("host").build());
            Memories m = ws.memories(store.id(), Actor.user("writer"));
            Memory secret = m.create("/secret.md", "before " + marker + " after");
            m.update(secret.id(), MemoryUpdate.content("clean"));
            Memory doomed = ws.memories(ws.stores().create(NewStore.named("doomed").build()).id(),
                    Actor.user("writer")).create("/d.md", "doomed " + marker);
            assertThat(Erasure.findings(databaseFiles(), marker)).as("control").isNotEmpty();

            ws.stores().redact(store.id(), secret.headVersionId(), ADMIN);
            ws.stores().delete(doomed.storeId());

            assertThat(Erasure.findings(databaseFiles(), marker)).as("after redaction and deletion").isEmpty();
        }
    }

    @Test
    void deletedStoreLeavesNoBytesInTheDatabaseFiles() {
        String marker = Erasure.marker();
        String headMarker = Erasure.marker();
        String kept = Erasure.marker();
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build()) {
            StoreAdmin stores = memory.workspace("ws_erasure").stores();
            MemoryStore doomed = stores.create(NewStore.named("doomed").build());
            MemoryStore other = stores.create(NewStore.named("other").build());
            Memories m = memory.workspace("ws_erasure").memories(doomed.id(), Actor.user("writer"));
            Memory x = m.create("/x.md", "old " + marker);
            m.update(x.id(), MemoryUpdate.content("head " + headMarker + Erasure.randomHex(6_000)));
            m.create("/big.md", Erasure.randomHex(40_000) + marker);
            Memories o = memory.workspace("ws_erasure").memories(other.id(), Actor.user("writer"));
            Memory survivor = o.create("/survivor.md", "kept " + kept);

            assertThat(Erasure.findings(databaseFiles(), marker)).as("control").isNotEmpty();
            assertThat(Erasure.findings(databaseFiles(), headMarker)).as("control").isNotEmpty();

            stores.delete(doomed.id());

            assertThat(Erasure.findings(databaseFiles(), marker)).as("after store deletion").isEmpty();
            assertThat(Erasure.findings(databaseFiles(), headMarker)).as("after store deletion").isEmpty();
            assertThat(o.get(survivor.id()).text()).isEqualTo("kept " + kept);
            assertThat(Erasure.findings(databaseFiles(), kept)).as("the other store's content is still there")
                    .isNotEmpty();
        }
        assertThat(Erasure.findings(databaseFiles(), marker)).as("after close").isEmpty();
        assertThat(Erasure.findings(databaseFiles(), headMarker)).as("after close").isEmpty();
    }

    @Test
    void purgedVersionsLeaveNoBytesInTheDatabaseFiles() {
        String marker = Erasure.marker();
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).clock(clock).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            MemoryStore store = ws.stores().create(NewStore.named("retention").build());
            Memories m = ws.memories(store.id(), Actor.user("writer"));
            Memory x = m.create("/x.md", "old " + marker);
            clock.advance(Duration.ofDays(1));
            m.update(x.id(), MemoryUpdate.content("new"));
            clock.advance(Duration.ofDays(10));
            assertThat(Erasure.findings(databaseFiles(), marker)).as("control").isNotEmpty();

            PurgeResult purged = ws.stores().purge(store.id(), new RetentionPolicy(Duration.ofDays(5), 0),
                    ProgressListener.NONE);

            assertThat(purged.versionsRemoved()).isEqualTo(1);
            assertThat(m.versions(dev.agentmemory.model.VersionQuery.ofMemory(x.id()).build()).items())
                    .extracting(MemoryVersion::id).containsExactly(m.get(x.id()).headVersionId());
            assertThat(Erasure.findings(databaseFiles(), marker)).as("after purge").isEmpty();
        }
        assertThat(Erasure.findings(databaseFiles(), marker)).as("after close").isEmpty();
    }
}
