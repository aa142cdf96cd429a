package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.RedactionReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redaction and store deletion are physical on PostgreSQL once {@link JdbcBackend#compact()} has run: the erased
 * content is in none of the files of the library's tables, their TOAST tables and their indexes (read straight from
 * the server's data directory after a {@code CHECKPOINT}). Each test first finds the marker in those files, so that
 * it can fail.
 *
 * <p>Each test uses a database of its own: {@code VACUUM FULL} keeps row versions that a transaction still running in
 * the same database might see, and other tests share the default one.
 */
class PostgresErasureTest {

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final Actor ADMIN = Actor.user("erasure-admin");
    private static final List<String> TABLES = List.of("am_version", "am_memory");

    private String serverUrl;
    private String database;
    private String url;

    @BeforeEach
    void setUp() throws SQLException {
        serverUrl = PostgresFixture.requireServer();
        database = "am_erasure_" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet();
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("CREATE DATABASE " + database);
        }
        url = serverUrl.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
        assertThat(url).contains("/" + database);
    }

    @AfterEach
    void tearDown() throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /**
     * Flushes the server's buffers to disk and returns the files of the library's content tables: each table's main
     * file and its forks and segments, its TOAST table and that table's index, and every index of the tables.
     */
    private List<Path> tableFiles() {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
            Path dataDir;
            try (ResultSet rs = s.executeQuery("SHOW data_directory")) {
                rs.next();
                dataDir = Path.of(rs.getString(1));
            }
            List<String> relative = new ArrayList<>();
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT pg_relation_filepath(r.oid) FROM pg_class r"
                        + " WHERE r.oid = '" + table + "'::regclass"
                        + " OR r.oid = (SELECT reltoastrelid FROM pg_class WHERE oid = '" + table + "'::regclass)"
                        + " OR r.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = '" + table + "'::regclass"
                        + "   OR indrelid = (SELECT reltoastrelid FROM pg_class WHERE oid = '" + table
                        + "'::regclass))")) {
                    while (rs.next()) {
                        relative.add(rs.getString(1));
                    }
                }
            }
            // the tables, their TOAST tables, the TOAST indexes and at least one index each
            assertThat(relative).hasSizeGreaterThanOrEqualTo(8).doesNotContainNull();
            List<Path> files = new ArrayList<>();
            for (String rel : relative) {
                Path main = dataDir.resolve(rel);
                files.addAll(withForksAndSegments(main));
            }
            return files;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A relation's main file, its segments ({@code .1}, ...) and its other forks ({@code _fsm}, {@code _vm}). */
    private static List<Path> withForksAndSegments(Path main) {
        String name = main.getFileName().toString();
        List<Path> out = new ArrayList<>(List.of(main));
        try (Stream<Path> s = Files.list(main.getParent())) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(name + ".") || n.startsWith(name + "_");
            }).forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static long totalBytes(List<Path> files) {
        return files.stream().mapToLong(p -> Erasure.read(p).length).sum();
    }

    @Test
    void redactedVersionsLeaveNoBytesInTheTablesFilesAfterCompaction() {
        String inline = Erasure.marker();
        String toasted = Erasure.marker();
        // 30,000 bytes: stored out of line in the TOAST table (uncompressed: the column's storage is EXTERNAL).
        String largeContent = Erasure.randomHex(12_000) + toasted + Erasure.randomHex(18_000);
        try (JdbcBackend backend = JdbcBackend.postgres(url, "postgres", "");
                AgentMemory memory = AgentMemory.builder().backend(backend).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            MemoryStore store = ws.stores().create(NewStore.named("erasure").build());
            Memories m = ws.memories(store.id(), Actor.user("writer"));
            Memory a = m.create("/secret/small.md", "token: " + inline + "\n");
            Memory b = m.create("/secret/large.md", largeContent);
            Memory keep = m.create("/kept.md", "kept " + Erasure.randomHex(64));
            m.update(a.id(), MemoryUpdate.content("token: <removed>\n"));
            m.update(b.id(), MemoryUpdate.content("large: <removed>\n"));
            // Rows after the marked ones, so that only erasing those rows (not cutting the files' empty ends)
            // removes them.
            for (int i = 0; i < 30; i++) {
                m.create("/filler/" + i + ".md", i % 2 == 0 ? Erasure.randomHex(3_000) : "small " + i);
            }

            List<Path> before = tableFiles();
            assertThat(totalBytes(before)).isPositive();
            assertThat(Erasure.findings(before, inline)).as("control: in the table's pages").isNotEmpty();
            assertThat(Erasure.findings(before, toasted)).as("control: in the TOAST table's pages").isNotEmpty();

            ws.stores().redact(store.id(), a.headVersionId(), ADMIN);
            ws.stores().redact(store.id(), b.headVersionId(), ADMIN);
            backend.compact();

            List<Path> after = tableFiles();
            assertThat(Erasure.findings(after, inline)).as("after redaction and compaction").isEmpty();
            assertThat(Erasure.findings(after, toasted)).as("after redaction and compaction").isEmpty();
            assertThat(Erasure.findings(before, inline)).as("the files replaced by compaction").isEmpty();
            assertThat(Erasure.findings(before, toasted)).as("the files replaced by compaction").isEmpty();
            assertThat(after).as("VACUUM FULL gave the tables new files").doesNotContainAnyElementsOf(before);

            assertThat(m.version(a.headVersionId()).isRedacted()).isTrue();
            assertThat(m.get(keep.id()).text()).isEqualTo(keep.text());
            assertThat(m.get(b.id()).text()).isEqualTo("large: <removed>\n");
        }
    }

    /**
     * Opens a session of the test database that holds a snapshot until it commits: a REPEATABLE READ transaction
     * after one statement. The statement touches none of the library's tables, so the session holds no lock that
     * would make the compaction wait anyway.
     */
    private Connection snapshotHolder() throws SQLException {
        Connection holder = DriverManager.getConnection(url);
        holder.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        return holder;
    }

    @Test
    void compactionWaitsForATransactionThatStillSeesTheRedactedRows() throws Exception {
        String marker = Erasure.marker();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (JdbcBackend backend = JdbcBackend.postgres(url, "postgres", "");
                AgentMemory memory = AgentMemory.builder().backend(backend).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            MemoryStore store = ws.stores().create(NewStore.named("held").build());
            Memories m = ws.memories(store.id(), Actor.user("writer"));
            Memory secret = m.create("/secret.md", "before " + marker + " after");
            m.update(secret.id(), MemoryUpdate.content("clean"));
            for (int i = 0; i < 30; i++) {
                m.create("/filler/" + i + ".md", i % 2 == 0 ? Erasure.randomHex(3_000) : "small " + i);
            }
            assertThat(Erasure.findings(tableFiles(), marker)).as("control").isNotEmpty();

            // A reader whose snapshot predates the redaction: the old row is still visible to it.
            Connection holder = snapshotHolder();
            try {
                ws.stores().redact(store.id(), secret.headVersionId(), ADMIN);
                Future<?> compaction = pool.submit(backend::compact);
                Thread.sleep(1_500);
                boolean doneWhileHeld = compaction.isDone();
                holder.commit();
                compaction.get(60, TimeUnit.SECONDS);
                assertThat(Erasure.findings(tableFiles(), marker)).as("after redaction and compaction").isEmpty();
                assertThat(doneWhileHeld).as("compaction waited for the older transaction").isFalse();
            } finally {
                holder.close();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void compactionFailsWhenAnOlderTransactionOutlastsTheRetryBudgetAndWorksOnceItEnds() throws Exception {
        String marker = Erasure.marker();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        JdbcBackend backend = JdbcBackend.builder().dataSource(new HikariDataSource(config))
                .dialect(Dialect.POSTGRESQL).closeDataSource(true).retryBudget(Duration.ofSeconds(1)).build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (AgentMemory memory = AgentMemory.builder().backend(backend).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            MemoryStore store = ws.stores().create(NewStore.named("held").build());
            Memories m = ws.memories(store.id(), Actor.user("writer"));
            Memory secret = m.create("/secret.md", "before " + marker + " after");
            m.update(secret.id(), MemoryUpdate.content("clean"));
            m.create("/after.md", Erasure.randomHex(3_000));
            try (Connection holder = snapshotHolder()) {
                int pid;
                try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pid = rs.getInt(1);
                }
                ws.stores().redact(store.id(), secret.headVersionId(), ADMIN);
                Future<?> compaction = pool.submit(backend::compact);
                assertThatThrownBy(() -> compaction.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(StorageException.class)
                        .hasMessageContaining("pid " + pid).hasMessageContaining("compact() again");
                holder.commit();
            }
            backend.compact();
            assertThat(Erasure.findings(tableFiles(), marker)).as("after the second compaction").isEmpty();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void deletedStoreLeavesNoBytesInTheTablesFilesAfterCompaction() {
        String marker = Erasure.marker();
        String headMarker = Erasure.marker();
        String kept = Erasure.marker();
        try (JdbcBackend backend = JdbcBackend.postgres(url, "postgres", "");
                AgentMemory memory = AgentMemory.builder().backend(backend).build()) {
            StoreAdmin stores = memory.workspace("ws_erasure").stores();
            MemoryStore doomed = stores.create(NewStore.named("doomed").build());
            MemoryStore other = stores.create(NewStore.named("other").build());
            Memories m = memory.workspace("ws_erasure").memories(doomed.id(), Actor.user("writer"));
            Memory x = m.create("/x.md", "old " + marker);
            m.update(x.id(), MemoryUpdate.content("head " + headMarker + Erasure.randomHex(6_000)));
            // The other store's rows come after the doomed ones in the tables' files, so that only erasing the
            // doomed rows (not cutting the files' empty ends) removes them.
            Memories o = memory.workspace("ws_erasure").memories(other.id(), Actor.user("writer"));
            for (int i = 0; i < 30; i++) {
                o.create("/filler/" + i + ".md", i % 2 == 0 ? Erasure.randomHex(3_000) : "small " + i);
            }
            Memory survivor = o.create("/survivor.md", "kept " + kept);

            List<Path> before = tableFiles();
            assertThat(Erasure.findings(before, marker)).as("control").isNotEmpty();
            assertThat(Erasure.findings(before, headMarker)).as("control").isNotEmpty();

            stores.delete(doomed.id());
            backend.compact();

            List<Path> after = tableFiles();
            assertThat(Erasure.findings(after, marker)).as("after deletion and compaction").isEmpty();
            assertThat(Erasure.findings(after, headMarker)).as("after deletion and compaction").isEmpty();
            assertThat(Erasure.findings(before, marker)).as("the files replaced by compaction").isEmpty();
            assertThat(Erasure.findings(after, kept)).as("the other store's content is still there").isNotEmpty();
            assertThat(o.get(survivor.id()).text()).isEqualTo("kept " + kept);
        }
    }

    @Test
    void redactionUnderAnOpenTransactionIsReportedPendingAndFinishesByItselfWhenItEnds() throws Exception {
        String marker = Erasure.marker();
        try (JdbcBackend backend = JdbcBackend.postgres(url, "postgres", "");
                AgentMemory memory = AgentMemory.builder().backend(backend).build()) {
            Workspace ws = memory.workspace("ws_erasure");
            MemoryStore store = ws.stores().create(NewStore.named("held").build());
            Memories m = ws.memories(store.id(), Actor.user("writer"));
            Memory secret = m.create("/secret.md", "before " + marker + " after " + Erasure.randomHex(4_000));
            m.update(secret.id(), MemoryUpdate.content("clean"));
            for (int i = 0; i < 30; i++) {
                m.create("/filler/" + i + ".md", i % 2 == 0 ? Erasure.randomHex(3_000) : "small " + i);
            }
            assertThat(Erasure.findings(tableFiles(), marker)).as("control").isNotEmpty();

            Connection holder = snapshotHolder();
            RedactionReport report;
            try {
                long start = System.nanoTime();
                report = ws.stores().redact(store.id(), secret.headVersionId(), ADMIN);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the caller is not held up for long")
                        .isLessThan(Duration.ofSeconds(20));
                assertThat(report.erasure().state()).isEqualTo(ErasureStatus.State.PENDING);
                assertThat(report.erasure().detail()).contains("transactions that started before the erasure");
                assertThat(m.version(secret.headVersionId()).content()).as("unreachable at once").isEmpty();
                assertThat(Erasure.findings(tableFiles(), marker)).as("still in the files, as reported").isNotEmpty();
                // Other sessions keep working while the erasure waits.
                assertThat(m.create("/meanwhile.md", "x").text()).isEqualTo("x");
                holder.commit();
            } finally {
                holder.close();
            }
            // No compact() call: the backend finishes by itself once the transaction has ended.
            ErasureStatus status = ws.stores().awaitErasure(Duration.ofSeconds(60));
            assertThat(status.state()).as(status.detail()).isEqualTo(ErasureStatus.State.DONE);
            assertThat(status.detail()).contains("TOAST").contains("write-ahead log");
            assertThat(Erasure.findings(tableFiles(), marker)).as("after the transaction ended").isEmpty();
            // What the library does not erase, as the status says ("write-ahead log" above): the server's WAL may
            // still hold the bytes until the server recycles the segment, or may have recycled it already (a
            // checkpoint after VACUUM FULL can), so the WAL's contents are not asserted either way.
            assertThat(m.getByPath("/meanwhile.md").text()).isEqualTo("x");
        }
    }
}
