package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a client sends, the server answers with a status it means (never a 5xx) and, for a refusal, the hosted
 * error shape; a refused write leaves the store as it was.
 */
class NoServerErrorPropertiesTest {

    static Path dir;
    static ServerFixture f;
    static String sid;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("server-props");
        f = new ServerFixture(dir);
        sid = f.raw("POST", "/v1/memory_stores", "{\"name\":\"props\"}").json().path("id").asText();
    }

    @AfterContainer
    static void stop() {
        f.close();
    }

    private static void check(ServerFixture.Raw r, Set<Integer> allowed) {
        assertThat(r.status()).as(r.body()).isIn(allowed);
        if (r.status() >= 400) {
            assertThat(r.errorType()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("/.%a\\\u0000\u202e\u00e9 ").ofMaxLength(30),
                Arbitraries.of("/a.md", "/a/../b", "..", "/", "", "/x/./y", "/%2e%2e/x", "/mem\u0301o.md"));
    }

    @Property(tries = 150)
    void createWithArbitraryPathAndContent(@ForAll("texts") String path, @ForAll("texts") String content) {
        ObjectNode body = ServerFixture.JSON.createObjectNode().put("path", path).put("content", content);
        ServerFixture.Raw r = f.raw("POST", "/v1/memory_stores/" + sid + "/memories", body.toString());
        check(r, Set.of(200, 400, 409));
        if (r.status() == 200) {
            f.raw("DELETE", "/v1/memory_stores/" + sid + "/memories/" + r.json().path("id").asText(), null);
        }
    }

    @Property(tries = 150)
    void arbitraryBytesAsABody(@ForAll byte[] bytes) {
        int before = f.raw("GET", "/v1/memory_stores/" + sid + "/memory_versions?limit=100", null).json()
                .path("data").size();
        ServerFixture.Raw r = f.raw("POST", "/v1/memory_stores/" + sid + "/memories", bytes, f.acme.secret());
        check(r, Set.of(400));
        assertThat(f.raw("GET", "/v1/memory_stores/" + sid + "/memory_versions?limit=100", null).json()
                .path("data").size()).isEqualTo(before);
    }

    @Property(tries = 150)
    void arbitraryQueryStrings(@ForAll("texts") String name, @ForAll("texts") String value) {
        String q = java.net.URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
        check(f.raw("GET", "/v1/memory_stores/" + sid + "/memories?" + q, null), Set.of(200, 400));
        check(f.raw("GET", "/v1/memory_stores?" + q, null), Set.of(200, 400));
    }

    @Property(tries = 100)
    void arbitraryIdsInThePath(@ForAll("texts") String id) {
        String enc = java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        check(f.raw("GET", "/v1/memory_stores/" + sid + "/memories/" + enc, null), Set.of(400, 404));
        check(f.raw("POST", "/v1/memory_stores/" + enc + "/archive", null), Set.of(400, 404));
    }
}
