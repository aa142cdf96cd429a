package example;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.BetaToolRunner;
import com.anthropic.models.beta.messages.BetaMemoryTool20250818;
import com.anthropic.models.beta.messages.BetaMessage;
import com.anthropic.models.beta.messages.MessageCreateParams;
import com.anthropic.models.beta.messages.ToolRunnerCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.anthropic.StoreMemoryToolHandler;
import dev.agentmemory.fs.MemoryFileSystems;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What a user's first program does, on the libraries a user's build resolves: a real Anthropic SDK client and tool
 * runner against a scripted Messages API on 127.0.0.1, a SQLite store read-write and one read-only, one memory tool
 * handler over the session, then a write through the java.nio view. Exits non-zero, with the reason on stderr, if
 * anything differs from what the library promises (a NoSuchMethodError from a dependency clash included).
 */
public final class Main {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args[0]);
        Files.deleteIfExists(database);
        try {
            run(database);
        } catch (Throwable t) {
            System.err.println("OUTSIDE PROJECT FAILED: " + t);
            t.printStackTrace();
            System.exit(1);
        }
        System.out.println("OUTSIDE PROJECT OK");
    }

    static void run(Path database) throws Exception {
        List<String> script = List.of(
                toolUse("toolu_1", "{\"command\":\"view\",\"path\":\"/memories/team-handbook/style.md\"}"),
                toolUse("toolu_2", "{\"command\":\"create\",\"path\":\"/memories/user-preferences/prefs.md\","
                        + "\"file_text\":\"Tabs, as the handbook says.\\n\"}"),
                toolUse("toolu_3", "{\"command\":\"create\",\"path\":\"/memories/team-handbook/x.md\","
                        + "\"file_text\":\"x\"}"),
                reply("end_turn", "{\"type\":\"text\",\"text\":\"Noted.\"}"));
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(database)).build();
                FakeMessagesApi api = new FakeMessagesApi(script)) {
            Workspace ws = memory.workspace("acme");
            MemoryStore prefs = ws.stores().create(NewStore.named("User preferences").build());
            MemoryStore handbook = ws.stores().create(NewStore.named("Team handbook").build());
            ws.memories(handbook.id(), Actor.apiKey("apikey_ops")).create("/style.md", "Indent with tabs.\n");
            Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(prefs.id()),
                    AttachmentSpec.readOnly(handbook.id())));

            StoreMemoryToolHandler handler = StoreMemoryToolHandler.of(session);
            AnthropicClient client = AnthropicOkHttpClient.builder()
                    .baseUrl(api.baseUrl()).apiKey("sk-ant-outside-dummy").maxRetries(0).build();
            List<BetaMessage> turns = new ArrayList<>();
            try {
                BetaToolRunner runner = client.beta().messages().toolRunner(ToolRunnerCreateParams.builder()
                        .initialMessageParams(MessageCreateParams.builder()
                                .model("claude-sonnet-4-5").maxTokens(1024)
                                .system(handler.systemPrompt())
                                .addTool(BetaMemoryTool20250818.builder().build())
                                .addUserMessage("Remember that I prefer tabs.")
                                .build())
                        .betaMemoryToolHandler(handler)
                        .build());
                for (BetaMessage turn : runner) {
                    turns.add(turn);
                }
            } finally {
                client.close();
            }

            check(turns.size() == 4, "4 assistant turns, got " + turns.size());
            List<JsonNode> requests = api.requests();
            check(requests.size() == 4, "4 requests, got " + requests.size());
            check(requests.get(0).path("system").asText().contains("## /memories/team-handbook/"),
                    "the system prompt names the tool's paths: " + requests.get(0).path("system"));
            JsonNode read = lastToolResult(requests.get(1));
            check(read.path("content").asText().equals("Here's the content of /memories/team-handbook/style.md"
                    + " with line numbers:\n     1\tIndent with tabs."), "read the read-only store: " + read);
            JsonNode created = lastToolResult(requests.get(2));
            check(created.path("content").asText().equals(
                    "File created successfully at: /memories/user-preferences/prefs.md"), "created: " + created);
            JsonNode refused = lastToolResult(requests.get(3));
            check(refused.path("is_error").asBoolean() && refused.path("content").asText().startsWith(
                    "Error: create refused: /memories/team-handbook/ is attached read-only"), "refused: " + refused);
            check(session.mount("user-preferences").getByPath("/prefs.md").text()
                    .equals("Tabs, as the handbook says.\n"), "the store holds the created file");
            check(session.mount("team-handbook").findByPath("/x.md").isEmpty(), "the read-only store is unchanged");

            // the java.nio view over the same session
            try (FileSystem fs = MemoryFileSystems.newFileSystem(session)) {
                Path note = fs.getPath("/mnt/memory/user-preferences/nio.md");
                Files.writeString(note, "Written through java.nio.\n");
                check(Files.readString(note).equals("Written through java.nio.\n"), "read back through the view");
            }
            check(session.mount("user-preferences").getByPath("/nio.md").text().equals("Written through java.nio.\n"),
                    "the view's write is in the store");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    private static JsonNode lastToolResult(JsonNode request) {
        JsonNode messages = request.path("messages");
        return messages.get(messages.size() - 1).path("content").get(0);
    }

    private static String toolUse(String id, String input) {
        return reply("tool_use", "{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"memory\",\"input\":"
                + input + "}");
    }

    private static String reply(String stopReason, String block) {
        return "{\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test-model\",\"content\":[" + block
                + "],\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}";
    }

    /** POST /v1/messages answers with the next scripted reply (adding an id) and records each request body. */
    static final class FakeMessagesApi implements AutoCloseable {
        private final HttpServer server;
        private final Deque<String> replies;
        private final List<JsonNode> requests = new ArrayList<>();

        FakeMessagesApi(List<String> replies) throws IOException {
            this.replies = new ArrayDeque<>(replies);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/v1/messages", this::handle);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        synchronized List<JsonNode> requests() {
            return List.copyOf(requests);
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                String reply;
                synchronized (this) {
                    requests.add(body);
                    reply = replies.isEmpty() ? null : replies.removeFirst()
                            .replaceFirst("\\{", "{\"id\":\"msg_" + requests.size() + "\",");
                }
                byte[] bytes = (reply == null ? "{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                        + "\"message\":\"the script ran out\"}}" : reply).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(reply == null ? 500 : 200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
