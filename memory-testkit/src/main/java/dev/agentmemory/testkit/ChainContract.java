package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Checkpoints;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.Memories;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.ChainCheckpoint;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.ChainReport.Problem;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.SignedCheckpoint;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.spi.ChainEntry;
import dev.agentmemory.spi.VersionSeal;
import dev.agentmemory.wire.WireJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Verifiable history: every write, redaction and purge extends the store's hash chain in commit order, and
 * {@code verify} walks it. Honest histories verify; a history read back changed (content, actor, time, a missing or
 * moved link, a forged redaction) fails at the right link; checkpoints, signed or not, pin the chain; an exported
 * store imports with its chain and verifies.
 */
public abstract class ChainContract extends ContractSupport {

    private static ChainReport intact(ChainReport r) {
        assertThat(r.broken()).as("first broken link").isEmpty();
        assertThat(r.intact()).isTrue();
        return r;
    }

    private long versionCount(StoreId store) {
        return backend.listVersions(store, dev.agentmemory.spi.VersionFilter.ALL, Optional.empty(), 100_000, false)
                .size();
    }

    /** A fresh store has an empty chain that verifies, at the genesis hash. */
    @Test
    void anEmptyStoreVerifies() {
        Memories m = freshStore();
        ChainReport r = intact(ws.stores().verify(m.storeId()));
        assertThat(r.linksVerified()).isZero();
        assertThat(r.head().length()).isZero();
        assertThat(r.head().head()).isEqualTo("0".repeat(64));
        assertThat(r.unchainedVersions()).isZero();
    }

    /** Creates, updates, moves, batches, deletions and store changes all leave a chain that verifies, link per version. */
    @Test
    void everyKindOfWriteVerifies() {
        Memories m = freshStore();
        Memory a = m.create("/notes/a.md", "alpha");
        m.update(a.id(), MemoryUpdate.content("alpha 2"));
        Memory b = m.create("/notes/b.md", "beta");
        m.move("/notes/", "/archive/");
        m.apply(Batch.builder().create("/c.md", "gamma").update(b.id(), MemoryUpdate.content("beta 2")).build());
        m.delete(a.id());
        m.create("/d/e.md", "");
        m.deleteDirectory("/d/");
        ws.stores().update(m.storeId(), dev.agentmemory.model.StoreUpdate.builder().name("renamed").build());
        List<String> phases = new ArrayList<>();
        ChainReport r = intact(ws.stores().verify(m.storeId(), (phase, done, total) -> phases.add(phase)));
        long versions = versionCount(m.storeId());
        assertThat(r.versionsVerified()).isEqualTo(versions);
        assertThat(r.linksVerified()).isEqualTo(versions);
        assertThat(r.head().length()).isEqualTo(versions);
        assertThat(r.head()).isEqualTo(ws.stores().checkpoint(m.storeId()));
        assertThat(phases).contains("links");
    }

    /** An honest redaction adds a link and keeps the version's: the chain still verifies without the content. */
    @Test
    void anHonestRedactionStillVerifies() {
        Memories m = freshStore();
        Memory a = m.create("/secret.md", "password=hunter2");
        m.update(a.id(), MemoryUpdate.content("password=<redacted>"));
        ws.stores().redact(m.storeId(), a.headVersionId(), OPERATOR);
        ChainReport r = intact(ws.stores().verify(m.storeId()));
        assertThat(r.versionsVerified()).isEqualTo(2);
        assertThat(r.linksVerified()).isEqualTo(3);
        VersionSeal seal = backend.findSeal(m.storeId(), a.headVersionId()).orElseThrow();
        assertThat(seal.salt()).as("the salt is erased with the content").isEmpty();
        assertThat(seal.redactionPosition()).contains(3L);
    }

    /** A purge records each run of removed links as a gap record on the chain, so the chain verifies across gaps. */
    @Test
    void anHonestPurgeStillVerifies() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a0");
        for (int i = 1; i < 6; i++) {
            m.update(a.id(), MemoryUpdate.content("a" + i));
        }
        Memory gone = m.create("/gone.md", "g");
        m.delete(gone.id());
        Memory b = m.create("/b.md", "b0");
        m.update(b.id(), MemoryUpdate.content("b1"));
        ws.stores().redact(m.storeId(), b.headVersionId(), OPERATOR);
        clock.advance(Duration.ofDays(3));
        m.update(b.id(), MemoryUpdate.content("b2"));
        var purged = ws.stores().purge(m.storeId(), new RetentionPolicy(Duration.ofDays(1), 1));
        assertThat(purged.versionsRemoved()).isPositive();
        ChainReport r = intact(ws.stores().verify(m.storeId()));
        assertThat(r.gapsSpanned()).isPositive();
        // and again after more writes and a second purge that removes what the first kept
        m.update(a.id(), MemoryUpdate.content("a6"));
        clock.advance(Duration.ofDays(3));
        ws.stores().purge(m.storeId(), new RetentionPolicy(Duration.ofDays(1), 1));
        intact(ws.stores().verify(m.storeId()));
    }

    /** A published checkpoint verifies while the chain grows; a wrong or future one is reported as such. */
    @Test
    void checkpointsPinTheChain() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "one");
        ChainCheckpoint cp = intact(ws.stores().verify(m.storeId())).head();
        m.update(a.id(), MemoryUpdate.content("two"));
        m.create("/b.md", "three");
        ChainReport r = intact(ws.stores().verify(m.storeId(), cp, ProgressListener.NONE));
        assertThat(r.checkpoint()).contains(cp);

        ChainCheckpoint wrong = new ChainCheckpoint(m.storeId(), cp.length(), "ab".repeat(32));
        ChainReport bad = ws.stores().verify(m.storeId(), wrong, ProgressListener.NONE);
        assertThat(bad.broken().orElseThrow().problem()).isEqualTo(Problem.CHECKPOINT);
        assertThat(bad.broken().orElseThrow().position()).isEqualTo(cp.length());

        ChainCheckpoint future = new ChainCheckpoint(m.storeId(), 99, cp.head());
        assertThat(ws.stores().verify(m.storeId(), future, ProgressListener.NONE).broken().orElseThrow().problem())
                .isEqualTo(Problem.CHECKPOINT);
    }

    /** Ed25519 signatures over a checkpoint verify with the host's public key, and fail for any change. */
    @Test
    void signedCheckpointsRoundTrip() {
        Memories m = freshStore();
        m.create("/a.md", "one");
        KeyPair keys = Checkpoints.generateKeyPair();
        SignedCheckpoint signed = Checkpoints.sign(ws.stores().checkpoint(m.storeId()), keys, clock.instant());
        assertThat(Checkpoints.verifySignature(signed, keys.getPublic())).isTrue();

        SignedCheckpoint parsed = Checkpoints.parse(WireJson.signedCheckpoint(signed));
        assertThat(parsed).isEqualTo(signed);
        KeyPair reread = Checkpoints.readKeyPair(Checkpoints.keyPairPem(keys));
        assertThat(Checkpoints.verifySignature(parsed,
                Checkpoints.readPublicKey(Checkpoints.publicKeyPem(reread.getPublic())))).isTrue();

        SignedCheckpoint moved = new SignedCheckpoint(new ChainCheckpoint(m.storeId(), 2,
                signed.checkpoint().head()), signed.signedAt(), signed.keyId(), signed.signature());
        assertThat(Checkpoints.verifySignature(moved, keys.getPublic())).isFalse();
        assertThat(Checkpoints.verifySignature(signed, Checkpoints.generateKeyPair().getPublic())).isFalse();
        assertThatThrownBy(() -> Checkpoints.parse("{\"type\":\"memory_chain_checkpoint\"}"))
                .isInstanceOf(InvalidArgumentException.class);
    }

    /** An exported store carries its chain: the import verifies with the same head, redactions and gaps included. */
    @Test
    void anImportedStoreVerifies() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a0");
        m.update(a.id(), MemoryUpdate.content("a1"));
        ws.stores().redact(m.storeId(), a.headVersionId(), OPERATOR);
        Memory g = m.create("/g.md", "g");
        m.delete(g.id());
        clock.advance(Duration.ofDays(3));
        m.update(a.id(), MemoryUpdate.content("a2"));
        ws.stores().purge(m.storeId(), new RetentionPolicy(Duration.ofDays(1), 1));
        ChainCheckpoint head = intact(ws.stores().verify(m.storeId())).head();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ws.stores().exportStore(m.storeId(), out);
        AgentMemory other = open(dev.agentmemory.model.Limits.defaults());
        workspaceOf(other).stores().importStore(new ByteArrayInputStream(out.toByteArray()));
        ChainReport r = intact(workspaceOf(other).stores().verify(m.storeId()));
        assertThat(r.head()).isEqualTo(head);
        assertThat(r.gapsSpanned()).isPositive();
    }

    // ------------------------------------------------------------------ tampering

    /** A history with three versions of one memory; returns its version ids oldest first. */
    private List<VersionId> history(Memories m) {
        Memory a = m.create("/a.md", "first");
        VersionId v2 = m.update(a.id(), MemoryUpdate.content("second")).headVersionId();
        VersionId v3 = m.update(a.id(), MemoryUpdate.content("third")).headVersionId();
        return List.of(a.headVersionId(), v2, v3);
    }

    private ChainReport verifyTampered(StoreId store, UnaryOperator<List<ChainEntry>> edit) {
        try (AgentMemory tampered = AgentMemory.builder().backend(new TamperedBackend(backend, edit)).clock(clock)
                .build()) {
            return tampered.workspace(WORKSPACE).stores().verify(store);
        }
    }

    private static UnaryOperator<List<ChainEntry>> replaceVersion(VersionId id,
            UnaryOperator<MemoryVersion> change) {
        return entries -> entries.stream().map(e -> e.kind() == ChainEntry.Kind.VERSION
                && e.version().orElseThrow().id().equals(id)
                ? ChainEntry.version(change.apply(e.version().orElseThrow()), e.seal().orElseThrow()) : e).toList();
    }

    private static MemoryVersion with(MemoryVersion v, Optional<String> content, Actor by, java.time.Instant at) {
        return new MemoryVersion(v.id(), v.storeId(), v.memoryId(), v.operation(), v.path(), content,
                v.contentSha256(), v.contentSizeBytes(), by, at, v.redactedAt(), v.redactedBy());
    }

    private static void assertBroken(ChainReport r, VersionId id, Problem problem) {
        assertThat(r.intact()).isFalse();
        ChainReport.BrokenLink b = r.broken().orElseThrow();
        assertThat(b.problem()).as(b.detail()).isEqualTo(problem);
        assertThat(b.versionId()).as(b.detail()).contains(id);
    }

    /** Changed content is reported at that version, as content. */
    @Test
    void changedContentIsDetected() {
        Memories m = freshStore();
        List<VersionId> ids = history(m);
        ChainReport r = verifyTampered(m.storeId(), replaceVersion(ids.get(1),
                v -> with(v, Optional.of("SECOND"), v.createdBy(), v.createdAt())));
        assertBroken(r, ids.get(1), Problem.CONTENT);
    }

    /** A changed actor or time is reported at that version, as metadata. */
    @Test
    void changedActorOrTimeIsDetected() {
        Memories m = freshStore();
        List<VersionId> ids = history(m);
        assertBroken(verifyTampered(m.storeId(), replaceVersion(ids.get(1),
                v -> with(v, v.content(), Actor.user("mallory"), v.createdAt()))), ids.get(1), Problem.METADATA);
        assertBroken(verifyTampered(m.storeId(), replaceVersion(ids.get(2),
                v -> with(v, v.content(), v.createdBy(), v.createdAt().plusSeconds(1)))), ids.get(2),
                Problem.METADATA);
    }

    /** A version missing from storage is reported at its position, naming the version after it. */
    @Test
    void aMissingVersionIsDetected() {
        Memories m = freshStore();
        List<VersionId> ids = history(m);
        ChainReport r = verifyTampered(m.storeId(), entries -> entries.stream()
                .filter(e -> !e.version().map(v -> v.id().equals(ids.get(1))).orElse(false)).toList());
        assertBroken(r, ids.get(2), Problem.MISSING);
        assertThat(r.broken().orElseThrow().position()).isEqualTo(2);
        // the newest one missing: the chain stops short of its head
        ChainReport tail = verifyTampered(m.storeId(), entries -> entries.stream()
                .filter(e -> !e.version().map(v -> v.id().equals(ids.get(2))).orElse(false)).toList());
        assertThat(tail.broken().orElseThrow().problem()).isEqualTo(Problem.HEAD);
        assertThat(tail.broken().orElseThrow().position()).isEqualTo(3);
    }

    /** Two versions that traded places are reported as reordered. */
    @Test
    void reorderedVersionsAreDetected() {
        Memories m = freshStore();
        List<VersionId> ids = history(m);
        ChainReport r = verifyTampered(m.storeId(), entries -> {
            List<ChainEntry> out = new ArrayList<>();
            for (ChainEntry e : entries) {
                VersionSeal s = e.seal().orElseThrow();
                long p = s.position() == 1 ? 2 : s.position() == 2 ? 1 : s.position();
                out.add(ChainEntry.version(e.version().orElseThrow(),
                        new VersionSeal(p, s.hash(), s.leaf(), s.salt(), s.redactionPosition(), s.redactionHash())));
            }
            out.sort(java.util.Comparator.comparingLong(ChainEntry::position));
            return out;
        });
        assertBroken(r, ids.get(1), Problem.REORDERED);
    }

    /** Content erased and a version marked redacted without a redaction link is a forged redaction. */
    @Test
    void aForgedRedactionIsDetected() {
        Memories m = freshStore();
        List<VersionId> ids = history(m);
        ChainReport r = verifyTampered(m.storeId(), entries -> entries.stream().map(e -> {
            MemoryVersion v = e.version().orElseThrow();
            if (!v.id().equals(ids.get(0))) {
                return e;
            }
            VersionSeal s = e.seal().orElseThrow();
            return ChainEntry.version(v.redacted(Actor.user("mallory"), v.createdAt()), new VersionSeal(
                    s.position(), s.hash(), s.leaf(), Optional.empty(), Optional.empty(), Optional.empty()));
        }).toList());
        assertBroken(r, ids.get(0), Problem.FORGED_REDACTION);
    }

    /** An honest redaction whose redactor is changed afterwards is a forged redaction too. */
    @Test
    void aChangedRedactionIsDetected() {
        Memories m = freshStore();
        List<VersionId> ids = history(m);
        ws.stores().redact(m.storeId(), ids.get(0), OPERATOR);
        ChainReport r = verifyTampered(m.storeId(), entries -> entries.stream().map(e -> {
            if (e.kind() != ChainEntry.Kind.REDACTION) {
                return e;
            }
            MemoryVersion v = e.version().orElseThrow();
            return ChainEntry.redaction(v.redacted(Actor.user("mallory"), v.redactedAt().orElseThrow()),
                    e.seal().orElseThrow());
        }).toList());
        assertBroken(r, ids.get(0), Problem.FORGED_REDACTION);
    }
}
