package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL backend whose server process is terminated ({@code pg_terminate_backend}) in the middle of a write
 * leaves no partial change, and the next call succeeds; so does one whose idle pooled connections are all
 * terminated. The write is made to hang at a known point: a trigger of the test schema sleeps when a new version's
 * content holds a marker, after the store's sequence and the memory's row were already changed in the transaction.
 * The connections of each test carry an application name of their own, so only they are terminated.
 */
class PostgresConnectionLossTest {

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final String HANG = "HANG-" + Erasure.randomHex(16);

    private PostgresFixture fixture;
    private String schemaUrl;
    private String schema;
    private String app;
    private ExecutorService pool;

    @BeforeEach
    void setUp() throws SQLException {
        fixture = new PostgresFixture();
        schemaUrl = fixture.newSchemaUrl();
        schema = schemaUrl.substring(schemaUrl.indexOf("currentSchema=") + "currentSchema=".length());
        app = "am_connloss_" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet();
        pool = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            terminate("TRUE");
            pool.shutdownNow();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            fixture.close();
        }
    }

    private JdbcBackend open(Duration retryBudget) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(schemaUrl + "&ApplicationName=" + app);
        config.setUsername("postgres");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(4);
        config.setPoolName(app);
        config.setConnectionTimeout(10_000);
        return JdbcBackend.builder().dataSource(new HikariDataSource(config)).dialect(Dialect.POSTGRESQL)
                .closeDataSource(true).retryBudget(retryBudget).build();
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(schemaUrl);
    }

    private void installHangTrigger() throws SQLException {
        installHangTrigger(false);
    }

    /**
     * Makes inserts of versions whose content holds {@link #HANG} sleep, while {@code hang_switch} is armed: in the
     * INSERT, or (atCommit) in a deferred constraint trigger, that is during the COMMIT.
     */
    private void installHangTrigger(boolean atCommit) throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + schema + ".hang_switch (armed BOOLEAN NOT NULL)");
            s.execute("INSERT INTO " + schema + ".hang_switch VALUES (TRUE)");
            s.execute("CREATE FUNCTION " + schema + ".hang_if_marked() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN"
                    + "   IF position(convert_to('" + HANG + "', 'UTF8') in NEW.content) > 0"
                    + "      AND (SELECT armed FROM " + schema + ".hang_switch) THEN"
                    + "     PERFORM pg_sleep(120);"
                    + "   END IF;"
                    + "   RETURN NEW;"
                    + " END $$");
            s.execute(atCommit
                    ? "CREATE CONSTRAINT TRIGGER hang_if_marked AFTER INSERT ON " + schema + ".am_version"
                            + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION " + schema
                            + ".hang_if_marked()"
                    : "CREATE TRIGGER hang_if_marked BEFORE INSERT ON " + schema + ".am_version"
                            + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".hang_if_marked()");
        }
    }

    private void disarm() throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("UPDATE " + schema + ".hang_switch SET armed = FALSE");
        }
    }

    /** Waits (at most 30 s) for a connection of this test to sleep in the trigger, and returns its process id. */
    private int awaitHangingBackend() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = admin(); PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity"
                + " WHERE application_name = ? AND state = 'active' AND wait_event = 'PgSleep'")) {
            ps.setString(1, app);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getInt(1);
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the write never reached the trigger's sleep");
    }

    /** Terminates this test's server processes matching a condition; returns their process ids. */
    private Set<Integer> terminate(String condition) throws SQLException {
        Set<Integer> pids = new HashSet<>();
        try (Connection c = admin(); PreparedStatement ps = c.prepareStatement("SELECT pid, pg_terminate_backend(pid)"
                + " FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid() AND " + condition)) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getBoolean(2)).isTrue();
                    pids.add(rs.getInt(1));
                }
            }
        }
        return pids;
    }

    private Set<Integer> backendPids() throws SQLException {
        Set<Integer> pids = new HashSet<>();
        try (Connection c = admin(); PreparedStatement ps = c.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        return pids;
    }

    private void awaitGone(Set<Integer> pids) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Set<Integer> alive = backendPids();
            alive.retainAll(pids);
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("terminated server processes are still there: " + pids);
    }

    /** The rows as stored: the store's sequence and count, the memory's row, and every version's row. */
    private List<String> rawState(MemoryStore store) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = admin(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT seq, memory_count FROM am_store WHERE id = '"
                    + store.id().value() + "'")) {
                assertThat(rs.next()).isTrue();
                out.add("store seq=" + rs.getLong(1) + " count=" + rs.getLong(2));
            }
            try (ResultSet rs = s.executeQuery("SELECT m.id, m.path, encode(sha256(v.content), 'hex'),"
                    + " m.content_sha256, m.head_version_id FROM am_memory m LEFT JOIN am_version v"
                    + " ON v.store_id = m.store_id AND v.id = m.head_version_id ORDER BY m.id")) {
                while (rs.next()) {
                    out.add("memory " + rs.getString(1) + " " + rs.getString(2) + " sha=" + rs.getString(3) + "/"
                            + rs.getString(4) + " head=" + rs.getString(5));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, memory_id, operation, content_sha256 FROM am_version"
                    + " ORDER BY id")) {
                while (rs.next()) {
                    out.add("version " + rs.getString(1) + " of " + rs.getString(2) + " " + rs.getString(3) + " sha="
                            + rs.getString(4));
                }
            }
        }
        return out;
    }

    private static void assertConsistent(Memories m, Memory memory) {
        Memory now = m.get(memory.id());
        List<MemoryVersion> versions = m.versions(VersionQuery.ofMemory(memory.id()).includeContent(true).build())
                .items();
        assertThat(versions).isNotEmpty();
        MemoryVersion newest = versions.get(0);
        assertThat(newest.id()).as("the head is the newest version").isEqualTo(now.headVersionId());
        assertThat(newest.content()).contains(now.text());
        assertThat(newest.contentSha256()).contains(now.contentSha256());
    }

    @Test
    void aWriteWhoseServerProcessIsTerminatedIsRetriedWholeAndTheNextCallSucceeds() throws Exception {
        try (AgentMemory memory = AgentMemory.builder().backend(open(Duration.ofSeconds(30))).build()) {
            MemoryStore store = memory.workspace("ws_loss").stores().create(NewStore.named("loss").build());
            Memories m = memory.workspace("ws_loss").memories(store.id(), Actor.user("writer"));
            Memory doc = m.create("/doc.md", "before");
            installHangTrigger();
            List<String> before = rawState(store);

            String newContent = "after " + HANG;
            Future<Memory> write = pool.submit(() -> m.update(doc.id(), MemoryUpdate.content(newContent)));
            int pid = awaitHangingBackend();
            // Mid-transaction: the sequence and the memory's row are changed, but nothing is visible outside.
            assertThat(rawState(store)).isEqualTo(before);
            assertThat(m.get(doc.id()).text()).isEqualTo("before");

            disarm();
            assertThat(terminate("pid = " + pid)).containsExactly(pid);
            Memory written = write.get(60, TimeUnit.SECONDS);

            // The library retried the whole transaction: exactly one new version, one sequence step, all consistent.
            assertThat(written.text()).isEqualTo(newContent);
            List<String> after = rawState(store);
            assertThat(after).hasSize(before.size() + 1);
            long seqBefore = Long.parseLong(before.get(0).replaceAll("store seq=(\\d+) .*", "$1"));
            assertThat(after.get(0)).isEqualTo("store seq=" + (seqBefore + 1) + " count=1");
            assertThat(m.get(doc.id()).text()).isEqualTo(newContent);
            assertThat(m.versions(VersionQuery.ofMemory(doc.id()).build()).items()).hasSize(2);
            assertConsistent(m, doc);
            assertThat(backendPids()).doesNotContain(pid);

            Memory next = m.create("/next.md", "next call");
            assertThat(m.getByPath("/next.md").text()).isEqualTo("next call");
            assertThat(next.path()).isEqualTo("/next.md");
        }
    }

    @Test
    void aWriteWhoseServerProcessIsTerminatedDuringCommitIsAppliedOnce() throws Exception {
        try (AgentMemory memory = AgentMemory.builder().backend(open(Duration.ofSeconds(30))).build()) {
            MemoryStore store = memory.workspace("ws_loss").stores().create(NewStore.named("loss").build());
            Memories m = memory.workspace("ws_loss").memories(store.id(), Actor.user("writer"));
            Memory doc = m.create("/doc.md", "before");
            installHangTrigger(true);
            List<String> before = rawState(store);

            String newContent = "created at commit " + HANG;
            Future<Memory> write = pool.submit(() -> m.create("/new.md", newContent));
            int pid = awaitHangingBackend();
            try (Connection c = admin(); PreparedStatement ps = c.prepareStatement(
                    "SELECT query FROM pg_stat_activity WHERE pid = ?")) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as("hanging in the COMMIT").isEqualToIgnoringCase("COMMIT");
                }
            }
            assertThat(rawState(store)).isEqualTo(before);
            assertThat(m.findByPath("/new.md")).isEmpty();

            disarm();
            assertThat(terminate("pid = " + pid)).containsExactly(pid);
            Memory created = write.get(60, TimeUnit.SECONDS);

            List<String> after = rawState(store);
            long seqBefore = Long.parseLong(before.get(0).replaceAll("store seq=(\\d+) .*", "$1"));
            assertThat(after.get(0)).isEqualTo("store seq=" + (seqBefore + 1) + " count=2");
            assertThat(after).hasSize(before.size() + 2); // one memory row and one version row more
            assertThat(m.getByPath("/new.md").text()).isEqualTo(newContent);
            assertThat(m.versions(VersionQuery.ofMemory(created.id()).build()).items()).hasSize(1);
            assertConsistent(m, created);
            assertConsistent(m, doc);
            assertThat(m.update(doc.id(), MemoryUpdate.content("next call")).text()).isEqualTo("next call");
        }
    }

    @Test
    void aWriteWhoseServerProcessIsTerminatedWithoutRetriesFailsWithNoPartialChange() throws Exception {
        try (AgentMemory memory = AgentMemory.builder().backend(open(Duration.ZERO)).build()) {
            MemoryStore store = memory.workspace("ws_loss").stores().create(NewStore.named("loss").build());
            Memories m = memory.workspace("ws_loss").memories(store.id(), Actor.user("writer"));
            Memory doc = m.create("/doc.md", "before");
            installHangTrigger();
            List<String> before = rawState(store);

            Future<Memory> write = pool.submit(() -> m.update(doc.id(), MemoryUpdate.content("after " + HANG)));
            int pid = awaitHangingBackend();
            disarm();
            assertThat(terminate("pid = " + pid)).containsExactly(pid);

            assertThatThrownBy(() -> write.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StorageException.class);
            assertThat(rawState(store)).as("no partial change").isEqualTo(before);
            assertThat(m.get(doc.id()).text()).isEqualTo("before");
            assertConsistent(m, doc);
            awaitGone(Set.of(pid));

            // The next call succeeds: the broken connection left the pool.
            Memory again = m.update(doc.id(), MemoryUpdate.content("after, again"));
            assertThat(m.get(doc.id()).text()).isEqualTo("after, again");
            assertThat(again.headVersionId()).isNotEqualTo(doc.headVersionId());
            assertConsistent(m, doc);
        }
    }

    @Test
    void thePoolRecoversWhenAllItsIdleConnectionsAreTerminated() throws Exception {
        try (AgentMemory memory = AgentMemory.builder().backend(open(Duration.ofSeconds(30))).build()) {
            MemoryStore store = memory.workspace("ws_loss").stores().create(NewStore.named("loss").build());
            Memories m = memory.workspace("ws_loss").memories(store.id(), Actor.user("writer"));
            Memory doc = m.create("/doc.md", "v1");
            for (int round = 0; round < 3; round++) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (backendPids().size() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                // A connection may be busy for a moment (the pool checks connections): terminate until 4 are gone.
                Set<Integer> killed = new HashSet<>();
                while (killed.size() < 4) {
                    killed.addAll(terminate("state = 'idle'"));
                    assertThat(System.nanoTime()).as("the pool's 4 idle connections").isLessThan(deadline);
                    Thread.sleep(killed.size() < 4 ? 10 : 0);
                }
                if (round == 1) {
                    awaitGone(killed); // the next call finds only dead connections in the pool
                }

                Memory updated = m.update(doc.id(), MemoryUpdate.content("v" + (round + 2)));
                assertThat(m.get(doc.id()).text()).isEqualTo("v" + (round + 2));
                assertThat(updated.headVersionId()).isEqualTo(m.get(doc.id()).headVersionId());
                awaitGone(killed);
                assertThat(backendPids()).as("the pool has new connections").isNotEmpty()
                        .doesNotContainAnyElementsOf(killed);
            }
            assertThat(m.versions(VersionQuery.ofMemory(doc.id()).build()).items()).hasSize(4);
            assertConsistent(m, doc);
        }
    }
}
