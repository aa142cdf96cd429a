package dev.agentmemory.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.BetaMessageAccumulator;
import com.anthropic.helpers.BetaToolRunner;
import com.anthropic.models.beta.messages.BetaMemoryTool20250818;
import com.anthropic.models.beta.messages.BetaMessage;
import com.anthropic.models.beta.messages.BetaRawMessageStreamEvent;
import com.anthropic.models.beta.messages.MessageCreateParams;
import com.anthropic.models.beta.messages.ToolRunnerCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.tool.MemoryTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real SDK client and its {@code BetaToolRunner}, against a scripted Messages API on 127.0.0.1, with a
 * {@link StoreMemoryToolHandler} over a real store: checks the exact {@code tool_result} blocks the SDK sent back for
 * every memory-tool call, and the versions those calls left in the store.
 */
class ToolRunnerEndToEndTest {

    /** One memory-tool call of a scripted turn and what the model must get back for it. */
    record Call(String input, String expectedContent, boolean expectedError) {
        static Call ok(String input, String content) {
            return new Call(input, content, false);
        }

        static Call error(String input, String content) {
            return new Call(input, content, true);
        }
    }

    enum Backend { IN_MEMORY, SQLITE }

    @TempDir
    Path dir;

    static Stream<Arguments> backendsAndThreading() {
        return Stream.of(
                Arguments.of(Backend.SQLITE, true, false),
                Arguments.of(Backend.SQLITE, false, false),
                Arguments.of(Backend.SQLITE, true, true),
                Arguments.of(Backend.IN_MEMORY, true, false),
                Arguments.of(Backend.IN_MEMORY, false, true));
    }

    private AgentMemory open(Backend backend) {
        return AgentMemory.builder()
                .backend(backend == Backend.SQLITE ? JdbcBackend.sqlite(dir.resolve("memory.db")) : InMemoryBackend.create())
                .build();
    }

    /** The conversation: each inner list is one assistant turn, every call in it a {@code tool_use} block. */
    static List<List<Call>> readWriteScript() {
        String prefs = "/memories/project-notes/prefs.md";
        return List.of(
                List.of(
                        Call.ok("{\"command\":\"view\",\"path\":\"/memories\"}",
                                "Here're the files and directories up to 2 levels deep in /memories, excluding hidden"
                                        + " items and node_modules:\n10B\t/memories\n10B\t/memories/project-notes/\n"
                                        + "10B\t/memories/project-notes/notes/"),
                        Call.error("{\"command\":\"view\",\"path\":\"/memories/project-notes/nope.md\"}",
                                "Error: The path /memories/project-notes/nope.md does not exist. Please provide a valid path.")),
                List.of(Call.ok("{\"command\":\"create\",\"path\":\"" + prefs + "\",\"file_text\":\"tabs\\nno emojis\\n\"}",
                        "File created successfully at: " + prefs)),
                List.of(Call.error("{\"command\":\"create\",\"path\":\"" + prefs + "\",\"file_text\":\"again\"}",
                        "Error: File " + prefs + " already exists")),
                List.of(Call.ok("{\"command\":\"str_replace\",\"path\":\"" + prefs
                                + "\",\"old_str\":\"tabs\",\"new_str\":\"4 spaces\"}",
                        "The memory file has been edited. Here is the snippet showing the change (with line numbers):\n"
                                + "     1\t4 spaces\n     2\tno emojis")),
                List.of(
                        Call.error("{\"command\":\"str_replace\",\"path\":\"" + prefs
                                        + "\",\"old_str\":\"tabs\",\"new_str\":\"x\"}",
                                "Error: No replacement was performed, old_str `tabs` did not appear verbatim in "
                                        + prefs + "."),
                        Call.error("{\"command\":\"str_replace\",\"path\":\"/memories/project-notes/nope.md\","
                                        + "\"old_str\":\"a\",\"new_str\":\"b\"}",
                                "Error: The path /memories/project-notes/nope.md does not exist. Please provide a valid path.")),
                List.of(Call.ok("{\"command\":\"insert\",\"path\":\"" + prefs
                                + "\",\"insert_line\":1,\"insert_text\":\"dark mode\\n\"}",
                        "The file " + prefs + " has been edited.")),
                List.of(
                        Call.error("{\"command\":\"insert\",\"path\":\"" + prefs
                                        + "\",\"insert_line\":99,\"insert_text\":\"x\"}",
                                "Error: Invalid `insert_line` parameter: 99. It should be within the range of lines of"
                                        + " the file: [0, 3]"),
                        Call.error("{\"command\":\"insert\",\"path\":\"/memories/project-notes/nope.md\","
                                        + "\"insert_line\":0,\"insert_text\":\"x\"}",
                                "Error: The path /memories/project-notes/nope.md does not exist")),
                List.of(Call.ok("{\"command\":\"view\",\"path\":\"" + prefs + "\",\"view_range\":[2,-1]}",
                        "Here's the content of " + prefs + " with line numbers:\n     2\tdark mode\n     3\tno emojis")),
                List.of(
                        Call.error("{\"command\":\"str_replace\",\"path\":\"" + prefs
                                        + "\",\"old_str\":\"e\",\"new_str\":\"E\"}",
                                "Error: No replacement was performed. Multiple occurrences of old_str `e` in lines: 1, 2,"
                                        + " 3. Please ensure it is unique"),
                        Call.error("{\"command\":\"view\",\"path\":\"" + prefs + "\",\"view_range\":[5,9]}",
                                "Error: Invalid `view_range`: [5, 9]. Its first element `5` should be within the range"
                                        + " of lines of the file: [1, 3]"),
                        Call.error("{\"command\":\"view\",\"path\":\"/memories\",\"view_range\":[1,2]}",
                                "Error: The `view_range` parameter is not allowed when `path` points to a directory.")),
                List.of(Call.ok("{\"command\":\"rename\",\"old_path\":\"/memories/project-notes/notes\",\"new_path\":\"/memories/project-notes/archive\"}",
                        "Successfully renamed /memories/project-notes/notes to /memories/project-notes/archive")),
                List.of(
                        Call.error("{\"command\":\"rename\",\"old_path\":\"/memories/project-notes/nope.md\",\"new_path\":\"/memories/project-notes/x.md\"}",
                                "Error: The path /memories/project-notes/nope.md does not exist"),
                        Call.error("{\"command\":\"rename\",\"old_path\":\"" + prefs
                                        + "\",\"new_path\":\"/memories/project-notes/archive/todo.md\"}",
                                "Error: The destination /memories/project-notes/archive/todo.md already exists")),
                List.of(Call.ok("{\"command\":\"delete\",\"path\":\"/memories/project-notes/archive/todo.md\"}",
                        "Successfully deleted /memories/project-notes/archive/todo.md")),
                List.of(
                        Call.error("{\"command\":\"delete\",\"path\":\"/memories/project-notes/nope.md\"}",
                                "Error: The path /memories/project-notes/nope.md does not exist"),
                        Call.error("{\"command\":\"delete\",\"path\":\"/memories\"}",
                                "Error: Cannot delete the /memories directory itself"),
                        Call.error("{\"command\":\"view\",\"path\":\"/memories/project-notes/../etc/passwd\"}",
                                "Error: The path /memories/project-notes/../etc/passwd is not allowed: it contains a '..' segment."
                                        + " Memory paths are plain paths under /memories, without '..' or '.' segments,"
                                        + " backslashes or percent-escapes"),
                        // The SDK requires new_str: it fails reading the command, inside the runner's error handling.
                        Call.error("{\"command\":\"str_replace\",\"path\":\"" + prefs + "\",\"old_str\":\"dark\"}",
                                "Error: `new_str` is not set")));
    }

    @ParameterizedTest(name = "{0}, thread={1}, streaming={2}")
    @MethodSource("backendsAndThreading")
    void theSdkSendsTheStoresExactResultsBackAndTheStoreKeepsTheSessionsVersions(Backend backend, boolean thread,
            boolean streaming) {
        try (AgentMemory memory = open(backend); FakeMessagesApi api = new FakeMessagesApi()) {
            Workspace ws = memory.workspace("acme");
            MemoryStore store = ws.stores().create(NewStore.named("Project Notes").build());
            Actor seeder = Actor.user("usr_seed");
            ws.memories(store.id(), seeder).create("/notes/todo.md", "milk\neggs\n");
            Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
            StoreMemoryToolHandler handler = new StoreMemoryToolHandler(MemoryTool.of(session));

            List<List<Call>> script = readWriteScript();
            List<List<String>> ids = scriptInto(api, script, "All noted.");

            List<BetaMessage> replies = run(api, handler, thread, streaming, Optional.of(handler.systemPrompt()));

            assertThat(api.failures()).isEmpty();
            assertThat(api.remaining()).isZero();
            assertThat(replies).hasSize(script.size() + 1);
            assertThat(replies.get(replies.size() - 1).content().get(0).asText().text()).isEqualTo("All noted.");
            List<FakeMessagesApi.Received> requests = api.received();
            assertThat(requests).hasSize(script.size() + 1);
            assertRequestShapes(requests, thread, streaming);
            assertThat(requests.get(0).toolResults()).isEmpty();
            assertThat(requests.get(0).body().path("system").asText()).isEqualTo(handler.systemPrompt())
                    .contains("## /memories/project-notes/").doesNotContain("/mnt/memory");
            for (int turn = 0; turn < script.size(); turn++) {
                assertToolResults(requests.get(turn + 1), ids.get(turn), script.get(turn));
            }

            // (b) the store: every change is one version by the session; the seed's is not.
            Memories memories = session.mount(session.attachments().get(0).slug());
            assertThat(memories.getByPath("/prefs.md").content()).contains("4 spaces\ndark mode\nno emojis\n");
            assertThat(memories.findByPath("/notes/todo.md")).isEmpty();
            assertThat(memories.findByPath("/archive/todo.md")).isEmpty();
            List<MemoryVersion> versions = allVersions(memories);
            Actor sessionActor = Actor.session(session.id());
            assertThat(versions)
                    .extracting(MemoryVersion::operation, v -> v.path().orElse(""), v -> v.content().orElse(null),
                            MemoryVersion::createdBy)
                    .containsExactly(
                            tuple(Operation.CREATED, "/notes/todo.md", "milk\neggs\n", seeder),
                            tuple(Operation.CREATED, "/prefs.md", "tabs\nno emojis\n", sessionActor),
                            tuple(Operation.MODIFIED, "/prefs.md", "4 spaces\nno emojis\n", sessionActor),
                            tuple(Operation.MODIFIED, "/prefs.md", "4 spaces\ndark mode\nno emojis\n", sessionActor),
                            tuple(Operation.MODIFIED, "/archive/todo.md", "milk\neggs\n", sessionActor),
                            tuple(Operation.DELETED, "/archive/todo.md", null, sessionActor));
        }
    }

    /** Queues the script's turns and a final text turn; returns the tool-use ids of each turn. */
    static List<List<String>> scriptInto(FakeMessagesApi api, List<List<Call>> script, String finalText) {
        List<List<String>> ids = new ArrayList<>();
        for (int turn = 0; turn < script.size(); turn++) {
            List<String> turnIds = new ArrayList<>();
            List<String> inputs = new ArrayList<>();
            for (int i = 0; i < script.get(turn).size(); i++) {
                turnIds.add("toolu_" + turn + "_" + i);
                inputs.add(script.get(turn).get(i).input());
            }
            api.replyWithToolUses(turnIds, inputs);
            ids.add(turnIds);
        }
        api.replyWithText(finalText);
        return ids;
    }

    /** Runs the SDK's tool runner to its end, non-streaming, against the fake API. */
    static List<BetaMessage> run(FakeMessagesApi api, StoreMemoryToolHandler handler, boolean thread) {
        return run(api, handler, thread, false, Optional.empty());
    }

    /** Runs the SDK's tool runner to its end against the fake API; streaming reads every event of every turn. */
    static List<BetaMessage> run(FakeMessagesApi api, StoreMemoryToolHandler handler, boolean thread, boolean streaming,
            Optional<String> system) {
        AnthropicClient client = AnthropicOkHttpClient.builder()
                .baseUrl(api.baseUrl())
                .apiKey("sk-ant-test-dummy")
                .maxRetries(0)
                .build();
        try {
            MessageCreateParams.Builder params = MessageCreateParams.builder()
                    .model("claude-test-model")
                    .maxTokens(1024)
                    .addTool(BetaMemoryTool20250818.builder().build())
                    .addUserMessage("Remember my editor preferences.");
            system.ifPresent(params::system);
            BetaToolRunner runner = client.beta().messages().toolRunner(ToolRunnerCreateParams.builder()
                    .initialMessageParams(params.build())
                    .betaMemoryToolHandler(handler)
                    .thread(thread)
                    .build());
            List<BetaMessage> replies = new ArrayList<>();
            if (streaming) {
                for (StreamResponse<BetaRawMessageStreamEvent> turn : runner.streaming()) {
                    BetaMessageAccumulator accumulator = BetaMessageAccumulator.create();
                    turn.stream().forEach(accumulator::accumulate);
                    replies.add(accumulator.message());
                }
            } else {
                for (BetaMessage message : runner) {
                    replies.add(message);
                }
            }
            return replies;
        } finally {
            client.close();
        }
    }

    /** The wire shape the SDK uses, as read from its sources: beta Messages API, JSON (not SSE), threads or not. */
    static void assertRequestShapes(List<FakeMessagesApi.Received> requests, boolean thread, boolean streaming) {
        for (int i = 0; i < requests.size(); i++) {
            FakeMessagesApi.Received r = requests.get(i);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.pathAndQuery()).isEqualTo("/v1/messages");
            assertThat(r.header("authorization")).isEqualTo("Bearer sk-ant-test-dummy");
            assertThat(r.header("x-stainless-helper")).contains("BetaToolRunner");
            if (streaming) {
                assertThat(r.body().path("stream").asBoolean()).as("streaming() asks for events").isTrue();
                assertThat(r.header("accept")).isEqualTo("text/event-stream");
            } else {
                assertThat(r.body().has("stream")).as("the runner's iterator does not stream").isFalse();
                assertThat(r.header("accept")).isEqualTo("application/json");
            }
            JsonNode tools = r.body().path("tools");
            if (thread) {
                assertThat(r.header("anthropic-beta")).contains("message-threads-2026-08-12");
                if (i == 0) {
                    assertThat(r.body().path("thread").path("type").asText()).isEqualTo("create");
                    assertThat(r.body().path("thread").has("previous_message_id")).isFalse();
                } else {
                    assertThat(r.body().path("thread").path("type").asText()).isEqualTo("continue");
                    assertThat(r.body().path("thread").path("previous_message_id").asText()).isEqualTo("msg_" + i);
                    assertThat(tools.isMissingNode()).as("a continued thread leaves the tools out").isTrue();
                    assertThat(r.body().path("messages").size()).as("only the tool results are sent").isEqualTo(1);
                }
            } else {
                assertThat(r.body().has("thread")).isFalse();
                assertThat(r.header("anthropic-beta")).isNull();
                assertThat(r.body().path("messages").size()).isEqualTo(1 + 2 * i);
            }
            if (i == 0 || !thread) {
                assertThat(tools.size()).isEqualTo(1);
                assertThat(tools.get(0).path("type").asText()).isEqualTo("memory_20250818");
                assertThat(tools.get(0).path("name").asText()).isEqualTo("memory");
            }
        }
    }

    /** (a) exactly one {@code tool_result} per call, in order: id, content string and {@code is_error}. */
    static void assertToolResults(FakeMessagesApi.Received request, List<String> ids, List<Call> calls) {
        List<JsonNode> results = request.toolResults();
        assertThat(results).hasSize(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            JsonNode result = results.get(i);
            Call call = calls.get(i);
            assertThat(result.path("tool_use_id").asText()).isEqualTo(ids.get(i));
            assertThat(result.path("content").isTextual()).as("content is sent as a plain string").isTrue();
            assertThat(result.path("content").asText()).as(call.input()).isEqualTo(call.expectedContent());
            if (call.expectedError()) {
                assertThat(result.path("is_error").asBoolean(false)).as(call.input()).isTrue();
            } else {
                assertThat(result.has("is_error")).as("a success carries no is_error: " + call.input()).isFalse();
            }
        }
    }

    /** Every version of the store, oldest first. */
    static List<MemoryVersion> allVersions(Memories memories) {
        List<MemoryVersion> out = new ArrayList<>();
        VersionQuery query = VersionQuery.builder().limit(100).includeContent(true).build();
        while (true) {
            var page = memories.versions(query);
            out.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                break;
            }
            query = query.page(page.nextCursor().get());
        }
        out.sort(Comparator.comparing(MemoryVersion::id));
        return out;
    }
}
