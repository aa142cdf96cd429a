package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCP SDK's client over Streamable HTTP against the server's /mcp endpoint. */
class McpHttpTest {

    @TempDir
    java.nio.file.Path dir;

    ServerFixture f;

    @BeforeEach
    void start() {
        f = new ServerFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private McpSyncClient client(String key, String session) {
        return client(key, session, Duration.ofSeconds(30));
    }

    private McpSyncClient client(String key, String session, Duration timeout) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(f.server.uri().toString())
                .endpoint("/mcp")
                .requestBuilder(java.net.http.HttpRequest.newBuilder().header("x-api-key", key)
                        .header("x-agent-memory-session-id", session))
                .build();
        return McpClient.sync(transport).requestTimeout(timeout).build();
    }

    @Test
    void toolsResourcesAndReadOnlyRefusalOverStreamableHttp() {
        McpScenario scenario = McpScenario.prepare(f.db.memory(), "acme");
        try (McpSyncClient client = client(f.acme.secret(), scenario.session.id().value())) {
            scenario.run(client);
        }
    }

    @Test
    void theEndpointNeedsAKeyAndASessionOfItsWorkspace() {
        McpScenario scenario = McpScenario.prepare(f.db.memory(), "acme");
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}";
        ServerFixture.Raw noKey = f.raw("POST", "/mcp", init.getBytes(), null);
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.errorType()).isEqualTo("authentication_error");
        ServerFixture.Raw noSession = f.raw("POST", "/mcp", init.getBytes(), f.acme.secret());
        assertThat(noSession.status()).isEqualTo(400);
        try (McpSyncClient other = client(f.other.secret(), scenario.session.id().value(), Duration.ofSeconds(3))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(other::initialize).isNotNull();
        }
    }
}
