package dev.agentmemory.anthropic;

import static dev.agentmemory.anthropic.ToolRunnerEndToEndTest.allVersions;
import static dev.agentmemory.anthropic.ToolRunnerEndToEndTest.assertToolResults;
import static dev.agentmemory.anthropic.ToolRunnerEndToEndTest.run;
import static dev.agentmemory.anthropic.ToolRunnerEndToEndTest.scriptInto;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.anthropic.ToolRunnerEndToEndTest.Call;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.tool.MemoryTool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refused writes through the SDK's tool runner, on the SQLite backend: a read-only attachment and an archived store.
 * The model gets an error {@code tool_result} (prefixed once) and the store gets no version.
 */
class ReadOnlyThroughRunnerTest {

    @TempDir
    Path dir;

    @Test
    void oneRunnerReachesAReadWriteAndAReadOnlyAttachmentAndTheReadOnlyOneRefusesEveryChange() {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(dir.resolve("m.db"))).build();
                FakeMessagesApi api = new FakeMessagesApi()) {
            Workspace ws = memory.workspace("acme");
            MemoryStore notes = ws.stores().create(NewStore.named("Project Notes").build());
            MemoryStore handbook = ws.stores().create(NewStore.named("Team Handbook").build());
            ws.memories(handbook.id(), Actor.user("usr_admin")).create("/style.md", "Use tabs.\n");
            Session session = ws.sessions().create(List.of(
                    AttachmentSpec.readWrite(notes.id()), AttachmentSpec.readOnly(handbook.id())));
            StoreMemoryToolHandler handler = StoreMemoryToolHandler.of(session); // both attachments

            String refused = "Error: %s refused: /memories/team-handbook/ is attached read-only; this session may"
                    + " read store %s but not change it";
            String h = "/memories/team-handbook";
            List<List<Call>> script = List.of(
                    List.of(Call.ok("{\"command\":\"view\",\"path\":\"/memories\"}",
                            "Here're the files and directories up to 2 levels deep in /memories, excluding hidden items"
                                    + " and node_modules:\n10B\t/memories\n0B\t/memories/project-notes/\n"
                                    + "10B\t/memories/team-handbook/\n10B\t/memories/team-handbook/style.md")),
                    List.of(Call.ok("{\"command\":\"view\",\"path\":\"" + h + "/style.md\"}",
                            "Here's the content of " + h + "/style.md with line numbers:\n     1\tUse tabs.")),
                    List.of(
                            Call.error("{\"command\":\"create\",\"path\":\"" + h + "/new.md\",\"file_text\":\"x\"}",
                                    refused.formatted("create", handbook.id().value())),
                            Call.error("{\"command\":\"str_replace\",\"path\":\"" + h + "/style.md\","
                                            + "\"old_str\":\"tabs\",\"new_str\":\"spaces\"}",
                                    refused.formatted("update", handbook.id().value())),
                            Call.error("{\"command\":\"insert\",\"path\":\"" + h + "/style.md\","
                                            + "\"insert_line\":0,\"insert_text\":\"x\"}",
                                    refused.formatted("update", handbook.id().value())),
                            Call.error("{\"command\":\"rename\",\"old_path\":\"" + h + "/style.md\","
                                            + "\"new_path\":\"" + h + "/s.md\"}",
                                    refused.formatted("update", handbook.id().value())),
                            Call.error("{\"command\":\"delete\",\"path\":\"" + h + "/style.md\"}",
                                    refused.formatted("delete", handbook.id().value())),
                            Call.error("{\"command\":\"rename\",\"old_path\":\"" + h + "/style.md\","
                                            + "\"new_path\":\"/memories/project-notes/style.md\"}",
                                    "Error: Cannot rename " + h + "/style.md to /memories/project-notes/style.md: they"
                                            + " are in different stores (" + h + "/ and /memories/project-notes/), and a"
                                            + " rename stays inside one store. Create the file under"
                                            + " /memories/project-notes/ and delete the original instead")),
                    List.of(Call.ok("{\"command\":\"create\",\"path\":\"/memories/project-notes/style.md\","
                                    + "\"file_text\":\"The handbook says tabs.\\n\"}",
                            "File created successfully at: /memories/project-notes/style.md")));
            List<List<String>> ids = scriptInto(api, script, "I can only read the handbook.");

            run(api, handler, true);

            assertThat(api.failures()).isEmpty();
            var requests = api.received();
            assertThat(requests).hasSize(script.size() + 1);
            for (int turn = 0; turn < script.size(); turn++) {
                assertToolResults(requests.get(turn + 1), ids.get(turn), script.get(turn));
            }
            Memories ro = session.mount("team-handbook");
            assertThat(ro.getByPath("/style.md").content()).contains("Use tabs.\n");
            assertThat(allVersions(ro)).extracting(MemoryVersion::createdBy).containsExactly(Actor.user("usr_admin"));
            Memories rw = session.mount("project-notes");
            assertThat(rw.getByPath("/style.md").content()).contains("The handbook says tabs.\n");
            assertThat(allVersions(rw)).extracting(MemoryVersion::createdBy).containsExactly(Actor.session(session.id()));
        }
    }

    @Test
    void anArchivedStoreRefusesChangesToASessionThatHoldsIt() {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(dir.resolve("a.db"))).build();
                FakeMessagesApi api = new FakeMessagesApi()) {
            Workspace ws = memory.workspace("acme");
            MemoryStore notes = ws.stores().create(NewStore.named("Old Notes").build());
            Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id())));
            StoreMemoryToolHandler handler = new StoreMemoryToolHandler(MemoryTool.of(session));
            ws.stores().archive(notes.id());

            List<List<Call>> script = List.of(List.of(
                    Call.error("{\"command\":\"create\",\"path\":\"/memories/old-notes/a.md\",\"file_text\":\"x\"}",
                            "Error: create refused: store " + notes.id().value() + " is archived and read-only for good;"
                                    + " create a new store to write to")));
            List<List<String>> ids = scriptInto(api, script, "The store is archived.");

            run(api, handler, false);

            assertThat(api.failures()).isEmpty();
            assertToolResults(api.received().get(1), ids.get(0), script.get(0));
            assertThat(allVersions(session.mount("old-notes"))).isEmpty();
        }
    }
}
