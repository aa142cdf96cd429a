package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A database made by schema version 1, with history in it, upgraded by opening it with this library: its versions
 * stay as they were, outside the chain, and verification says so ({@code unchainedVersions}); the chain starts with
 * the next write and verifies, including after a redaction of an unchained version.
 */
class ChainUpgradeTest {

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aVersion1DatabaseUpgradesWithItsVersionsUnchained(String dialect) throws Exception {
        String url;
        Dialect d;
        if (dialect.equals("sqlite")) {
            SqliteFixture fixture = new SqliteFixture();
            cleanup.add(fixture::close);
            Path file = fixture.nextFile();
            url = file.toString();
            d = Dialect.SQLITE;
        } else {
            PostgresFixture fixture = new PostgresFixture();
            cleanup.add(fixture::close);
            url = fixture.newSchemaUrl();
            d = Dialect.POSTGRESQL;
        }
        // A history made elsewhere, to copy into the version 1 tables as rows.
        MemoryStore store;
        Memory memory;
        List<MemoryVersion> versions;
        try (AgentMemory scratch = AgentMemory.builder().backend(InMemoryBackend.create()).build()) {
            store = scratch.workspace("ws_old").stores().create(NewStore.named("old").build());
            Memories m = scratch.workspace("ws_old").memories(store.id(), Actor.user("old_user"));
            Memory first = m.create("/old.md", "written before chains");
            memory = m.update(first.id(), MemoryUpdate.content("still before chains"));
            versions = m.versions(VersionQuery.builder().includeContent(true).build()).items();
        }
        try (Connection c = DriverManager.getConnection(d == Dialect.SQLITE ? "jdbc:sqlite:" + url : url)) {
            String v1;
            try (InputStream in = JdbcBackend.class.getResourceAsStream("/dev/agentmemory/jdbc/schema/"
                    + d.folder() + "/V1__initial_schema.sql")) {
                v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
            }
            try (Statement s = c.createStatement()) {
                StringBuilder cur = new StringBuilder();
                for (String line : v1.split("\n")) {
                    if (line.strip().startsWith("--") || line.isBlank()) {
                        continue;
                    }
                    cur.append(line).append('\n');
                    if (line.strip().endsWith(";")) {
                        s.execute(cur.toString().strip().replaceAll(";$", ""));
                        cur.setLength(0);
                    }
                }
                s.execute("CREATE TABLE agent_memory_schema_history (version INTEGER NOT NULL PRIMARY KEY,"
                        + " script TEXT NOT NULL, checksum TEXT NOT NULL, installed_at BIGINT NOT NULL)");
                s.execute("INSERT INTO agent_memory_schema_history VALUES (1, 'V1__initial_schema.sql', '"
                        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(v1.getBytes(StandardCharsets.UTF_8))) + "', 0)");
            }
            insert(c, "INSERT INTO am_store VALUES (?, ?, ?, ?, '{}', NULL, NULL, ?, ?, NULL, ?, 1)",
                    store.id().value(), "ws_old", store.name(), store.description(), micros(store.createdAt()),
                    micros(store.updatedAt()), 2L);
            insert(c, "INSERT INTO am_memory VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", store.id().value(),
                    memory.id().value(), memory.path(), memory.text().getBytes(StandardCharsets.UTF_8),
                    memory.contentSha256(), memory.contentSizeBytes(), memory.headVersionId().value(),
                    micros(memory.createdAt()), micros(memory.updatedAt()));
            for (MemoryVersion v : versions) {
                insert(c, "INSERT INTO am_version VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
                        store.id().value(), v.id().value(), v.memoryId().value(), v.operation().wireName(),
                        v.path().orElseThrow(), v.content().orElseThrow().getBytes(StandardCharsets.UTF_8),
                        v.contentSha256().orElseThrow(), v.contentSizeBytes().orElseThrow(),
                        v.createdBy().type().wireName(), v.createdBy().id(), micros(v.createdAt()));
            }
        }

        JdbcBackend backend = d == Dialect.SQLITE ? JdbcBackend.sqlite(Path.of(url))
                : JdbcBackend.postgres(url, "postgres", "");
        try (AgentMemory upgraded = AgentMemory.builder().backend(backend).build()) {
            var stores = upgraded.workspace("ws_old").stores();
            ChainReport before = stores.verify(store.id());
            assertThat(before.broken()).isEmpty();
            assertThat(before.unchainedVersions()).isEqualTo(2);
            assertThat(before.linksVerified()).isZero();

            Memories m = upgraded.workspace("ws_old").memories(store.id(), Actor.user("new_user"));
            assertThat(m.get(memory.id()).text()).isEqualTo("still before chains");
            m.update(memory.id(), MemoryUpdate.content("the first chained version"));
            stores.redact(store.id(), versions.get(versions.size() - 1).id(), Actor.user("admin"));
            ChainReport after = stores.verify(store.id());
            assertThat(after.broken()).isEmpty();
            assertThat(after.versionsVerified()).isEqualTo(1);
            assertThat(after.unchainedVersions()).isEqualTo(2);
            assertThat(after.head().length()).isEqualTo(1);
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    private static void insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof byte[] b) {
                    ps.setBytes(i + 1, b);
                } else if (a instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setString(i + 1, (String) a);
                }
            }
            ps.executeUpdate();
        }
    }
}
