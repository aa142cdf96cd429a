package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.jdbc.internal.Migrator;
import dev.agentmemory.jdbc.internal.Transactions;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spi.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upgrading a database made by schema version 1, in which a memory's row held a second copy of its head's content,
 * to version 2, in which the content lives in the version's row only. The version 1 database is made as the library
 * of that version made it: the version 1 script applied and recorded by the migrator, and rows written with the
 * statements of that version (head content in {@code am_memory.content}). Opening it with this library upgrades it in
 * place; every memory, version and content is then read back intact through the public API, including a redacted
 * version, a deleted memory's history, text with NUL and non-ASCII characters, and 100 KiB of content.
 */
class SchemaUpgradeTest {

    private static final String WS = "ws_upgrade";
    private static final long T0 = 1_700_000_000_000_000L;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** What one version of the fixture holds. */
    private record V(String id, String memory, Operation op, String path, String content, boolean redacted) {
    }

    private static final String BIG = "0123456789abcdef".repeat(6400); // 100 KiB

    private static final List<V> S1 = List.of(
            new V("memver_0001", "mem_a", Operation.CREATED, "/notes/a.md", "alpha", false),
            new V("memver_0002", "mem_b", Operation.CREATED, "/notes/b.md", "secret", true),
            new V("memver_0003", "mem_a", Operation.MODIFIED, "/notes/a.md", "alpha two\u0000nul \u00e9\u4e2d", false),
            new V("memver_0004", "mem_b", Operation.MODIFIED, "/notes/b.md", "public", false),
            new V("memver_0005", "mem_c", Operation.CREATED, "/notes/c.md", "gone", false),
            new V("memver_0006", "mem_c", Operation.DELETED, "/notes/c.md", null, false));
    private static final List<V> S2 = List.of(
            new V("memver_0007", "mem_d", Operation.CREATED, "/big.md", BIG, false));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aVersionOneDatabaseIsUpgradedInPlaceWithEveryMemoryVersionAndContentIntact(String dialect) throws Exception {
        boolean sqlite = dialect.equals("sqlite");
        String location;
        if (sqlite) {
            SqliteFixture f = new SqliteFixture();
            cleanup.add(f::close);
            location = f.nextFile().toString();
        } else {
            PostgresFixture f = new PostgresFixture();
            cleanup.add(f::close);
            location = f.newSchemaUrl();
        }
        Dialect d = sqlite ? Dialect.SQLITE : Dialect.POSTGRESQL;
        String url = sqlite ? "jdbc:sqlite:" + location : location;

        // ---- a version 1 database, as the version 1 library made it
        DataSource v1 = dataSource(d, location);
        try {
            assertThat(new Migrator(new Transactions(v1, d, RetryPolicy.transientFailures(Duration.ofSeconds(10)),
                    Optional.empty())).migrate(1)).containsExactly(1);
        } finally {
            ((AutoCloseable) v1).close();
        }
        try (Connection c = DriverManager.getConnection(url)) {
            insertStore(c, "memstore_one", 6, 2);
            insertStore(c, "memstore_two", 1, 1);
            insertVersions(c, "memstore_one", S1);
            insertVersions(c, "memstore_two", S2);
            insertHead(c, "memstore_one", S1.get(2));
            insertHead(c, "memstore_one", S1.get(3));
            insertHead(c, "memstore_two", S2.get(0));
            assertThat(columns(c, "am_memory")).contains("content");
        }

        // ---- opened by this library: upgraded, and everything is there
        try (JdbcBackend backend = d == Dialect.SQLITE ? JdbcBackend.sqlite(Path.of(location))
                : JdbcBackend.postgres(location, null, null);
                AgentMemory am = AgentMemory.builder().backend(backend).build()) {
            try (Connection c = DriverManager.getConnection(url)) {
                assertThat(columns(c, "am_memory")).doesNotContain("content").contains("head_version_id");
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT version FROM agent_memory_schema_history ORDER BY version")) {
                    List<Integer> versions = new ArrayList<>();
                    while (rs.next()) {
                        versions.add(rs.getInt(1));
                    }
                    assertThat(versions).startsWith(1, 2);
                }
            }
            Memories one = am.workspace(WS).memories(StoreId.of("memstore_one"), Actor.user("u"));
            Memories two = am.workspace(WS).memories(StoreId.of("memstore_two"), Actor.user("u"));

            assertThat(one.get(MemoryId.of("mem_a")).text()).isEqualTo(S1.get(2).content());
            assertThat(one.getByPath("/notes/a.md").contentSha256()).isEqualTo(sha(S1.get(2).content()));
            assertThat(one.getByPath("/notes/b.md").text()).isEqualTo("public");
            assertThatThrownBy(() -> one.getByPath("/notes/c.md")).isInstanceOf(NotFoundException.class);
            assertThat(two.get(MemoryId.of("mem_d")).text()).isEqualTo(BIG);
            assertThat(one.list(ListQuery.under("/notes/").build()).items()).extracting(ListEntry::path)
                    .containsExactly("/notes/a.md", "/notes/b.md");

            assertThat(versionsWithContent(one)).isEqualTo(expected(S1));
            assertThat(versionsWithContent(two)).isEqualTo(expected(S2));
            MemoryVersion redacted = one.version(dev.agentmemory.model.VersionId.of("memver_0002"));
            assertThat(redacted.redactedAt()).isPresent();
            assertThat(redacted.content()).isEmpty();

            // and it writes on: a new version, served as the head, history kept
            Memory updated = one.update(MemoryId.of("mem_a"), MemoryUpdate.content("alpha three"));
            assertThat(one.get(MemoryId.of("mem_a")).text()).isEqualTo("alpha three");
            assertThat(one.versions(VersionQuery.ofMemory(MemoryId.of("mem_a")).includeContent(true).build())
                    .items()).extracting(v -> v.content().orElse(null))
                    .containsExactly("alpha three", S1.get(2).content(), "alpha");
            assertThat(updated.headVersionId()).isNotEqualTo(dev.agentmemory.model.VersionId.of("memver_0003"));
        }
    }

    private static Map<String, String> expected(List<V> versions) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            V v = versions.get(i);
            out.put(v.id() + " " + v.op().wireName(), v.redacted() || v.content() == null ? "(none)" : v.content());
        }
        return out;
    }

    private static Map<String, String> versionsWithContent(Memories m) {
        Map<String, String> out = new LinkedHashMap<>();
        for (MemoryVersion v : m.versions(VersionQuery.builder().limit(100).includeContent(true).build()).items()) {
            out.put(v.id().value() + " " + v.operation().wireName(), v.content().orElse("(none)"));
        }
        return out;
    }

    private static DataSource dataSource(Dialect d, String location) {
        if (d == Dialect.SQLITE) {
            return JdbcBackend.sqliteDataSource(Path.of(location));
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(location);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.add(rs.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    // ---- the rows, as the version 1 library's statements wrote them

    private static void insertStore(Connection c, String id, long seq, long memoryCount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO am_store (id, workspace_id, name, description,"
                + " metadata, content_limit_bytes, memory_limit, created_at, updated_at, archived_at, seq,"
                + " memory_count) VALUES (?, ?, ?, '', '{}', NULL, NULL, ?, ?, NULL, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, WS);
            ps.setString(3, id);
            ps.setLong(4, T0);
            ps.setLong(5, T0);
            ps.setLong(6, seq);
            ps.setLong(7, memoryCount);
            ps.executeUpdate();
        }
    }

    private static void insertVersions(Connection c, String store, List<V> versions) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO am_version (store_id, id, memory_id, operation,"
                + " path, content_sha256, content_size, actor_type, actor_id, created_at, redacted_at,"
                + " redacted_by_type, redacted_by_id, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (V v : versions) {
                boolean content = v.content() != null && !v.redacted();
                ps.setString(1, store);
                ps.setString(2, v.id());
                ps.setString(3, v.memory());
                ps.setString(4, v.op().wireName());
                if (v.redacted()) {
                    ps.setNull(5, Types.VARCHAR);
                } else {
                    ps.setString(5, v.path());
                }
                if (content) {
                    ps.setString(6, sha(v.content()));
                    ps.setLong(7, v.content().getBytes(StandardCharsets.UTF_8).length);
                } else {
                    ps.setNull(6, Types.VARCHAR);
                    ps.setNull(7, Types.BIGINT);
                }
                ps.setString(8, "user_actor");
                ps.setString(9, "u");
                ps.setLong(10, T0 + ++n);
                if (v.redacted()) {
                    ps.setLong(11, T0 + 100);
                    ps.setString(12, "user_actor");
                    ps.setString(13, "admin");
                } else {
                    ps.setNull(11, Types.BIGINT);
                    ps.setNull(12, Types.VARCHAR);
                    ps.setNull(13, Types.VARCHAR);
                }
                if (content) {
                    ps.setBytes(14, v.content().getBytes(StandardCharsets.UTF_8));
                } else {
                    ps.setNull(14, Types.BINARY);
                }
                ps.executeUpdate();
            }
        }
    }

    private static void insertHead(Connection c, String store, V head) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO am_memory (store_id, id, path, content,"
                + " content_sha256, content_size, head_version_id, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            byte[] bytes = head.content().getBytes(StandardCharsets.UTF_8);
            ps.setString(1, store);
            ps.setString(2, head.memory());
            ps.setString(3, head.path());
            ps.setBytes(4, bytes);
            ps.setString(5, sha(head.content()));
            ps.setLong(6, bytes.length);
            ps.setString(7, head.id());
            ps.setLong(8, T0 + 1);
            ps.setLong(9, T0 + 50);
            ps.executeUpdate();
        }
    }

    private static String sha(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
