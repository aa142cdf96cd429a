package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memctl mcp --session}: the MCP SDK's client starts memctl as a stdio server and uses a session's memory. */
class MemctlMcpIT {

    @TempDir
    Path dir;

    private static String call(McpSyncClient client, String tool, Map<String, Object> args, boolean error) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args, null));
        String text = ((McpSchema.TextContent) r.content().get(0)).text();
        assertThat(r.isError()).as(tool + ": " + text).isEqualTo(error);
        return text;
    }

    @Test
    void toolsResourcesAndReadOnlyRefusalOverStdio() {
        Path db = dir.resolve("memory.db");
        Session session;
        MemoryStore notes;
        MemoryStore rules;
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(db)).build()) {
            Workspace ws = memory.workspace("acme");
            notes = ws.stores().create(NewStore.named("Project notes").build());
            rules = ws.stores().create(NewStore.named("Conventions").build());
            ws.memories(rules.id(), Actor.user("ana")).create("/style.md", "Use tabs.\n");
            session = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id()),
                    AttachmentSpec.readOnly(rules.id())));
        }
        ServerParameters params = ServerParameters.builder(MemctlProcess.javaBin())
                .args("-jar", MemctlProcess.JAR.toAbsolutePath().toString(), "--db", db.toString(), "-w", "acme",
                        "mcp", "--session", session.id().value())
                .build();
        try (McpSyncClient client = McpClient.sync(new StdioClientTransport(params, McpJsonDefaults.getMapper()))
                // initialize() starts the memctl process, whose JVM may take longer than the SDK's 20 s default to
                // start on a busy machine
                .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build()) {
            client.initialize();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .containsExactlyInAnyOrder("view", "create", "str_replace", "insert", "delete", "rename", "history");
            String n = "project-notes";
            assertThat(call(client, "create", Map.of("path", "/memories/" + n + "/a.md", "file_text", "one\n"), false))
                    .isEqualTo("File created successfully at: /memories/" + n + "/a.md");
            call(client, "str_replace", Map.of("path", "/memories/" + n + "/a.md", "old_str", "one", "new_str", "two"),
                    false);
            call(client, "insert", Map.of("path", "/memories/" + n + "/a.md", "insert_line", 1,
                    "insert_text", "three\n"), false);
            assertThat(call(client, "view", Map.of("path", "/memories/" + n + "/a.md"), false))
                    .contains("two", "three");
            call(client, "rename", Map.of("old_path", "/memories/" + n + "/a.md", "new_path", "/memories/" + n + "/b.md"),
                    false);
            assertThat(call(client, "history", Map.of("path", "/memories/" + n + "/b.md"), false)
                    .lines().filter(l -> l.startsWith("memver_")).count()).isEqualTo(4);
            McpSchema.ReadResourceResult file = client.readResource(new McpSchema.ReadResourceRequest(
                    "memory://conventions/style.md"));
            assertThat(((McpSchema.TextResourceContents) file.contents().get(0)).text()).isEqualTo("Use tabs.\n");
            call(client, "str_replace", Map.of("path", "/memories/conventions/style.md",
                    "old_str", "tabs", "new_str", "spaces"), true);
            assertThat(call(client, "delete", Map.of("path", "/memories/" + n + "/b.md"), false))
                    .isEqualTo("Successfully deleted /memories/" + n + "/b.md");
        }
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(db)).build()) {
            Workspace ws = memory.workspace("acme");
            var versions = ws.memories(notes.id(), Actor.user("check")).versions(VersionQuery.all()).items();
            assertThat(versions).hasSize(5);
            assertThat(versions).allSatisfy(v -> assertThat(v.createdBy()).isEqualTo(Actor.session(session.id())));
            assertThat(ws.memories(rules.id(), Actor.user("check")).versions(VersionQuery.all()).items()).hasSize(1);
        }
    }
}
