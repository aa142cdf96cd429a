package dev.agentmemory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.StoreRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Commits of one store recorded in another order than they landed in, as the members of a backend's group commit do
 * (their threads wake in any order): the snapshot ends with every member's head, and serves none that a commit not
 * recorded yet may have moved, nor one that a later commit changed or removed.
 */
class WriteSnapshotOrderTest {

    private static final StoreId STORE = StoreId.of("memstore_01");
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final MemoryStore REC = new MemoryStore(STORE, WorkspaceId.of("acme"), "n", "", Map.of(),
            OptionalInt.empty(), OptionalInt.empty(), T, T, Optional.empty());
    private static final ChainHead CHAIN = new ChainHead(1, "a".repeat(64));

    private final WriteSnapshots snapshots = new WriteSnapshots();
    private int versions;

    private Memory memory(String id, String text) {
        return new Memory(MemoryId.of("mem_" + id), STORE, "/" + id, Optional.of(text), "b".repeat(64), text.length(),
                VersionId.of("memver_" + (++versions)), T, T);
    }

    private static StoreRecord at(long sequence) {
        return new StoreRecord(REC, sequence, CHAIN);
    }

    private static Commit puts(long expected, Memory m) {
        return new Commit(STORE, expected, Optional.empty(), List.of(), List.of(m), List.of(), List.of(), List.of());
    }

    private static Commit removes(long expected, Memory m) {
        return new Commit(STORE, expected, Optional.empty(), List.of(m.id()), List.of(), List.of(), List.of(),
                List.of());
    }

    /** A commit made at {@code expected} that landed so that the store's sequence after it is {@code landing}. */
    private void relinked(long expected, long landing, Memory m) {
        snapshots.relinked(at(expected), puts(expected, m), new Relinker.Landing(landing, CHAIN));
    }

    /** A commit that applied at its expected sequence. */
    private void committed(long expected, Commit commit) {
        snapshots.committed(at(expected), WriteSnapshots.Snapshot.NONE, Map.of(), -1, Set.of(), commit);
    }

    private Optional<Memory> head(Memory m) {
        return snapshots.getOrNull(STORE).byId(m.id());
    }

    /** A snapshot at 10 that holds the heads of a, b, c and d. */
    private List<Memory> fourHeadsAtTen() {
        Memory a = memory("a", "a0");
        List<Memory> others = List.of(memory("b", "b0"), memory("c", "c0"), memory("d", "d0"));
        snapshots.committed(at(9), WriteSnapshots.Snapshot.NONE,
                Map.of(others.get(0).id(), others.get(0), others.get(1).id(), others.get(1), others.get(2).id(),
                        others.get(2)), -1, Set.of(), puts(9, a));
        assertThat(snapshots.getOrNull(STORE).heads()).hasSize(4);
        return List.of(a, others.get(0), others.get(1), others.get(2));
    }

    @Test
    void aGroupRecordedOutOfOrderEndsWithEveryMembersHead() {
        fourHeadsAtTen();
        Memory a1 = memory("a", "a1");
        Memory b1 = memory("b", "b1");
        Memory c1 = memory("c", "c1");
        Memory d1 = memory("d", "d1");
        // landed a1 at 11 (its plain compare-and-set), b1 at 12, c1 at 13, d1 at 14; recorded d1, b1, a1, c1
        relinked(10, 14, d1);
        assertThat(snapshots.getOrNull(STORE).record().sequence()).isEqualTo(14);
        assertThat(head(d1)).contains(d1);
        assertThat(head(a1)).as("a's head at 10 may have moved in 11 to 13, not recorded yet").isEmpty();
        relinked(10, 12, b1);
        assertThat(head(b1)).as("b1 is exact at 12; 13 is not recorded yet").isEmpty();
        committed(10, puts(10, a1));
        assertThat(head(a1)).isEmpty();
        assertThat(head(c1)).isEmpty();
        relinked(10, 13, c1);

        assertThat(snapshots.getOrNull(STORE).record().sequence()).isEqualTo(14);
        assertThat(head(a1)).contains(a1);
        assertThat(head(b1)).contains(b1);
        assertThat(head(c1)).contains(c1);
        assertThat(head(d1)).contains(d1);
    }

    @Test
    void aCommitRecordedLateAddsNoHeadALaterCommitChangedOrRemoved() {
        List<Memory> four = fourHeadsAtTen();
        Memory a = four.get(0);
        Memory b = four.get(1);
        Memory a1 = memory("a", "a1");
        Memory a2 = memory("a", "a2");
        Memory c1 = memory("c", "c1");
        // landed: a1 at 11, a2 at 12 (made on a1), b removed at 13, c1 at 14; recorded c1, a2, b's removal, a1
        relinked(10, 14, c1);
        relinked(11, 12, a2);
        committed(12, removes(12, b));
        assertThat(head(a2)).as("exact at 12, and 13 and 14 are recorded: served although 11 is not").contains(a2);
        assertThat(head(four.get(3))).as("d's head at 10 may have moved in 11").isEmpty();
        relinked(10, 11, a1);

        assertThat(head(a)).contains(a2);
        assertThat(head(b)).as("removed at 13").isEmpty();
        assertThat(head(c1)).contains(c1);
        assertThat(head(four.get(3))).as("d: no recorded commit moved it").contains(four.get(3));
    }

    @Test
    void aSequenceThatNeverComesLeavesTheOtherHeadsUnservedAndIsForgottenInTime() {
        List<Memory> four = fourHeadsAtTen();
        Memory d1 = memory("d", "d1");
        // 11 was another writer's commit: never recorded here
        relinked(10, 12, d1);
        assertThat(head(four.get(0))).isEmpty();
        long seq = 12;
        for (int i = 0; i < WriteSnapshots.MAX_WINDOW + 1; i++) {
            Memory next = memory("d", "d" + (i + 2));
            committed(seq, puts(seq, next));
            seq++;
            assertThat(head(next)).contains(next);
        }
        assertThat(snapshots.getOrNull(STORE).pending().missing()).as("given up waiting").isEmpty();
        assertThat(head(four.get(0))).isEmpty();
    }
    @Test
    void whatASnapshotHoldsWhileItWaitsIsBoundedWhateverTheCommitsItLearnsLate() {
        fourHeadsAtTen();
        Memory d1 = memory("d", "d1");
        // 11 and 12 landed before d1 (at 13) but are recorded after it: a batch of many memories, then a large one
        relinked(10, 13, d1);
        List<Memory> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * WriteSnapshots.MAX_HEADS; i++) {
            batch.add(memory("batch" + i, "x"));
        }
        snapshots.relinked(at(10), new Commit(STORE, 10, Optional.empty(), List.of(), batch, List.of(), List.of(),
                List.of()), new Relinker.Landing(11, CHAIN));
        WriteSnapshots.Pending pending = snapshots.getOrNull(STORE).pending();
        assertThat(pending.missing()).as("12 is still missing").containsExactly(12L);
        assertThat(pending.held()).as("held while 12 is missing, at most twice the heads a snapshot keeps")
                .hasSizeLessThanOrEqualTo(2 * WriteSnapshots.MAX_HEADS);
        assertThat(snapshots.getOrNull(STORE).heads()).hasSizeLessThanOrEqualTo(WriteSnapshots.MAX_HEADS);

        List<Memory> huge = new java.util.ArrayList<>();
        for (int i = 0; i < WriteSnapshots.MAX_CHANGED + 1; i++) {
            huge.add(memory("huge" + i, "y"));
        }
        snapshots.relinked(at(10), new Commit(STORE, 10, Optional.empty(), List.of(), huge, List.of(), List.of(),
                List.of()), new Relinker.Landing(12, CHAIN));
        assertThat(snapshots.getOrNull(STORE).pending().held()).as("too large to hold: the wait ends").isEmpty();
        assertThat(snapshots.getOrNull(STORE).pending().missing()).isEmpty();
        assertThat(head(d1)).as("exact at 13 still").contains(d1);
        assertThat(head(huge.get(0))).as("too large to hold: not served, a write reads it").isEmpty();
    }
}
