package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.WorkspaceId;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published jar (not the shaded one) as a named module: {@code java -p <jar and its runtime dependencies> -m
 * dev.agentmemory.server/dev.agentmemory.server.Main}. The server must start, apply its own schema scripts, answer
 * the REST API with a key, and hold the whole MCP conversation over Streamable HTTP, so that every module it needs is
 * required in its descriptor and every resource it reads is reachable.
 */
class ModulePathIT {

    @TempDir
    Path dir;

    @Test
    void theServerRunsAsANamedModule() throws Exception {
        Path db = dir.resolve("memory.db");
        // The key, the stores and the session are made through the library in this process, on the same SQLite
        // file; the scenario checks the server process's writes through it afterwards.
        try (ServerDatabase database = ServerDatabase.sqlite(db)) {
            NewApiKey key = database.apiKeys().create(WorkspaceId.of("acme"), "module path");
            McpScenario scenario = McpScenario.prepare(database.memory(), "acme");
            runAsModule(db, key, scenario);
        }
    }

    private void runAsModule(Path db, NewApiKey key, McpScenario scenario) throws Exception {
        Path jar = Path.of(System.getProperty("server.module.jar"));
        String deps = Files.readString(Path.of(System.getProperty("server.runtime.classpath"))).strip();
        List<String> launch = List.of("-p", jar + File.pathSeparator + deps,
                "-m", "dev.agentmemory.server/dev.agentmemory.server.Main");
        try (ServerProcess server = ServerProcess.start(dir, launch, "--db", db.toString())) {
            HttpResponse<String> stores = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.uri + "/v1/memory_stores")).header("x-api-key", key.secret()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stores.statusCode()).as(stores.body()).isEqualTo(200);
            assertThat(stores.body()).contains(scenario.notes.id().value(), scenario.rules.id().value());

            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                    .builder(server.uri.toString()).endpoint("/mcp")
                    .requestBuilder(HttpRequest.newBuilder().header("x-api-key", key.secret())
                            .header("x-agent-memory-session-id", scenario.session.id().value()))
                    .build();
            try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build()) {
                scenario.run(client);
            }
            assertThat(server.output()).doesNotContain("Exception", "ERROR");
        }
    }
}
