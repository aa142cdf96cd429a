package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The redaction and store deletion endpoints keep the hosted response shape and say in the
 * {@code x-agent-memory-erasure} header whether the erased bytes have left storage: {@code done}, or {@code pending}
 * while a real {@code sqlite3} process holds a read transaction open on the server's database.
 */
class ServerErasureTest {

    @TempDir
    Path dir;

    ServerFixture f;

    @BeforeEach
    void start() {
        f = new ServerFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private String oldVersion(String sid, String path) {
        JsonNode m = f.raw("POST", "/v1/memory_stores/" + sid + "/memories",
                "{\"path\":\"" + path + "\",\"content\":\"secret\"}").json();
        String first = m.path("memory_version_id").asText(m.path("head_version_id").asText());
        f.raw("POST", "/v1/memory_stores/" + sid + "/memories/" + m.path("id").asText(), "{\"content\":\"clean\"}");
        JsonNode versions = f.raw("GET", "/v1/memory_stores/" + sid + "/memory_versions?limit=100", null).json();
        for (JsonNode v : versions.path("data")) {
            if (v.path("memory_id").asText().equals(m.path("id").asText())
                    && v.path("operation").asText().equals("created")) {
                return v.path("id").asText();
            }
        }
        throw new AssertionError("no created version of " + path + " in " + versions + " (first " + first + ")");
    }

    @Test
    void redactionAndDeletionSayWhetherTheBytesAreGone() throws Exception {
        String sid = f.raw("POST", "/v1/memory_stores", "{\"name\":\"notes\"}").json().path("id").asText();
        ServerFixture.Raw done = f.raw("POST", "/v1/memory_stores/" + sid + "/memory_versions/"
                + oldVersion(sid, "/a.md") + "/redact", "{}");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("type").asText()).isEqualTo("memory_version");
        assertThat(done.json().path("redacted_at").isNull()).isFalse();
        assertThat(done.response().headers().firstValue("x-agent-memory-erasure")).contains("done");

        String held = oldVersion(sid, "/b.md");
        Process reader = sqlite3Reader(dir.resolve("memory.db"));
        try {
            ServerFixture.Raw pending = f.raw("POST", "/v1/memory_stores/" + sid + "/memory_versions/" + held
                    + "/redact", "{}");
            assertThat(pending.status()).isEqualTo(200);
            assertThat(pending.json().path("id").asText()).isEqualTo(held);
            assertThat(pending.response().headers().firstValue("x-agent-memory-erasure")).contains("pending");
            ServerFixture.Raw deleted = f.raw("DELETE", "/v1/memory_stores/" + sid, null);
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(deleted.json().path("type").asText()).isEqualTo("memory_store_deleted");
            assertThat(deleted.response().headers().firstValue("x-agent-memory-erasure")).contains("pending");
        } finally {
            Writer in = new OutputStreamWriter(reader.getOutputStream(), StandardCharsets.UTF_8);
            in.write("COMMIT;\n.quit\n");
            in.close();
            assertThat(reader.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Process sqlite3Reader(Path db) throws IOException {
        String tool = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "sqlite3"))) {
                tool = Path.of(d, "sqlite3").toString();
                break;
            }
        }
        if (tool == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("sqlite3 is not installed; this test needs it (apt-get install sqlite3)");
            }
            Assumptions.abort("sqlite3 is not installed");
        }
        Process p = new ProcessBuilder(tool, db.toString()).redirectErrorStream(true).start();
        Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        in.write("BEGIN;\nSELECT 'reading', count(*) FROM am_version;\n");
        in.flush();
        assertThat(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine())
                .startsWith("reading|");
        return p;
    }
}
