package dev.agentmemory.checkout.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentmemory.checkout.SyncReport.ConflictKind;
import dev.agentmemory.checkout.SyncReport.RefusalReason;
import dev.agentmemory.checkout.internal.LocalScan.Content;
import dev.agentmemory.checkout.internal.SyncPlan.Step;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plan of a sync as a function of the manifest, the scan and the store's listing: which steps, in which order,
 * with no file read and no store called.
 */
class SyncPlanTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private static Memory memory(String id, String path, String sha) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Memory(MemoryId.of(id), StoreId.of("memstore_1"), path, Optional.empty(), sha, 1,
                VersionId.of("memver_1"), t, t);
    }

    private static Manifest.Entry entry(String id, String sha) {
        return new Manifest.Entry(id, sha, 1, 1, "k", false);
    }

    private static Content content(String path, String sha, boolean text) {
        return new Content(Path.of("/co" + path), ATTRS, new byte[] {'x'}, sha,
                text ? Optional.of("x") : Optional.empty());
    }

    private static LocalScan.State local(Map<String, Content> modified, List<String> deleted,
            Map<String, Content> created, Map<String, String> renames) {
        return new LocalScan.State(List.of(), List.of(), Map.of(), modified, deleted, created, renames, List.of());
    }

    private static SyncPlan.Listing listing(Memory... memories) {
        Map<String, Memory> byId = new LinkedHashMap<>();
        Map<String, Memory> byPath = new LinkedHashMap<>();
        for (Memory m : memories) {
            byId.put(m.id().value(), m);
            byPath.put(m.path(), m);
        }
        return new SyncPlan.Listing(byId, byPath);
    }

    private static List<Class<?>> kinds(List<Step> steps) {
        return steps.stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void nothingChangedAndTheStoreNotListedPlansNothing() {
        Map<String, Manifest.Entry> entries = Map.of("/p", entry("mem_1", A));
        assertThat(SyncPlan.readWrite(entries, local(Map.of(), List.of(), Map.of(), Map.of()), Optional.empty()))
                .isEmpty();
    }

    @Test
    void localChangesArePushedAsOneBatchOfDeletesRenamesUpdatesThenCreates() {
        Map<String, Manifest.Entry> entries = new LinkedHashMap<>();
        entries.put("/edited", entry("mem_1", A));
        entries.put("/gone", entry("mem_2", A));
        entries.put("/moved", entry("mem_3", B));
        List<Step> steps = SyncPlan.readWrite(entries, local(Map.of("/edited", content("/edited", B, true)),
                List.of("/gone", "/moved"), Map.of("/new", content("/new", A, true), "/there", content("/there", B,
                true)), Map.of("/moved", "/there")), Optional.empty());
        assertThat(steps).hasSize(1);
        SyncPlan.PushAll push = (SyncPlan.PushAll) steps.get(0);
        assertThat(push.pushes()).extracting(SyncPlan.Push::kind).containsExactly(SyncPlan.Kind.DELETE,
                SyncPlan.Kind.RENAME, SyncPlan.Kind.UPDATE, SyncPlan.Kind.CREATE);
        assertThat(push.pushes()).extracting(SyncPlan.Push::path).containsExactly("/gone", "/there", "/edited",
                "/new");
        assertThat(push.pushes().get(0).change()).isInstanceOf(Change.Delete.class);
        assertThat(push.pushes().get(1).previous()).isEqualTo("/moved");
    }

    @Test
    void anEditOfAMemoryAnotherWriterChangedIsSetAsideAndTheirsPulled() {
        Map<String, Manifest.Entry> entries = Map.of("/p", entry("mem_1", A));
        Memory theirs = memory("mem_1", "/p", "c".repeat(64));
        List<Step> steps = SyncPlan.readWrite(entries, local(Map.of("/p", content("/p", B, true)), List.of(),
                Map.of(), Map.of()), Optional.of(listing(theirs)));
        assertThat(kinds(steps)).containsExactly(SyncPlan.Aside.class, SyncPlan.Pull.class);
        assertEquals(ConflictKind.BOTH_MODIFIED, ((SyncPlan.Aside) steps.get(0)).kind());
        assertEquals(theirs, ((SyncPlan.Pull) steps.get(1)).memory());
    }

    @Test
    void theStoresChangesToUntouchedFilesComeLastDeletionsFirstThenNewMemoriesInPathOrder() {
        Map<String, Manifest.Entry> entries = new LinkedHashMap<>();
        entries.put("/changed", entry("mem_1", A));
        entries.put("/deleted", entry("mem_2", A));
        entries.put("/same", entry("mem_3", A));
        Memory changed = memory("mem_1", "/changed", B);
        List<Step> steps = SyncPlan.readWrite(entries, local(Map.of(), List.of(), Map.of(), Map.of()),
                Optional.of(listing(changed, memory("mem_3", "/same", A), memory("mem_9", "/z", A),
                        memory("mem_8", "/b", A))));
        assertThat(kinds(steps)).containsExactly(SyncPlan.DeleteLocal.class, SyncPlan.PullUntouched.class,
                SyncPlan.Pull.class, SyncPlan.Pull.class);
        assertEquals("/deleted", ((SyncPlan.DeleteLocal) steps.get(0)).was().path());
        assertEquals(changed, ((SyncPlan.PullUntouched) steps.get(1)).memory());
        assertThat(steps.subList(2, 4)).extracting(s -> ((SyncPlan.Pull) s).memory().path())
                .containsExactly("/b", "/z");
        assertThat(steps.subList(2, 4)).allMatch(s -> ((SyncPlan.Pull) s).was().isEmpty());
    }

    @Test
    void aNewFileWithTheStoresContentAtItsPathIsAdoptedNotPushedNorPulled() {
        Memory same = memory("mem_5", "/n", A);
        List<Step> steps = SyncPlan.readWrite(Map.of(), local(Map.of(), List.of(), Map.of("/n", content("/n", A,
                true)), Map.of()), Optional.of(listing(same)));
        assertThat(kinds(steps)).containsExactly(SyncPlan.Adopt.class);
    }

    @Test
    void aReadOnlyMountUndoesEveryLocalChangeThenPullsThenClearsDirectories() {
        Map<String, Manifest.Entry> entries = new LinkedHashMap<>();
        entries.put("/edited", entry("mem_1", A));
        entries.put("/gone", entry("mem_2", B));
        List<Step> steps = SyncPlan.readOnly(entries, local(Map.of("/edited", content("/edited", B, true)),
                List.of("/gone"), Map.of("/new", content("/new", A, true), "/renamed", content("/renamed", B, true)),
                Map.of("/gone", "/renamed")), Optional.empty());
        assertThat(kinds(steps)).containsExactly(SyncPlan.RemoveCreated.class, SyncPlan.RemoveCreated.class,
                SyncPlan.Restore.class, SyncPlan.Restore.class, SyncPlan.RemoveExtraDirs.class);
        // a renamed file's content is the store's already: it is not saved
        assertThat(((SyncPlan.RemoveCreated) steps.get(0)).save()).isTrue();
        assertThat(((SyncPlan.RemoveCreated) steps.get(1)).save()).isFalse();
        assertThat(((SyncPlan.Restore) steps.get(2)).local()).isPresent();
        assertThat(((SyncPlan.Restore) steps.get(3)).local()).isEmpty();
        assertThat(((SyncPlan.Restore) steps.get(3)).storeListed()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(InvalidArgumentException.Subject.class)
    void everyInvalidSubjectHasARefusalReason(InvalidArgumentException.Subject subject) {
        RefusalReason r = SyncDecisions.refusal(subject);
        assertThat(r).isIn(RefusalReason.INVALID_PATH, RefusalReason.INVALID_CONTENT);
        assertEquals(subject == InvalidArgumentException.Subject.PATH
                || subject == InvalidArgumentException.Subject.PREFIX, r == RefusalReason.INVALID_PATH);
    }

    @ParameterizedTest
    @EnumSource(LimitExceededException.Limit.class)
    void everyLimitHasARefusalReason(LimitExceededException.Limit limit) {
        RefusalReason expected = switch (limit) {
            case MEMORIES_PER_STORE -> RefusalReason.STORE_FULL;
            case PATH_BYTES, PATH_SEGMENTS -> RefusalReason.INVALID_PATH;
            default -> RefusalReason.TOO_LARGE;
        };
        assertEquals(expected, SyncDecisions.refusal(limit));
    }

    private static final BasicFileAttributes ATTRS = new BasicFileAttributes() {
        @Override
        public FileTime lastModifiedTime() {
            return FileTime.fromMillis(0);
        }

        @Override
        public FileTime lastAccessTime() {
            return FileTime.fromMillis(0);
        }

        @Override
        public FileTime creationTime() {
            return FileTime.fromMillis(0);
        }

        @Override
        public boolean isRegularFile() {
            return true;
        }

        @Override
        public boolean isDirectory() {
            return false;
        }

        @Override
        public boolean isSymbolicLink() {
            return false;
        }

        @Override
        public boolean isOther() {
            return false;
        }

        @Override
        public long size() {
            return 1;
        }

        @Override
        public Object fileKey() {
            return "k";
        }
    };
}
