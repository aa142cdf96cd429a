package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs memctl with {@code --url} against the PostgreSQL server named by {@code AGENT_MEMORY_PG_URL} (a JDBC URL with
 * the user in it, as {@code scripts/pg-test-server.sh start} prints), in a schema of its own. Without that variable
 * the test is skipped, except in CI ({@code CI=true}), where it fails.
 */
class MemctlPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String serverUrl;
    private String schema;
    private String url;

    @BeforeEach
    void createSchema() throws SQLException {
        serverUrl = System.getenv("AGENT_MEMORY_PG_URL");
        if (serverUrl == null || serverUrl.isBlank()) {
            String why = "AGENT_MEMORY_PG_URL is not set: start a test server with"
                    + " eval \"$(scripts/pg-test-server.sh start)\"";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the memctl PostgreSQL test cannot run in CI: " + why);
            }
            Assumptions.abort(why);
        }
        schema = "memctl_it_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        url = serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private MemctlProcess.Result memctl(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--url", url, "--actor", "user:alice"));
        all.addAll(List.of(args));
        return MemctlProcess.run(dir, Map.of("AGENT_MEMORY_PG_PASSWORD", "unused-with-trust"),
                stdin.getBytes(StandardCharsets.UTF_8), all);
    }

    @Test
    void commandsWorkOnPostgres() throws Exception {
        memctl("", "stores", "list").assertFails(9, "not an agent-memory database");
        memctl("", "init").assertOk();
        String id = memctl("", "stores", "create", "pg-notes").assertOk().out().strip();
        memctl("on postgres\n", "write", "pg-notes", "/pg.md").assertOk();
        memctl("changed\n", "--user", "postgres", "write", "pg-notes", "/pg.md").assertOk();
        assertThat(memctl("", "cat", "pg-notes", "/pg.md").assertOk().out()).isEqualTo("changed\n");
        JsonNode log = JSON.readTree(memctl("", "--json", "log", "pg-notes").assertOk().out());
        assertThat(log).hasSize(2);
        memctl("", "ls", "missing-store").assertFails(3, "missing-store");

        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.postgres(url, null, null)).build()) {
            List<MemoryVersion> versions = memory.workspace("default").memories(StoreId.of(id), Actor.user("t"))
                    .versions(VersionQuery.builder().includeContent(true).build()).items();
            assertThat(versions).extracting(MemoryVersion::createdBy).containsOnly(Actor.user("alice"));
            assertThat(versions.get(0).content()).contains("changed\n");
            assertThat(versions.get(1).content()).contains("on postgres\n");
        }

        MemctlProcess.run(dir, Map.of(), new byte[0], List.of("--url", "jdbc:postgresql://127.0.0.1:1/none",
                "stores", "list")).assertFails(9, "cannot open PostgreSQL at jdbc:postgresql://127.0.0.1:1/none");
    }
}
