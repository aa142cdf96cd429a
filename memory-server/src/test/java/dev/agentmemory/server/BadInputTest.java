package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.beta.memorystores.MemoryStoreCreateParams;
import com.anthropic.models.beta.memorystores.memories.MemoryCreateParams;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests the SDK would never send: each is a 4xx in the hosted error shape, and nothing is written (the store's
 * version count is the same before and after).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    @TempDir
    static java.nio.file.Path dir;

    ServerFixture f;
    String sid;
    String mid;

    @BeforeAll
    void start() {
        f = new ServerFixture(dir);
        sid = f.client.beta().memoryStores().create(MemoryStoreCreateParams.builder().name("Notes").build()).id();
        mid = f.client.beta().memoryStores().memories().create(sid,
                MemoryCreateParams.builder().path("/a.md").content("a").build()).id();
    }

    @AfterAll
    void stop() {
        f.close();
    }

    private int versions() {
        return f.raw("GET", "/v1/memory_stores/" + sid + "/memory_versions?limit=100", null).json()
                .path("data").size();
    }

    private int stores() {
        return f.raw("GET", "/v1/memory_stores?include_archived=true&limit=100", null).json().path("data").size();
    }

    private void refused(int status, String type, String method, String pathAndQuery, byte[] body) {
        int before = versions();
        int storesBefore = stores();
        ServerFixture.Raw r = f.raw(method, pathAndQuery.replace("{sid}", sid).replace("{mid}", mid), body,
                f.acme.secret());
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.errorType()).as(r.body()).isEqualTo(type);
        assertThat(r.json().at("/error/message").asText()).isNotBlank();
        assertThat(versions()).isEqualTo(before);
        assertThat(stores()).isEqualTo(storesBefore);
        assertThat(f.raw("GET", "/v1/memory_stores/" + sid + "/memories/" + mid, null).json().path("content")
                .asText()).isEqualTo("a");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
        // malformed JSON, wrong types, unknown fields, duplicate keys, trailing data
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"/b.md\",|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|[1,2]|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":5,\"content\":\"x\"}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"/b.md\",\"content\":[\"x\"]}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"/b.md\",\"content\":\"x\",\"mode\":\"overwrite\"}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"/b.md\",\"path\":\"/c.md\",\"content\":\"x\"}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"/b.md\",\"content\":\"x\"} {}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"/b.md\"}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"/b.md\",\"content\":\"\\ud800\"}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories/{mid}|{}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories/{mid}|{\"content\":\"b\",\"precondition\":{\"type\":\"etag\",\"content_sha256\":\"x\"}}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories/{mid}|{\"content\":\"b\",\"precondition\":\"sha\"}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories/{mid}|{\"content\":\"b\",\"precondition\":{\"type\":\"content_sha256\"}}|400|invalid_request_error",
        "POST|/v1/memory_stores|{\"name\":\"\"}|400|invalid_request_error",
        "POST|/v1/memory_stores|{\"name\":\"x\",\"metadata\":{\"k\":1}}|400|invalid_request_error",
        "POST|/v1/memory_stores|{\"name\":\"x\",\"metadata\":[]}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}|{\"name\":\"x\",\"archived\":true}|400|invalid_request_error",
        "POST|/v1/sessions|{\"resources\":[{\"type\":\"memory_store\",\"memory_store_id\":\"{sid}\",\"access\":\"admin\"}]}|400|invalid_request_error",
        // path traversal and other bad paths
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"/a/../etc/passwd\",\"content\":\"x\"}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"../b.md\",\"content\":\"x\"}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"/a/./b.md\",\"content\":\"x\"}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories|{\"path\":\"/a\\u0000b\",\"content\":\"x\"}|400|invalid_request_error",
        "POST|/v1/memory_stores/{sid}/memories/{mid}|{\"path\":\"/../../a.md\"}|400|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/memories?path_prefix=/a/../|''|400|invalid_request_error",
        // bad ids, cursors and parameters
        "GET|/v1/memory_stores/memstore_doesnotexist|''|404|not_found_error",
        "GET|/v1/memory_stores/not-an-id|''|404|not_found_error",
        "GET|/v1/memory_stores/{sid}/memories/mem_nope|''|404|not_found_error",
        "POST|/v1/memory_stores/{sid}/memories/memver_wrongkind|{\"content\":\"b\"}|404|not_found_error",
        "DELETE|/v1/memory_stores/{sid}/memories/%2e%2e|''|400|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/memories/%2e%2e%2f%2e%2e%2fetc|''|400|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/memory_versions/memver_nope|''|404|not_found_error",
        "POST|/v1/memory_stores/{sid}/memory_versions/memver_nope/redact|''|404|not_found_error",
        "GET|/v1/memory_stores?page=page_garbage|''|400|invalid_request_error",
        "GET|/v1/memory_stores?page=nonsense|''|400|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/memories?page=page_AAAA|''|400|invalid_request_error",
        "GET|/v1/memory_stores?limit=0|''|400|invalid_request_error",
        "GET|/v1/memory_stores?limit=101|''|400|invalid_request_error",
        "GET|/v1/memory_stores?limit=ten|''|400|invalid_request_error",
        "GET|/v1/memory_stores?include_archived=yes|''|400|invalid_request_error",
        "GET|/v1/memory_stores?created_at%5Bgte%5D=yesterday|''|400|invalid_request_error",
        "GET|/v1/memory_stores?colour=blue|''|400|invalid_request_error",
        "GET|/v1/memory_stores?limit=1&limit=2|''|400|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/memories?depth=3|''|400|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/memories?view=everything|''|400|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/memory_versions?operation=renamed|''|400|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/memory_versions?memory_id=nope|''|400|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/memory_versions?session_id=sesn_a&api_key_id=apikey_b|''|400|invalid_request_error",
        "DELETE|/v1/memory_stores/{sid}/memories/{mid}?expected_content_sha256=abc|''|400|invalid_request_error",
        "DELETE|/v1/memory_stores/{sid}/memories/{mid}?expected_content_sha256=0000000000000000000000000000000000000000000000000000000000000000|''|409|memory_precondition_failed_error",
        // invalid UTF-8 in the URL
        "GET|/v1/memory_stores/{sid}/memories?path_prefix=%ff%fe/|''|400|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/memories?path_prefix=%e2%82|''|400|invalid_request_error",
        // wrong methods and unknown endpoints
        "PUT|/v1/memory_stores/{sid}|{}|405|invalid_request_error",
        "GET|/v1/memory_stores/{sid}/archive|''|405|invalid_request_error",
        "GET|/v1/models|''|404|not_found_error",
        "GET|/v2/memory_stores|''|404|not_found_error",
    })
    void refusedWithNothingWritten(String method, String path, String body, int status, String type) {
        refused(status, type, method, path, body.isEmpty() ? null
                : body.replace("{sid}", sid).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void invalidUtf8InTheBodyIs400() {
        byte[] body = "{\"path\":\"/b.md\",\"content\":\"xx\"}".getBytes(StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0xC3;   // a lead byte followed by an ASCII byte
        refused(400, "invalid_request_error", "POST", "/v1/memory_stores/{sid}/memories", body);
        byte[] lone = "{\"path\":\"/b.md\",\"content\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        lone[lone.length - 3] = (byte) 0xFF;
        refused(400, "invalid_request_error", "POST", "/v1/memory_stores/{sid}/memories", lone);
    }

    @Test
    void hugeBodiesAre413AndLargeContentIs400() {
        byte[] huge = new byte[2 << 20];
        Arrays.fill(huge, (byte) 'a');
        refused(413, "request_too_large", "POST", "/v1/memory_stores/{sid}/memories", huge);
        String big = "{\"path\":\"/big.md\",\"content\":\"" + "b".repeat(102_401) + "\"}";
        refused(400, "invalid_request_error", "POST", "/v1/memory_stores/{sid}/memories",
                big.getBytes(StandardCharsets.UTF_8));
        String max = "{\"path\":\"/max.md\",\"content\":\"" + "b".repeat(102_400) + "\"}";
        ServerFixture.Raw ok = f.raw("POST", "/v1/memory_stores/" + sid + "/memories", max);
        assertThat(ok.status()).isEqualTo(200);
        f.raw("DELETE", "/v1/memory_stores/" + sid + "/memories/" + ok.json().path("id").asText(), null);
    }

    /** A body sent in chunks, without a length: read whole, or refused with 413 past the limit. */
    private java.net.http.HttpResponse<String> chunked(byte[] body) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(f.server.uri() + "/v1/memory_stores/" + sid + "/memories"))
                .header("x-api-key", f.acme.secret()).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body)))
                .build();
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bodiesWithoutALengthAreReadWholeAndHeldToTheLimit() throws Exception {
        String content = "c".repeat(70_000);
        var ok = chunked(("{\"path\":\"/chunked.md\",\"content\":\"" + content + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.request().headers().firstValue("content-length")).isEmpty();
        String id = ServerFixture.JSON.readTree(ok.body()).path("id").asText();
        assertThat(f.raw("GET", "/v1/memory_stores/" + sid + "/memories/" + id, null).json().path("content")
                .asText()).isEqualTo(content);
        f.raw("DELETE", "/v1/memory_stores/" + sid + "/memories/" + id, null);
        int before = versions();
        byte[] huge = new byte[2 << 20];
        Arrays.fill(huge, (byte) 'a');
        var refused = chunked(huge);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(versions()).isEqualTo(before);
    }

    @Test
    void missingWrongAndRevokedKeysAre401AndOtherWorkspacesIdsAre404() {
        for (String key : new String[] {null, "", "amk_x", "amk_aaaaaaaaaaaaaaaaaaaa_wrong", f.acme.secret() + "x"}) {
            ServerFixture.Raw r = f.raw("POST", "/v1/memory_stores/" + sid + "/memories",
                    "{\"path\":\"/k.md\",\"content\":\"k\"}".getBytes(StandardCharsets.UTF_8), key);
            assertThat(r.status()).as(String.valueOf(key)).isEqualTo(401);
            assertThat(r.errorType()).isEqualTo("authentication_error");
        }
        NewApiKey revoked = f.db.apiKeys().create(dev.agentmemory.model.WorkspaceId.of("acme"), "soon revoked");
        assertThat(f.raw("GET", "/v1/memory_stores", null, revoked.secret()).status()).isEqualTo(200);
        f.db.apiKeys().revoke(revoked.key().id());
        ServerFixture.Raw r = f.raw("POST", "/v1/memory_stores/" + sid + "/memories",
                "{\"path\":\"/k.md\",\"content\":\"k\"}".getBytes(StandardCharsets.UTF_8), revoked.secret());
        assertThat(r.status()).isEqualTo(401);

        for (String path : new String[] {"/v1/memory_stores/" + sid, "/v1/memory_stores/" + sid + "/memories/" + mid,
                "/v1/memory_stores/" + sid + "/memory_versions"}) {
            ServerFixture.Raw other = f.raw("GET", path, null, f.other.secret());
            assertThat(other.status()).as(path).isEqualTo(404);
            assertThat(other.errorType()).isEqualTo("not_found_error");
        }
        ServerFixture.Raw write = f.raw("POST", "/v1/memory_stores/" + sid + "/memories/" + mid,
                "{\"content\":\"theirs\"}".getBytes(StandardCharsets.UTF_8), f.other.secret());
        assertThat(write.status()).isEqualTo(404);
        assertThat(f.raw("GET", "/v1/memory_stores/" + sid + "/memories/" + mid, null).json().path("content")
                .asText()).isEqualTo("a");
        assertThat(f.db.memory().workspace("acme").memories(dev.agentmemory.model.StoreId.of(sid),
                dev.agentmemory.model.Actor.user("test")).findByPath("/k.md")).isEmpty();
    }

    @Test
    void sdkSeesBadRequestsAsItsOwnException() {
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(BadRequestException.class,
                () -> f.client.beta().memoryStores().memories().create(sid,
                        MemoryCreateParams.builder().path("/x/../y.md").content("x").build()));
        assertThat(ServerFixture.errorBody(e).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(e.statusCode()).isEqualTo(400);
    }

    @Test
    void aKeysRateLimitIs429() {
        try (ServerFixture limited = new ServerFixture(dir.resolve("limited"), 0.5, 3)) {
            var stores = limited.client.beta().memoryStores();
            for (int i = 0; i < 3; i++) {
                stores.list();
            }
            RateLimitException e = org.assertj.core.api.Assertions.catchThrowableOfType(RateLimitException.class,
                    stores::list);
            assertThat(ServerFixture.errorBody(e).at("/error/type").asText()).isEqualTo("rate_limit_error");
            assertThat(e.headers().values("retry-after")).isNotEmpty();
            // another key has its own bucket
            assertThat(limited.otherClient.beta().memoryStores().list().data()).isEmpty();
        }
    }
}
