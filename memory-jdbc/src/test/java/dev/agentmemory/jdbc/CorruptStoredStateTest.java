package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.VersionQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fail closed on stored enums: a row whose access, operation or actor type is not one of the known values (a
 * corrupted file, a hand-edited row, a value written by a newer version) is refused as a storage failure on a real
 * SQLite file and a real PostgreSQL schema. In particular a corrupted access of a read-write attachment never opens
 * a session that can write, and nothing is written.
 */
class CorruptStoredStateTest {

    /** Values that are not {@code read_write} or {@code read_only}, some of them close to one. */
    private static final List<String> BAD_ACCESS = List.of("", "READ_WRITE", "read-write", "read_write ", "readwrite",
            "write", "admin", "read_only\u0000", "null");

    static List<Arguments> cases() {
        List<Arguments> out = new java.util.ArrayList<>();
        for (String dialect : List.of("sqlite", "postgresql")) {
            for (String bad : BAD_ACCESS) {
                out.add(Arguments.of(dialect, bad));
            }
        }
        return out;
    }

    /** One database, opened through new backends (so no cache answers) and through raw JDBC to corrupt it. */
    private record Db(Supplier<AgentMemory> open, String jdbcUrl, AutoCloseable fixture) implements AutoCloseable {
        static Db of(String dialect) {
            if (dialect.equals("sqlite")) {
                SqliteFixture fixture = new SqliteFixture();
                Path file = fixture.nextFile();
                return new Db(() -> AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build(),
                        "jdbc:sqlite:" + file, fixture);
            }
            PostgresFixture fixture = new PostgresFixture();
            String url = fixture.newSchemaUrl();
            return new Db(() -> AgentMemory.builder().backend(JdbcBackend.postgres(url, "postgres", "")).build(),
                    url, fixture);
        }

        int update(String sql, String... args) throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        }

        long count(String sql, String arg) throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        @Override
        public void close() throws Exception {
            fixture.close();
        }
    }

    @ParameterizedTest(name = "{0}: access ''{1}''")
    @MethodSource("cases")
    void aCorruptedAccessNeverGrantsWrite(String dialect, String bad) throws Exception {
        try (Db db = Db.of(dialect)) {
            MemoryStore store;
            SessionId sessionId;
            try (AgentMemory memory = db.open().get()) {
                Workspace ws = memory.workspace("ws_corrupt");
                store = ws.stores().create(NewStore.named("Notes").build());
                Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
                s.mount("notes").create("/a.md", "before");
                sessionId = s.id();
            }
            assertThat(db.update("UPDATE am_session SET attachments = REPLACE(attachments, ?, ?) WHERE id = ?",
                    "\"read_write\"", jsonString(bad), sessionId.value())).isEqualTo(1);
            long versionsBefore = db.count("SELECT count(*) FROM am_version WHERE store_id = ?", store.id().value());

            try (AgentMemory memory = db.open().get()) {
                Workspace ws = memory.workspace("ws_corrupt");
                assertThatThrownBy(() -> ws.sessions().get(sessionId).mount("notes").create("/b.md", "after"))
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining("unknown access");
                assertThatThrownBy(() -> ws.sessions().get(sessionId).mount("notes")
                        .update(ws.memories(store.id(), Actor.apiKey("op")).getByPath("/a.md").id(),
                                dev.agentmemory.model.MemoryUpdate.content("after")))
                        .isInstanceOf(StorageException.class);
            }
            assertThat(db.count("SELECT count(*) FROM am_version WHERE store_id = ?", store.id().value()))
                    .as("nothing was written").isEqualTo(versionsBefore);
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sqlite", "postgresql"})
    void aCorruptedOperationOrActorTypeIsAStorageFailure(String dialect) throws Exception {
        try (Db db = Db.of(dialect)) {
            MemoryStore store;
            try (AgentMemory memory = db.open().get()) {
                Workspace ws = memory.workspace("ws_corrupt");
                store = ws.stores().create(NewStore.named("Notes").build());
                ws.memories(store.id(), Actor.apiKey("op")).create("/a.md", "x");
            }
            db.update("UPDATE am_version SET operation = ? WHERE store_id = ?", "renamed", store.id().value());
            try (AgentMemory memory = db.open().get()) {
                assertThatThrownBy(() -> memory.workspace("ws_corrupt").memories(store.id(), Actor.apiKey("op"))
                        .versions(VersionQuery.all()))
                        .isInstanceOf(StorageException.class).hasMessageContaining("unknown operation 'renamed'");
            }
            db.update("UPDATE am_version SET operation = ?, actor_type = ? WHERE store_id = ?", "created",
                    "root_actor", store.id().value());
            try (AgentMemory memory = db.open().get()) {
                assertThatThrownBy(() -> memory.workspace("ws_corrupt").memories(store.id(), Actor.apiKey("op"))
                        .versions(VersionQuery.all()))
                        .isInstanceOf(StorageException.class).hasMessageContaining("unknown actor type 'root_actor'");
            }
        }
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\u0000", "\\u0000") + "\"";
    }
}
