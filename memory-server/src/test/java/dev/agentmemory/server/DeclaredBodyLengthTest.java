package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.model.WorkspaceId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request body is held to the length its {@code Content-Length} declares: a body that ends early is refused, a
 * declared length is not taken as a promise of bytes (nothing of that size is reserved before the bytes arrive, so
 * even a length beyond what one array can hold is a client error, not a server failure), and a large body of known
 * length is read whole. Raw sockets, since an HTTP client would not send a body that contradicts its own header.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeclaredBodyLengthTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    ServerDatabase db;
    MemoryServer server;
    String secret;
    String sid;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() throws Exception {
        db = ServerDatabase.sqlite(dir.resolve("memory.db"));
        // a limit beyond what one Java array can hold, so that a declared length may exceed it
        server = MemoryServer.builder(db).host("127.0.0.1").port(0).maxBodyBytes(3L << 30).build().start();
        secret = db.apiKeys().create(WorkspaceId.of("acme"), "declared length tests").secret();
        sid = send("POST", "/v1/memory_stores", "{\"name\":\"Notes\"}").path("id").asText();
    }

    @AfterAll
    void stop() {
        server.close();
        db.close();
    }

    @Test
    void aBodyThatEndsBeforeItsDeclaredLengthIsRefusedAndNothingIsWritten() throws Exception {
        byte[] valid = ("{\"path\":\"/short.md\",\"content\":\"cut short\"}").getBytes(StandardCharsets.UTF_8);
        int status = rawPost(valid.length + 100, valid);
        assertThat(status).isBetween(400, 499);
        assertThat(paths()).doesNotContain("/short.md");
    }

    @Test
    void aDeclaredLengthBeyondAnArraysReachIsAClientErrorNotAServerFailure() throws Exception {
        byte[] valid = ("{\"path\":\"/huge.md\",\"content\":\"tiny\"}").getBytes(StandardCharsets.UTF_8);
        int status = rawPost(3_000_000_000L, valid);
        assertThat(status).isBetween(400, 499);
        assertThat(paths()).doesNotContain("/huge.md");
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void aLargeBodyOfKnownLengthIsReadWhole() throws Exception {
        String content = "x".repeat(100_000);
        JsonNode made = send("POST", "/v1/memory_stores/" + sid + "/memories",
                "{\"path\":\"/large.md\",\"content\":\"" + content + "\"}");
        JsonNode read = send("GET", "/v1/memory_stores/" + sid + "/memories/" + made.path("id").asText(), null);
        assertThat(read.path("content").asText()).isEqualTo(content);
    }

    /** Sends the headers of a memory create declaring {@code declared} bytes, then {@code body}, then ends input. */
    private int rawPost(long declared, byte[] body) throws IOException {
        URI uri = server.uri();
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/memory_stores/" + sid + "/memories HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n"
                    + "x-api-key: " + secret + "\r\ncontent-type: application/json\r\nContent-Length: " + declared
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            String status = line.toString(StandardCharsets.US_ASCII);
            assertThat(status).as("status line").startsWith("HTTP/1.1 ");
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private java.util.List<String> paths() throws Exception {
        java.util.List<String> paths = new java.util.ArrayList<>();
        send("GET", "/v1/memory_stores/" + sid + "/memories?limit=100", null).path("data")
                .forEach(m -> paths.add(m.path("path").asText()));
        return paths;
    }

    private JsonNode send(String method, String pathAndQuery, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.uri() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").header("x-api-key", secret).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + pathAndQuery + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
