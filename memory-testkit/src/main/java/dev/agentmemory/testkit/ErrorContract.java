package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.Session;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Errors: each failure is a typed exception with a stable code and a message that says what was wrong
 * (with the conflicting id and path, the current SHA-256, the rule, or the limit, value and maximum), and a failed call
 * changes nothing. Also: the order in which rules are checked when a call breaks several, a closed service, and that
 * no public method returns {@code null}.
 */
public abstract class ErrorContract extends ContractSupport {

    @Test
    void everyFailureKindHasItsTypeAndCode() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        Session ro = ws.sessions().create(List.of(AttachmentSpec.readOnly(m.storeId())));
        Memories archived = freshStore();
        ws.stores().archive(archived.storeId());

        assertThat(rejects(NotFoundException.class, () -> m.get(MemoryId.of("mem_missing"))).code())
                .isEqualTo("not_found_error");
        assertThat(rejects(PathConflictException.class, () -> m.create("/a.md", "b")).code())
                .isEqualTo("memory_path_conflict_error");
        assertThat(rejects(PreconditionFailedException.class,
                () -> m.delete(a.id(), sha256("other"))).code()).isEqualTo("memory_precondition_failed_error");
        assertThat(rejects(InvalidArgumentException.class, () -> m.create("a.md", "b")).code())
                .isEqualTo("invalid_request_error");
        assertThat(rejects(LimitExceededException.class, () -> m.create("/big.md", "x".repeat(102_401))).code())
                .isEqualTo("limit_exceeded_error");
        assertThat(rejects(ReadOnlyException.class, () -> ro.mount(m.storeId()).create("/b.md", "b")).code())
                .isEqualTo("read_only_error");
        assertThat(rejects(ArchivedException.class, () -> archived.create("/b.md", "b")).code())
                .isEqualTo("memory_store_archived_error");

        assertThat(ConflictException.class).isAssignableFrom(PathConflictException.class)
                .isAssignableFrom(PreconditionFailedException.class);
        assertThat(ReadOnlyException.class).isAssignableFrom(ArchivedException.class);
        assertThat(RuntimeException.class).isAssignableFrom(MemoryException.class);
    }

    @Test
    void messagesSayWhatWasWrong() {
        Memories m = freshStore();
        Memory a = m.create("/notes/a.md", "a");
        assertThat(rejects(PathConflictException.class, () -> m.create("/notes/a.md", "b")).getMessage())
                .contains(a.id().value()).contains("/notes/a.md");
        assertThat(rejects(PreconditionFailedException.class, () -> m.delete(a.id(), sha256("b"))).getMessage())
                .contains(a.contentSha256());
        assertThat(rejects(InvalidArgumentException.class, () -> m.create("/notes/../x.md", "b")).getMessage())
                .contains("/notes/../x.md").contains("..");
        assertThat(rejects(LimitExceededException.class, () -> m.create("/b.md", "x".repeat(102_401))).getMessage())
                .contains("content_size_bytes").contains("102401").contains("102400");
        assertThat(rejects(NotFoundException.class, () -> m.get(MemoryId.of("mem_gone"))).getMessage())
                .contains("mem_gone");
    }

    // ------------------------------------------------------------------------------------------------ precedence

    @Test
    void createChecksAccessThenArchiveThenPathThenContentThenConflictThenCount() {
        AgentMemory small = open(Limits.builder().maxMemoriesPerStore(1).build());
        Workspace w = workspaceOf(small);
        MemoryStore full = w.stores().create(NewStore.named("full").build());
        Memories m = w.memories(full.id(), OPERATOR);
        m.create("/taken.md", "x");

        assertThat(rejects(InvalidArgumentException.class, () -> m.create("bad", "\uD800")).rule())
                .isEqualTo("path.absolute");
        assertThat(rejects(LimitExceededException.class, () -> m.create("/" + "p".repeat(1024), "\uD800")).limit())
                .isEqualTo("path_bytes");
        assertThat(rejects(InvalidArgumentException.class,
                () -> m.create("/taken.md", "\uD800" + "x".repeat(102_401))).rule()).isEqualTo("content.utf8");
        assertThat(rejects(LimitExceededException.class, () -> m.create("/taken.md", "x".repeat(102_401))).limit())
                .isEqualTo("content_size_bytes");
        rejects(PathConflictException.class, () -> m.create("/taken.md", "x"));
        rejects(PathConflictException.class, () -> m.create("/taken.md/child", "x"));
        assertThat(rejects(LimitExceededException.class, () -> m.create("/free.md", "x")).limit())
                .isEqualTo("memories_per_store");

        Session ro = w.sessions().create(List.of(AttachmentSpec.readOnly(full.id())));
        rejects(ReadOnlyException.class, () -> ro.mount(full.id()).create("bad", "\uD800"));
        w.stores().archive(full.id());
        rejects(ArchivedException.class, () -> m.create("bad", "\uD800"));
        rejects(ReadOnlyException.class, () -> ro.mount(full.id()).create("bad", "\uD800"));
    }

    @Test
    void updateChecksArgumentsThenExistenceThenNoOpThenPreconditionThenConflict() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        Memory b = m.create("/b.md", "b");
        MemoryId missing = MemoryId.of("mem_missing");
        String stale = sha256("stale");

        assertThat(rejects(InvalidArgumentException.class, () -> m.update(missing,
                MemoryUpdate.path("/x/").withContent("\uD800").ifContentSha256("bad"))).rule())
                .isEqualTo("path.trailing_slash");
        assertThat(rejects(InvalidArgumentException.class, () -> m.update(missing,
                MemoryUpdate.content("\uD800").ifContentSha256("bad"))).rule()).isEqualTo("content.utf8");
        assertThat(rejects(InvalidArgumentException.class, () -> m.update(missing,
                new MemoryUpdate(Optional.empty(), Optional.empty(), Optional.of("bad")))).rule())
                .isEqualTo("precondition.sha256");
        assertThat(rejects(InvalidArgumentException.class, () -> m.update(missing,
                new MemoryUpdate(Optional.empty(), Optional.empty(), Optional.empty()))).rule())
                .isEqualTo("update.empty");
        rejects(NotFoundException.class, () -> m.update(missing, MemoryUpdate.content("x").ifContentSha256(stale)));
        assertThat(changesNothing(() -> m.update(a.id(), MemoryUpdate.content("a").ifContentSha256(stale))))
                .isEqualTo(a);
        rejects(PreconditionFailedException.class,
                () -> m.update(a.id(), MemoryUpdate.path("/b.md").ifContentSha256(stale)));
        PathConflictException conflict = rejects(PathConflictException.class,
                () -> m.update(a.id(), MemoryUpdate.path("/b.md").ifContentSha256(a.contentSha256())));
        assertThat(conflict.conflictingMemoryId()).contains(b.id());
    }

    @Test
    void deleteChecksShaSyntaxThenExistenceThenPrecondition() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        MemoryId missing = MemoryId.of("mem_missing");
        assertThat(rejects(InvalidArgumentException.class, () -> m.delete(missing, "bad")).rule())
                .isEqualTo("precondition.sha256");
        rejects(NotFoundException.class, () -> m.delete(missing, sha256("x")));
        rejects(PreconditionFailedException.class, () -> m.delete(a.id(), sha256("x")));
    }

    @Test
    void moveChecksPrefixesThenRootThenNestingThenExistenceThenConflict() {
        Memories m = freshStore();
        m.create("/src/a.md", "a");
        m.create("/dst/taken.md", "t");
        assertThat(rejects(InvalidArgumentException.class, () -> m.move("/", "/nothing")).rule())
                .isEqualTo("prefix.trailing_slash");
        assertThat(rejects(InvalidArgumentException.class, () -> m.move("/", "/nothing/")).rule())
                .isEqualTo("move.root");
        assertThat(rejects(InvalidArgumentException.class, () -> m.move("/nothing/", "/nothing/deeper/")).rule())
                .isEqualTo("move.into_itself");
        rejects(NotFoundException.class, () -> m.move("/nothing/", "/nothing/"));
        rejects(NotFoundException.class, () -> m.move("/nothing/", "/dst/"));
        rejects(PathConflictException.class, () -> m.move("/src/", "/dst/"));
    }

    @Test
    void redactChecksArchiveThenExistenceThenHead() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        assertThat(rejects(InvalidArgumentException.class,
                () -> ws.stores().redact(m.storeId(), a.headVersionId(), OPERATOR)).rule()).isEqualTo("redact.head");
        rejects(NotFoundException.class, () -> ws.stores().redact(m.storeId(), VersionId.of("memver_x"), OPERATOR));
        ws.stores().archive(m.storeId());
        rejects(ArchivedException.class, () -> ws.stores().redact(m.storeId(), VersionId.of("memver_x"), OPERATOR));
        rejects(ArchivedException.class, () -> ws.stores().redact(m.storeId(), a.headVersionId(), OPERATOR));
    }

    @Test
    void batchThrowsTheFirstFailureInOrder() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        rejects(PathConflictException.class, () -> m.apply(Batch.builder()
                .create("/a.md", "conflict first")
                .update(MemoryId.of("mem_missing"), MemoryUpdate.content("then not found"))
                .build()));
        rejects(NotFoundException.class, () -> m.apply(Batch.builder()
                .update(MemoryId.of("mem_missing"), MemoryUpdate.content("not found first"))
                .create("/a.md", "then conflict")
                .build()));
        assertThat(m.get(a.id()).text()).isEqualTo("a");
    }

    // ------------------------------------------------------------------------------------------------ closed service

    @Test
    void closedServiceFailsWithStorageException() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(m.storeId())));
        memory.close();

        List<ThrowingCallable> calls = List.of(
                () -> m.get(a.id()),
                () -> m.getByPath("/a.md"),
                () -> m.findByPath("/a.md"),
                () -> m.list(ListQuery.all()),
                () -> m.versions(VersionQuery.all()),
                () -> m.version(a.headVersionId()),
                () -> m.create("/b.md", "b"),
                () -> m.update(a.id(), MemoryUpdate.content("x")),
                () -> m.delete(a.id()),
                () -> m.move("/dir/", "/x/"),
                () -> m.apply(Batch.builder().create("/c.md", "c").build()),
                () -> m.store(),
                () -> s.mount(m.storeId()).create("/d.md", "d"),
                () -> s.systemPrompt(),
                () -> ws.stores().list(StoreQuery.firstPage()),
                () -> ws.stores().create(NewStore.named("n").build()),
                () -> ws.stores().get(m.storeId()),
                () -> ws.stores().archive(m.storeId()),
                () -> ws.stores().delete(m.storeId()),
                () -> ws.stores().purge(m.storeId(), ProgressListener.NONE),
                () -> ws.stores().exportStore(m.storeId(), new ByteArrayOutputStream(), ProgressListener.NONE),
                () -> ws.stores().importStore(new ByteArrayInputStream(new byte[0]), ProgressListener.NONE),
                () -> ws.sessions().create(List.of(AttachmentSpec.readWrite(m.storeId()))),
                () -> ws.sessions().get(s.id()),
                () -> ws.memories(m.storeId(), OPERATOR));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isExactlyInstanceOf(StorageException.class);
        }
        memory.close(); // closing twice does nothing
    }

    // ------------------------------------------------------------------------------------------------ no nulls

    @Test
    void noPublicMethodReturnsNull() {
        Memories m = freshStore();
        Memory a = m.create("/dir/a.md", "a");
        Memory b = m.create("/b.md", "");
        m.update(a.id(), MemoryUpdate.content("a2"));
        m.delete(b.id());
        MemoryVersion redacted = ws.stores().redact(m.storeId(), history(m, a.id()).get(1).id(), Actor.user("x"))
                .version();
        Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(m.storeId())));

        assertNoNulls(ws.stores().get(m.storeId()));
        assertNoNulls(ws.stores().list(StoreQuery.firstPage()));
        assertNoNulls(ws.stores().list(StoreQuery.builder().limit(1).build()));
        assertNoNulls(m.get(a.id()));
        assertNoNulls(m.store());
        assertNoNulls(m.actor());
        assertNoNulls(m.access());
        assertNoNulls(m.storeId());
        assertNoNulls(m.findByPath("/missing.md"));
        assertNoNulls(m.findByPath("/dir/a.md"));
        assertNoNulls(m.list(ListQuery.builder().depth(1).build()));
        assertNoNulls(m.list(ListQuery.builder().includeContent(true).limit(1).build()));
        assertNoNulls(m.versions(VersionQuery.builder().includeContent(true).build()));
        assertNoNulls(m.versions(VersionQuery.all()));
        assertNoNulls(redacted);
        assertNoNulls(m.version(redacted.id()));
        assertNoNulls(m.apply(Batch.builder().create("/c.md", "c").update(a.id(), MemoryUpdate.content("a2"))
                .build()));
        assertNoNulls(m.move("/dir/", "/moved/"));
        assertNoNulls(ws.stores().purge(m.storeId(), new RetentionPolicy(Duration.ZERO, 0), ProgressListener.NONE));
        assertNoNulls(ws.stores().exportStore(m.storeId(), new ByteArrayOutputStream(), ProgressListener.NONE));
        assertNoNulls(s.info());
        assertNoNulls(s.id());
        assertNoNulls(s.systemPrompt());
        assertNoNulls(ws.id());

        PathConflictException conflict = rejects(PathConflictException.class, () -> m.create("/c.md", "x"));
        assertNoNulls(conflict.conflictingMemoryId());
        assertNoNulls(conflict.conflictingPath());
        assertNoNulls(conflict.path());
        assertNoNulls(conflict.code());
        PreconditionFailedException pre = rejects(PreconditionFailedException.class,
                () -> m.delete(m.getByPath("/c.md").id(), sha256("x")));
        assertNoNulls(pre.currentSha256());
        assertNoNulls(pre.currentVersionId());
        assertNoNulls(pre.expectedSha256());
        assertNoNulls(pre.memoryId());
        InvalidArgumentException invalid = rejects(InvalidArgumentException.class, () -> m.create("x", "x"));
        assertNoNulls(invalid.rule());
        LimitExceededException limit = rejects(LimitExceededException.class,
                () -> m.create("/big.md", "x".repeat(102_401)));
        assertNoNulls(limit.limit());
        assertThat(redacted.path()).isEmpty();
        assertThat(m.findByPath("/missing.md")).isEmpty();
    }

    @Test
    void aFailedCallChangesNothingEvenAfterPartialWork() {
        Memories m = freshStore();
        for (int i = 0; i < 5; i++) {
            m.create("/dir/m" + i + ".md", "x" + i);
        }
        m.create("/dir2/blocker.md", "b");
        Memory blocker = m.getByPath("/dir2/blocker.md");
        // a move checks every memory before it writes any
        PathConflictException e = rejects(PathConflictException.class, () -> m.move("/dir/", "/dir2/"));
        assertThat(e.conflictingMemoryId()).contains(blocker.id());
        clock.advance(Duration.ofDays(1));
        rejects(LimitExceededException.class, () -> m.apply(Batch.builder()
                .delete(m.getByPath("/dir/m0.md").id())
                .update(m.getByPath("/dir/m1.md").id(), MemoryUpdate.path("/elsewhere.md"))
                .create("/dir/new.md", "y".repeat(102_401))
                .build()));
    }
}
