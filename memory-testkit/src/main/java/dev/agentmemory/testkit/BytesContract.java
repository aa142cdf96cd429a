package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.EditTarget;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.WriteOutcome;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Content given as UTF-8 bytes ({@link Memories#create(String, byte[])}, {@link Memories#update(
 * dev.agentmemory.model.MemoryId, byte[], String)}), the read-modify-write on bytes by id or path that may create
 * ({@link Memories#edit(EditTarget, java.util.function.UnaryOperator)}), and the check of a write without writing it
 * ({@link Memories#checkWrite}, {@link Memories#checkContent}): the same rules as the text calls, checked once in the core.
 */
public abstract class BytesContract extends ContractSupport {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes that are not UTF-8: a lone continuation byte and a truncated sequence. */
    private static final byte[] NOT_UTF8 = {'o', 'k', (byte) 0x80, ' ', (byte) 0xE2, (byte) 0x82};

    @Test
    void bytesAreStoredAsTheTextTheyEncodeWithTheirOwnHash() {
        Memories m = freshStore();
        String text = "Grüße, 世界 🌍\n"; // two-, three- and four-byte sequences
        Memory a = m.create("/a.md", utf8(text));
        assertThat(a.text()).isEqualTo(text);
        assertThat(a.contentSizeBytes()).isEqualTo(utf8Size(text));
        assertThat(a.contentSha256()).isEqualTo(sha256(text));
        assertThat(m.getByPath("/a.md")).isEqualTo(a);

        Memory b = m.update(a.id(), utf8("v2 \uFFFD"), a.contentSha256()); // a real U+FFFD is text like any other
        assertThat(b.text()).isEqualTo("v2 \uFFFD");
        assertThat(b.contentSha256()).isEqualTo(sha256("v2 \uFFFD"));
        assertThat(history(m, a.id())).hasSize(2);

        Memory same = changesNothing(() -> m.update(a.id(), utf8("v2 \uFFFD")));
        assertThat(same.headVersionId()).isEqualTo(b.headVersionId());
        Memory empty = m.create("/empty.md", new byte[0]);
        assertThat(empty.text()).isEmpty();
        assertThat(empty.contentSha256()).isEqualTo(sha256(""));
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedAndNothingIsWritten() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "v1");
        assertThat(rejects(InvalidArgumentException.class, () -> m.create("/b.md", NOT_UTF8)).rule())
                .isEqualTo("content.utf8");
        assertThat(rejects(InvalidArgumentException.class, () -> m.update(a.id(), NOT_UTF8)).rule())
                .isEqualTo("content.utf8");
        // an encoded surrogate (CESU-8) is not UTF-8 either
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertThat(rejects(InvalidArgumentException.class, () -> m.create("/c.md", surrogate)).rule())
                .isEqualTo("content.utf8");
        assertThat(rejects(InvalidArgumentException.class,
                () -> m.edit(EditTarget.path("/a.md"), b -> NOT_UTF8)).rule()).isEqualTo("content.utf8");
    }

    @Test
    void bytesMeetEveryRuleTheTextCallsMeet() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "v1");
        byte[] tooLarge = new byte[100 * 1024 + 1];
        Arrays.fill(tooLarge, (byte) 'x');
        assertThat(rejects(LimitExceededException.class, () -> m.create("/big.md", tooLarge)).which())
                .isEqualTo(LimitExceededException.Limit.CONTENT_SIZE_BYTES);
        tooLarge[0] = (byte) 0x80; // both rules broken: the size is reported
        assertThat(rejects(LimitExceededException.class, () -> m.update(a.id(), tooLarge)).which())
                .isEqualTo(LimitExceededException.Limit.CONTENT_SIZE_BYTES);
        rejects(PreconditionFailedException.class, () -> m.update(a.id(), utf8("v2"), sha256("v0")));
        rejects(PathConflictException.class, () -> m.create("/a.md", utf8("x")));
        rejects(PathConflictException.class, () -> m.create("/a.md/b.md", utf8("x")));
        rejects(InvalidArgumentException.class, () -> m.create("relative.md", utf8("x")));
        rejects(NotFoundException.class, () -> m.update(dev.agentmemory.model.MemoryId.of(
                "mem_missing"), utf8("x")));
        Memories readOnly = ws.sessions().create(List.of(AttachmentSpec.readOnly(m.storeId()))).mount(m.storeId());
        rejects(ReadOnlyException.class, () -> readOnly.create("/b.md", utf8("x")));
        rejects(ReadOnlyException.class, () -> readOnly.update(a.id(), utf8("x")));
    }

    @Test
    void editByIdFollowsARenameAndFallsBackToThePath() {
        Memories m = freshStore();
        Memory a = m.create("/log.md", "one\n");
        m.update(a.id(), MemoryUpdate.path("/moved.md"));
        ChangeResult r = m.edit(EditTarget.memory(a.id(), "/log.md"), b -> concat(b, utf8("two\n")));
        assertThat(r.outcome()).isEqualTo(WriteOutcome.APPLIED);
        assertThat(r.memoryId()).isEqualTo(a.id());
        assertThat(m.get(a.id()).path()).isEqualTo("/moved.md");
        assertThat(m.get(a.id()).text()).isEqualTo("one\ntwo\n");
        assertThat(m.findByPath("/log.md")).isEmpty();

        // the memory is gone: the one now at the path is edited instead
        m.delete(a.id());
        Memory b = m.create("/log.md", "fresh\n");
        ChangeResult r2 = m.edit(EditTarget.memory(a.id(), "/log.md"), x -> concat(x, utf8("three\n")));
        assertThat(r2.memoryId()).isEqualTo(b.id());
        assertThat(m.get(b.id()).text()).isEqualTo("fresh\nthree\n");

        // nothing found at all: an error unless the target creates
        m.delete(b.id());
        rejects(NotFoundException.class, () -> m.edit(EditTarget.memory(a.id(), "/log.md"), x -> x));
        ChangeResult created = m.edit(EditTarget.memory(a.id(), "/log.md").orCreate(),
                x -> concat(x, utf8("four\n")));
        assertThat(created.version().orElseThrow().operation()).isEqualTo(Operation.CREATED);
        assertThat(created.memoryId()).isNotIn(a.id(), b.id());
        assertThat(m.getByPath("/log.md").text()).isEqualTo("four\n");

        // the same edit returning the current bytes writes nothing
        ChangeResult same = changesNothing(() -> m.edit(EditTarget.path("/log.md"), x -> x));
        assertThat(same.outcome()).isEqualTo(WriteOutcome.ALREADY_CURRENT);
    }

    @Test
    void editThatCreatesMeetsTheCreateRules() {
        Memories m = freshStore();
        m.create("/a.md", "file");
        rejects(PathConflictException.class,
                () -> m.edit(EditTarget.path("/a.md/b.md").orCreate(), x -> utf8("x")));
        rejects(InvalidArgumentException.class, () -> m.edit(EditTarget.path("/b.md").orCreate(), x -> null));
        Memories readOnly = ws.sessions().create(List.of(AttachmentSpec.readOnly(m.storeId()))).mount(m.storeId());
        rejects(ReadOnlyException.class, () -> readOnly.edit(EditTarget.path("/c.md").orCreate(), x -> utf8("x")));
    }

    /** Appenders racing on one memory through the byte edit each land: the shared retry re-runs the edit. */
    @Test
    void concurrentByteAppendsLoseNothing() throws Exception {
        Memories m = freshStore();
        Memory log = m.create("/log.md", "");
        int threads = 4;
        int perThread = 10;
        runConcurrently(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                byte[] line = utf8("t" + thread + " " + i + "\n");
                m.edit(EditTarget.memory(log.id(), "/log.md").orCreate(), b -> concat(b, line));
            }
        });
        List<String> lines = List.of(m.get(log.id()).text().split("\n"));
        assertThat(lines).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(history(m, log.id())).hasSize(threads * perThread + 1);
    }

    @Test
    void checkWriteAcceptsWhatTheWriteWouldAcceptAndWritesNothing() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "v1");
        long before = m.revision();
        changesNothing(() -> {
            m.checkWrite("/a.md", utf8("v2"));
            m.checkWrite("/new/b.md", utf8("new"));
            m.checkWrite("/c.md", new byte[0]);
            return null;
        });
        assertThat(m.revision()).isEqualTo(before);
        assertThat(m.get(a.id()).text()).isEqualTo("v1");
    }

    @Test
    void checkWriteRefusesWhatTheWriteWouldRefuse() {
        Memories m = freshStore();
        m.create("/a.md", "v1");
        byte[] tooLarge = new byte[100 * 1024 + 1];
        Arrays.fill(tooLarge, (byte) 'x');
        assertThat(rejects(LimitExceededException.class, () -> m.checkWrite("/a.md", tooLarge)).which())
                .isEqualTo(LimitExceededException.Limit.CONTENT_SIZE_BYTES);
        assertThat(rejects(InvalidArgumentException.class, () -> m.checkWrite("/a.md", NOT_UTF8)).rule())
                .isEqualTo("content.utf8");
        assertThat(rejects(InvalidArgumentException.class, () -> m.checkWrite("/b.md", NOT_UTF8)).rule())
                .isEqualTo("content.utf8");
        assertThat(rejects(InvalidArgumentException.class, () -> m.checkWrite("/x/../b.md", utf8("x")))
                .subject()).isEqualTo(InvalidArgumentException.Subject.PATH);
        assertThat(rejects(LimitExceededException.class,
                () -> m.checkWrite("/" + "d/".repeat(40) + "b.md", utf8("x"))).which())
                .isEqualTo(LimitExceededException.Limit.PATH_SEGMENTS);
        rejects(PathConflictException.class, () -> m.checkWrite("/a.md/b.md", utf8("x")));

        MemoryStore small = ws.stores().create(NewStore.named("small").memoryLimit(1).build());
        Memories full = ws.memories(small.id(), OPERATOR);
        full.create("/only.md", "x");
        full.checkWrite("/only.md", utf8("an edit still fits")); // updates do not count
        assertThat(rejects(LimitExceededException.class, () -> full.checkWrite("/second.md", utf8("x"))).which())
                .isEqualTo(LimitExceededException.Limit.MEMORIES_PER_STORE);

        Memories readOnly = ws.sessions().create(List.of(AttachmentSpec.readOnly(m.storeId()))).mount(m.storeId());
        rejects(ReadOnlyException.class, () -> readOnly.checkWrite("/a.md", utf8("x")));
        ws.stores().archive(m.storeId());
        rejects(ArchivedException.class, () -> m.checkWrite("/a.md", utf8("x")));
        rejects(ArchivedException.class, () -> m.checkWrite("/b.md", utf8("x")));
    }

    @Test
    void checkContentChecksTheBytesAndTheAccessButNotThePath() {
        MemoryStore small = ws.stores().create(NewStore.named("small").memoryLimit(1).build());
        Memories full = ws.memories(small.id(), OPERATOR);
        full.create("/only.md", "x");
        long before = full.revision();
        full.checkContent(utf8("fits anywhere: a full store still takes updates"));
        full.checkContent(new byte[0]);
        assertThat(full.revision()).isEqualTo(before);
        byte[] tooLarge = new byte[100 * 1024 + 1];
        Arrays.fill(tooLarge, (byte) 'x');
        assertThat(rejects(LimitExceededException.class, () -> full.checkContent(tooLarge)).which())
                .isEqualTo(LimitExceededException.Limit.CONTENT_SIZE_BYTES);
        assertThat(rejects(InvalidArgumentException.class, () -> full.checkContent(NOT_UTF8)).rule())
                .isEqualTo("content.utf8");
        Memories readOnly = ws.sessions().create(List.of(AttachmentSpec.readOnly(small.id()))).mount(small.id());
        rejects(ReadOnlyException.class, () -> readOnly.checkContent(utf8("x")));
        ws.stores().archive(small.id());
        rejects(ArchivedException.class, () -> full.checkContent(utf8("x")));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
