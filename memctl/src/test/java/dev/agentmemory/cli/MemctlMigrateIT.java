package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.model.WorkspaceId;
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
 * {@code memctl migrate} from a SQLite file into a real PostgreSQL server (the one {@code AGENT_MEMORY_PG_URL} names,
 * in a schema of its own): everything arrives, compared field by field through the library on both sides. Skipped
 * without the variable, except in CI ({@code CI=true}), where it fails.
 */
class MemctlMigrateIT {

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
                fail("the memctl migration test cannot run in CI: " + why);
            }
            Assumptions.abort(why);
        }
        schema = "memctl_migrate_" + ProcessHandle.current().pid();
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

    /** Two workspaces; stores with several actors, a rename, a deletion, a redaction; an archived store; sessions. */
    private List<SessionId> fill(Path db) {
        List<SessionId> sessions = new ArrayList<>();
        try (AgentMemory m = AgentMemory.builder().backend(JdbcBackend.sqlite(db)).build()) {
            for (String wsName : List.of("acme", "globex")) {
                Workspace ws = m.workspace(wsName);
                MemoryStore notes = ws.stores().create(NewStore.named("Project notes").description("learned")
                        .metadata("team", wsName).contentLimitBytes(10_000).build());
                MemoryStore ref = ws.stores().create(NewStore.named("Reference").build());
                Memories op = ws.memories(notes.id(), Actor.user("alice"));
                Memory a = op.create("/a.md", "first, with a secret");
                op.update(a.id(), MemoryUpdate.content("second"));
                Memory b = ws.memories(notes.id(), Actor.serviceAccount("sa_ci")).create("/dir/b.md", "bee ✓");
                ws.memories(notes.id(), Actor.apiKey("key_1")).update(b.id(), MemoryUpdate.path("/dir/c.md"));
                Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id()),
                        AttachmentSpec.readOnly(ref.id()).withInstructions("reference only")));
                Memory t = s.mount(notes.id()).create("/tmp.md", "by the agent");
                s.mount(notes.id()).delete(t.id());
                ws.memories(ref.id(), Actor.user("alice")).create("/ref.md", "read me");
                MemoryVersion secret = op.versions(VersionQuery.builder().build()).items().stream()
                        .filter(v -> v.memoryId().equals(a.id())).reduce((x, y) -> y).orElseThrow();
                ws.stores().redact(notes.id(), secret.id(), Actor.user("admin"));
                sessions.add(s.id());
                ws.stores().archive(ref.id());
            }
        }
        return sessions;
    }

    /** Everything in a workspace, as values: stores, memories with content, versions with content, sessions. */
    private static List<Object> everything(AgentMemory m, WorkspaceId id, List<SessionId> sessions) {
        Workspace ws = m.workspace(id);
        List<Object> out = new ArrayList<>();
        for (MemoryStore s : ws.stores().list(StoreQuery.builder().includeArchived(true).limit(100).build())
                .items()) {
            out.add(s);
            Memories mem = ws.memories(s.id(), Actor.user("reader"));
            for (ListEntry e : mem.list(ListQuery.under("/").limit(100).build()).items()) {
                if (e instanceof Memory memory) {
                    out.add(mem.get(memory.id()));
                }
            }
            out.add(mem.versions(VersionQuery.builder().includeContent(true).limit(100).build()).items());
        }
        for (SessionId sid : sessions) {
            try {
                SessionInfo info = ws.sessions().get(sid).info();
                out.add(info);
            } catch (dev.agentmemory.error.NotFoundException e) {
                // a session of the other workspace
            }
        }
        return out;
    }

    @Test
    void migrateKeepsStoresHistoryArchiveStateAndSessions() throws Exception {
        Path db = dir.resolve("memory.db");
        List<SessionId> sessions = fill(db);

        MemctlProcess.Result r = MemctlProcess.run(dir, Map.of("AGENT_MEMORY_PG_PASSWORD", "unused-with-trust"),
                new byte[0], List.of("migrate", "--from", db.toString(), "--to", url));
        r.assertOk();
        assertThat(r.out()).contains("[acme 1/2]", "[acme 2/2]", "[globex 2/2]", "archived", "[acme] 1 sessions",
                "migrated 2 workspaces, 4 stores,");
        assertThat(r.err()).isEmpty();

        try (AgentMemory from = AgentMemory.builder().backend(JdbcBackend.sqlite(db)).build();
                AgentMemory to = AgentMemory.builder().backend(JdbcBackend.postgres(url, null, null)).build()) {
            assertThat(to.workspaces()).isEqualTo(from.workspaces())
                    .containsExactly(WorkspaceId.of("acme"), WorkspaceId.of("globex"));
            for (WorkspaceId ws : from.workspaces()) {
                List<Object> source = everything(from, ws, sessions);
                assertThat(source).hasSizeGreaterThan(6);
                assertThat(everything(to, ws, sessions)).isEqualTo(source);
            }
            // the archived store is still archived and the live ones still writable
            Workspace acme = to.workspace("acme");
            MemoryStore notes = acme.stores().list(StoreQuery.builder().build()).items().get(0);
            assertThat(notes.isArchived()).isFalse();
            acme.memories(notes.id(), Actor.user("bob")).create("/after.md", "written after the move");
            assertThat(acme.sessions().get(sessions.get(0)).info().attachments()).hasSize(2);
        }

        // a second run stops at the first store that is already there, and says so
        MemctlProcess.run(dir, Map.of(), new byte[0], List.of("migrate", "--from", db.toString(), "--to", url))
                .assertFails(4, "exists already");
        // a source that is not there creates nothing
        MemctlProcess.run(dir, Map.of(), new byte[0], List.of("migrate", "--from", "missing.db", "--to", url))
                .assertFails(3, "no database at missing.db");
    }

    @Test
    void purgeAllAcrossWorkspaces() throws Exception {
        Path db = dir.resolve("memory.db");
        fill(db);
        MemctlProcess.Result one = MemctlProcess.run(dir, Map.of(), new byte[0], List.of("--db", db.toString(),
                "-w", "acme", "--json", "purge", "--all", "--older-than", "0s", "--keep", "0"));
        JsonNode report = JSON.readTree(one.assertOk().out());
        assertThat(report.get("workspaces")).hasSize(1);
        assertThat(report.get("workspaces").get(0).get("stores_purged").asInt()).isEqualTo(1);
        assertThat(report.get("workspaces").get(0).get("stores_skipped").asInt()).isEqualTo(1);
        MemctlProcess.Result all = MemctlProcess.run(dir, Map.of(), new byte[0], List.of("--db", db.toString(),
                "purge", "--all", "--all-workspaces", "--older-than", "0s", "--keep", "0"));
        assertThat(all.assertOk().out()).contains("purged workspace acme: 1 stores (1 archived skipped)",
                "purged workspace globex: 1 stores (1 archived skipped)");
        try (AgentMemory m = AgentMemory.builder().backend(JdbcBackend.sqlite(db)).build()) {
            for (String ws : List.of("acme", "globex")) {
                for (MemoryStore s : m.workspace(ws).stores().list(StoreQuery.builder().includeArchived(true)
                        .build()).items()) {
                    List<MemoryVersion> left = m.workspace(ws).memories(s.id(), Actor.user("r"))
                            .versions(VersionQuery.builder().limit(100).build()).items();
                    if (s.isArchived()) {
                        assertThat(left).as("archived store keeps everything").hasSize(1);
                    } else {
                        assertThat(left).as("only the heads of live memories").hasSize(2);
                    }
                }
            }
        }
        MemctlProcess.run(dir, Map.of(), new byte[0], List.of("--db", db.toString(), "purge", "--all", "notes"))
                .assertFails(2, "not both");
    }
}
