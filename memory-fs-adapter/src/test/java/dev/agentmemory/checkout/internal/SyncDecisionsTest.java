package dev.agentmemory.checkout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentmemory.checkout.internal.SyncDecisions.Created;
import dev.agentmemory.checkout.internal.SyncDecisions.Deleted;
import dev.agentmemory.checkout.internal.SyncDecisions.Modified;
import dev.agentmemory.checkout.internal.SyncDecisions.Remote;
import dev.agentmemory.checkout.internal.SyncDecisions.Renamed;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every case of a read-write sync's decisions, as tables: how the store's memory compares with the manifest, and
 * what happens to each kind of local change in each of those states (and, where it matters, whether the local
 * content equals the store's or is not text).
 */
class SyncDecisionsTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    private static Memory memory(String path, String sha) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Memory(MemoryId.of("mem_1"), StoreId.of("memstore_1"), path, Optional.empty(), sha, 1,
                VersionId.of("memver_1"), t, t);
    }

    /** (listed, memory in the listing: none | same path | other path, its sha A or B) with the manifest at /p, A. */
    @ParameterizedTest(name = "listed={0} memory={1} sha={2} -> {3}")
    @CsvSource({
        "false, none,  A, NOT_LISTED",
        "true,  none,  A, DELETED",
        "true,  /p,    A, SAME",
        "true,  /q,    A, MOVED",
        "true,  /p,    B, CONTENT_CHANGED",
        "true,  /q,    B, CONTENT_CHANGED",
    })
    void theStoresMemoryComparedWithTheManifest(boolean listed, String at, String sha, Remote expected) {
        Optional<Memory> m = at.equals("none") ? Optional.empty()
                : Optional.of(memory(at, sha.equals("A") ? A : B));
        assertEquals(expected, SyncDecisions.remote("/p", A, listed, m));
    }

    /** A new local file with content A: (the store's memory at the path: none, or its sha), text?, id known? */
    @ParameterizedTest(name = "at={0} text={1} known={2} -> {3}")
    @CsvSource({
        "none, true,  false, PUSH",
        "none, false, false, REFUSE_CONTENT",
        "A,    true,  false, ADOPT",
        "A,    false, false, ADOPT",
        "A,    true,  true,  KNOWN",
        "A,    false, true,  KNOWN",
        "B,    true,  false, ASIDE_BOTH_CREATED",
        "B,    false, false, ASIDE_BOTH_CREATED",
        "B,    true,  true,  ASIDE_BOTH_CREATED",
    })
    void aNewLocalFile(String at, boolean isText, boolean known, Created expected) {
        Optional<Memory> m = at.equals("none") ? Optional.empty() : Optional.of(memory("/p", at.equals("A") ? A : B));
        assertEquals(expected, SyncDecisions.created(m, A, isText, known));
    }

    @Test
    void aLocalRenameIsPushedOnlyIfTheStoreStillHasTheMemoryAsTheManifestSays() {
        Set<Remote> pushed = EnumSet.noneOf(Remote.class);
        for (Remote r : Remote.values()) {
            if (SyncDecisions.renamed(r) == Renamed.PUSH) {
                pushed.add(r);
            }
        }
        assertEquals(EnumSet.of(Remote.NOT_LISTED, Remote.SAME), pushed);
    }

    /** A local edit from A to B: the store's state, the store's sha when it changed (B = the same edit, C = another). */
    @ParameterizedTest(name = "{0} remoteSha={1} text={2} -> {3}")
    @CsvSource({
        "NOT_LISTED,      -, true,  PUSH",
        "NOT_LISTED,      -, false, REFUSE_CONTENT",
        "SAME,            A, true,  PUSH",
        "SAME,            A, false, REFUSE_CONTENT",
        "MOVED,           A, true,  PUSH",
        "MOVED,           A, false, REFUSE_CONTENT",
        "DELETED,         -, true,  ASIDE_AND_FORGET",
        "DELETED,         -, false, ASIDE_AND_FORGET",
        "CONTENT_CHANGED, B, true,  PULL",
        "CONTENT_CHANGED, B, false, PULL",
        "CONTENT_CHANGED, C, true,  ASIDE_AND_PULL",
        "CONTENT_CHANGED, C, false, ASIDE_AND_PULL",
    })
    void aLocalEdit(Remote remote, String remoteSha, boolean isText, Modified expected) {
        Optional<String> sha = switch (remoteSha) {
            case "A" -> Optional.of(A);
            case "B" -> Optional.of(B);
            case "C" -> Optional.of(C);
            default -> Optional.empty();
        };
        assertEquals(expected, SyncDecisions.modified(remote, sha, B, isText));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "NOT_LISTED,      PUSH",
        "SAME,            PUSH",
        "MOVED,           PUSH",
        "DELETED,         FORGET",
        "CONTENT_CHANGED, CONFLICT_AND_PULL",
    })
    void aLocalDelete(Remote remote, Deleted expected) {
        assertEquals(expected, SyncDecisions.deleted(remote));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "NOT_LISTED,      NOTHING",
        "SAME,            NOTHING",
        "MOVED,           PULL",
        "CONTENT_CHANGED, PULL",
        "DELETED,         DELETE_LOCAL",
    })
    void anEntryNoLocalChangeTouched(Remote remote, SyncDecisions.Untouched expected) {
        assertEquals(expected, SyncDecisions.untouched(remote));
    }
}
