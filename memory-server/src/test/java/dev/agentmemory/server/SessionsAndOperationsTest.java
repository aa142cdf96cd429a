package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.beta.memorystores.MemoryStoreCreateParams;
import com.anthropic.models.beta.memorystores.memories.MemoryCreateParams;
import com.anthropic.models.beta.memorystores.memoryversions.BetaManagedAgentsMemoryVersion;
import com.anthropic.models.beta.memorystores.memoryversions.MemoryVersionListParams;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sessions subset, writes attributed to a session, read-only attachments, probes and metrics. */
class SessionsAndOperationsTest {

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

    private ServerFixture.Raw asSession(String method, String path, String body, String sessionId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.server.uri() + path))
                .header("x-api-key", f.acme.secret()).header("x-agent-memory-session-id", sessionId)
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new ServerFixture.Raw(r.statusCode(), r.body(), r);
    }

    @Test
    void aSessionAttachesStoresAndItsWritesAreAttributedToIt() throws Exception {
        String notes = f.client.beta().memoryStores().create(MemoryStoreCreateParams.builder().name("Project notes")
                .description("What we learned").build()).id();
        String rules = f.client.beta().memoryStores().create(MemoryStoreCreateParams.builder().name("Conventions")
                .build()).id();
        String ruleId = f.client.beta().memoryStores().memories().create(rules,
                MemoryCreateParams.builder().path("/style.md").content("tabs").build()).id();

        ServerFixture.Raw created = f.raw("POST", "/v1/sessions", "{\"resources\":["
                + "{\"type\":\"memory_store\",\"memory_store_id\":\"" + notes + "\",\"instructions\":\"One topic per file.\"},"
                + "{\"type\":\"memory_store\",\"memory_store_id\":\"" + rules + "\",\"access\":\"read_only\"}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        JsonNode session = created.json();
        String sessionId = session.path("id").asText();
        assertThat(sessionId).startsWith("sesn_");
        assertThat(session.at("/resources/0/mount_path").asText()).isEqualTo("/mnt/memory/project-notes/");
        assertThat(session.at("/resources/0/access").asText()).isEqualTo("read_write");
        assertThat(session.at("/resources/0/instructions").asText()).isEqualTo("One topic per file.");
        assertThat(session.at("/resources/0/description").asText()).isEqualTo("What we learned");
        assertThat(session.at("/resources/1/access").asText()).isEqualTo("read_only");
        assertThat(f.raw("GET", "/v1/sessions/" + sessionId, null).json()).isEqualTo(session);

        ServerFixture.Raw write = asSession("POST", "/v1/memory_stores/" + notes + "/memories",
                "{\"path\":\"/build.md\",\"content\":\"mvn -B verify\"}", sessionId);
        assertThat(write.status()).as(write.body()).isEqualTo(200);
        List<BetaManagedAgentsMemoryVersion> versions = f.client.beta().memoryStores().memoryVersions()
                .list(notes, MemoryVersionListParams.builder().sessionId(sessionId).build()).data();
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).createdBy().orElseThrow().asSession().sessionId()).isEqualTo(sessionId);

        // the read-only attachment refuses writes with 403; nothing is written
        ServerFixture.Raw refused = asSession("POST", "/v1/memory_stores/" + rules + "/memories/" + ruleId,
                "{\"content\":\"spaces\"}", sessionId);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.errorType()).isEqualTo("permission_error");
        assertThat(asSession("GET", "/v1/memory_stores/" + rules + "/memories/" + ruleId, null, sessionId).json()
                .path("content").asText()).isEqualTo("tabs");

        // a store not attached to the session is not reachable through it; an unknown session is 404
        String loose = f.client.beta().memoryStores().create(MemoryStoreCreateParams.builder().name("Loose").build())
                .id();
        assertThat(asSession("GET", "/v1/memory_stores/" + loose + "/memories", null, sessionId).status())
                .isEqualTo(404);
        assertThat(asSession("GET", "/v1/memory_stores/" + notes + "/memories", null, "sesn_nope").status())
                .isEqualTo(404);
        assertThat(asSession("GET", "/v1/memory_stores/" + notes + "/memories", null, "not a session").status())
                .isEqualTo(400);
        // another workspace cannot see the session
        assertThat(f.raw("GET", "/v1/sessions/" + sessionId, null, f.other.secret()).status()).isEqualTo(404);
    }

    @Test
    void probesAndMetricsAnswerWithoutAKey() {
        assertThat(f.raw("GET", "/healthz", null, null).status()).isEqualTo(200);
        assertThat(f.raw("GET", "/readyz", null, null).status()).isEqualTo(200);
        f.raw("GET", "/v1/memory_stores", null);
        f.raw("GET", "/v1/memory_stores/memstore_nope", null);
        String sid = f.client.beta().memoryStores().create(MemoryStoreCreateParams.builder().name("n").build()).id();
        f.raw("POST", "/v1/memory_stores/" + sid + "/memories", "{\"path\":\"/a.md\",\"content\":\"a\"}");
        f.raw("POST", "/v1/memory_stores/" + sid + "/memories", "{\"path\":\"/a.md\",\"content\":\"a\"}");
        String metrics = f.raw("GET", "/metrics", null, null).body();
        assertThat(metrics)
                .contains("agent_memory_http_requests_total{route=\"GET /v1/memory_stores\",status=\"200\"} 1")
                .contains("agent_memory_http_requests_total{route=\"GET /v1/memory_stores/{id}\",status=\"404\"} 1")
                .contains("agent_memory_conflicts_total{type=\"memory_path_conflict_error\"} 1")
                .contains("agent_memory_http_request_duration_seconds_count{route=\"POST /v1/memory_stores/{id}/memories\"} 2")
                .contains("agent_memory_http_requests_in_flight 1");
    }
}
