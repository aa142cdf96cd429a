package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.internal.GroupCommitProbe;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A group of commits whose shared transaction fails fails every member and leaves nothing of any of them: one
 * update is made to hang in the database (a trigger of the test schema sleeps on a version whose content holds a
 * marker) while four more updates of the same store queue behind it; its server process is terminated, so the four
 * are written as one group, whose last member hangs again after the first three were applied inside the
 * transaction; that server process is terminated too. With no retry budget, all five callers get a
 * {@link StorageException}, the rows are exactly as before, and the next writes succeed. And a member that the
 * database refuses on its own (in the group and again alone) fails alone: the other members of its group are written
 * and told so.
 */
class PostgresGroupFailureTest {

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final String HANG = "HANG-" + Erasure.randomHex(16);
    private static final String POISON = "POISON-" + Erasure.randomHex(16);

    private PostgresFixture fixture;
    private String schemaUrl;
    private String schema;
    private String app;

    @BeforeEach
    void setUp() {
        fixture = new PostgresFixture();
        schemaUrl = fixture.newSchemaUrl();
        schema = schemaUrl.substring(schemaUrl.indexOf("currentSchema=") + "currentSchema=".length());
        app = "am_groupfail_" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private JdbcBackend open() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(schemaUrl + "&ApplicationName=" + app);
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        config.setPoolName(app);
        config.setConnectionTimeout(10_000);
        return JdbcBackend.builder().dataSource(new HikariDataSource(config)).dialect(Dialect.POSTGRESQL)
                .closeDataSource(true).retryBudget(Duration.ZERO).build();
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(schemaUrl);
    }

    /** Makes an insert of a version whose content holds {@link #HANG} sleep while the switch is armed. */
    private void installHangTrigger() throws SQLException {
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
            s.execute("CREATE TRIGGER hang_if_marked BEFORE INSERT ON " + schema + ".am_version"
                    + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".hang_if_marked()");
        }
    }

    /**
     * Makes an insert of a version whose content holds {@link #POISON} fail with an error that is the statement's own
     * (invalid_parameter_value, not a transient one), every time.
     */
    private void installPoisonTrigger() throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION " + schema + ".refuse_if_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN"
                    + "   IF position(convert_to('" + POISON + "', 'UTF8') in NEW.content) > 0 THEN"
                    + "     RAISE EXCEPTION 'poisoned content' USING ERRCODE = '22023';"
                    + "   END IF;"
                    + "   RETURN NEW;"
                    + " END $$");
            s.execute("CREATE TRIGGER refuse_if_poisoned BEFORE INSERT ON " + schema + ".am_version"
                    + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".refuse_if_poisoned()");
        }
    }

    private void cancel(int pid) throws SQLException {
        try (Connection c = admin(); PreparedStatement ps = c.prepareStatement("SELECT pg_cancel_backend(?)")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next() && rs.getBoolean(1)).as("cancelled %d", pid).isTrue();
            }
        }
    }

    private void disarm() throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("UPDATE " + schema + ".hang_switch SET armed = FALSE");
        }
    }

    /** Waits (at most 30 s) for a connection of this test other than {@code not} to sleep in the trigger. */
    private int awaitHangingBackend(int not) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = admin(); PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity"
                + " WHERE application_name = ? AND state = 'active' AND wait_event = 'PgSleep' AND pid <> ?")) {
            ps.setString(1, app);
            ps.setInt(2, not);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getInt(1);
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("no write reached the trigger's sleep");
    }

    private void terminate(int pid) throws SQLException {
        try (Connection c = admin(); PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next() && rs.getBoolean(1)).as("terminated %d", pid).isTrue();
            }
        }
    }

    /** Every row of the store's tables, as stored. */
    private List<String> rawState() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = admin(); Statement s = c.createStatement()) {
            for (String q : List.of("SELECT id, seq, memory_count, chain_length, chain_head FROM am_store",
                    "SELECT id, path, content_sha256, head_version_id FROM am_memory ORDER BY id",
                    "SELECT id, memory_id, content_sha256, chain_pos, chain_hash FROM am_version ORDER BY id")) {
                try (ResultSet rs = s.executeQuery(q)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            row.append(rs.getString(i)).append(' ');
                        }
                        out.add(row.toString());
                    }
                }
            }
        }
        return out;
    }

    /** Waits until a thread waits in the group commit's queue. */
    private static void awaitQueued(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getClassName().endsWith(".GroupCommit")
                    && f.getMethodName().equals("await"))) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(thread.getName() + " never queued behind the commit in flight");
    }

    private static CompletableFuture<Memory> start(String name, Memories m, Memory doc, String content,
            List<Thread> threads) {
        CompletableFuture<Memory> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(m.update(doc.id(), MemoryUpdate.content(content)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return result;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aGroupWhoseTransactionFailsFailsEveryMemberAndWritesNothing() throws Exception {
        JdbcBackend backend = open();
        try (AgentMemory memory = AgentMemory.builder().backend(backend).build()) {
            MemoryStore store = memory.workspace("ws_group").stores().create(NewStore.named("group").build());
            Memories m = memory.workspace("ws_group").memories(store.id(), Actor.user("writer"));
            List<Memory> docs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                docs.add(m.create("/doc/" + i, "before " + i));
            }
            installHangTrigger();
            List<String> before = rawState();

            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Memory>> writes = new ArrayList<>();
            writes.add(start("in-flight", m, docs.get(0), "first " + HANG, threads));
            int first = awaitHangingBackend(0);
            for (int i = 1; i < 5; i++) {
                // the last member hangs inside the group's transaction, after the others were applied in it
                writes.add(start("member-" + i, m, docs.get(i), "member " + i + (i == 4 ? " " + HANG : ""),
                        threads));
                awaitQueued(threads.get(i));
            }
            long groupedBefore = GroupCommitProbe.groupedCommits(backend);
            terminate(first);
            assertThatThrownBy(() -> writes.get(0).get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StorageException.class);

            int group = awaitHangingBackend(first);
            assertThat(GroupCommitProbe.groupedCommits(backend) - groupedBefore).as("one group of four").isEqualTo(4);
            assertThat(rawState()).as("nothing visible while the group's transaction is open").isEqualTo(before);
            terminate(group);
            for (int i = 1; i < 5; i++) {
                int n = i;
                assertThatThrownBy(() -> writes.get(n).get(60, TimeUnit.SECONDS)).as("member %d", n)
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StorageException.class);
            }
            assertThat(rawState()).as("nothing of any member was written").isEqualTo(before);

            disarm();
            for (int i = 0; i < 5; i++) {
                assertThat(m.update(docs.get(i).id(), MemoryUpdate.content("after " + i)).text())
                        .isEqualTo("after " + i);
                assertThat(m.versions(VersionQuery.ofMemory(docs.get(i).id()).build()).items()).hasSize(2);
            }
            assertThat(memory.workspace("ws_group").stores().verify(store.id()).broken()).isEmpty();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aMemberThatFailsOnItsOwnFailsAloneAndTheOthersOfItsGroupAreWrittenAndTold() throws Exception {
        JdbcBackend backend = open();
        try (AgentMemory memory = AgentMemory.builder().backend(backend).build()) {
            MemoryStore store = memory.workspace("ws_group").stores().create(NewStore.named("group").build());
            Memories m = memory.workspace("ws_group").memories(store.id(), Actor.user("writer"));
            List<Memory> docs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                docs.add(m.create("/doc/" + i, "before " + i));
            }
            installHangTrigger();
            installPoisonTrigger();

            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Memory>> writes = new ArrayList<>();
            writes.add(start("in-flight", m, docs.get(0), "first " + HANG, threads));
            int first = awaitHangingBackend(0);
            for (int i = 1; i < 5; i++) {
                // member 2's version is refused by the database, in the group and again alone
                writes.add(start("member-" + i, m, docs.get(i), "member " + i + (i == 2 ? " " + POISON : ""),
                        threads));
                awaitQueued(threads.get(i));
            }
            long groupedBefore = GroupCommitProbe.groupedCommits(backend);
            cancel(first); // the commit in flight fails; the four queued behind it are written as one group
            assertThatThrownBy(() -> writes.get(0).get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StorageException.class);

            for (int i = 1; i < 5; i++) {
                int n = i;
                if (i == 2) {
                    assertThatThrownBy(() -> writes.get(n).get(60, TimeUnit.SECONDS)).as("the poisoned member")
                            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StorageException.class);
                } else {
                    assertThat(writes.get(i).get(60, TimeUnit.SECONDS).text()).as("member %d", n)
                            .isEqualTo("member " + i);
                }
            }
            assertThat(GroupCommitProbe.groupedCommits(backend) - groupedBefore).as("one group of four").isEqualTo(4);
            for (int i = 0; i < 5; i++) {
                boolean written = i == 1 || i == 3 || i == 4;
                assertThat(m.get(docs.get(i).id()).text()).as("doc %d", i)
                        .isEqualTo(written ? "member " + i : "before " + i);
                assertThat(m.versions(VersionQuery.ofMemory(docs.get(i).id()).build()).items()).as("doc %d", i)
                        .hasSize(written ? 2 : 1);
            }
            assertThat(memory.workspace("ws_group").stores().verify(store.id()).broken()).isEmpty();
        }
    }
}
