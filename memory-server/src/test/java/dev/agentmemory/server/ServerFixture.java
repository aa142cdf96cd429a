package dev.agentmemory.server;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.ObjectMappers;
import com.anthropic.errors.AnthropicServiceException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.model.WorkspaceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server on a fresh SQLite file on 127.0.0.1 (a free port), two workspaces with a key each, official SDK clients
 * for them, and a raw HTTP client for requests the SDK would never send.
 */
final class ServerFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final ServerDatabase db;
    final MemoryServer server;
    final NewApiKey acme;
    final NewApiKey other;
    final AnthropicClient client;
    final AnthropicClient otherClient;
    private final List<AnthropicClient> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ServerFixture(Path dir, double ratePerSecond, int burst) {
        db = ServerDatabase.sqlite(dir.resolve("memory.db"));
        server = MemoryServer.builder(db).host("127.0.0.1").port(0).rateLimit(ratePerSecond, burst)
                .maxBodyBytes(1 << 20).build().start();
        acme = db.apiKeys().create(WorkspaceId.of("acme"), "acme tests");
        other = db.apiKeys().create(WorkspaceId.of("other"), "other tests");
        client = client(acme.secret());
        otherClient = client(other.secret());
    }

    ServerFixture(Path dir) {
        this(dir, 0, 1);
    }

    /** An SDK client with only the base URL and key changed, and no retries, so every status is seen. */
    AnthropicClient client(String secret) {
        AnthropicClient c = AnthropicOkHttpClient.builder().baseUrl(server.uri().toString()).apiKey(secret)
                .maxRetries(0).build();
        clients.add(c);
        return c;
    }

    /** A raw request: method, path and query, body (or null), with the acme key unless told otherwise. */
    Raw raw(String method, String pathAndQuery, byte[] body, String apiKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("content-type", "application/json");
        if (apiKey != null) {
            b.header("x-api-key", apiKey);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Raw raw(String method, String pathAndQuery, String body) {
        return raw(method, pathAndQuery, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                acme.secret());
    }

    /** A raw answer. */
    record Raw(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String errorType() {
            JsonNode j = json();
            if (!"error".equals(j.path("type").asText())) {
                throw new AssertionError("not the hosted error shape: " + body);
            }
            return j.path("error").path("type").asText();
        }
    }

    /** The hosted error body an SDK exception carries. */
    static JsonNode errorBody(AnthropicServiceException e) {
        try {
            return JSON.readTree(ObjectMappers.jsonMapper().writeValueAsString(e.body()));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    @Override
    public void close() {
        clients.forEach(AnthropicClient::close);
        server.close();
        db.close();
    }
}
