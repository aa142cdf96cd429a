package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * The MCP conversation every transport must hold: list the tools, call each, read a resource, and be refused a write
 * to a read-only mount; then check the library saw the session's writes and nothing else.
 */
final class McpScenario {

    final Workspace workspace;
    final MemoryStore notes;
    final MemoryStore rules;
    final Session session;

    private McpScenario(Workspace workspace, MemoryStore notes, MemoryStore rules, Session session) {
        this.workspace = workspace;
        this.notes = notes;
        this.rules = rules;
        this.session = session;
    }

    /** A session with a read-write store ("project-notes") and a read-only one ("conventions"). */
    static McpScenario prepare(AgentMemory memory, String workspaceId) {
        Workspace ws = memory.workspace(workspaceId);
        MemoryStore notes = ws.stores().create(NewStore.named("Project notes").build());
        MemoryStore rules = ws.stores().create(NewStore.named("Conventions").build());
        ws.memories(rules.id(), Actor.user("ana")).create("/style.md", "Use tabs.\n");
        Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id()),
                AttachmentSpec.readOnly(rules.id())));
        return new McpScenario(ws, notes, rules, session);
    }

    private static String call(McpSyncClient client, String tool, Map<String, Object> args, boolean error) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args, null));
        String text = ((McpSchema.TextContent) r.content().get(0)).text();
        assertThat(r.isError()).as(tool + ": " + text).isEqualTo(error);
        return text;
    }

    void run(McpSyncClient client) {
        client.initialize();
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .containsExactlyInAnyOrder("view", "create", "str_replace", "insert", "delete", "rename", "history");

        String n = "project-notes";
        assertThat(call(client, "create", Map.of("path", "/memories/project-notes/build.md",
                "file_text", "Run mvn verify.\n"), false)).isEqualTo("File created successfully at: /memories/project-notes/build.md");
        assertThat(call(client, "create", Map.of("path", "/memories/project-notes/build.md", "file_text", "x"), true))
                .contains("already exists");
        assertThat(call(client, "str_replace", Map.of("path", "/memories/project-notes/build.md",
                "old_str", "mvn verify", "new_str", "mvn -B verify"), false)).contains("The memory file has been edited.");
        assertThat(call(client, "insert", Map.of("path", "/memories/project-notes/build.md", "insert_line", 0,
                "insert_text", "# Build\n"), false)).isEqualTo("The file /memories/project-notes/build.md has been edited.");
        assertThat(call(client, "view", Map.of("path", "/memories/project-notes/build.md"), false))
                .contains("Here's the content of /memories/project-notes/build.md with line numbers:", "# Build", "mvn -B verify");
        assertThat(call(client, "view", Map.of("path", "/memories"), false)).contains("/memories/project-notes/build.md");
        assertThat(call(client, "rename", Map.of("old_path", "/memories/project-notes/build.md",
                "new_path", "/memories/project-notes/docs/build.md"), false))
                .isEqualTo("Successfully renamed /memories/project-notes/build.md to /memories/project-notes/docs/build.md");
        String history = call(client, "history", Map.of("path", "/memories/project-notes/docs/build.md"), false);
        assertThat(history.lines().filter(l -> l.startsWith("memver_")).count()).isEqualTo(4);
        assertThat(history).contains("session_actor:" + session.id().value());

        // resources: a mount's listing and one file
        McpSchema.ReadResourceResult listing = client.readResource(new McpSchema.ReadResourceRequest(
                "memory://project-notes/"));
        assertThat(((McpSchema.TextResourceContents) listing.contents().get(0)).text()).contains("/docs/build.md");
        McpSchema.ReadResourceResult file = client.readResource(new McpSchema.ReadResourceRequest(
                "memory://conventions/style.md"));
        assertThat(((McpSchema.TextResourceContents) file.contents().get(0)).text()).isEqualTo("Use tabs.\n");

        // the read-only mount refuses every write, and nothing changes
        call(client, "str_replace", Map.of("path", "/memories/conventions/style.md",
                "old_str", "tabs", "new_str", "spaces"), true);
        call(client, "create", Map.of("path", "/memories/conventions/new.md", "file_text", "x"), true);
        assertThat(call(client, "view", Map.of("path", "/memories/conventions/style.md"), false))
                .contains("Use tabs.");

        assertThat(call(client, "delete", Map.of("path", "/memories/project-notes/docs"), false))
                .isEqualTo("Successfully deleted /memories/project-notes/docs");
        assertThat(call(client, "view", Map.of("path", "/memories/project-notes/../etc"), true)).isNotBlank();

        // the library saw exactly the session's writes
        var versions = workspace.memories(notes.id(), Actor.user("check"))
                .versions(dev.agentmemory.model.VersionQuery.all()).items();
        assertThat(versions).hasSize(5);
        assertThat(versions).allSatisfy(v -> assertThat(v.createdBy()).isEqualTo(Actor.session(session.id())));
        assertThat(workspace.memories(rules.id(), Actor.user("check")).versions(dev.agentmemory.model.VersionQuery.all())
                .items()).hasSize(1);
    }
}
