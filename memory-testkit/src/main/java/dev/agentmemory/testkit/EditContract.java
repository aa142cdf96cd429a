package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WriteOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Write outcomes and the core's read-modify-write primitives: {@link Memories#apply(Change)} tells whether a change
 * made a version or found the state already current, also when a concurrent writer made the same change first;
 * {@link Memories#edit} reads and writes in one atomic write and re-runs its function on fresh state when another
 * writer commits in between, so concurrent edits lose nothing; {@link Memories#deleteDirectory} deletes a subtree in
 * one write.
 */
public abstract class EditContract extends ContractSupport {

    @Test
    void applyTellsAppliedFromAlreadyCurrent() {
        Memories m = freshStore();
        ChangeResult created = m.apply(new Change.Create("/a.md", "v1"));
        assertThat(created.outcome()).isEqualTo(WriteOutcome.APPLIED);
        Memory a = created.memory().orElseThrow();
        assertThat(created.version().orElseThrow().id()).isEqualTo(a.headVersionId());

        ChangeResult updated = m.apply(new Change.Update(a.id(), MemoryUpdate.content("v2")
                .ifContentSha256(a.contentSha256())));
        assertThat(updated.outcome()).isEqualTo(WriteOutcome.APPLIED);
        assertThat(updated.version().orElseThrow().operation()).isEqualTo(Operation.MODIFIED);
        assertThat(updated.memory().orElseThrow().headVersionId()).isEqualTo(updated.version().orElseThrow().id());

        // the same write again, with the now stale precondition: the hosted API's idempotent success, but the caller
        // learns that this call made nothing and which version is current
        ChangeResult again = changesNothing(() -> m.apply(new Change.Update(a.id(), MemoryUpdate.content("v2")
                .ifContentSha256(a.contentSha256()))));
        assertThat(again.outcome()).isEqualTo(WriteOutcome.ALREADY_CURRENT);
        assertThat(again.changed()).isFalse();
        assertThat(again.version()).isEmpty();
        assertThat(again.memory().orElseThrow().headVersionId()).isEqualTo(updated.version().orElseThrow().id());

        ChangeResult deleted = m.apply(new Change.Delete(a.id(), Optional.empty()));
        assertThat(deleted.outcome()).isEqualTo(WriteOutcome.APPLIED);
        assertThat(deleted.memory()).isEmpty();
        assertThat(history(m, a.id())).hasSize(3);
    }

    @Test
    void applyRefusesLikeTheSingleCalls() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "v1");
        m.update(a.id(), MemoryUpdate.content("v2"));
        rejects(PreconditionFailedException.class, () -> m.apply(new Change.Update(a.id(),
                MemoryUpdate.content("v3").ifContentSha256(a.contentSha256()))));
        rejects(dev.agentmemory.model.PathConflictException.class, () -> m.apply(new Change.Create("/a.md", "x")));
    }

    private static int count(String text) {
        return Integer.parseInt(text.split(" ")[0]);
    }

    /**
     * Several threads increment a counter by reading it and writing the successor with the read SHA-256 as
     * precondition. Writers that read the same state ask for the same new content, so a loser may find its write
     * already current: the number of calls told {@code APPLIED} must equal the number of versions made.
     */
    @Test
    void racingConditionalWritersAreToldTheTruth() throws Exception {
        Memories m = freshStore();
        Memory counter = m.create("/counter", "0");
        int threads = 4;
        int perThread = 12;
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger alreadyCurrent = new AtomicInteger();
        runConcurrently(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                Memory read = m.get(counter.id());
                try {
                    ChangeResult r = m.apply(new Change.Update(counter.id(),
                            MemoryUpdate.content(String.valueOf(count(read.text()) + 1))
                                    .ifContentSha256(read.contentSha256())));
                    (r.outcome() == WriteOutcome.APPLIED ? applied : alreadyCurrent).incrementAndGet();
                } catch (PreconditionFailedException e) {
                    // another writer moved the counter on; this attempt made nothing
                }
            }
        });
        List<MemoryVersion> h = history(m, counter.id());
        assertThat(h).as("one version per APPLIED outcome, plus the create").hasSize(applied.get() + 1);
        assertThat(count(m.get(counter.id()).text())).isEqualTo(applied.get());
    }

    @Test
    void concurrentEditsLoseNothing() throws Exception {
        Memories m = freshStore();
        Memory counter = m.create("/counter", "0");
        int threads = 4;
        int perThread = 15;
        AtomicInteger appliedCount = new AtomicInteger();
        runConcurrently(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                ChangeResult r = m.edit("/counter", text -> String.valueOf(count(text) + 1));
                assertThat(r.outcome()).isEqualTo(WriteOutcome.APPLIED);
                appliedCount.incrementAndGet();
            }
        });
        assertThat(count(m.get(counter.id()).text())).isEqualTo(threads * perThread);
        assertThat(history(m, counter.id())).hasSize(threads * perThread + 1)
                .extracting(v -> count(v.content().orElseThrow()))
                .as("each version is one increment of the previous")
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, threads * perThread)
                        .map(n -> threads * perThread - n).boxed().toList());
        assertThat(appliedCount).hasValue(threads * perThread);
    }

    @Test
    void editWritesWhatTheFunctionMakesOfTheCurrentContent() {
        Memories m = freshStore();
        Memory a = m.create("/notes/a.md", "line 1\n");
        ChangeResult r = m.edit("/notes/a.md", t -> t + "line 2\n");
        assertThat(r.outcome()).isEqualTo(WriteOutcome.APPLIED);
        assertThat(r.memoryId()).isEqualTo(a.id());
        assertThat(r.memory().orElseThrow().text()).isEqualTo("line 1\nline 2\n");
        assertThat(m.get(a.id()).text()).isEqualTo("line 1\nline 2\n");
        assertThat(r.version().orElseThrow().createdBy()).isEqualTo(OPERATOR);
        assertThat(r.version().orElseThrow().content()).contains("line 1\nline 2\n");
    }

    @Test
    void anEditThatChangesNothingWritesNothing() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "same");
        ChangeResult r = changesNothing(() -> m.edit("/a.md", t -> t));
        assertThat(r.outcome()).isEqualTo(WriteOutcome.ALREADY_CURRENT);
        assertThat(r.memory().orElseThrow().headVersionId()).isEqualTo(a.headVersionId());
    }

    @Test
    void anEditFunctionsRefusalEndsTheWriteAndReachesTheCaller() {
        Memories m = freshStore();
        m.create("/a.md", "text");
        Map<String, Map<StoreId, StoreState>> before = snapshot();
        IllegalStateException refusal = new IllegalStateException("no match for 'x'");
        Throwable thrown = catchThrowable(() -> m.edit("/a.md", t -> {
            throw refusal;
        }));
        assertThat(thrown).isSameAs(refusal);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void editRefusesWhatAWriteRefuses() {
        Memories m = freshStore();
        m.create("/a.md", "small");
        rejects(NotFoundException.class, () -> m.edit("/missing.md", t -> t + "x"));
        rejects(InvalidArgumentException.class, () -> m.edit("relative.md", t -> t + "x"));
        rejects(InvalidArgumentException.class, () -> m.edit("/a.md", t -> null));
        rejects(LimitExceededException.class, () -> m.edit("/a.md", t -> "x".repeat(200 * 1024)));
        Memories readOnly = ws.sessions().create(List.of(AttachmentSpec.readOnly(m.storeId())))
                .mount(m.storeId());
        rejects(ReadOnlyException.class, () -> readOnly.edit("/a.md", t -> t + "x"));
        rejects(ReadOnlyException.class, () -> readOnly.deleteDirectory("/"));
    }

    @Test
    void deleteDirectoryDeletesTheSubtreeOnly() {
        Memories m = freshStore();
        Memory a = m.create("/d/a.md", "a");
        Memory b = m.create("/d/sub/b.md", "b");
        Memory sibling = m.create("/d0.md", "sibling");
        Memory near = m.create("/dd/c.md", "near");
        List<ChangeResult> deleted = m.deleteDirectory("/d/");
        assertThat(deleted).extracting(ChangeResult::memoryId).containsExactly(a.id(), b.id());
        assertThat(deleted).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(WriteOutcome.APPLIED);
            assertThat(r.version().orElseThrow().operation()).isEqualTo(Operation.DELETED);
            assertThat(r.version().orElseThrow().createdBy()).isEqualTo(OPERATOR);
        });
        assertThat(allMemories(m)).extracting(Memory::id).containsExactly(sibling.id(), near.id());
        assertThat(history(m, a.id())).hasSize(2);
    }

    @Test
    void deleteDirectoryRefusesTheRootAndAnEmptyDirectory() {
        Memories m = freshStore();
        m.create("/d/a.md", "a");
        rejects(InvalidArgumentException.class, () -> m.deleteDirectory("/"));
        rejects(NotFoundException.class, () -> m.deleteDirectory("/e/"));
        rejects(NotFoundException.class, () -> m.deleteDirectory("/d/a.md/"));
    }
}
