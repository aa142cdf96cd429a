package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Memories: create (never overwrites), get by id and by path, update of content and/or path (a rename
 * keeps the id), delete, and the no-op update that writes no version.
 */
public abstract class MemoryOperationsContract extends ContractSupport {

    // ------------------------------------------------------------------------------------------------ create, get

    @Test
    void createReturnsTheMemoryAndWritesItsFirstVersion() {
        Memories m = freshStore();
        Memory created = m.create("/notes/java.md", "Use records.");
        assertThat(created.id().value()).startsWith("mem_");
        assertThat(created.storeId()).isEqualTo(m.storeId());
        assertThat(created.path()).isEqualTo("/notes/java.md");
        assertThat(created.content()).contains("Use records.");
        assertThat(created.createdAt()).isEqualTo(T0);
        assertThat(created.updatedAt()).isEqualTo(T0);

        List<MemoryVersion> history = history(m, created.id());
        assertThat(history).hasSize(1);
        MemoryVersion v = history.get(0);
        assertThat(v.id()).isEqualTo(created.headVersionId());
        assertThat(v.operation()).isEqualTo(Operation.CREATED);
        assertThat(v.path()).contains("/notes/java.md");
        assertThat(v.content()).contains("Use records.");
        assertThat(v.createdBy()).isEqualTo(OPERATOR);
        assertThat(v.createdAt()).isEqualTo(T0);
    }

    @Test
    void createNeverOverwrites() {
        Memories m = freshStore();
        Memory first = m.create("/notes/java.md", "original");
        PathConflictException e = rejects(PathConflictException.class,
                () -> m.create("/notes/java.md", "replacement"));
        assertThat(e.path()).isEqualTo("/notes/java.md");
        assertThat(e.conflictingMemoryId()).contains(first.id());
        assertThat(e.conflictingPath()).contains("/notes/java.md");
        assertThat(e.getMessage()).contains(first.id().value()).contains("/notes/java.md");
        assertThat(m.get(first.id()).text()).isEqualTo("original");
    }

    @Test
    void getByIdAndByPathReturnTheContent() {
        Memories m = freshStore();
        Memory created = m.create("/a/b.md", "body");
        m.create("/a/c.md", "other");
        assertThat(m.get(created.id())).isEqualTo(created);
        assertThat(m.getByPath("/a/b.md")).isEqualTo(created);
        assertThat(m.findByPath("/a/b.md")).contains(created);
        assertThat(m.findByPath("/a/missing.md")).isEmpty();
        assertThat(m.findByPath("/a")).as("a directory is not a memory").isEmpty();
    }

    @Test
    void getOfAMissingMemoryIsNotFound() {
        Memories m = freshStore();
        Memory elsewhere = freshStore().create("/a.md", "in another store");
        rejects(NotFoundException.class, () -> m.getByPath("/missing.md"));
        rejects(NotFoundException.class, () -> m.get(MemoryId.of("mem_doesnotexist")));
        rejects(NotFoundException.class, () -> m.get(elsewhere.id()));
        rejects(NotFoundException.class, () -> m.getByPath("/a.md"));
    }

    // ------------------------------------------------------------------------------------------------ update

    @Test
    void updateOfContentWritesOneModifiedVersion() {
        Memories m = freshStore();
        Memory created = m.create("/a.md", "one");
        clock.advance(Duration.ofMinutes(1));
        Memory updated = m.update(created.id(), MemoryUpdate.content("two"));
        assertThat(updated.id()).isEqualTo(created.id());
        assertThat(updated.path()).isEqualTo("/a.md");
        assertThat(updated.text()).isEqualTo("two");
        assertThat(updated.createdAt()).isEqualTo(T0);
        assertThat(updated.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(updated.headVersionId()).isNotEqualTo(created.headVersionId());
        assertThat(m.get(created.id())).isEqualTo(updated);

        List<MemoryVersion> history = history(m, created.id());
        assertThat(history).extracting(MemoryVersion::operation).containsExactly(Operation.MODIFIED, Operation.CREATED);
        assertThat(history.get(0).id()).isEqualTo(updated.headVersionId());
        assertThat(history.get(0).content()).contains("two");
        assertThat(history.get(1).content()).contains("one");
    }

    @Test
    void renameKeepsTheIdAndTheContent() {
        Memories m = freshStore();
        Memory created = m.create("/drafts/plan.md", "the plan");
        Memory renamed = m.update(created.id(), MemoryUpdate.path("/final/plan.md"));
        assertThat(renamed.id()).isEqualTo(created.id());
        assertThat(renamed.path()).isEqualTo("/final/plan.md");
        assertThat(renamed.text()).isEqualTo("the plan");
        assertThat(renamed.contentSha256()).isEqualTo(created.contentSha256());
        assertThat(m.findByPath("/drafts/plan.md")).isEmpty();
        assertThat(m.getByPath("/final/plan.md").id()).isEqualTo(created.id());
        MemoryVersion v = m.version(renamed.headVersionId());
        assertThat(v.operation()).isEqualTo(Operation.MODIFIED);
        assertThat(v.path()).contains("/final/plan.md");
        assertThat(v.content()).contains("the plan");
        // the old path is free again
        assertThat(m.create("/drafts/plan.md", "new plan").id()).isNotEqualTo(created.id());
    }

    @Test
    void updateOfContentAndPathTogetherWritesOneVersion() {
        Memories m = freshStore();
        Memory created = m.create("/a.md", "one");
        Memory both = m.update(created.id(), MemoryUpdate.content("two").withPath("/b.md"));
        assertThat(both.path()).isEqualTo("/b.md");
        assertThat(both.text()).isEqualTo("two");
        List<MemoryVersion> history = history(m, created.id());
        assertThat(history).hasSize(2);
        assertThat(history.get(0).path()).contains("/b.md");
        assertThat(history.get(0).content()).contains("two");
    }

    @Test
    void renameToATakenPathIsAPathConflict() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        Memory b = m.create("/b.md", "b");
        PathConflictException e = rejects(PathConflictException.class,
                () -> m.update(a.id(), MemoryUpdate.path("/b.md").withContent("changed too")));
        assertThat(e.path()).isEqualTo("/b.md");
        assertThat(e.conflictingMemoryId()).contains(b.id());
        assertThat(e.conflictingPath()).contains("/b.md");
    }

    @Test
    void updateNeedsContentOrPath() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        InvalidArgumentException e = rejects(InvalidArgumentException.class,
                () -> m.update(a.id(), new MemoryUpdate(Optional.empty(), Optional.empty(), Optional.empty())));
        assertThat(e.rule()).isEqualTo("update.empty");
    }

    @Test
    void updateOfAMissingMemoryIsNotFound() {
        Memories m = freshStore();
        Memory gone = m.create("/gone.md", "x");
        m.delete(gone.id());
        Memory elsewhere = freshStore().create("/a.md", "in another store");
        rejects(NotFoundException.class, () -> m.update(gone.id(), MemoryUpdate.content("back")));
        rejects(NotFoundException.class, () -> m.update(elsewhere.id(), MemoryUpdate.content("reach")));
        rejects(NotFoundException.class, () -> m.update(MemoryId.of("mem_nope"), MemoryUpdate.path("/x.md")));
    }

    @Test
    void malformedPreconditionIsRefused() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        for (String bad : List.of("", "abc", a.contentSha256().toUpperCase(java.util.Locale.ROOT),
                a.contentSha256() + "0", a.contentSha256().substring(1) + "g")) {
            InvalidArgumentException onUpdate = rejects(InvalidArgumentException.class,
                    () -> m.update(a.id(), MemoryUpdate.content("b").ifContentSha256(bad)));
            assertThat(onUpdate.rule()).isEqualTo("precondition.sha256");
            InvalidArgumentException onDelete = rejects(InvalidArgumentException.class, () -> m.delete(a.id(), bad));
            assertThat(onDelete.rule()).isEqualTo("precondition.sha256");
        }
    }

    // ------------------------------------------------------------------------------------------------ no-op

    @Test
    void updateToTheSameContentWritesNoVersion() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "same");
        clock.advance(Duration.ofHours(1));
        Memory result = changesNothing(() -> m.update(a.id(), MemoryUpdate.content("same")));
        assertThat(result).isEqualTo(a);
        assertThat(result.updatedAt()).isEqualTo(T0);
        assertThat(history(m, a.id())).hasSize(1);
    }

    @Test
    void updateToTheSamePathWritesNoVersion() {
        Memories m = freshStore();
        Memory a = m.create("/caf\u00e9.md", "x");
        assertThat(changesNothing(() -> m.update(a.id(), MemoryUpdate.path("/caf\u00e9.md")))).isEqualTo(a);
        assertThat(changesNothing(() -> m.update(a.id(), MemoryUpdate.path("/cafe\u0301.md")))).isEqualTo(a);
        assertThat(changesNothing(() -> m.update(a.id(), MemoryUpdate.content("x").withPath("/caf\u00e9.md"))))
                .isEqualTo(a);
        assertThat(history(m, a.id())).hasSize(1);
    }

    @Test
    void noOpUpdateSucceedsWhateverThePrecondition() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "state");
        String stale = sha256("something else");
        assertThat(changesNothing(() -> m.update(a.id(), MemoryUpdate.content("state").ifContentSha256(stale))))
                .isEqualTo(a);
    }

    // ------------------------------------------------------------------------------------------------ delete

    @Test
    void deleteRemovesTheMemoryAndWritesADeletedVersion() {
        Memories m = freshStore();
        Memory a = m.create("/dir/a.md", "to be deleted");
        Memory sibling = m.create("/dir/b.md", "stays");
        clock.advance(Duration.ofMinutes(3));
        m.delete(a.id());

        rejects(NotFoundException.class, () -> m.get(a.id()));
        assertThat(m.findByPath("/dir/a.md")).isEmpty();
        assertThat(allMemories(m)).containsExactly(sibling);

        List<MemoryVersion> history = history(m, a.id());
        assertThat(history).extracting(MemoryVersion::operation).containsExactly(Operation.DELETED, Operation.CREATED);
        MemoryVersion deleted = m.version(history.get(0).id());
        assertThat(deleted.content()).isEmpty();
        assertThat(deleted.contentSha256()).isEmpty();
        assertThat(deleted.contentSizeBytes()).isEmpty();
        assertThat(deleted.path()).contains("/dir/a.md");
        assertThat(deleted.createdAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(deleted.createdBy()).isEqualTo(OPERATOR);
    }

    @Test
    void deletingTwiceIsNotFound() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "x");
        m.delete(a.id());
        rejects(NotFoundException.class, () -> m.delete(a.id()));
        rejects(NotFoundException.class, () -> m.delete(a.id(), a.contentSha256()));
        assertThat(history(m, a.id())).hasSize(2);
    }

    @Test
    void deletedPathCanBeTakenByANewMemory() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "first");
        m.delete(a.id());
        Memory again = m.create("/a.md", "second");
        assertThat(again.id()).isNotEqualTo(a.id());
        assertThat(m.getByPath("/a.md").text()).isEqualTo("second");
        assertThat(history(m, again.id())).hasSize(1);
        assertThat(history(m, a.id())).hasSize(2);
    }

    @Test
    void timestampsFollowTheClock() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "x");
        Instant later = clock.advance(Duration.ofDays(2).plusNanos(123_000));
        Memory u = m.update(a.id(), MemoryUpdate.content("y"));
        assertThat(u.createdAt()).isEqualTo(T0);
        assertThat(u.updatedAt()).isEqualTo(later);
        assertThat(m.version(u.headVersionId()).createdAt()).isEqualTo(later);
    }
}
