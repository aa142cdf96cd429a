package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the backend does with the schema on open, on SQLite and PostgreSQL: a fresh database gets every script and
 * one history row per script with the script's checksum; reopening applies nothing; an edited applied script, a
 * schema newer than the library or (with migrations off) a missing schema fail the open with
 * {@link SchemaException} and change nothing; threads and processes opening a fresh database at once apply each
 * script exactly once.
 */
class SchemaMigrationTest {

    private static final String HISTORY = "agent_memory_schema_history";
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__.+\\.sql");

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    // ================================================================ one database of either dialect

    /** A database to open backends on and to look into with plain JDBC. */
    private final class Db {
        final Dialect dialect;
        final String location;

        Db(String dialect) {
            if (dialect.equals("sqlite")) {
                SqliteFixture fixture = new SqliteFixture();
                cleanup.add(fixture::close);
                this.dialect = Dialect.SQLITE;
                this.location = fixture.nextFile().toString();
            } else {
                PostgresFixture fixture = new PostgresFixture();
                cleanup.add(fixture::close);
                this.dialect = Dialect.POSTGRESQL;
                this.location = fixture.newSchemaUrl();
            }
        }

        JdbcBackend open(boolean migrate) {
            DataSource ds;
            if (dialect == Dialect.SQLITE) {
                ds = JdbcBackend.sqliteDataSource(Path.of(location));
            } else {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(location);
                config.setMaximumPoolSize(2);
                ds = new HikariDataSource(config);
            }
            return JdbcBackend.builder().dataSource(ds).dialect(dialect).migrate(migrate).closeDataSource(true)
                    .build();
        }

        Connection raw() throws SQLException {
            return DriverManager.getConnection(dialect == Dialect.SQLITE ? "jdbc:sqlite:" + location : location);
        }

        void exec(String sql) throws SQLException {
            try (Connection c = raw(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        List<String> rows(String sql) throws SQLException {
            List<String> out = new ArrayList<>();
            try (Connection c = raw(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        b.append(i > 1 ? " | " : "").append(rs.getString(i));
                    }
                    out.add(b.toString());
                }
            }
            return out;
        }

        List<String> tables() throws SQLException {
            return dialect == Dialect.SQLITE
                    ? rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                    : rows("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                            + " ORDER BY table_name");
        }

        /** Everything the tests compare before and after an open: the schema's objects and all the rows. */
        List<String> snapshot() throws SQLException {
            List<String> out = new ArrayList<>();
            if (dialect == Dialect.SQLITE) {
                out.addAll(rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"));
            } else {
                out.addAll(rows("SELECT table_name, column_name, data_type, collation_name, is_nullable"
                        + " FROM information_schema.columns WHERE table_schema = current_schema()"
                        + " ORDER BY table_name, ordinal_position"));
                out.addAll(rows("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                        + " ORDER BY indexname"));
                out.addAll(rows("SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                        + " WHERE c.relnamespace = current_schema()::regnamespace ORDER BY tgname"));
            }
            for (String table : tables()) {
                out.add("rows of " + table + ":");
                out.addAll(rows("SELECT * FROM " + table + " ORDER BY 1"));
            }
            return out;
        }

        List<String> history() throws SQLException {
            return rows("SELECT version, script, checksum FROM " + HISTORY + " ORDER BY version");
        }
    }

    /** The scripts in the library's resources for a dialect, as history rows: version | script | checksum. */
    private static List<String> expectedHistory(Dialect dialect) {
        URL folder = JdbcBackend.class.getResource("/dev/agentmemory/jdbc/schema/" + dialect.folder() + "/");
        assertThat(folder).isNotNull();
        List<String[]> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            for (Path p : files.toList()) {
                Matcher m = SCRIPT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    String text = Files.readString(p, StandardCharsets.UTF_8).replace("\r\n", "\n");
                    scripts.add(new String[] {m.group(1), p.getFileName().toString(), sha256(text)});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertThat(scripts).isNotEmpty();
        return scripts.stream().sorted((a, b) -> Integer.compare(Integer.parseInt(a[0]), Integer.parseInt(b[0])))
                .map(s -> String.join(" | ", s)).toList();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MemoryStore writeSomething(JdbcBackend backend) {
        AgentMemory memory = AgentMemory.builder().backend(backend).build();
        MemoryStore store = memory.workspace("ws_schema").stores().create(NewStore.named("schema").build());
        memory.workspace("ws_schema").memories(store.id(), Actor.user("u")).create("/a.md", "hello");
        return store;
    }

    private static String readSomething(JdbcBackend backend, MemoryStore store) {
        AgentMemory memory = AgentMemory.builder().backend(backend).build();
        return memory.workspace("ws_schema").memories(store.id(), Actor.user("u")).getByPath("/a.md").text();
    }

    // ================================================================ the tests

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aFreshDatabaseGetsTheSchemaAndOneHistoryRowPerScriptWithItsChecksum(String dialect) throws Exception {
        Db db = new Db(dialect);
        long before = System.currentTimeMillis() * 1000;
        try (JdbcBackend backend = db.open(true)) {
            long after = System.currentTimeMillis() * 1000;
            assertThat(db.history()).containsExactlyElementsOf(expectedHistory(db.dialect));
            assertThat(db.tables()).contains("am_store", "am_memory", "am_version", "am_session", HISTORY);
            for (String installed : db.rows("SELECT installed_at FROM " + HISTORY)) {
                assertThat(Long.parseLong(installed)).isBetween(before, after);
            }
            MemoryStore store = writeSomething(backend);
            assertThat(readSomething(backend, store)).isEqualTo("hello");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void v4UpgradesADatabaseMadeByV1AloneAndItsOldVersionsReadWithoutPolicyRedactions(String dialect)
            throws Exception {
        Db db = new Db(dialect);
        // What a library that knew only V1 left: its script applied, its history row, a store with one memory.
        String v1 = expectedHistory(db.dialect).get(0);
        assertThat(v1).startsWith("1 | V1__");
        String script;
        try (var in = JdbcBackend.class.getResourceAsStream("/dev/agentmemory/jdbc/schema/" + db.dialect.folder()
                + "/V1__initial_schema.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        }
        try (Connection c = db.raw(); Statement st = c.createStatement()) {
            for (String statement : script.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
            st.execute("CREATE TABLE " + HISTORY + " (version INTEGER NOT NULL PRIMARY KEY, script TEXT NOT NULL,"
                    + " checksum TEXT NOT NULL, installed_at BIGINT NOT NULL)");
            st.execute("INSERT INTO " + HISTORY + " VALUES (1, 'V1__initial_schema.sql', '" + v1.split(" \\| ")[2]
                    + "', 0)");
            st.execute("INSERT INTO am_store VALUES ('memstore_01', 'ws_schema', 'old', '', '{}', NULL, NULL, 1, 1,"
                    + " NULL, 1, 1)");
            st.execute("INSERT INTO am_memory VALUES ('memstore_01', 'mem_01', '/a.md', "
                    + (db.dialect == Dialect.SQLITE ? "X'6f6c64'" : "'\\x6f6c64'::bytea")
                    + ", '" + sha256("old") + "', 3, 'memver_01', 1, 1)");
            st.execute("INSERT INTO am_version (store_id, id, memory_id, operation, path, content, content_sha256,"
                    + " content_size, actor_type, actor_id, created_at) VALUES ('memstore_01', 'memver_01', 'mem_01',"
                    + " 'created', '/a.md', " + (db.dialect == Dialect.SQLITE ? "X'6f6c64'" : "'\\x6f6c64'::bytea")
                    + ", '" + sha256("old") + "', 3, 'user_actor', 'u', 1)");
        }
        try (JdbcBackend backend = db.open(true)) {
            assertThat(db.history()).containsExactlyElementsOf(expectedHistory(db.dialect));
            assertThat(db.tables()).contains("am_policy_event", "am_quarantine");
            MemoryVersion old = backend.findVersion(StoreId.of("memstore_01"), VersionId.of("memver_01"))
                    .orElseThrow();
            assertThat(old.content()).contains("old");
            assertThat(old.policyRedactions()).isEmpty();
            assertThat(backend.listPolicyEvents(StoreId.of("memstore_01"), java.util.Optional.empty(), 10)).isEmpty();
            assertThat(backend.listQuarantined(StoreId.of("memstore_01"), java.util.Optional.empty(), 10)).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void theHistoryIsStampedByTheMigratorsClock() throws Exception {
        Db db = new Db("sqlite");
        java.time.Instant at = java.time.Instant.parse("2031-05-06T07:08:09.123Z");
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db.location);
        dev.agentmemory.jdbc.internal.Transactions tx = new dev.agentmemory.jdbc.internal.Transactions(ds,
                Dialect.SQLITE, dev.agentmemory.spi.RetryPolicy.transientFailures(java.time.Duration.ofSeconds(5)),
                java.util.Optional.empty());
        assertThat(new dev.agentmemory.jdbc.internal.Migrator(tx, java.time.Clock.fixed(at, java.time.ZoneOffset.UTC))
                .migrate()).isNotEmpty();
        assertThat(db.rows("SELECT installed_at FROM " + HISTORY))
                .containsOnly(String.valueOf(at.toEpochMilli() * 1000));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void reopeningAppliesNothing(String dialect) throws Exception {
        Db db = new Db(dialect);
        MemoryStore store;
        try (JdbcBackend backend = db.open(true)) {
            store = writeSomething(backend);
        }
        List<String> snapshot = db.snapshot();
        assertThat(snapshot).anyMatch(r -> r.contains(store.id().value()));
        for (boolean migrate : new boolean[] {true, false, true}) {
            try (JdbcBackend backend = db.open(migrate)) {
                assertThat(db.snapshot()).as("reopened, migrate=" + migrate).isEqualTo(snapshot);
                assertThat(readSomething(backend, store)).isEqualTo("hello");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anAppliedScriptWhoseChecksumDiffersFailsTheOpenAndChangesNothing(String dialect) throws Exception {
        Db db = new Db(dialect);
        MemoryStore store;
        try (JdbcBackend backend = db.open(true)) {
            store = writeSomething(backend);
        }
        String first = expectedHistory(db.dialect).get(0);
        String version = first.substring(0, first.indexOf(' '));
        String script = first.split(" \\| ")[1];
        db.exec("UPDATE " + HISTORY + " SET checksum = '" + sha256("edited") + "' WHERE version = " + version);
        List<String> snapshot = db.snapshot();
        for (boolean migrate : new boolean[] {true, false}) {
            assertThatThrownBy(() -> db.open(migrate)).as("migrate=" + migrate)
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining(script)
                    .hasMessageContaining(sha256("edited"));
            assertThat(db.snapshot()).as("nothing changed, migrate=" + migrate).isEqualTo(snapshot);
        }
        // Restoring the recorded checksum makes the database usable again, data intact.
        db.exec("UPDATE " + HISTORY + " SET checksum = '" + first.split(" \\| ")[2] + "' WHERE version = " + version);
        try (JdbcBackend backend = db.open(true)) {
            assertThat(readSomething(backend, store)).isEqualTo("hello");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSchemaNewerThanTheLibraryFailsTheOpenAndChangesNothing(String dialect) throws Exception {
        Db db = new Db(dialect);
        try (JdbcBackend backend = db.open(true)) {
            writeSomething(backend);
        }
        List<String> expected = expectedHistory(db.dialect);
        String last = expected.get(expected.size() - 1);
        int newer = Integer.parseInt(last.substring(0, last.indexOf(' '))) + 1;
        db.exec("INSERT INTO " + HISTORY + " (version, script, checksum, installed_at) VALUES (" + newer
                + ", 'V" + newer + "__from_the_future.sql', '" + sha256("future") + "', 0)");
        List<String> snapshot = db.snapshot();
        for (boolean migrate : new boolean[] {true, false}) {
            assertThatThrownBy(() -> db.open(migrate)).as("migrate=" + migrate)
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("version " + newer)
                    .hasMessageContaining("newer");
            assertThat(db.snapshot()).as("nothing changed, migrate=" + migrate).isEqualTo(snapshot);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void withMigrationsOffAnEmptyDatabaseFailsAndAfterAMigratingOpenItOpens(String dialect) throws Exception {
        Db db = new Db(dialect);
        assertThatThrownBy(() -> db.open(false)).isInstanceOf(SchemaException.class)
                .hasMessageContaining("not installed");
        assertThat(db.tables()).as("nothing created").isEmpty();

        // Only the history table, without rows: the scripts are missing.
        db.exec("CREATE TABLE " + HISTORY + " (version INTEGER NOT NULL PRIMARY KEY, script TEXT NOT NULL,"
                + " checksum TEXT NOT NULL, installed_at BIGINT NOT NULL)");
        List<String> snapshot = db.snapshot();
        assertThatThrownBy(() -> db.open(false)).isInstanceOf(SchemaException.class)
                .hasMessageContaining("has not been applied");
        assertThat(db.snapshot()).isEqualTo(snapshot);

        MemoryStore store;
        try (JdbcBackend backend = db.open(true)) {
            store = writeSomething(backend);
        }
        assertThat(db.history()).containsExactlyElementsOf(expectedHistory(db.dialect));
        try (JdbcBackend backend = db.open(false)) {
            assertThat(readSomething(backend, store)).isEqualTo("hello");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void threadsOpeningAFreshDatabaseAtOnceApplyEachScriptOnce(String dialect) throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 3; round++) {
                Db db = new Db(dialect);
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<String>> opened = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    opened.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        try (JdbcBackend backend = db.open(true)) {
                            return backend.dialect().toString();
                        }
                    }));
                }
                for (Future<String> f : opened) {
                    assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(db.dialect.toString());
                }
                assertThat(db.history()).as("round " + round).containsExactlyElementsOf(expectedHistory(db.dialect));
                try (JdbcBackend backend = db.open(false)) {
                    MemoryStore store = writeSomething(backend);
                    assertThat(readSomething(backend, store)).isEqualTo("hello");
                }
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void processesAndThreadsOpeningAFreshDatabaseAtOnceApplyEachScriptOnce(String dialect) throws Exception {
        Db db = new Db(dialect);
        Path signals = Files.createTempDirectory("agent-memory-race");
        cleanup.add(() -> {
            try (Stream<Path> files = Files.list(signals)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(signals);
        });
        Path go = signals.resolve("go");
        List<Process> children = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 2; i++) {
                Path out = signals.resolve("child-" + i + ".out");
                outputs.add(out);
                children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        MigrationRaceMain.class.getName(), dialect, db.location, go.toString())
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try (Stream<Path> files = Files.list(signals)) {
                    if (files.filter(f -> f.getFileName().toString().startsWith("go.ready-")).count() == 2) {
                        break;
                    }
                }
                assertThat(System.nanoTime()).as("the children started").isLessThan(deadline);
                assertThat(children).allMatch(Process::isAlive);
                Thread.sleep(10);
            }
            CyclicBarrier start = new CyclicBarrier(3);
            List<Future<String>> opened = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                opened.add(pool.submit((Callable<String>) () -> {
                    start.await(30, TimeUnit.SECONDS);
                    try (JdbcBackend backend = db.open(true)) {
                        return "OPENED " + backend.dialect();
                    }
                }));
            }
            Files.createFile(go);
            start.await(30, TimeUnit.SECONDS);
            for (Future<String> f : opened) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo("OPENED " + db.dialect);
            }
            for (int i = 0; i < children.size(); i++) {
                Process p = children.get(i);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
                String output = Files.readString(outputs.get(i));
                assertThat(p.exitValue()).as(output).isZero();
                assertThat(output).contains("OPENED " + db.dialect);
            }
            assertThat(db.history()).containsExactlyElementsOf(expectedHistory(db.dialect));
        } finally {
            for (Process p : children) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
