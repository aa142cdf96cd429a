package dev.agentmemory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.beta.messages.BetaMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the sample's real SDK client and tool runner against a scripted Messages API on 127.0.0.1. */
class SdkRunnerExampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRunnerAnswersClaudesMemoryCallsFromBothStores(@TempDir Path dir) throws Exception {
        try (FakeMessagesApi api = new FakeMessagesApi(List.of(
                reply("tool_use", "{\"type\":\"tool_use\",\"id\":\"toolu_0\",\"name\":\"memory\",\"input\":"
                        + "{\"command\":\"view\",\"path\":\"/memories/team-handbook/style.md\"}}"),
                reply("tool_use", "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"memory\",\"input\":"
                        + "{\"command\":\"create\",\"path\":\"/memories/user-preferences/prefs.md\","
                        + "\"file_text\":\"Tabs.\\n\"}}"),
                reply("end_turn", "{\"type\":\"text\",\"text\":\"Noted: you prefer tabs.\"}")))) {
            AnthropicClient client = AnthropicOkHttpClient.builder()
                    .baseUrl(api.baseUrl()).apiKey("sk-ant-test-dummy").maxRetries(0).build();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Path db = dir.resolve("memory.db");
            List<BetaMessage> turns;
            try {
                turns = SdkRunnerExample.run(client, db, "Remember that I prefer tabs.",
                        new PrintStream(out, true, StandardCharsets.UTF_8));
            } finally {
                client.close();
            }

            assertThat(turns).hasSize(3);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Claude: Noted: you prefer tabs.");
            List<JsonNode> requests = api.requests();
            assertThat(requests).hasSize(3);
            assertThat(requests.get(0).toString()).contains("\"type\":\"memory_20250818\"");
            assertThat(requests.get(0).path("system").asText()).contains("## /memories/user-preferences/",
                    "## /memories/team-handbook/", "- Access: read-only", "Keep the user's preferences here.")
                    .doesNotContain("/mnt/memory/");
            JsonNode read = lastToolResult(requests.get(1));
            assertThat(read.path("tool_use_id").asText()).isEqualTo("toolu_0");
            assertThat(read.path("content").asText()).isEqualTo("Here's the content of /memories/team-handbook/style.md"
                    + " with line numbers:\n     1\tIndent with tabs.");
            JsonNode result = lastToolResult(requests.get(2));
            assertThat(result.path("type").asText()).isEqualTo("tool_result");
            assertThat(result.path("tool_use_id").asText()).isEqualTo("toolu_1");
            assertThat(result.path("content").asText())
                    .isEqualTo("File created successfully at: /memories/user-preferences/prefs.md");
            assertThat(result.has("is_error")).isFalse();

            SampleDb after = SampleDb.read(db, "User preferences");
            assertThat(after.contents()).isEqualTo(Map.of("/prefs.md", "Tabs.\n"));
            assertThat(after.history()).containsExactly("session_actor created /prefs.md");
            SampleDb handbook = SampleDb.read(db, "Team handbook");
            assertThat(handbook.contents()).isEqualTo(Map.of("/style.md", "Indent with tabs.\n"));
            assertThat(handbook.history()).containsExactly("api_actor created /style.md");
        }
    }

    private static JsonNode lastToolResult(JsonNode request) {
        JsonNode messages = request.path("messages");
        return messages.get(messages.size() - 1).path("content").get(0);
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
