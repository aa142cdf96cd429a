package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/memory_stores/{store}/verify} over HTTP: an honest chain verifies, a row edited with the real
 * {@code sqlite3} client while the server runs is reported at its version, a published checkpoint is checked, and bad
 * input is refused in the hosted error shape.
 */
class ChainVerifyEndpointTest {

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

    private String store() {
        return f.raw("POST", "/v1/memory_stores", "{\"name\":\"audited\"}").json().path("id").asText();
    }

    /** Writes a memory and updates it; returns the update's version id. */
    private String history(String sid) {
        JsonNode m = f.raw("POST", "/v1/memory_stores/" + sid + "/memories",
                "{\"path\":\"/a.md\",\"content\":\"first\"}").json();
        return f.raw("POST", "/v1/memory_stores/" + sid + "/memories/" + m.path("id").asText(),
                "{\"content\":\"second\"}").json().path("memory_version_id").asText();
    }

    private ServerFixture.Raw verify(String sid, String body) {
        return f.raw("POST", "/v1/memory_stores/" + sid + "/verify", body);
    }

    @Test
    void anHonestChainVerifies() {
        String sid = store();
        history(sid);
        ServerFixture.Raw r = verify(sid, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.path("type").asText()).isEqualTo("memory_chain_verification");
        assertThat(j.path("memory_store_id").asText()).isEqualTo(sid);
        assertThat(j.path("intact").asBoolean()).isTrue();
        assertThat(j.path("broken").isNull()).isTrue();
        assertThat(j.path("versions_verified").asLong()).isEqualTo(2);
        assertThat(j.path("links_verified").asLong()).isEqualTo(2);
        assertThat(j.path("version_links_v1").asLong()).isZero();
        assertThat(j.path("head_length").asLong()).isEqualTo(2);
        assertThat(j.path("head").asText()).matches("[0-9a-f]{64}");
        assertThat(j.path("checkpoint_length").isNull()).isTrue();
        assertThat(verify(sid, "{}").json().path("intact").asBoolean()).isTrue();
    }

    @Test
    void aRowEditedInTheDatabaseIsReportedAtItsVersion() throws Exception {
        String sid = store();
        String v2 = history(sid);
        sqlite3("UPDATE am_version SET actor_id = 'key_mallory' WHERE id = '" + v2 + "'");
        ServerFixture.Raw r = verify(sid, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.path("intact").asBoolean()).isFalse();
        assertThat(j.path("broken").path("problem").asText()).isEqualTo("metadata");
        assertThat(j.path("broken").path("memory_version_id").asText()).isEqualTo(v2);
        assertThat(j.path("broken").path("position").asLong()).isEqualTo(2);
        assertThat(j.path("broken").path("detail").asText()).contains(v2);
        assertThat(j.path("links_verified").asLong()).isEqualTo(1);
    }

    @Test
    void aPublishedCheckpointIsChecked() {
        String sid = store();
        history(sid);
        JsonNode first = verify(sid, null).json();
        String cp = "{\"checkpoint\":{\"length\":" + first.path("head_length").asLong() + ",\"head\":\""
                + first.path("head").asText() + "\"}}";
        f.raw("POST", "/v1/memory_stores/" + sid + "/memories", "{\"path\":\"/b.md\",\"content\":\"later\"}");
        JsonNode passes = verify(sid, cp).json();
        assertThat(passes.path("intact").asBoolean()).as(passes.toString()).isTrue();
        assertThat(passes.path("checkpoint_length").asLong()).isEqualTo(2);
        assertThat(passes.path("head_length").asLong()).isEqualTo(3);

        String forged = "{\"checkpoint\":{\"length\":2,\"head\":\"" + "ab".repeat(32) + "\"}}";
        JsonNode fails = verify(sid, forged).json();
        assertThat(fails.path("intact").asBoolean()).isFalse();
        assertThat(fails.path("broken").path("problem").asText()).isEqualTo("checkpoint");
    }

    @Test
    void badRequestsAreRefusedInTheHostedShape() {
        String sid = store();
        history(sid);
        for (String body : List.of("[]", "{\"checkpoint\":1}", "{\"other\":1}", "{\"checkpoint\":{\"length\":1}}",
                "{\"checkpoint\":{\"length\":-1,\"head\":\"" + "ab".repeat(32) + "\"}}",
                "{\"checkpoint\":{\"length\":1,\"head\":\"ABC\"}}",
                "{\"checkpoint\":{\"length\":1,\"head\":\"" + "ab".repeat(32) + "\",\"x\":1}}")) {
            ServerFixture.Raw r = verify(sid, body);
            assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
            assertThat(r.errorType()).isEqualTo("invalid_request_error");
        }
        ServerFixture.Raw query = f.raw("POST", "/v1/memory_stores/" + sid + "/verify?deep=1", null);
        assertThat(query.status()).isEqualTo(400);
        ServerFixture.Raw get = f.raw("GET", "/v1/memory_stores/" + sid + "/verify", null);
        assertThat(get.status()).isEqualTo(405);
        ServerFixture.Raw missing = verify("memstore_01nosuchstore0000000000000", null);
        assertThat(missing.status()).as(missing.body()).isEqualTo(404);
        assertThat(missing.errorType()).isEqualTo("not_found_error");
        // another workspace's key does not see the store at all
        ServerFixture.Raw foreign = f.raw("POST", "/v1/memory_stores/" + sid + "/verify", null, f.other.secret());
        assertThat(foreign.status()).isEqualTo(404);
        ServerFixture.Raw anonymous = f.raw("POST", "/v1/memory_stores/" + sid + "/verify", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
    }

    private void sqlite3(String sql) throws IOException, InterruptedException {
        String tool = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "sqlite3"))) {
                tool = Path.of(d, "sqlite3").toString();
                break;
            }
        }
        if (tool == null) {
            fail("sqlite3 is not installed; this test edits the database with it (apt-get install sqlite3)");
        }
        Process p = new ProcessBuilder(tool, "-bail", "-cmd", ".timeout 10000", dir.resolve("memory.db").toString(),
                sql).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("sqlite3 said: " + out).isZero();
    }
}
