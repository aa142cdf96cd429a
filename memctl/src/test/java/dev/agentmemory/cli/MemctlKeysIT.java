package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.cli.MemctlProcess.Result;
import dev.agentmemory.server.ApiKey;
import dev.agentmemory.server.ServerDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memctl keys}: the server's API keys created, listed and revoked from the command line, as a process. */
class MemctlKeysIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Result memctl(String... args) {
        List<String> all = new ArrayList<>(List.of("--db", dir.resolve("memory.db").toString()));
        all.addAll(List.of(args));
        return MemctlProcess.run(dir, Map.of(), new byte[0], all);
    }

    @Test
    void aMissingDatabaseIsNotCreated() {
        memctl("-w", "acme", "keys", "create", "ci runner").assertFails(3, "no database at");
        assertThat(dir.resolve("memory.db")).doesNotExist();
    }

    @Test
    void anotherApplicationsDatabaseIsRefusedUntouched() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("memory.db");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)");
        }
        memctl("-w", "acme", "keys", "create", "ci runner").assertFails(9, "not an agent-memory database");
        List<String> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables).containsExactly("orders");
    }

    @Test
    void createListRevoke() throws Exception {
        memctl("init").assertOk();
        JsonNode created = JSON.readTree(memctl("--json", "-w", "acme", "keys", "create", "ci runner").assertOk().out());
        String id = created.get("id").asText();
        String secret = created.get("secret").asText();
        assertThat(id).startsWith("apikey_");
        assertThat(secret).startsWith("amk_");
        assertThat(created.get("workspace_id").asText()).isEqualTo("acme");

        try (ServerDatabase db = ServerDatabase.sqlite(dir.resolve("memory.db"))) {
            assertThat(db.apiKeys().authenticate(secret)).map(ApiKey::id).contains(id);
            assertThat(db.apiKeys().authenticate(secret + "x")).isEmpty();
        }
        memctl("-w", "other", "keys", "create", "theirs").assertOk();

        String table = memctl("-w", "acme", "keys", "list").assertOk().out();
        assertThat(table).contains(id, "ci runner").doesNotContain("theirs").doesNotContain(secret);
        assertThat(JSON.readTree(memctl("--json", "keys", "list", "--all-workspaces").assertOk().out())).hasSize(2);

        assertThat(memctl("keys", "revoke", id).assertOk().out()).contains("revoked " + id);
        try (ServerDatabase db = ServerDatabase.sqlite(dir.resolve("memory.db"))) {
            assertThat(db.apiKeys().authenticate(secret)).isEmpty();
            assertThat(db.apiKeys().find(id).flatMap(ApiKey::revokedAt)).isPresent();
            assertThat(db.apiKeys().list(Optional.empty())).hasSize(2);
        }
        memctl("keys", "revoke", "apikey_doesnotexist").assertFails(3, "no API key apikey_doesnotexist");
        memctl("-w", "acme", "keys", "create", "").assertFails(6, "name");
    }
}
