package dev.agentmemory.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scripted stand-in for the Messages API on 127.0.0.1: {@code POST /v1/messages} answers each request with the next
 * scripted assistant turn (non-streaming JSON, the shape of {@code BetaMessage}), and records every request it
 * received, headers and body, so a test can check exactly what the SDK sent. Anything else, or a request after the
 * script ran out, gets a 500 and is recorded as a failure. Thread-safe.
 */
final class FakeMessagesApi implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server received it. */
    record Received(String method, String pathAndQuery, Map<String, List<String>> headers, JsonNode body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }

        /** The {@code tool_result} blocks of the request's last message (empty if it is not a user message). */
        List<JsonNode> toolResults() {
            JsonNode messages = body.path("messages");
            JsonNode last = messages.get(messages.size() - 1);
            List<JsonNode> results = new ArrayList<>();
            if (last != null && "user".equals(last.path("role").asText())) {
                for (JsonNode block : last.path("content")) {
                    if ("tool_result".equals(block.path("type").asText())) {
                        results.add(block);
                    }
                }
            }
            return results;
        }
    }

    private final HttpServer server;
    private final Deque<ObjectNode> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private int replies;

    FakeMessagesApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL to give the SDK client. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Queues an assistant turn that calls the memory tool once per input, with ids {@code toolu_<n>_<i>}.
     *
     * @param inputs the {@code tool_use} inputs, as JSON objects
     */
    synchronized void replyWithToolUses(List<String> toolUseIds, List<String> inputs) {
        ArrayNode content = JSON.createArrayNode();
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode block = content.addObject();
            block.put("type", "tool_use");
            block.put("id", toolUseIds.get(i));
            block.put("name", "memory");
            block.set("input", parse(inputs.get(i)));
        }
        script.add(message(content, "tool_use"));
    }

    /** Queues the final assistant turn: one text block, {@code end_turn}. */
    synchronized void replyWithText(String text) {
        ArrayNode content = JSON.createArrayNode();
        content.addObject().put("type", "text").put("text", text);
        script.add(message(content, "end_turn"));
    }

    /** Every request received so far, in order. */
    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** What the server refused (unexpected paths, requests past the script). */
    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** Scripted turns not yet sent. */
    synchronized int remaining() {
        return script.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private ObjectNode message(ArrayNode content, String stopReason) {
        ObjectNode m = JSON.createObjectNode();
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", "claude-test-model");
        m.set("content", content);
        m.putNull("container");
        m.putNull("context_management");
        m.put("stop_reason", stopReason);
        m.putNull("stop_sequence");
        ObjectNode usage = m.putObject("usage");
        usage.put("input_tokens", 10);
        usage.put("output_tokens", 5);
        usage.putNull("cache_creation_input_tokens");
        usage.putNull("cache_read_input_tokens");
        return m;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bytes;
            try (InputStream in = exchange.getRequestBody()) {
                bytes = in.readAllBytes();
            }
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
            String pathAndQuery = exchange.getRequestURI().toString();
            JsonNode body = bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
            ObjectNode reply;
            synchronized (this) {
                received.add(new Received(exchange.getRequestMethod(), pathAndQuery, headers, body));
                boolean messages = "POST".equals(exchange.getRequestMethod())
                        && exchange.getRequestURI().getPath().equals("/v1/messages");
                if (!messages || script.isEmpty()) {
                    failures.add(exchange.getRequestMethod() + " " + pathAndQuery
                            + (messages ? ": the script has no more turns" : ": not the Messages API"));
                    reply = null;
                } else {
                    reply = script.removeFirst();
                    reply.put("id", "msg_" + (++replies));
                }
            }
            if (reply == null) {
                send(exchange, 500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"unscripted\"}}");
            } else if (body.path("stream").asBoolean(false)) {
                sendEvents(exchange, reply);
            } else {
                send(exchange, 200, JSON.writeValueAsString(reply));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("request-id", "req_test");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    /** The same turn as server-sent events, the way the streaming Messages API delivers it. */
    private static void sendEvents(HttpExchange exchange, ObjectNode reply) throws IOException {
        StringBuilder out = new StringBuilder();
        ObjectNode start = reply.deepCopy();
        start.set("content", JSON.createArrayNode());
        start.putNull("stop_reason");
        event(out, "message_start", JSON.createObjectNode().put("type", "message_start").set("message", start));
        int index = 0;
        for (JsonNode block : reply.path("content")) {
            ObjectNode empty = block.deepCopy();
            ObjectNode delta = JSON.createObjectNode();
            if ("tool_use".equals(block.path("type").asText())) {
                empty.set("input", JSON.createObjectNode());
                delta.put("type", "input_json_delta").put("partial_json", JSON.writeValueAsString(block.path("input")));
            } else {
                empty.put("text", "");
                delta.put("type", "text_delta").put("text", block.path("text").asText());
            }
            event(out, "content_block_start", JSON.createObjectNode().put("type", "content_block_start")
                    .put("index", index).set("content_block", empty));
            event(out, "content_block_delta", JSON.createObjectNode().put("type", "content_block_delta")
                    .put("index", index).set("delta", delta));
            event(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
            index++;
        }
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", reply.path("stop_reason").asText()).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", 5);
        event(out, "message_delta", messageDelta);
        event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static void event(StringBuilder out, String name, JsonNode data) throws IOException {
        out.append("event: ").append(name).append('\n').append("data: ").append(JSON.writeValueAsString(data)).append("\n\n");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
