package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Content: UTF-8 text only, at most 100 KiB by default and configurable per store, with the SHA-256
 * and size of its UTF-8 bytes; an empty memory is valid. A Java string that is not valid Unicode (an unpaired
 * surrogate) has no UTF-8 form and stands for invalid UTF-8 on this surface.
 */
public abstract class ContentContract extends ContractSupport {

    @Test
    void unpairedSurrogateContentIsRefusedOnCreate() {
        Memories m = freshStore();
        for (String bad : List.of("a\uD800b", "\uDC00", "ends with a high surrogate \uD83D", "\uDE00\uD83D")) {
            InvalidArgumentException e = rejects(InvalidArgumentException.class, () -> m.create("/bad.md", bad));
            assertThat(e.rule()).isEqualTo("content.utf8");
        }
    }

    @Test
    void unpairedSurrogateContentIsRefusedOnUpdateAndInBatches() {
        Memories m = freshStore();
        Memory kept = m.create("/kept.md", "good");
        InvalidArgumentException onUpdate = rejects(InvalidArgumentException.class,
                () -> m.update(kept.id(), MemoryUpdate.content("broken \uD800")));
        assertThat(onUpdate.rule()).isEqualTo("content.utf8");
        InvalidArgumentException inBatch = rejects(InvalidArgumentException.class, () -> m.apply(Batch.builder()
                .update(kept.id(), MemoryUpdate.content("fine")).create("/new.md", "\uDFFF").build()));
        assertThat(inBatch.rule()).isEqualTo("content.utf8");
    }

    @Test
    void supplementaryCharactersAreValidText() {
        Memories m = freshStore();
        String text = "\uD83D\uDE00 \uD834\uDD1E \uD83C\uDDEB\uD83C\uDDF7";
        Memory created = m.create("/emoji.md", text);
        assertThat(m.get(created.id()).text()).isEqualTo(text);
        assertThat(created.contentSizeBytes()).isEqualTo(utf8Size(text));
    }

    @Test
    void shaAndSizeAreThoseOfTheUtf8Bytes() {
        Memories m = freshStore();
        String text = "héllo wörld ✓ \uD83D\uDE00\r\n\ttabbed\n";
        Memory created = m.create("/hash.md", text);
        assertThat(created.contentSha256()).isEqualTo(sha256(text)).matches("[0-9a-f]{64}");
        assertThat(created.contentSizeBytes()).isEqualTo(utf8Size(text)).isNotEqualTo(text.length());
        MemoryVersion v = m.version(created.headVersionId());
        assertThat(v.contentSha256()).contains(sha256(text));
        assertThat(v.contentSizeBytes()).contains(utf8Size(text));

        String next = "second ✓";
        Memory updated = m.update(created.id(), MemoryUpdate.content(next));
        assertThat(updated.contentSha256()).isEqualTo(sha256(next));
        assertThat(updated.contentSizeBytes()).isEqualTo(utf8Size(next));
    }

    @Test
    void emptyMemoryIsValid() {
        Memories m = freshStore();
        Memory empty = m.create("/empty.md", "");
        assertThat(empty.contentSizeBytes()).isZero();
        assertThat(empty.contentSha256()).isEqualTo(sha256(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(m.get(empty.id()).text()).isEmpty();
        Memory emptied = m.update(m.create("/full.md", "x").id(), MemoryUpdate.content(""));
        assertThat(emptied.contentSizeBytes()).isZero();
    }

    @Test
    void contentIsStoredByteForByteWithoutNormalisation() {
        Memories m = freshStore();
        String text = "\uFEFFdecomposed e\u0301 and composed \u00e9\r\nCRLF\rCR\n\u2028end";
        Memory created = m.create("/exact.md", text);
        assertThat(m.get(created.id()).text()).isEqualTo(text);
        assertThat(m.getByPath("/exact.md").contentSha256()).isEqualTo(sha256(text));
    }

    @Test
    void defaultContentLimitIsExactly102400Bytes() {
        Memories m = freshStore();
        String atLimit = "x".repeat(102_400);
        Memory fits = m.create("/at-limit.md", atLimit);
        assertThat(fits.contentSizeBytes()).isEqualTo(102_400);
        assertThat(m.get(fits.id()).text()).isEqualTo(atLimit);

        String over = "y".repeat(102_401);
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create("/over.md", over));
        assertThat(e.limit()).isEqualTo("content_size_bytes");
        assertThat(e.value()).isEqualTo(102_401);
        assertThat(e.maximum()).isEqualTo(102_400);
        assertThat(e.getMessage()).contains("102401").contains("102400");

        LimitExceededException onUpdate = rejects(LimitExceededException.class,
                () -> m.update(fits.id(), MemoryUpdate.content(over)));
        assertThat(onUpdate.value()).isEqualTo(102_401);
    }

    @Test
    void defaultContentLimitCountsBytesOfMultiByteText() {
        Memories m = freshStore();
        String atLimit = "€".repeat(34_133) + "a"; // 3 * 34,133 + 1 = 102,400 bytes
        assertThat(m.create("/euro.md", atLimit).contentSizeBytes()).isEqualTo(102_400);
        String over = "€".repeat(34_134); // 102,402 bytes but only 34,134 characters
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create("/euro2.md", over));
        assertThat(e.value()).isEqualTo(102_402);
        assertThat(e.maximum()).isEqualTo(102_400);
    }

    @Test
    void contentLimitIsConfigurablePerStore() {
        MemoryStore tiny = ws.stores().create(NewStore.named("tiny").contentLimitBytes(10).build());
        Memories m = ws.memories(tiny.id(), OPERATOR);
        Memory ten = m.create("/ten.md", "0123456789");
        assertThat(m.create("/ten-multibyte.md", "ééééé").contentSizeBytes()).isEqualTo(10);
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create("/eleven.md", "0123456789a"));
        assertThat(e.limit()).isEqualTo("content_size_bytes");
        assertThat(e.value()).isEqualTo(11);
        assertThat(e.maximum()).isEqualTo(10);
        LimitExceededException update = rejects(LimitExceededException.class,
                () -> m.update(ten.id(), MemoryUpdate.content("éééééé")));
        assertThat(update.value()).isEqualTo(12);

        // a store's limit does not affect another store
        Memories other = freshStore();
        assertThat(other.create("/big.md", "x".repeat(1000)).contentSizeBytes()).isEqualTo(1000);
    }

    @Test
    void perStoreContentLimitCanBeChanged() {
        MemoryStore s = ws.stores().create(NewStore.named("s").contentLimitBytes(4).build());
        Memories m = ws.memories(s.id(), OPERATOR);
        rejects(LimitExceededException.class, () -> m.create("/five.md", "12345"));
        ws.stores().update(s.id(), StoreUpdate.builder().contentLimitBytes(5).build());
        assertThat(m.create("/five.md", "12345").contentSizeBytes()).isEqualTo(5);
        ws.stores().update(s.id(), StoreUpdate.builder().contentLimitBytes(3).build());
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create("/four.md", "1234"));
        assertThat(e.maximum()).isEqualTo(3);
        // a memory over a lowered limit stays readable and can be renamed or deleted
        Memory five = m.getByPath("/five.md");
        assertThat(five.text()).isEqualTo("12345");
        assertThat(m.update(five.id(), MemoryUpdate.path("/renamed.md")).text()).isEqualTo("12345");
    }

    @Test
    void libraryWideContentLimitIsConfigurable() {
        AgentMemory small = open(Limits.builder().maxContentBytes(8).build());
        Memories m = workspaceOf(small).memories(
                workspaceOf(small).stores().create(NewStore.named("small").build()).id(), OPERATOR);
        assertThat(m.create("/eight.md", "12345678").contentSizeBytes()).isEqualTo(8);
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create("/nine.md", "123456789"));
        assertThat(e.value()).isEqualTo(9);
        assertThat(e.maximum()).isEqualTo(8);
    }
}
