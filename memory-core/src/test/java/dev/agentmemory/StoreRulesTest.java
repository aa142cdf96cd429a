package dev.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of a store's fields (name, description, metadata, limits) and of a session's attachments, through the
 * public API.
 */
class StoreRulesTest {

    private AgentMemory memory;
    private StoreAdmin stores;

    @BeforeEach
    void open() {
        memory = AgentMemory.inMemory();
        stores = memory.workspace("acme").stores();
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private void assertNoStore() {
        assertThat(stores.list(StoreQuery.builder().includeArchived(true).build()).items()).isEmpty();
    }

    private void assertInvalid(NewStore spec, String rule) {
        Throwable t = catchThrowable(() -> stores.create(spec));
        assertThat(t).isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.rule()).isEqualTo(rule));
        assertNoStore();
    }

    private void assertOverLimit(NewStore spec, String limit, long value, long maximum) {
        Throwable t = catchThrowable(() -> stores.create(spec));
        assertThat(t).isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.limit()).isEqualTo(limit);
            assertThat(e.value()).isEqualTo(value);
            assertThat(e.maximum()).isEqualTo(maximum);
        });
        assertNoStore();
    }

    // ------------------------------------------------------------------ name

    @Test
    void emptyNameIsRefused() {
        assertInvalid(NewStore.named("").build(), "store.name.required");
    }

    @Test
    void nameOf255CharactersIsAcceptedAnd256Refused() {
        String name = "n".repeat(255);
        assertThat(stores.create(NewStore.named(name).build()).name()).isEqualTo(name);
        stores.delete(stores.list(StoreQuery.firstPage()).items().get(0).id());
        assertOverLimit(NewStore.named("n".repeat(256)).build(), "store_name_chars", 256, 255);
    }

    @Test
    void nameLengthCountsCharactersNotUtf16Units() {
        String name = "😀".repeat(255);
        assertThat(stores.create(NewStore.named(name).build()).name()).isEqualTo(name);
        stores.delete(stores.list(StoreQuery.firstPage()).items().get(0).id());
        assertOverLimit(NewStore.named("😀".repeat(256)).build(), "store_name_chars", 256, 255);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000", "a\nb", "a\tb", "a\rb", "\u0007bell", "a\u007F", "a\u0085", "a\u009Fb",
        "a\uD800"})
    void nameWithControlCharacterOrBrokenTextIsRefused(String name) {
        assertInvalid(NewStore.named(name).build(), "store.name");
    }

    @Test
    void nameUpdateFollowsTheSameRules() {
        MemoryStore s = stores.create(NewStore.named("ok").build());
        assertThat(catchThrowable(() -> stores.update(s.id(), StoreUpdate.builder().name("").build())))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(catchThrowable(() -> stores.update(s.id(), StoreUpdate.builder().name("x".repeat(256)).build())))
                .isInstanceOf(LimitExceededException.class);
        assertThat(catchThrowable(() -> stores.update(s.id(), StoreUpdate.builder().name("a\u0001").build())))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(stores.get(s.id())).isEqualTo(s);
        assertThat(stores.update(s.id(), StoreUpdate.builder().name("y".repeat(255)).build()).name())
                .isEqualTo("y".repeat(255));
    }

    // ------------------------------------------------------------------ description

    @Test
    void descriptionOf1024CharactersIsAcceptedAnd1025Refused() {
        String d = "d".repeat(1024);
        assertThat(stores.create(NewStore.named("s").description(d).build()).description()).isEqualTo(d);
        stores.delete(stores.list(StoreQuery.firstPage()).items().get(0).id());
        assertOverLimit(NewStore.named("s").description("d".repeat(1025)).build(), "store_description_chars", 1025,
                1024);
    }

    @Test
    void descriptionMayHaveLineBreaksAndTabsButNoOtherControls() {
        String d = "line one\r\nline two\n\tindented";
        assertThat(stores.create(NewStore.named("s").description(d).build()).description()).isEqualTo(d);
        stores.delete(stores.list(StoreQuery.firstPage()).items().get(0).id());
        assertInvalid(NewStore.named("s").description("bell\u0007").build(), "store.description");
        assertInvalid(NewStore.named("s").description("nul\u0000").build(), "store.description");
    }

    @Test
    void descriptionUpdateFollowsTheSameRules() {
        MemoryStore s = stores.create(NewStore.named("s").description("first").build());
        assertThat(catchThrowable(() -> stores.update(s.id(),
                StoreUpdate.builder().description("d".repeat(1025)).build()))).isInstanceOf(LimitExceededException.class);
        assertThat(stores.get(s.id()).description()).isEqualTo("first");
        assertThat(stores.update(s.id(), StoreUpdate.builder().description("").build()).description()).isEmpty();
    }

    // ------------------------------------------------------------------ metadata

    private static Map<String, String> pairs(int n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("key" + i, "value" + i);
        }
        return m;
    }

    private static NewStore withMetadata(Map<String, String> metadata) {
        NewStore.Builder b = NewStore.named("s");
        metadata.forEach(b::metadata);
        return b.build();
    }

    @Test
    void sixteenPairsAreAcceptedAndSeventeenRefused() {
        assertThat(stores.create(withMetadata(pairs(16))).metadata()).hasSize(16);
        stores.delete(stores.list(StoreQuery.firstPage()).items().get(0).id());
        assertOverLimit(withMetadata(pairs(17)), "store_metadata_pairs", 17, 16);
    }

    @Test
    void keyOf64IsAcceptedAnd65Refused() {
        assertThat(stores.create(withMetadata(Map.of("k".repeat(64), "v"))).metadata()).containsKey("k".repeat(64));
        stores.delete(stores.list(StoreQuery.firstPage()).items().get(0).id());
        assertOverLimit(withMetadata(Map.of("k".repeat(65), "v")), "store_metadata_key_chars", 65, 64);
    }

    @Test
    void valueOf512IsAcceptedAnd513Refused() {
        assertThat(stores.create(withMetadata(Map.of("k", "v".repeat(512)))).metadata())
                .containsEntry("k", "v".repeat(512));
        stores.delete(stores.list(StoreQuery.firstPage()).items().get(0).id());
        assertOverLimit(withMetadata(Map.of("k", "v".repeat(513))), "store_metadata_value_chars", 513, 512);
    }

    @Test
    void emptyOrControlKeyIsRefused() {
        assertInvalid(withMetadata(Map.of("", "v")), "store.metadata.key");
        assertInvalid(withMetadata(Map.of("a\nb", "v")), "store.metadata.key");
        assertInvalid(withMetadata(Map.of("k", "v\u0000")), "store.metadata.value");
    }

    @Test
    void metadataPatchSetsAndRemovesKeys() {
        MemoryStore s = stores.create(withMetadata(Map.of("team", "search", "owner", "ana", "tier", "1")));
        MemoryStore after = stores.update(s.id(), StoreUpdate.builder().removeMetadata("owner")
                .putMetadata("tier", "2").putMetadata("new", "x").removeMetadata("absent").build());
        assertThat(after.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "search", "tier", "2",
                "new", "x"));
        assertThat(stores.get(s.id()).metadata()).isEqualTo(after.metadata());
        assertThat(after.updatedAt()).isAfterOrEqualTo(s.updatedAt());
    }

    @Test
    void metadataPatchIsCheckedAfterItIsApplied() {
        MemoryStore s = stores.create(withMetadata(pairs(16)));
        // a 17th key is refused and nothing changes
        Throwable t = catchThrowable(() -> stores.update(s.id(), StoreUpdate.builder().putMetadata("extra", "x")
                .build()));
        assertThat(t).isInstanceOfSatisfying(LimitExceededException.class,
                e -> assertThat(e.limit()).isEqualTo("store_metadata_pairs"));
        assertThat(stores.get(s.id())).isEqualTo(s);
        // removing one key makes room for another in the same patch
        MemoryStore after = stores.update(s.id(), StoreUpdate.builder().removeMetadata("key0")
                .putMetadata("extra", "x").build());
        assertThat(after.metadata()).hasSize(16).containsKey("extra").doesNotContainKey("key0");
        // a value over the limit in a patch is refused
        assertThat(catchThrowable(() -> stores.update(s.id(), StoreUpdate.builder().putMetadata("key1",
                "v".repeat(513)).build()))).isInstanceOf(LimitExceededException.class);
        assertThat(stores.get(s.id())).isEqualTo(after);
    }

    // ------------------------------------------------------------------ cursors through listing

    @Test
    void listingCursorsBelongToTheirQuery() {
        MemoryStore s = stores.create(NewStore.named("s").build());
        Memories mem = memory.workspace("acme").memories(s.id(), Actor.user("u"));
        for (int i = 0; i < 5; i++) {
            mem.create("/a/" + i, "x");
            mem.create("/b/" + i, "y");
        }
        Page<?> first = mem.list(ListQuery.under("/a/").limit(2).build());
        String cursor = first.nextCursor().orElseThrow();
        assertThat(mem.list(ListQuery.under("/a/").limit(2).build().page(cursor)).items()).hasSize(2);
        Throwable other = catchThrowable(() -> mem.list(ListQuery.under("/b/").limit(2).build().page(cursor)));
        assertThat(other).isInstanceOfSatisfying(InvalidArgumentException.class,
                e -> assertThat(e.rule()).isEqualTo("cursor.mismatch"));
        Throwable garbage = catchThrowable(() -> mem.list(ListQuery.under("/a/").limit(2).build().page("page_")));
        assertThat(garbage).isInstanceOfSatisfying(InvalidArgumentException.class,
                e -> assertThat(e.rule()).isEqualTo("cursor.malformed"));
    }
}
