package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Paths: absolute, at most 1,024 UTF-8 bytes and 32 segments, no empty, {@code .} or {@code ..}
 * segments, no trailing {@code /}, no control or format characters, compared and stored in NFC, case-sensitive, and no
 * memory may be a directory of another. Each invalid path is tried on create, on rename and inside a batch, and must
 * be refused with the rule it breaks, naming the path, with nothing written.
 */
public abstract class PathContract extends ContractSupport {

    /**
     * Checks that a path is refused everywhere a path is written or read, with the rule it breaks.
     *
     * @param path the invalid path; it contains the segment {@code notes}, which the message must show
     * @param rule the rule expected
     */
    private void assertPathRefused(String path, String rule) {
        Memories m = freshStore();
        Memory existing = m.create("/existing.md", "kept");

        InvalidArgumentException onCreate = rejects(InvalidArgumentException.class, () -> m.create(path, "text"));
        assertThat(onCreate.rule()).isEqualTo(rule);
        assertThat(onCreate.getMessage()).as("the message names the path").contains("notes");

        InvalidArgumentException onRename = rejects(InvalidArgumentException.class,
                () -> m.update(existing.id(), MemoryUpdate.path(path)));
        assertThat(onRename.rule()).isEqualTo(rule);

        InvalidArgumentException inBatch = rejects(InvalidArgumentException.class,
                () -> m.apply(Batch.builder().create("/fine.md", "ok").create(path, "text").build()));
        assertThat(inBatch.rule()).isEqualTo(rule);

        InvalidArgumentException onRead = rejects(InvalidArgumentException.class, () -> m.findByPath(path));
        assertThat(onRead.rule()).isEqualTo(rule);
    }

    @Test
    void relativePathIsRefused() {
        assertPathRefused("notes/java.md", "path.absolute");
    }

    @Test
    void emptyPathIsRefused() {
        Memories m = freshStore();
        InvalidArgumentException e = rejects(InvalidArgumentException.class, () -> m.create("", "text"));
        assertThat(e.rule()).isEqualTo("path.absolute");
    }

    @Test
    void rootIsNotAMemoryPath() {
        Memories m = freshStore();
        InvalidArgumentException e = rejects(InvalidArgumentException.class, () -> m.create("/", "text"));
        assertThat(e.rule()).isEqualTo("path.root");
    }

    @Test
    void emptySegmentIsRefused() {
        assertPathRefused("/notes//java.md", "path.empty_segment");
    }

    @Test
    void leadingDoubleSlashIsRefused() {
        assertPathRefused("//notes/java.md", "path.empty_segment");
    }

    @Test
    void dotSegmentIsRefused() {
        assertPathRefused("/notes/./java.md", "path.dot_segment");
        assertPathRefused("/notes/.", "path.dot_segment");
    }

    @Test
    void dotDotSegmentIsRefused() {
        assertPathRefused("/notes/../java.md", "path.dot_segment");
        assertPathRefused("/notes/..", "path.dot_segment");
    }

    @Test
    void dotsInsideANameAreAllowed() {
        Memories m = freshStore();
        assertThat(m.create("/notes/.hidden", "a").path()).isEqualTo("/notes/.hidden");
        assertThat(m.create("/notes/...", "b").path()).isEqualTo("/notes/...");
        assertThat(m.create("/notes/a..b.md", "c").path()).isEqualTo("/notes/a..b.md");
    }

    @Test
    void trailingSlashIsRefused() {
        assertPathRefused("/notes/java/", "path.trailing_slash");
    }

    @Test
    void controlCharactersAreRefused() {
        for (String cc : List.of("\u0000", "\t", "\n", "\r", "\u001b", "\u007f", "\u0085", "\u009f")) {
            assertPathRefused("/notes/a" + cc + "b.md", "path.control_character");
        }
    }

    @Test
    void zeroWidthSpaceIsRefused() {
        assertPathRefused("/notes/\u200Bjava.md", "path.format_character");
    }

    @Test
    void bidirectionalOverrideIsRefused() {
        assertPathRefused("/notes/\u202Edm.avaj", "path.format_character");
    }

    @Test
    void otherFormatCharactersAreRefused() {
        // byte order mark, left-to-right isolate, soft hyphen, and a format character outside the BMP (language tag)
        for (String cf : List.of("\uFEFF", "\u2066", "\u00AD", new String(Character.toChars(0xE0001)))) {
            assertPathRefused("/notes/a" + cf + "b.md", "path.format_character");
        }
    }

    @Test
    void unpairedSurrogateInPathIsRefused() {
        assertPathRefused("/notes/a\uD800b.md", "path.utf8");
        assertPathRefused("/notes/a\uDC00b.md", "path.utf8");
        assertPathRefused("/notes/ab\uD83D", "path.utf8");
    }

    @Test
    void unusualButValidPathsAreAccepted() {
        Memories m = freshStore();
        for (String p : List.of("/notes/My File (1).md", "/日本語/メモ.md", "/emoji/\uD83D\uDE00.md",
                "/a b/c-d_e~f+g=h,i;j@k.md", "/x")) {
            Memory created = m.create(p, p);
            assertThat(created.path()).isEqualTo(p);
            assertThat(m.getByPath(p).id()).isEqualTo(created.id());
        }
    }

    @Test
    void defaultPathByteLimitIsExactly1024Bytes() {
        Memories m = freshStore();
        String atLimit = "/" + "a".repeat(1023);
        assertThat(utf8Size(atLimit)).isEqualTo(1024);
        assertThat(m.create(atLimit, "fits").path()).isEqualTo(atLimit);

        String over = "/" + "b".repeat(1024);
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create(over, "too long"));
        assertThat(e.limit()).isEqualTo("path_bytes");
        assertThat(e.value()).isEqualTo(1025);
        assertThat(e.maximum()).isEqualTo(1024);

        Memory other = m.create("/short.md", "x");
        LimitExceededException onRename = rejects(LimitExceededException.class,
                () -> m.update(other.id(), MemoryUpdate.path(over)));
        assertThat(onRename.limit()).isEqualTo("path_bytes");
        assertThat(onRename.value()).isEqualTo(1025);
    }

    @Test
    void defaultSegmentLimitIsExactly32Segments() {
        Memories m = freshStore();
        String atLimit = "/s".repeat(32);
        assertThat(m.create(atLimit, "fits").path()).isEqualTo(atLimit);

        String over = "/t".repeat(33);
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create(over, "too deep"));
        assertThat(e.limit()).isEqualTo("path_segments");
        assertThat(e.value()).isEqualTo(33);
        assertThat(e.maximum()).isEqualTo(32);
    }

    @Test
    void pathAtBothDefaultLimitsAtOnceIsAccepted() {
        Memories m = freshStore();
        // 32 segments, 1,024 bytes: 31 segments of "/" + 31 chars and a last one padded to the byte limit
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 31; i++) {
            b.append('/').append("d".repeat(31));
        }
        int rest = 1024 - b.length() - 1;
        b.append('/').append("f".repeat(rest));
        String path = b.toString();
        assertThat(utf8Size(path)).isEqualTo(1024);
        assertThat(path.chars().filter(c -> c == '/').count()).isEqualTo(32);
        assertThat(m.create(path, "deep and long").path()).isEqualTo(path);
    }

    @Test
    void pathLimitCountsUtf8BytesNotCharacters() {
        AgentMemory small = open(Limits.builder().maxPathBytes(16).build());
        Memories m = workspaceOf(small).memories(
                workspaceOf(small).stores().create(NewStore.named("small").build()).id(), OPERATOR);
        String fits = "/" + "é".repeat(7) + "a"; // 1 + 14 + 1 = 16 bytes, 9 characters
        assertThat(m.create(fits, "x").path()).isEqualTo(fits);
        String over = "/" + "é".repeat(8); // 17 bytes, 9 characters
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create(over, "x"));
        assertThat(e.limit()).isEqualTo("path_bytes");
        assertThat(e.value()).isEqualTo(17);
        assertThat(e.maximum()).isEqualTo(16);
    }

    @Test
    void segmentLimitIsConfigurable() {
        AgentMemory small = open(Limits.builder().maxPathSegments(3).build());
        Memories m = workspaceOf(small).memories(
                workspaceOf(small).stores().create(NewStore.named("small").build()).id(), OPERATOR);
        assertThat(m.create("/a/b/c", "x").path()).isEqualTo("/a/b/c");
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create("/a/b/d/e", "x"));
        assertThat(e.limit()).isEqualTo("path_segments");
        assertThat(e.value()).isEqualTo(4);
        assertThat(e.maximum()).isEqualTo(3);
    }

    @Test
    void decomposedPathIsStoredAsNfcAndFoundByEitherForm() {
        Memories m = freshStore();
        String decomposed = "/cafe\u0301/notes.md";
        String composed = "/caf\u00e9/notes.md";
        Memory created = m.create(decomposed, "espresso");
        assertThat(created.path()).isEqualTo(composed);
        assertThat(m.getByPath(decomposed).id()).isEqualTo(created.id());
        assertThat(m.getByPath(composed).id()).isEqualTo(created.id());
        assertThat(m.findByPath(decomposed)).map(Memory::id).contains(created.id());
        assertThat(listAll(m, ListQuery.under("/cafe\u0301/").build())).extracting(e -> e.path())
                .containsExactly(composed);
        MemoryVersion v = m.version(created.headVersionId());
        assertThat(v.path()).contains(composed);
    }

    @Test
    void pathsEqualInNfcConflict() {
        Memories m = freshStore();
        Memory created = m.create("/caf\u00e9.md", "composed");
        PathConflictException e = rejects(PathConflictException.class, () -> m.create("/cafe\u0301.md", "again"));
        assertThat(e.conflictingMemoryId()).contains(created.id());
        assertThat(e.conflictingPath()).contains("/caf\u00e9.md");
    }

    @Test
    void renameToADecomposedPathStoresNfc() {
        Memories m = freshStore();
        Memory created = m.create("/draft.md", "x");
        Memory renamed = m.update(created.id(), MemoryUpdate.path("/re\u0301sume\u0301.md"));
        assertThat(renamed.path()).isEqualTo("/r\u00e9sum\u00e9.md");
        assertThat(m.getByPath("/r\u00e9sum\u00e9.md").id()).isEqualTo(created.id());
    }

    @Test
    void pathsAreCaseSensitive() {
        Memories m = freshStore();
        Memory lower = m.create("/notes/java.md", "lower");
        Memory upper = m.create("/Notes/Java.md", "upper");
        assertThat(lower.id()).isNotEqualTo(upper.id());
        assertThat(m.getByPath("/notes/java.md").text()).isEqualTo("lower");
        assertThat(m.getByPath("/Notes/Java.md").text()).isEqualTo("upper");
        assertThat(m.findByPath("/NOTES/JAVA.md")).isEmpty();
    }

    @Test
    void aMemoryCannotBeTheDirectoryOfAnother() {
        Memories m = freshStore();
        Memory ab = m.create("/a/b", "leaf");

        PathConflictException parent = rejects(PathConflictException.class, () -> m.create("/a", "would hide /a/b"));
        assertThat(parent.path()).isEqualTo("/a");
        assertThat(parent.conflictingMemoryId()).contains(ab.id());
        assertThat(parent.conflictingPath()).contains("/a/b");
        assertThat(parent.getMessage()).contains(ab.id().value()).contains("/a/b");

        PathConflictException child = rejects(PathConflictException.class, () -> m.create("/a/b/c", "under a file"));
        assertThat(child.path()).isEqualTo("/a/b/c");
        assertThat(child.conflictingMemoryId()).contains(ab.id());
        assertThat(child.conflictingPath()).contains("/a/b");
    }

    @Test
    void aRenameCannotMakeAMemoryTheDirectoryOfAnother() {
        Memories m = freshStore();
        Memory ab = m.create("/a/b", "leaf");
        Memory other = m.create("/other.md", "x");
        PathConflictException up = rejects(PathConflictException.class,
                () -> m.update(other.id(), MemoryUpdate.path("/a")));
        assertThat(up.conflictingMemoryId()).contains(ab.id());
        PathConflictException down = rejects(PathConflictException.class,
                () -> m.update(other.id(), MemoryUpdate.path("/a/b/c/d")));
        assertThat(down.conflictingPath()).contains("/a/b");
    }

    @Test
    void conflictNamesTheFirstMemoryUnderThePathInPathOrder() {
        Memories m = freshStore();
        m.create("/d/z.md", "z");
        Memory first = m.create("/d/a/deep.md", "a");
        m.create("/d/m.md", "m");
        PathConflictException e = rejects(PathConflictException.class, () -> m.create("/d", "x"));
        assertThat(e.conflictingMemoryId()).contains(first.id());
        assertThat(e.conflictingPath()).contains("/d/a/deep.md");
    }

    @Test
    void siblingsSharingAPrefixDoNotConflict() {
        Memories m = freshStore();
        m.create("/a/b", "x");
        assertThat(m.create("/a/bc", "y").path()).isEqualTo("/a/bc");
        assertThat(m.create("/ab", "z").path()).isEqualTo("/ab");
        assertThat(m.create("/a/b.md", "w").path()).isEqualTo("/a/b.md");
    }
}
