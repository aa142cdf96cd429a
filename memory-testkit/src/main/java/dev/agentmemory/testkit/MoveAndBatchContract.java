package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.VersionQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Moving a whole directory is one operation (all memories move, or none do), and a batch of changes
 * is applied atomically (all of them in order, each seeing the earlier ones, or none).
 */
public abstract class MoveAndBatchContract extends ContractSupport {

    private Memories sourceTree() {
        Memories m = freshStore();
        m.create("/src/a.md", "a");
        m.create("/src/sub/b.md", "b");
        m.create("/src/sub/c.md", "c");
        m.create("/srcx.md", "not under /src/");
        m.create("/other/d.md", "d");
        return m;
    }

    // ------------------------------------------------------------------------------------------------ move

    @Test
    void moveTakesEveryMemoryUnderThePrefixAndKeepsIds() {
        Memories m = sourceTree();
        Memory a = m.getByPath("/src/a.md");
        Memory b = m.getByPath("/src/sub/b.md");
        Memory c = m.getByPath("/src/sub/c.md");
        Memory untouched = m.getByPath("/srcx.md");
        Instant at = clock.advance(Duration.ofMinutes(7));

        List<Memory> moved = m.move("/src/", "/dst/deeper/");
        assertThat(moved).extracting(Memory::path)
                .containsExactly("/dst/deeper/a.md", "/dst/deeper/sub/b.md", "/dst/deeper/sub/c.md");
        assertThat(moved).extracting(Memory::id).containsExactly(a.id(), b.id(), c.id());
        assertThat(moved).allSatisfy(x -> assertThat(x.content()).isEmpty());

        assertThat(listAll(m, dev.agentmemory.model.ListQuery.under("/src/").build())).isEmpty();
        assertThat(m.get(a.id()).path()).isEqualTo("/dst/deeper/a.md");
        assertThat(m.get(b.id()).text()).isEqualTo("b");
        assertThat(m.get(c.id()).updatedAt()).isEqualTo(at);
        assertThat(m.get(untouched.id())).isEqualTo(untouched);
        for (Memory x : List.of(a, b, c)) {
            List<MemoryVersion> h = history(m, x.id());
            assertThat(h).as("one modified version per moved memory").hasSize(2);
            assertThat(h.get(0).operation()).isEqualTo(Operation.MODIFIED);
            assertThat(h.get(0).path()).contains(m.get(x.id()).path());
            assertThat(h.get(0).content()).contains(x.text());
            assertThat(h.get(0).id()).isEqualTo(m.get(x.id()).headVersionId());
        }
        assertThat(history(m, untouched.id())).hasSize(1);
    }

    @Test
    void moveToAnOccupiedDirectoryMovesNothing() {
        Memories m = sourceTree();
        Memory d = m.getByPath("/other/d.md");
        PathConflictException e = rejects(PathConflictException.class, () -> m.move("/src/", "/other/"));
        assertThat(e.conflictingMemoryId()).contains(d.id());
        assertThat(e.conflictingPath()).contains("/other/d.md");
    }

    @Test
    void moveOntoAMemoryPathMovesNothing() {
        Memories m = sourceTree();
        Memory srcx = m.getByPath("/srcx.md");
        PathConflictException e = rejects(PathConflictException.class, () -> m.move("/src/", "/srcx.md/"));
        assertThat(e.conflictingMemoryId()).contains(srcx.id());
        assertThat(e.conflictingPath()).contains("/srcx.md");
        Memory d = m.getByPath("/other/d.md");
        PathConflictException under = rejects(PathConflictException.class,
                () -> m.move("/src/", "/other/d.md/inside/"));
        assertThat(under.conflictingMemoryId()).contains(d.id());
        assertThat(under.conflictingPath()).contains("/other/d.md");
    }

    @Test
    void moveThatBreaksAPathLimitMovesNothing() {
        AgentMemory small = open(Limits.builder().maxPathBytes(20).build());
        Memories m = workspaceOf(small).memories(
                workspaceOf(small).stores().create(NewStore.named("small").build()).id(), OPERATOR);
        m.create("/s/x.md", "fits anywhere");
        m.create("/s/abcdefghijk.md", "x"); // 17 bytes here, 22 once under /longer/
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.move("/s/", "/longer/"));
        assertThat(e.limit()).isEqualTo("path_bytes");
        assertThat(e.value()).isEqualTo(22);
        assertThat(e.maximum()).isEqualTo(20);
    }

    @Test
    void moveOfTheRootIsRefused() {
        Memories m = sourceTree();
        assertThat(rejects(InvalidArgumentException.class, () -> m.move("/", "/all/")).rule())
                .isEqualTo("move.root");
        assertThat(rejects(InvalidArgumentException.class, () -> m.move("/src/", "/")).rule())
                .isEqualTo("move.root");
    }

    @Test
    void moveIntoItselfIsRefused() {
        Memories m = sourceTree();
        assertThat(rejects(InvalidArgumentException.class, () -> m.move("/src/", "/src/sub/new/")).rule())
                .isEqualTo("move.into_itself");
    }

    @Test
    void movePrefixesMustEndWithASlash() {
        Memories m = sourceTree();
        assertThat(rejects(InvalidArgumentException.class, () -> m.move("/src", "/dst/")).rule())
                .isEqualTo("prefix.trailing_slash");
        assertThat(rejects(InvalidArgumentException.class, () -> m.move("/src/", "/dst")).rule())
                .isEqualTo("prefix.trailing_slash");
        assertThat(rejects(InvalidArgumentException.class, () -> m.move("/src/", "/d\u200Bst/")).rule())
                .isEqualTo("path.format_character");
    }

    @Test
    void moveOfAnEmptyDirectoryIsNotFound() {
        Memories m = sourceTree();
        rejects(NotFoundException.class, () -> m.move("/nothing/", "/dst/"));
        rejects(NotFoundException.class, () -> m.move("/sr/", "/dst/"));
    }

    @Test
    void moveOntoItselfChangesNothing() {
        Memories m = sourceTree();
        List<Memory> result = changesNothing(() -> m.move("/src/", "/src/"));
        assertThat(result).extracting(Memory::path).containsExactly("/src/a.md", "/src/sub/b.md", "/src/sub/c.md");
    }

    @Test
    void moveOfASubdirectoryUpIsAllowedWhenTheDestinationIsFree() {
        Memories m = sourceTree();
        List<Memory> moved = m.move("/src/sub/", "/sub/");
        assertThat(moved).extracting(Memory::path).containsExactly("/sub/b.md", "/sub/c.md");
        assertThat(paths(m)).containsExactly("/other/d.md", "/src/a.md", "/srcx.md", "/sub/b.md", "/sub/c.md");
    }

    private static List<String> paths(Memories m) {
        return allMemories(m).stream().map(Memory::path).toList();
    }

    // ------------------------------------------------------------------------------------------------ batch

    @Test
    void batchAppliesEveryChangeInOrder() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        Memory b = m.create("/b.md", "b");
        Memory c = m.create("/c.md", "c");
        Instant at = clock.advance(Duration.ofMinutes(1));

        List<ChangeResult> results = m.apply(Batch.builder()
                .update(a.id(), MemoryUpdate.content("a2").ifContentSha256(a.contentSha256()))
                .update(b.id(), MemoryUpdate.path("/b2.md"))
                .create("/b.md", "takes the path b freed")
                .delete(c.id(), c.contentSha256())
                .create("/c.md/under", "c's path is no longer a memory")
                .update(a.id(), MemoryUpdate.content("a2"))
                .build());

        assertThat(results).hasSize(6);
        assertThat(results.get(0).memory().orElseThrow().text()).isEqualTo("a2");
        assertThat(results.get(1).memory().orElseThrow().path()).isEqualTo("/b2.md");
        assertThat(results.get(2).memory().orElseThrow().path()).isEqualTo("/b.md");
        assertThat(results.get(3).memoryId()).isEqualTo(c.id());
        assertThat(results.get(3).memory()).isEmpty();
        assertThat(results.get(3).version().orElseThrow().operation()).isEqualTo(Operation.DELETED);
        assertThat(results.get(4).memory().orElseThrow().path()).isEqualTo("/c.md/under");
        assertThat(results.get(5).changed()).as("the last update repeats the first: a no-op").isFalse();
        assertThat(results.subList(0, 5)).allSatisfy(r -> assertThat(r.changed()).isTrue());

        assertThat(paths(m)).containsExactly("/a.md", "/b.md", "/b2.md", "/c.md/under");
        List<MemoryVersion> written = allVersions(m, VersionQuery.builder().createdAtOrAfter(at));
        assertThat(written).as("one version per change that changed something").hasSize(5);
        assertThat(written).allSatisfy(v -> assertThat(v.createdAt()).isEqualTo(at));
    }

    @Test
    void batchWithAFailingLastChangeWritesNothing() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        Memory b = m.create("/b.md", "b");
        PathConflictException e = rejects(PathConflictException.class, () -> m.apply(Batch.builder()
                .update(a.id(), MemoryUpdate.content("a2"))
                .delete(b.id())
                .create("/new.md", "new")
                .create("/a.md", "taken")
                .build()));
        assertThat(e.conflictingMemoryId()).contains(a.id());
    }

    @Test
    void batchFailsOnTheFirstBrokenRuleWhateverItIs() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        String stale = sha256("stale");
        PreconditionFailedException pre = rejects(PreconditionFailedException.class, () -> m.apply(Batch.builder()
                .create("/x.md", "x")
                .update(a.id(), MemoryUpdate.content("a2").ifContentSha256(stale))
                .build()));
        assertThat(pre.currentSha256()).isEqualTo(a.contentSha256());
        assertThat(pre.currentVersionId()).isEqualTo(a.headVersionId());

        LimitExceededException big = rejects(LimitExceededException.class, () -> m.apply(Batch.builder()
                .create("/x.md", "x").create("/y.md", "y".repeat(102_401)).build()));
        assertThat(big.limit()).isEqualTo("content_size_bytes");

        InvalidArgumentException path = rejects(InvalidArgumentException.class, () -> m.apply(Batch.builder()
                .create("/x.md", "x").create("/bad/", "y").build()));
        assertThat(path.rule()).isEqualTo("path.trailing_slash");
    }

    @Test
    void laterChangesOfABatchSeeTheEarlierOnes() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        rejects(NotFoundException.class, () -> m.apply(Batch.builder()
                .delete(a.id())
                .update(a.id(), MemoryUpdate.content("after delete"))
                .build()));
        PathConflictException conflict = rejects(PathConflictException.class, () -> m.apply(Batch.builder()
                .create("/n.md", "n")
                .create("/n.md/child", "under a memory made earlier in the batch")
                .build()));
        assertThat(conflict.conflictingPath()).contains("/n.md");
        PreconditionFailedException pre = rejects(PreconditionFailedException.class, () -> m.apply(Batch.builder()
                .update(a.id(), MemoryUpdate.content("a2"))
                .update(a.id(), MemoryUpdate.content("a3").ifContentSha256(a.contentSha256()))
                .build()));
        assertThat(pre.currentSha256()).isEqualTo(sha256("a2"));
    }

    @Test
    void emptyBatchIsRefused() {
        Memories m = freshStore();
        InvalidArgumentException e = rejects(InvalidArgumentException.class,
                () -> m.apply(Batch.builder().build()));
        assertThat(e.rule()).isEqualTo("batch.empty");
    }
}
