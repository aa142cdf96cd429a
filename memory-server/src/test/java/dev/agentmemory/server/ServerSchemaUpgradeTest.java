package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.jdbc.SchemaException;
import dev.agentmemory.model.WorkspaceId;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A database whose server tables were made by the server's schema as it was before it shared the library's migrator
 * (history columns {@code name} and {@code applied_at} in milliseconds, {@code VARCHAR} types, scripts split at every
 * {@code ;}) still opens: the scripts it has are accepted by their checksums, the missing ones are applied and
 * recorded in the same table and columns, and an edited or newer history is refused. On SQLite and PostgreSQL.
 */
class ServerSchemaUpgradeTest {

    private static final String HISTORY = "agent_memory_server_schema_history";

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void clean() {
        cleanup.forEach(Runnable::run);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aDatabaseWithOnlyTheFirstScriptGetsTheSecond(String dialect) throws Exception {
        String url = database(dialect);
        legacySchema(url, "V1__api_keys.sql");
        try (ServerDatabase db = open(dialect, url)) {
            assertThat(db.apiKeys().authenticate(db.apiKeys().create(WorkspaceId.of("acme"), "ci").secret()))
                    .isPresent();
        }
        List<String> history = rows(url, "SELECT version, name, checksum, applied_at FROM " + HISTORY
                + " ORDER BY version");
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).isEqualTo("1|V1__api_keys.sql|" + sha256(script("V1__api_keys.sql")) + "|42");
        assertThat(history.get(1)).startsWith("2|V2__rate_windows.sql|" + sha256(script("V2__rate_windows.sql")) + "|");
        long stamp = Long.parseLong(history.get(1).substring(history.get(1).lastIndexOf('|') + 1));
        assertThat(stamp).as("applied_at stays in milliseconds")
                .isBetween(System.currentTimeMillis() - 600_000, System.currentTimeMillis());
        assertThat(rows(url, "SELECT COUNT(*) FROM agent_memory_server_rate_windows")).containsExactly("0");
        assertThat(rows(url, "SELECT COUNT(*) FROM agent_memory_server_api_keys")).containsExactly("1");

        try (ServerDatabase db = open(dialect, url)) {
            assertThat(db.apiKeys().list(java.util.Optional.empty())).hasSize(1);
        }
        assertThat(rows(url, "SELECT version, name, checksum, applied_at FROM " + HISTORY + " ORDER BY version"))
                .as("reopening applies nothing").isEqualTo(history);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aDatabaseWithEveryScriptOpensUnchanged(String dialect) throws Exception {
        String url = database(dialect);
        legacySchema(url, "V1__api_keys.sql", "V2__rate_windows.sql");
        List<String> before = rows(url, "SELECT version, name, checksum, applied_at FROM " + HISTORY
                + " ORDER BY version");
        try (ServerDatabase db = open(dialect, url)) {
            assertThat(db.apiKeys().list(java.util.Optional.empty())).isEmpty();
        }
        assertThat(rows(url, "SELECT version, name, checksum, applied_at FROM " + HISTORY + " ORDER BY version"))
                .isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anEditedScriptIsRefusedAndNothingIsApplied(String dialect) throws Exception {
        String url = database(dialect);
        legacySchema(url, "V1__api_keys.sql");
        exec(url, "UPDATE " + HISTORY + " SET checksum = '" + sha256("edited") + "' WHERE version = 1");
        assertThatThrownBy(() -> open(dialect, url).close()).isInstanceOf(SchemaException.class)
                .hasMessageContaining("V1__api_keys.sql").hasMessageContaining(sha256("edited"));
        assertThat(rows(url, "SELECT version FROM " + HISTORY)).containsExactly("1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aNewerServerSchemaIsRefused(String dialect) throws Exception {
        String url = database(dialect);
        legacySchema(url, "V1__api_keys.sql", "V2__rate_windows.sql");
        exec(url, "INSERT INTO " + HISTORY + " (version, name, checksum, applied_at) VALUES (3,"
                + " 'V3__from_the_future.sql', '" + sha256("future") + "', 42)");
        assertThatThrownBy(() -> open(dialect, url).close()).isInstanceOf(SchemaException.class)
                .hasMessageContaining("version 3").hasMessageContaining("run a newer memory-server");
    }

    // ---- fixtures

    /** A fresh database: a SQLite file, or a PostgreSQL schema dropped afterwards. */
    private String database(String dialect) throws Exception {
        if (dialect.equals("sqlite")) {
            Path dir = Files.createTempDirectory("server-schema");
            cleanup.add(() -> {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (java.io.IOException ignored) {
                    // a temp folder left behind
                }
            });
            return "jdbc:sqlite:" + dir.resolve("memory.db");
        }
        String base = ServerProcess.postgresUrl();
        String schema = "srvschema_" + UUID.randomUUID().toString().replace("-", "");
        exec(base, "CREATE SCHEMA " + schema);
        cleanup.add(() -> {
            try {
                exec(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static ServerDatabase open(String dialect, String url) {
        return dialect.equals("sqlite") ? ServerDatabase.sqlite(Path.of(url.substring("jdbc:sqlite:".length())))
                : ServerDatabase.postgres(url, "", "", 2);
    }

    /**
     * Lays down the server's tables as the server did before: its history table's own DDL, each script cut at every
     * {@code ;} with its comment lines dropped, and a history row stamped 42 (milliseconds) per script.
     */
    private static void legacySchema(String url, String... scripts) throws Exception {
        exec(url, "CREATE TABLE " + HISTORY + " (version INTEGER NOT NULL PRIMARY KEY,"
                + " name VARCHAR(255) NOT NULL, checksum VARCHAR(64) NOT NULL, applied_at BIGINT NOT NULL)");
        for (String name : scripts) {
            String sql = script(name);
            for (String statement : sql.split(";")) {
                String body = statement.lines().filter(l -> !l.strip().startsWith("--"))
                        .reduce("", (a, b) -> a + "\n" + b).strip();
                if (!body.isEmpty()) {
                    exec(url, body);
                }
            }
            int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
            exec(url, "INSERT INTO " + HISTORY + " (version, name, checksum, applied_at) VALUES (" + version + ", '"
                    + name + "', '" + sha256(sql) + "', 42)");
        }
    }

    private static String script(String name) throws Exception {
        try (InputStream in = ServerSchemaUpgradeTest.class.getResourceAsStream(
                "/dev/agentmemory/server/schema-scripts/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        }
    }

    private static void exec(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> rows(String url, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
