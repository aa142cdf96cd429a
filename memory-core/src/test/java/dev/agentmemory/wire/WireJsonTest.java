package dev.agentmemory.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.model.WorkspaceId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The wire objects, written out in full: each field of the hosted API's shapes in order, {@code null} for absent
 * values, escapes as JSON requires; and an export is exactly these lines.
 */
class WireJsonTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05.123456Z");

    @Test
    void aStore() {
        MemoryStore s = new MemoryStore(StoreId.of("memstore_1"), WorkspaceId.of("acme"), "Notes \"q\"", "d\n",
                Map.of("b", "2", "a", "1"), OptionalInt.of(10), OptionalInt.empty(), T, T, Optional.empty());
        assertThat(WireJson.store(s)).isEqualTo("{\"type\":\"memory_store\",\"id\":\"memstore_1\","
                + "\"workspace_id\":\"acme\",\"name\":\"Notes \\\"q\\\"\",\"description\":\"d\\n\","
                + "\"metadata\":{\"a\":\"1\",\"b\":\"2\"},\"content_limit_bytes\":10,\"memory_limit\":null,"
                + "\"created_at\":\"2026-01-02T03:04:05.123456Z\",\"updated_at\":\"2026-01-02T03:04:05.123456Z\","
                + "\"archived_at\":null}");
    }

    @Test
    void aMemoryWithAndWithoutContent() {
        Memory m = new Memory(MemoryId.of("mem_1"), StoreId.of("memstore_1"), "/a.md", Optional.of("x\u0001"),
                "s".repeat(64), 2, VersionId.of("memver_1"), T, T);
        String tail = "\"content_sha256\":\"" + "s".repeat(64) + "\",\"content_size_bytes\":2,"
                + "\"memory_version_id\":\"memver_1\",\"created_at\":\"2026-01-02T03:04:05.123456Z\","
                + "\"updated_at\":\"2026-01-02T03:04:05.123456Z\"}";
        String head = "{\"type\":\"memory\",\"id\":\"mem_1\",\"memory_store_id\":\"memstore_1\",\"path\":\"/a.md\",";
        assertThat(WireJson.memory(m)).isEqualTo(head + "\"content\":\"x\\u0001\"," + tail);
        assertThat(WireJson.memory(m.withoutContent())).isEqualTo(head + tail);
    }

    @Test
    void theGeneratorWritersWriteTheSameObjectsAndAMemoryWithoutContentAsTheHostedApiDoes() throws Exception {
        Memory m = new Memory(MemoryId.of("mem_1"), StoreId.of("memstore_1"), "/a.md", Optional.of("x"),
                "s".repeat(64), 1, VersionId.of("memver_1"), T, T);
        assertThat(written(g -> WireJson.writeMemory(g, m))).isEqualTo(WireJson.memory(m));
        assertThat(written(g -> WireJson.writeMemory(g, m.withoutContent())))
                .isEqualTo(WireJson.memory(m.withoutContent()).replace("\"path\":\"/a.md\",",
                        "\"path\":\"/a.md\",\"content\":null,"));
        MemoryStore s = new MemoryStore(StoreId.of("memstore_1"), WorkspaceId.of("acme"), "n", "",
                Map.of(), OptionalInt.empty(), OptionalInt.of(3), T, T, Optional.of(T));
        assertThat(written(g -> WireJson.writeStore(g, s))).isEqualTo(WireJson.store(s));
        Actor a = Actor.user("u_1");
        assertThat(written(g -> WireJson.writeActor(g, a))).isEqualTo(WireJson.actor(a));
    }

    private interface Body {
        void write(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException;
    }

    private static String written(Body body) throws java.io.IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
                .createGenerator(out)) {
            body.write(g);
        }
        return out.toString();
    }

    @Test
    void aDeletionVersionAndItsActor() {
        MemoryVersion v = new MemoryVersion(VersionId.of("memver_2"), StoreId.of("memstore_1"), MemoryId.of("mem_1"),
                Operation.DELETED, Optional.of("/a.md"), Optional.empty(), Optional.empty(), Optional.empty(),
                Actor.user("alice"), T, Optional.empty(), Optional.empty());
        assertThat(WireJson.version(v)).isEqualTo("{\"type\":\"memory_version\",\"id\":\"memver_2\","
                + "\"memory_store_id\":\"memstore_1\",\"memory_id\":\"mem_1\",\"operation\":\"deleted\","
                + "\"path\":\"/a.md\",\"content\":null,\"content_sha256\":null,\"content_size_bytes\":null,"
                + "\"created_by\":{\"type\":\"user_actor\",\"user_id\":\"alice\"},"
                + "\"created_at\":\"2026-01-02T03:04:05.123456Z\",\"redacted_at\":null,\"redacted_by\":null}");
        assertThat(WireJson.actor(Actor.apiKey("k"))).isEqualTo("{\"type\":\"api_actor\",\"api_key_id\":\"k\"}");
    }

    @Test
    void anExportIsTheseLines() {
        dev.agentmemory.inmemory.InMemoryBackend backend = dev.agentmemory.inmemory.InMemoryBackend.create();
        try (AgentMemory memory = AgentMemory.builder().backend(backend).build()) {
            MemoryStore store = memory.workspace("acme").stores().create(NewStore.named("Notes").build());
            Memories m = memory.workspace("acme").memories(store.id(), Actor.user("u"));
            Memory a = m.create("/a.md", "one \u00e9 \uD83D\uDE00");
            m.delete(a.id());
            m.create("/b.md", "two");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            memory.workspace("acme").stores().exportStore(store.id(), out, dev.agentmemory.model.ProgressListener.NONE);
            List<String> expected = new ArrayList<>();
            expected.add(WireJson.store(memory.workspace("acme").stores().get(store.id())));
            expected.add(WireJson.memory(m.getByPath("/b.md")));
            for (MemoryVersion v : m.versions(VersionQuery.builder().includeContent(true).build()).items()) {
                // a version's line is its API object with its seal in the hash chain added
                String line = WireJson.exportedVersion(v, backend.findSeal(store.id(), v.id()));
                String api = WireJson.version(v);
                assertThat(line).startsWith(api.substring(0, api.length() - 1) + ",\"chain\":{\"position\":");
                expected.add(line);
            }
            expected.add(WireJson.chainHead(store.id(), backend.findStore(store.id()).orElseThrow().chain()));
            assertThat(expected.get(expected.size() - 1)).contains("\"length\":3");
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("\n", expected) + "\n");
        }
    }
}
