package dev.agentmemory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.policy.SecretScanner;
import dev.agentmemory.policy.WritePolicyChain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A version's link covers its policy redactions (link encoding 2), and chains sealed before that (encoding 1) keep
 * verifying. The old chain is made the way an earlier release made it: a store's export whose version links are
 * recomputed with the first encoding (and every link after them re-chained), then imported, which verifies it.
 */
class ChainEncodingCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // A GitHub classic token (ghp_ and 36 characters): the default secret scanner redacts it.
    private static final String TOKEN = "ghp_" + "Xq7Lm2Np4Rs6Tv8Wy0Za1Bc3De5Fg7Hj9Kk2";

    private record Source(AgentMemory memory, StoreId store, Map<VersionId, MemoryVersion> versions,
            VersionId redactedByPolicy) {
    }

    /** A store with a policy-redacted version, a clean one, an update and an operator's redaction. */
    private static Source source() {
        AgentMemory memory = AgentMemory.builder().backend(InMemoryBackend.create())
                .writePolicies(WritePolicyChain.of(SecretScanner.defaults())).build();
        StoreAdmin admin = memory.workspace("ws_src").stores();
        StoreId store = admin.create(NewStore.named("notes").build()).id();
        Memories m = memory.workspace("ws_src").memories(store, Actor.session(SessionId.of("sesn_01agent")));
        Memory withToken = m.create("/notes/deploy.md", "deploy with token " + TOKEN + " then restart\n");
        Memory clean = m.create("/notes/plain.md", "nothing secret here\n");
        Memory cleanV2 = m.update(clean.id(), MemoryUpdate.content("still nothing secret\n"));
        admin.redact(store, clean.headVersionId(), Actor.user("admin"));
        MemoryVersion policyRedacted = m.version(withToken.headVersionId());
        assertThat(policyRedacted.policyRedactions()).containsExactly("github-token");
        Map<VersionId, MemoryVersion> versions = new TreeMap<>(java.util.Comparator.comparing(VersionId::value));
        for (VersionId id : List.of(withToken.headVersionId(), clean.headVersionId(), cleanV2.headVersionId())) {
            versions.put(id, m.version(id));
        }
        return new Source(memory, store, versions, withToken.headVersionId());
    }

    private static List<ObjectNode> export(Source s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.memory().workspace("ws_src").stores().exportStore(s.store(), out);
        List<ObjectNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add((ObjectNode) JSON.readTree(line));
            }
        }
        return lines;
    }

    private static StoreAdmin importInto(List<ObjectNode> lines, String workspace) {
        StringBuilder b = new StringBuilder();
        for (JsonNode n : lines) {
            b.append(n.toString()).append('\n');
        }
        AgentMemory target = AgentMemory.builder().backend(InMemoryBackend.create()).build();
        StoreAdmin admin = target.workspace(workspace).stores();
        admin.importStore(new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.UTF_8)));
        return admin;
    }

    /** Recomputes every link of an export as an earlier release sealed it: version links with encoding 1. */
    private static void resealWithFirstEncoding(List<ObjectNode> lines, Source s) {
        TreeMap<Long, ObjectNode> byPosition = new TreeMap<>();
        TreeMap<Long, Boolean> isRedaction = new TreeMap<>();
        for (ObjectNode n : lines) {
            if (n.path("type").asText().equals("memory_version") && n.path("chain").isObject()) {
                ObjectNode c = (ObjectNode) n.get("chain");
                byPosition.put(c.get("position").asLong(), n);
                isRedaction.put(c.get("position").asLong(), false);
                if (c.path("redaction_position").isNumber()) {
                    byPosition.put(c.get("redaction_position").asLong(), n);
                    isRedaction.put(c.get("redaction_position").asLong(), true);
                }
            }
        }
        String prev = "0".repeat(64);
        for (Map.Entry<Long, ObjectNode> e : byPosition.entrySet()) {
            ObjectNode c = (ObjectNode) e.getValue().get("chain");
            MemoryVersion v = s.versions().get(VersionId.of(e.getValue().get("id").asText()));
            if (isRedaction.get(e.getKey())) {
                prev = ChainCodec.redactionLink(prev, e.getKey(), v, c.get("leaf").asText());
                c.put("redaction_hash", prev);
            } else {
                prev = ChainCodec.versionLinkV1(prev, e.getKey(), v, c.get("leaf").asText());
                c.put("hash", prev);
            }
        }
        ObjectNode head = lines.get(lines.size() - 1);
        assertThat(head.get("type").asText()).isEqualTo("memory_chain_head");
        assertThat(head.get("length").asLong()).isEqualTo(byPosition.lastKey());
        head.put("hash", prev);
    }

    @Test
    void newVersionLinksUseTheSecondEncoding() throws Exception {
        Source s = source();
        ChainReport r = s.memory().workspace("ws_src").stores().verify(s.store());
        assertThat(r.broken()).isEmpty();
        assertThat(r.versionsVerified()).isEqualTo(3);
        assertThat(r.versionLinksV1()).isZero();
    }

    @Test
    void aChainSealedWithTheFirstEncodingStillVerifiesAndGrowsWithTheSecond() throws Exception {
        Source s = source();
        List<ObjectNode> lines = export(s);
        resealWithFirstEncoding(lines, s);
        StoreAdmin admin = importInto(lines, "ws_old"); // the import verifies the chain before it succeeds
        ChainReport old = admin.verify(s.store());
        assertThat(old.broken()).isEmpty();
        assertThat(old.versionsVerified()).isEqualTo(3);
        assertThat(old.versionLinksV1()).isEqualTo(3);
        assertThat(old.head().head()).isEqualTo(lines.get(lines.size() - 1).get("hash").asText());
    }

    @Test
    void newWritesOnAnOldChainAreSealedWithTheSecondEncoding() throws Exception {
        Source s = source();
        List<ObjectNode> lines = export(s);
        resealWithFirstEncoding(lines, s);
        StringBuilder b = new StringBuilder();
        lines.forEach(n -> b.append(n).append('\n'));
        AgentMemory target = AgentMemory.builder().backend(InMemoryBackend.create()).build();
        StoreAdmin admin = target.workspace("ws_old").stores();
        admin.importStore(new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.UTF_8)));
        target.workspace("ws_old").memories(s.store(), Actor.user("ada")).create("/notes/new.md", "after upgrade");
        ChainReport r = admin.verify(s.store());
        assertThat(r.broken()).isEmpty();
        assertThat(r.versionsVerified()).isEqualTo(4);
        assertThat(r.versionLinksV1()).isEqualTo(3);
    }

    @Test
    void changedPolicyRedactionsInAnExportAreRefused() throws Exception {
        Source s = source();
        for (String change : List.of("remove", "add", "rename")) {
            List<ObjectNode> lines = export(s);
            for (ObjectNode n : lines) {
                if (!n.path("type").asText().equals("memory_version")) {
                    continue;
                }
                boolean redacted = n.get("id").asText().equals(s.redactedByPolicy().value());
                if (change.equals("remove") && redacted) {
                    n.remove("policy_redactions");
                } else if (change.equals("add") && !redacted && n.path("content").isTextual()) {
                    n.putArray("policy_redactions").add("jwt");
                } else if (change.equals("rename") && redacted) {
                    ((ArrayNode) n.get("policy_redactions")).set(0, JSON.getNodeFactory().textNode("jwt"));
                }
            }
            assertThatThrownBy(() -> importInto(lines, "ws_" + change)).as(change)
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("does not verify");
        }
    }
}
