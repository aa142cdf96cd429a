package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The caches. Content: a commit's new heads are cached by version id, so that the next read or write of those
 * memories does not fetch the bytes just written. Heads (SQLite): a head read while the database's change counter
 * stood still is served again with no database access until any write moves the counter, in this process or another;
 * a head changed by another backend or another process is never served stale. The store's row (its revision) is
 * cached the same way. Database access is observed through a
 * data source that counts connections and records the SQL of every statement it prepares.
 */
class ContentCacheTest {

    private static final String CONTENT_SELECT = "SELECT v.content FROM am_memory m JOIN am_version v";
    private static final String HEAD_SELECT = "SELECT id, path, content_sha256";

    private final SqliteFixture files = new SqliteFixture();

    @AfterEach
    void removeFiles() {
        files.close();
    }

    @Test
    void aReadAfterAWriteTakesTheContentFromTheCache() {
        Path file = files.nextFile();
        try (PooledDataSource real = JdbcBackend.sqliteDataSource(file)) {
            RecordingDataSource recording = new RecordingDataSource(real);
            try (AgentMemory am = open(recording)) {
                Memories memories = store(am);
                MemoryId id = memories.create("/notes/a.md", "first").id();
                memories.update(id, MemoryUpdate.content("second"));
                recording.sent.clear();

                assertThat(memories.get(id).text()).isEqualTo("second");
                assertThat(memories.getByPath("/notes/a.md").text()).isEqualTo("second");

                assertThat(recording.sent).as("statements of the reads").isNotEmpty()
                        .noneMatch(s -> s.startsWith(CONTENT_SELECT));
            }
        }
    }

    @Test
    void aWriteAfterAWriteDoesNotFetchTheContentItJustWrote() {
        Path file = files.nextFile();
        try (PooledDataSource real = JdbcBackend.sqliteDataSource(file)) {
            RecordingDataSource recording = new RecordingDataSource(real);
            try (AgentMemory am = open(recording)) {
                Memories memories = store(am);
                MemoryId id = memories.create("/notes/a.md", "first").id();
                recording.sent.clear();

                memories.update(id, MemoryUpdate.content("second"));
                memories.update(id, MemoryUpdate.content("third"));

                assertThat(recording.sent).as("statements of the writes")
                        .anyMatch(s -> s.startsWith("UPDATE am_memory SET"))
                        .noneMatch(s -> s.startsWith(CONTENT_SELECT));
                assertThat(memories.get(id).text()).isEqualTo("third");
            }
        }
    }

    @Test
    void aHeadWrittenByAnotherBackendIsNeverServedStale() {
        Path file = files.nextFile();
        try (TwoSqliteBackends two = TwoSqliteBackends.on(file)) {
            AgentMemory a = two.a;
            AgentMemory b = two.b;
            RecordingDataSource recordingA = two.recordingA;
            Memories ma = store(a);
            MemoryId id = ma.create("/notes/a.md", "first").id();
            ma.update(id, MemoryUpdate.content("second")); // cached in A
            Memories mb = b.workspace("w").memories(ma.storeId(), Actor.user("other"));

            mb.update(id, MemoryUpdate.content("third"));
            recordingA.sent.clear();

            assertThat(ma.get(id).text()).isEqualTo("third");
            assertThat(recordingA.sent).as("A fetched the new head's content").anyMatch(
                    s -> s.startsWith(CONTENT_SELECT));
            assertThat(mb.get(id).text()).isEqualTo("third");
        }
    }

    @Test
    void aHeadReadAgainAfterAnotherBackendWroteReusesItsKeptStatements() {
        Path file = files.nextFile();
        try (PooledDataSource realA = JdbcBackend.sqliteDataSource(file);
                PooledDataSource realB = JdbcBackend.sqliteDataSource(file)) {
            RecordingDataSource recordingA = new RecordingDataSource(realA);
            try (AgentMemory a = open(recordingA); AgentMemory b = open(realB)) {
                Memories ma = store(a);
                MemoryId id = ma.create("/notes/a.md", "first").id();
                Memories mb = b.workspace("w").memories(ma.storeId(), Actor.user("other"));
                recordingA.sent.clear();
                recordingA.sql.clear();
                int rounds = 6;
                for (int i = 0; i < rounds; i++) {
                    // B moves the file's change counter, so A reads the head (and its new content) from the file
                    mb.update(id, MemoryUpdate.content("by b " + i));
                    assertThat(ma.get(id).text()).isEqualTo("by b " + i);
                }
                assertThat(recordingA.sent.stream().filter(s -> s.startsWith(HEAD_SELECT))).as("head reads")
                        .hasSize(rounds);
                // kept per physical connection: compiled at most once per connection of A's pool, not per read
                assertThat(recordingA.sql.stream().filter(s -> s.startsWith(HEAD_SELECT)).count())
                        .as("head reads compiled").isLessThan(rounds / 2);
                assertThat(recordingA.sql.stream().filter(s -> s.startsWith(CONTENT_SELECT)).count())
                        .as("content reads compiled").isLessThan(rounds / 2);
            }
        }
    }

    @Test
    void anUnchangedHeadIsServedAgainWithoutTouchingTheDatabase() {
        Path file = files.nextFile();
        try (PooledDataSource real = JdbcBackend.sqliteDataSource(file)) {
            RecordingDataSource recording = new RecordingDataSource(real);
            try (AgentMemory am = open(recording)) {
                Memories memories = store(am);
                MemoryId id = memories.create("/notes/a.md", "first").id();
                assertThat(memories.get(id).text()).isEqualTo("first");
                recording.sent.clear();
                recording.connections.set(0);

                for (int i = 0; i < 3; i++) {
                    assertThat(memories.get(id).text()).isEqualTo("first");
                    assertThat(memories.getByPath("/notes/a.md").text()).isEqualTo("first");
                }
                assertThat(recording.connections).as("connections taken by cached reads").hasValue(0);

                memories.update(id, MemoryUpdate.content("second"));
                recording.connections.set(0);
                assertThat(memories.getByPath("/notes/a.md").text()).isEqualTo("second");
                assertThat(recording.connections).as("a write moved the counter: the next read asks the database")
                        .hasValue(1);
            }
        }
    }

    @Test
    void theStoreRevisionIsServedFromMemoryUntilAnyBackendWrites() {
        Path file = files.nextFile();
        try (TwoSqliteBackends two = TwoSqliteBackends.on(file)) {
            AgentMemory a = two.a;
            AgentMemory b = two.b;
            RecordingDataSource recordingA = two.recordingA;
            Memories ma = store(a);
            MemoryId id = ma.create("/notes/a.md", "first").id();
            long r = ma.revision();
            recordingA.connections.set(0);
            for (int i = 0; i < 5; i++) {
                assertThat(ma.revision()).isEqualTo(r);
            }
            assertThat(recordingA.connections).as("connections taken by revision reads").hasValue(0);

            Memories mb = b.workspace("w").memories(ma.storeId(), Actor.user("other"));
            mb.update(id, MemoryUpdate.content("second"));
            assertThat(ma.revision()).as("another backend's write is seen at once").isEqualTo(r + 1);
            assertThat(recordingA.connections).as("its write moved the counter: A asked the database")
                    .hasValue(1);
            ma.update(id, MemoryUpdate.content("third"));
            assertThat(mb.revision()).isEqualTo(r + 2);
            assertThat(ma.revision()).isEqualTo(r + 2);
        }
    }

    @Test
    void aCommitLeavesTheStoreRowItWroteSoTheNextRevisionCheckTakesNoConnection() {
        // A live mount checks the revision after each of its own writes; the commit read the row in its own
        // transaction and keeps it under the counter value it left.
        Path file = files.nextFile();
        try (TwoSqliteBackends two = TwoSqliteBackends.on(file)) {
            AgentMemory a = two.a;
            AgentMemory b = two.b;
            RecordingDataSource recordingA = two.recordingA;
            Memories ma = store(a);
            Memories mb = b.workspace("w").memories(ma.storeId(), Actor.user("other"));
            MemoryId id = ma.create("/notes/a.md", "first").id();
            long r = ma.revision();
            ma.update(id, MemoryUpdate.content("second"));
            ma.create("/notes/b.md", "b");
            recordingA.connections.set(0);
            assertThat(ma.revision()).isEqualTo(r + 2).isEqualTo(mb.revision());
            assertThat(ma.store()).isEqualTo(mb.store());
            assertThat(recordingA.connections).as("connections taken by the revision after A's own commit")
                    .hasValue(0);

            mb.update(id, MemoryUpdate.content("third"));
            assertThat(ma.revision()).as("another backend's write is seen at once").isEqualTo(r + 3);
            assertThat(recordingA.connections).as("its write moved the counter: A asked the database")
                    .hasValue(1);
        }
    }

    @Test
    void whatACreateChecksIsServedFromMemoryUntilAnyBackendWritesAndNeverStale() {
        // Before a create the core asks whether the path is taken, whether its parent is a file, whether anything lies
        // under it, and how many memories the store holds: absences, a short scan and a count, all kept like heads.
        Path file = files.nextFile();
        try (TwoSqliteBackends two = TwoSqliteBackends.on(file)) {
            AgentMemory a = two.a;
            AgentMemory b = two.b;
            RecordingDataSource recordingA = two.recordingA;
            var ws = a.workspace("w");
            MemoryStore s = ws.stores().create(NewStore.named("limited").memoryLimit(3).build());
            Memories ma = ws.memories(s.id(), Actor.user("u"));
            Memories mb = b.workspace("w").memories(s.id(), Actor.user("other"));
            ma.create("/notes/a.md", "first");
            byte[] note = "x".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ma.checkWrite("/notes/new.md", note);
            ma.checkWrite("/deep", note);
            assertThat(ma.findByPath("/notes/new.md")).isEmpty();
            recordingA.connections.set(0);
            for (int i = 0; i < 3; i++) {
                ma.checkWrite("/notes/new.md", note);
                ma.checkWrite("/deep", note);
                assertThat(ma.findByPath("/notes/new.md")).isEmpty();
            }
            assertThat(recordingA.connections).as("connections taken by checks and lookups already made")
                    .hasValue(0);

            // another backend (as another process would) takes the path and fills the store
            mb.create("/notes/new.md", "theirs");
            assertThat(ma.findByPath("/notes/new.md")).as("an absence is never served past a write")
                    .map(Memory::text).contains("theirs");
            assertThatThrownBy(() -> ma.checkWrite("/notes/new.md/below", note))
                    .isInstanceOf(dev.agentmemory.error.ConflictException.class);
            mb.create("/deep/x.md", "below");
            assertThatThrownBy(() -> ma.checkWrite("/deep", note)).as("a probe is never served past a write")
                    .isInstanceOf(dev.agentmemory.model.PathConflictException.class);
            assertThatThrownBy(() -> ma.checkWrite("/notes/other.md", note))
                    .as("a count is never served past a write: the store is full")
                    .isInstanceOf(dev.agentmemory.error.LimitExceededException.class);
            mb.delete(mb.getByPath("/deep/x.md").id());
            ma.checkWrite("/notes/other.md", note);
            ma.checkWrite("/deep", note);
        }
    }

    @Test
    void aWriterThatDiedBeforeFinishingItsCommitSendsEveryReadToTheDatabaseUntilTheNextWrite() {
        Path file = files.nextFile();
        try (PooledDataSource real = JdbcBackend.sqliteDataSource(file)) {
            RecordingDataSource recording = new RecordingDataSource(real);
            try (AgentMemory am = open(recording)) {
                Memories memories = store(am);
                MemoryId id = memories.create("/notes/a.md", "first").id();
                memories.get(id);

                // What a writer killed between its two marks leaves behind: an odd counter.
                dev.agentmemory.jdbc.internal.ChangeCounter.beside(file).beginWrite();
                recording.connections.set(0);
                memories.get(id);
                memories.get(id);
                assertThat(recording.connections).as("reads while the counter is odd").hasValue(2);

                memories.update(id, MemoryUpdate.content("second"));
                memories.get(id);
                recording.connections.set(0);
                assertThat(memories.get(id).text()).isEqualTo("second");
                assertThat(recording.connections).as("the next write made the counter even again").hasValue(0);
            }
        }
    }

    @Test
    void aWriteByAnotherProcessIsSeenByTheVeryNextRead() throws Exception {
        Path file = files.nextFile();
        try (AgentMemory am = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build()) {
            Memories memories = store(am);
            MemoryId id = memories.create("/notes/a.md", "v0").id();
            long start = memories.revision();
            try (ChildJvm child = ChildJvm.start("head-writer", file.getParent(), HeadWriter.class,
                    List.of(ChildSupport.sqlite(file), "w", memories.storeId().value(), id.value()))) {
                assertThat(child.awaitLine("READY"::equals, java.time.Duration.ofSeconds(60)))
                        .as("child started" + child.stderrTail()).isPresent();
                for (int i = 1; i <= 25; i++) {
                    // Cache the current head, let the other process write, then read right after it says so.
                    assertThat(memories.getByPath("/notes/a.md").text()).isEqualTo("v" + (i - 1));
                    assertThat(memories.get(id).text()).isEqualTo("v" + (i - 1));
                    child.send("write v" + i);
                    String done = "WROTE v" + i;
                    assertThat(child.awaitLine(done::equals, java.time.Duration.ofSeconds(30)))
                            .as("child wrote v" + i + child.stderrTail()).isPresent();
                    assertThat(memories.get(id).text()).isEqualTo("v" + i);
                    assertThat(memories.getByPath("/notes/a.md").text()).isEqualTo("v" + i);
                    assertThat(memories.revision()).as("the store's revision, cached before the write")
                            .isEqualTo(start + i);
                }
            }
        }
    }

    private static AgentMemory open(DataSource ds) {
        return TwoSqliteBackends.open(ds);
    }

    private static Memories store(AgentMemory am) {
        var ws = am.workspace("w");
        MemoryStore s = ws.stores().create(NewStore.named("cache").build());
        return ws.memories(s.id(), Actor.user("u"));
    }

    /**
     * A data source that passes everything to a real one and records the SQL of every prepared statement and of every
     * statement executed. The physical connection behind a borrowed one ({@code unwrap(Connection.class)}, where the
     * library keeps its SQLite statements) is recorded too, through one proxy per physical connection.
     */
    static final class RecordingDataSource implements DataSource {
        /** The SQL of every statement prepared. */
        final List<String> sql = new CopyOnWriteArrayList<>();
        /** Every statement sent: each execution of a prepared one, and each executed plain one ({@code BEGIN}, ...). */
        final List<String> sent = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        private final DataSource real;
        private final java.util.Map<Connection, Connection> physical =
                java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

        /** Counts down the executions of statements that start with {@link #failPrefix}; the one that reaches 0 fails. */
        final java.util.concurrent.atomic.AtomicInteger failCountdown = new java.util.concurrent.atomic.AtomicInteger();
        private volatile String failPrefix;

        RecordingDataSource(DataSource real) {
            this.real = real;
        }

        /**
         * Makes the {@code nth} execution (counted from now) of a statement starting with {@code prefix} fail once,
         * with an error that is not a transient one (the database is not busy: as a disk that is full).
         */
        void failOnce(String prefix, int nth) {
            failCountdown.set(nth);
            failPrefix = prefix;
        }

        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            return record(real.getConnection());
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            connections.incrementAndGet();
            return record(real.getConnection(user, password));
        }

        /** A statement whose executions go to {@link #sent}: a plain one's SQL, or a prepared one's {@code text}. */
        private <T extends Statement> T executions(T s, Class<T> type, String text) {
            InvocationHandler h = (proxy, method, args) -> {
                if (method.getName().startsWith("execute")) {
                    String what = args != null && args.length > 0 && args[0] instanceof String sqlText ? sqlText
                            : text != null && (args == null || args.length == 0) ? text : null;
                    if (what != null) {
                        sent.add(what);
                        String prefix = failPrefix;
                        if (prefix != null && what.startsWith(prefix) && failCountdown.decrementAndGet() == 0) {
                            failPrefix = null;
                            throw new SQLException("injected failure of " + what, "XX000");
                        }
                    }
                }
                try {
                    return method.invoke(s, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
        }

        private Connection record(Connection c) {
            InvocationHandler h = (proxy, method, args) -> {
                if (method.getName().equals("unwrap") && args[0] == Connection.class) {
                    Connection inner = c.unwrap(Connection.class);
                    return inner == c ? proxy : physical.computeIfAbsent(inner, this::record);
                }
                Object result;
                try {
                    result = method.invoke(c, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String s) {
                    sql.add(s);
                    return executions((PreparedStatement) result, PreparedStatement.class, s);
                }
                return method.getName().equals("createStatement")
                        ? executions((Statement) result, Statement.class, null) : result;
            };
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, h);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return real.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            real.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            real.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return real.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return real.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return real.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return real.isWrapperFor(iface);
        }
    }
}
