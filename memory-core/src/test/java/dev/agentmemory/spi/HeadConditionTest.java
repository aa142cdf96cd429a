package dev.agentmemory.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The per-memory compare-and-set as a backend decides it, table by table: when a head-conditioned commit applies at a
 * moved sequence, which chain update it stores, and which commits may not carry a condition at all.
 */
class HeadConditionTest {

    private static final StoreId STORE = StoreId.of("memstore_01");
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final MemoryStore REC = new MemoryStore(STORE, WorkspaceId.of("acme"), "n", "", Map.of(),
            OptionalInt.empty(), OptionalInt.empty(), T, T, Optional.empty());
    private static final MemoryId M1 = MemoryId.of("mem_01");
    private static final MemoryId M2 = MemoryId.of("mem_02");
    private static final VersionId H1 = VersionId.of("memver_01");
    private static final VersionId H2 = VersionId.of("memver_02");
    private static final VersionId NEW = VersionId.of("memver_03");
    private static final String HASH = "a".repeat(64);

    private final List<Long> relinkedAt = new ArrayList<>();

    private ChainUpdate sealedAt(long position) {
        return new ChainUpdate(new ChainHead(position, HASH), Map.of(NEW, new VersionSeal(position, HASH, HASH,
                Optional.of(HASH), Optional.empty(), Optional.empty())), List.of());
    }

    private Commit update(Optional<HeadCondition> condition) {
        Memory m = new Memory(M1, STORE, "/a.md", Optional.of("x"), HASH, 1, NEW, T, T);
        MemoryVersion v = new MemoryVersion(NEW, STORE, M1, Operation.MODIFIED, Optional.of("/a.md"), Optional.of("x"),
                Optional.of(HASH), Optional.of(1L), Actor.apiKey("k"), T, Optional.empty(), Optional.empty());
        return new Commit(STORE, 5, Optional.empty(), List.of(), List.of(m), List.of(v), List.of(), List.of(),
                Optional.empty(), Optional.of(sealedAt(11)), condition);
    }

    private HeadCondition onM1() {
        return new HeadCondition(REC, Map.of(M1, H1), (seq, head) -> {
            relinkedAt.add(seq);
            return sealedAt(head.length() + 1);
        });
    }

    @Test
    void theExpectedSequenceAlwaysApplies() {
        Commit c = update(Optional.of(onM1()));
        assertThat(c.appliesOn(5, REC, id -> Optional.empty())).isTrue();
        assertThat(c.chainAt(5, new ChainHead(10, HASH))).isEqualTo(c.chain());
        assertThat(relinkedAt).isEmpty();
    }

    @Test
    void aMovedSequenceAppliesOnlyWhileTheStoreAndEveryNamedHeadAreUnchanged() {
        Commit c = update(Optional.of(onM1()));
        assertThat(c.appliesOn(9, REC, id -> id.equals(M1) ? Optional.of(H1) : Optional.of(H2))).isTrue();
        assertThat(c.appliesOn(9, REC, id -> Optional.of(H2))).as("its memory has another head").isFalse();
        assertThat(c.appliesOn(9, REC, id -> Optional.empty())).as("its memory is gone").isFalse();
        MemoryStore changed = new MemoryStore(STORE, WorkspaceId.of("acme"), "n", "", Map.of("k", "v"),
                OptionalInt.empty(), OptionalInt.empty(), T, T.plusSeconds(1), Optional.empty());
        assertThat(c.appliesOn(9, changed, id -> Optional.of(H1))).as("the store's record changed").isFalse();
        assertThat(update(Optional.empty()).appliesOn(9, REC, id -> Optional.of(H1)))
                .as("a plain commit").isFalse();
    }

    @Test
    void aCommitAppliedElsewhereStoresTheRelinkedChain() {
        Commit c = update(Optional.of(onM1()));
        assertThat(c.chainAt(9, new ChainHead(20, HASH)).orElseThrow().head().length()).isEqualTo(21);
        assertThat(relinkedAt).containsExactly(9L);
        assertThatThrownBy(() -> update(Optional.empty()).chainAt(9, new ChainHead(20, HASH)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyCommitsThatPutNamedMemoriesMayCarryACondition() {
        HeadCondition onM2 = new HeadCondition(REC, Map.of(M2, H2), (s, h) -> sealedAt(1));
        assertThatThrownBy(() -> update(Optional.of(onM2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Commit(STORE, 5, Optional.of(REC), List.of(), List.of(), List.of(), List.of(),
                List.of(), Optional.empty(), Optional.empty(), Optional.of(onM1())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Commit(STORE, 5, Optional.empty(), List.of(M1), List.of(), List.of(), List.of(),
                List.of(), Optional.empty(), Optional.empty(), Optional.of(onM1())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeadCondition(REC, Map.of(), (s, h) -> sealedAt(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
