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
import dev.agentmemory.spi.ChainEntry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a group of commits sends to PostgreSQL. A test connection holds the store row's lock, so that one update waits
 * in the database while more updates of the same store queue behind it in this JVM; when the lock is released, the
 * queued updates are written as one group. A group of updates, each of one memory and conditioned on its head, takes
 * the store row's lock once and then sends one statement per member (no savepoint, no re-read of the store): its
 * members were made against a store another commit has moved since, so each is checked against, and relinked onto,
 * the store as the member before it left it. A member whose statement fails (a trigger of the test schema refuses
 * its version) takes the whole group back, since it has no savepoint of its own, and each member is then written
 * alone, with the outcome it would have had alone.
 */
class PostgresGroupStatementsTest {

    private static final int MEMBERS = 4;
    private static final AtomicInteger COUNT = new AtomicInteger();

    private PostgresFixture pg;
    private String url;
    private String app;
    private HikariDataSource real;
    private ContentCacheTest.RecordingDataSource recording;
    private JdbcBackend backend;
    private AgentMemory memory;
    private MemoryStore store;
    private Memories writer;

    @BeforeEach
    void open() {
        pg = new PostgresFixture();
        url = pg.newSchemaUrl();
        app = "am_groupstmts_" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + "&ApplicationName=" + app);
        config.setMaximumPoolSize(MEMBERS + 4);
        real = new HikariDataSource(config);
        recording = new ContentCacheTest.RecordingDataSource(real);
        backend = JdbcBackend.builder().dataSource(recording).dialect(Dialect.POSTGRESQL).build();
        memory = AgentMemory.builder().backend(backend).build();
        store = memory.workspace("w").stores().create(NewStore.named("group").build());
        writer = memory.workspace("w").memories(store.id(), Actor.user("u"));
    }

    @AfterEach
    void close() {
        try {
            memory.close();
            real.close();
        } finally {
            pg.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aGroupOfUpdatesLocksTheStoreOnceAndSendsOneStatementPerMember() throws Exception {
        List<Memory> docs = new ArrayList<>();
        for (int i = 0; i <= MEMBERS; i++) {
            docs.add(writer.create("/doc/" + i, "zero " + i));
        }
        List<CompletableFuture<Memory>> writes = new ArrayList<>();
        long groupedBefore;
        try (Connection holder = holdStoreLock()) {
            List<Thread> threads = new ArrayList<>();
            writes.add(start("in-flight", () -> writer.update(docs.get(0).id(), MemoryUpdate.content("one 0")),
                    threads));
            awaitLockWait();
            for (int i = 1; i <= MEMBERS; i++) {
                int n = i;
                writes.add(start("member-" + i, () -> writer.update(docs.get(n).id(),
                        MemoryUpdate.content("one " + n)), threads));
                awaitQueued(threads.get(i));
            }
            groupedBefore = GroupCommitProbe.groupedCommits(backend);
            recording.sent.clear();
            holder.commit();
        }
        for (int i = 0; i <= MEMBERS; i++) {
            assertThat(writes.get(i).get(60, TimeUnit.SECONDS).text()).isEqualTo("one " + i);
        }
        assertThat(GroupCommitProbe.groupedCommits(backend) - groupedBefore).as("one group").isEqualTo(MEMBERS);
        // the in-flight update's statement was sent before the lock was released; then the group: the store row's
        // lock taken once, one statement per member (COMMIT is not a statement here)
        List<String> sent = List.copyOf(recording.sent);
        assertThat(sent).as("statements of a group of %d updates", MEMBERS).hasSize(MEMBERS + 1);
        assertThat(sent.get(0)).startsWith("SELECT id, workspace_id").endsWith("FROM am_store WHERE id = ? FOR UPDATE");
        assertThat(sent.subList(1, sent.size())).allMatch(PostgresGroupStatementsTest::isMemberStatement);

        for (int i = 0; i <= MEMBERS; i++) {
            assertThat(contents(docs.get(i))).containsExactly("one " + i, "zero " + i);
        }
        assertChainWholeAndVerified(2L * (MEMBERS + 1));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aMemberWhoseStatementFailsTakesTheGroupBackAndEachMemberIsWrittenAlone() throws Exception {
        List<Memory> docs = new ArrayList<>();
        for (int i = 0; i <= 3; i++) {
            docs.add(writer.create("/doc/" + i, "zero " + i));
        }
        // a trigger of the test schema fails the insert of a version whose content holds a marker, with an error
        // that is not transient: it aborts the group's transaction after the member before it was applied in it
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION " + schema + ".refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN"
                    + "   IF position(convert_to('REFUSE', 'UTF8') in NEW.content) > 0 THEN"
                    + "     RAISE EXCEPTION 'refused by the test';"
                    + "   END IF;"
                    + "   RETURN NEW;"
                    + " END $$");
            s.execute("CREATE TRIGGER refuse_marked BEFORE INSERT ON " + schema + ".am_version"
                    + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".refuse_marked()");
        }
        List<CompletableFuture<Memory>> writes = new ArrayList<>();
        try (Connection holder = holdStoreLock()) {
            List<Thread> threads = new ArrayList<>();
            writes.add(start("in-flight", () -> writer.update(docs.get(0).id(), MemoryUpdate.content("one 0")),
                    threads));
            awaitLockWait();
            for (int i = 1; i <= 3; i++) {
                String content = i == 2 ? "one 2 REFUSE" : "one " + i;
                Memory doc = docs.get(i);
                writes.add(start("member-" + i, () -> writer.update(doc.id(), MemoryUpdate.content(content)),
                        threads));
                awaitQueued(threads.get(i));
            }
            recording.sent.clear();
            holder.commit();
        }
        assertThat(writes.get(0).get(60, TimeUnit.SECONDS).text()).isEqualTo("one 0");
        assertThat(writes.get(1).get(60, TimeUnit.SECONDS).text()).isEqualTo("one 1");
        assertThatThrownBy(() -> writes.get(2).get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StorageException.class);
        assertThat(writes.get(3).get(60, TimeUnit.SECONDS).text()).isEqualTo("one 3");
        // the group was tried up to the failing member and taken back whole; then every member was written alone
        List<String> sent = List.copyOf(recording.sent);
        assertThat(sent.get(0)).endsWith("FOR UPDATE");
        assertThat(sent.subList(1, 3)).allMatch(PostgresGroupStatementsTest::isMemberStatement);
        assertThat(sent.stream().filter(PostgresGroupStatementsTest::isMemberStatement)).as("member statements")
                .hasSize(2);
        assertThat(sent.subList(3, sent.size())).as("statements of the members written alone").isNotEmpty()
                .noneMatch(PostgresGroupStatementsTest::isMemberStatement);

        assertThat(contents(docs.get(1))).containsExactly("one 1", "zero 1");
        assertThat(contents(docs.get(2))).containsExactly("zero 2");
        assertThat(writer.get(docs.get(2).id()).text()).isEqualTo("zero 2");
        assertThat(contents(docs.get(3))).containsExactly("one 3", "zero 3");
        assertChainWholeAndVerified(4 + 3);
    }

    /** Tells whether a statement is a group member's one statement, conditioned on the memory's head. */
    private static boolean isMemberStatement(String sql) {
        return sql.startsWith("WITH s AS (UPDATE am_store SET seq = seq + 1") && sql.contains("head_version_id = ?)");
    }

    /** Opens a transaction that holds the store row's lock until it commits. */
    private Connection holdStoreLock() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM am_store WHERE id = ? FOR UPDATE")) {
            ps.setString(1, store.id().value());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
        }
        return c;
    }

    /** Waits (at most 30 s) until a connection of the backend waits for a lock in the database. */
    private void awaitLockWait() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'")) {
            ps.setString(1, app);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("no write waited for the store row's lock");
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

    private static CompletableFuture<Memory> start(String name, Supplier<Memory> write, List<Thread> threads) {
        CompletableFuture<Memory> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(write.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return result;
    }

    /** A memory's versions' contents, newest first. */
    private List<String> contents(Memory doc) {
        return writer.versions(VersionQuery.ofMemory(doc.id()).includeContent(true).build()).items().stream()
                .map(v -> v.content().orElseThrow()).toList();
    }

    /** The store's chain: one position per version, from 1 without a gap, and it verifies. */
    private void assertChainWholeAndVerified(long versions) {
        List<ChainEntry> chain = backend.listChain(store.id(), 1, Long.MAX_VALUE);
        assertThat(chain).hasSize((int) versions);
        for (int i = 0; i < chain.size(); i++) {
            assertThat(chain.get(i).position()).isEqualTo(i + 1L);
        }
        assertThat(memory.workspace("w").stores().verify(store.id()).broken()).isEmpty();
    }
}
