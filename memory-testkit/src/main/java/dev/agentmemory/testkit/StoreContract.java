package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spi.StoreRecord;
import dev.agentmemory.spi.VersionFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Stores: create (name required; name, description and metadata within their limits), get, list (paged, newest
 * first, archived ones only when asked for, created-at range), update (a metadata update is a patch), archive
 * (one-way, read-only for everyone, memories and versions kept), delete (permanent, with every memory and version),
 * and the per-store memory count limit (past it creates fail and edits still work).
 */
public abstract class StoreContract extends ContractSupport {

    // ------------------------------------------------------------------------------------------------ create, get

    @Test
    void createRecordsEveryField() {
        MemoryStore s = ws.stores().create(NewStore.named("Project notes").description("What we learned")
                .metadata("team", "search").metadata("owner", "ada").build());
        assertThat(s.id().value()).startsWith("memstore_");
        assertThat(s.workspaceId()).isEqualTo(ws.id());
        assertThat(s.name()).isEqualTo("Project notes");
        assertThat(s.description()).isEqualTo("What we learned");
        assertThat(s.metadata()).isEqualTo(Map.of("team", "search", "owner", "ada"));
        assertThat(s.createdAt()).isEqualTo(T0);
        assertThat(s.updatedAt()).isEqualTo(T0);
        assertThat(s.archivedAt()).isEmpty();
        assertThat(ws.stores().get(s.id())).isEqualTo(s);
    }

    @Test
    void namesAreNotUnique() {
        MemoryStore a = newStore("Same");
        MemoryStore b = newStore("Same");
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(allStores(ws, StoreQuery.firstPage())).extracting(MemoryStore::id).contains(a.id(), b.id());
    }

    @Test
    void nameIsRequired() {
        InvalidArgumentException e = rejects(InvalidArgumentException.class,
                () -> ws.stores().create(NewStore.named("").build()));
        assertThat(e.rule()).isEqualTo("store.name.required");
    }

    @Test
    void nameOfAtMost255Characters() {
        String atLimit = "n".repeat(254) + "\uD83D\uDE00"; // 255 characters, 256 UTF-16 units
        assertThat(ws.stores().create(NewStore.named(atLimit).build()).name()).isEqualTo(atLimit);
        LimitExceededException e = rejects(LimitExceededException.class,
                () -> ws.stores().create(NewStore.named("n".repeat(256)).build()));
        assertThat(e.limit()).isEqualTo("store_name_chars");
        assertThat(e.value()).isEqualTo(256);
        assertThat(e.maximum()).isEqualTo(255);
    }

    @Test
    void nameWithControlCharactersIsRefused() {
        for (String bad : List.of("bell\u0007", "line\nbreak", "tab\tbed", "nul\u0000")) {
            InvalidArgumentException e = rejects(InvalidArgumentException.class,
                    () -> ws.stores().create(NewStore.named(bad).build()));
            assertThat(e.rule()).isEqualTo("store.name");
        }
    }

    @Test
    void descriptionOfAtMost1024Characters() {
        String atLimit = "d".repeat(1024);
        assertThat(ws.stores().create(NewStore.named("a").description(atLimit).build()).description())
                .isEqualTo(atLimit);
        LimitExceededException e = rejects(LimitExceededException.class,
                () -> ws.stores().create(NewStore.named("b").description("d".repeat(1025)).build()));
        assertThat(e.limit()).isEqualTo("store_description_chars");
        assertThat(e.value()).isEqualTo(1025);
        assertThat(e.maximum()).isEqualTo(1024);
    }

    @Test
    void atMost16MetadataPairs() {
        NewStore.Builder sixteen = NewStore.named("m");
        for (int i = 0; i < 16; i++) {
            sixteen.metadata("k" + i, "v" + i);
        }
        assertThat(ws.stores().create(sixteen.build()).metadata()).hasSize(16);
        NewStore.Builder seventeen = NewStore.named("m");
        for (int i = 0; i < 17; i++) {
            seventeen.metadata("k" + i, "v" + i);
        }
        LimitExceededException e = rejects(LimitExceededException.class, () -> ws.stores().create(seventeen.build()));
        assertThat(e.limit()).isEqualTo("store_metadata_pairs");
        assertThat(e.value()).isEqualTo(17);
        assertThat(e.maximum()).isEqualTo(16);
    }

    @Test
    void metadataKeyOfAtMost64Characters() {
        assertThat(ws.stores().create(NewStore.named("m").metadata("k".repeat(64), "v").build()).metadata())
                .containsKey("k".repeat(64));
        LimitExceededException e = rejects(LimitExceededException.class,
                () -> ws.stores().create(NewStore.named("m").metadata("k".repeat(65), "v").build()));
        assertThat(e.limit()).isEqualTo("store_metadata_key_chars");
        assertThat(e.value()).isEqualTo(65);
        assertThat(e.maximum()).isEqualTo(64);
    }

    @Test
    void metadataValueOfAtMost512Characters() {
        assertThat(ws.stores().create(NewStore.named("m").metadata("k", "v".repeat(512)).build()).metadata())
                .containsEntry("k", "v".repeat(512));
        LimitExceededException e = rejects(LimitExceededException.class,
                () -> ws.stores().create(NewStore.named("m").metadata("k", "v".repeat(513)).build()));
        assertThat(e.limit()).isEqualTo("store_metadata_value_chars");
        assertThat(e.value()).isEqualTo(513);
        assertThat(e.maximum()).isEqualTo(512);
    }

    @Test
    void getOfUnknownOrForeignStoreIsNotFound() {
        MemoryStore foreign = otherWs.stores().create(NewStore.named("theirs").build());
        rejects(NotFoundException.class, () -> ws.stores().get(foreign.id()));
        rejects(NotFoundException.class, () -> ws.memories(foreign.id(), OPERATOR));
        rejects(NotFoundException.class, () -> ws.stores().get(StoreId.of("memstore_doesnotexist")));
        assertThat(otherWs.stores().get(foreign.id())).isEqualTo(foreign);
    }

    // ------------------------------------------------------------------------------------------------ list

    private List<MemoryStore> storesOneHourApart(int n) {
        List<MemoryStore> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            made.add(newStore("store " + i));
            clock.advance(Duration.ofHours(1));
        }
        return made;
    }

    @Test
    void listIsNewestFirstAndPaged() {
        List<MemoryStore> made = storesOneHourApart(7);
        List<MemoryStore> newestFirst = new ArrayList<>(made);
        java.util.Collections.reverse(newestFirst);

        StoreQuery q = StoreQuery.builder().limit(3).build();
        Page<MemoryStore> p1 = ws.stores().list(q);
        assertThat(p1.items()).containsExactlyElementsOf(newestFirst.subList(0, 3));
        Page<MemoryStore> p2 = ws.stores().list(q.page(p1.nextCursor().orElseThrow()));
        assertThat(p2.items()).containsExactlyElementsOf(newestFirst.subList(3, 6));
        Page<MemoryStore> p3 = ws.stores().list(q.page(p2.nextCursor().orElseThrow()));
        assertThat(p3.items()).containsExactlyElementsOf(newestFirst.subList(6, 7));
        assertThat(p3.nextCursor()).isEmpty();

        for (int size : new int[] {1, 2, 6, 7, 8, 100}) {
            assertThat(allStores(ws, StoreQuery.builder().limit(size).build()))
                    .as("page size %d", size).containsExactlyElementsOf(newestFirst);
        }
    }

    @Test
    void listLeavesOutArchivedStoresUnlessAsked() {
        List<MemoryStore> made = storesOneHourApart(3);
        MemoryStore archived = ws.stores().archive(made.get(1).id());
        assertThat(allStores(ws, StoreQuery.firstPage())).extracting(MemoryStore::id)
                .containsExactly(made.get(2).id(), made.get(0).id());
        assertThat(allStores(ws, StoreQuery.builder().includeArchived(true).build()))
                .containsExactly(made.get(2), archived, made.get(0));
    }

    @Test
    void listFiltersByCreatedAtRangeInclusive() {
        List<MemoryStore> made = storesOneHourApart(5); // T0, T0+1h, ..., T0+4h
        StoreQuery range = StoreQuery.builder().createdAtOrAfter(T0.plus(Duration.ofHours(1)))
                .createdAtOrBefore(T0.plus(Duration.ofHours(3))).limit(1).build();
        assertThat(allStores(ws, range)).containsExactly(made.get(3), made.get(2), made.get(1));
        assertThat(allStores(ws, StoreQuery.builder().createdAtOrAfter(T0.plus(Duration.ofHours(4))).build()))
                .containsExactly(made.get(4));
        assertThat(allStores(ws, StoreQuery.builder().createdAtOrBefore(T0.minusNanos(1000)).build())).isEmpty();
    }

    @Test
    void listShowsOnlyTheWorkspacesOwnStores() {
        MemoryStore mine = newStore("mine");
        MemoryStore theirs = otherWs.stores().create(NewStore.named("theirs").build());
        assertThat(allStores(ws, StoreQuery.builder().includeArchived(true).build())).containsExactly(mine);
        assertThat(allStores(otherWs, StoreQuery.builder().includeArchived(true).build())).containsExactly(theirs);
    }

    @Test
    void listPageSizeMustBe1To100() {
        storesOneHourApart(2);
        for (int bad : new int[] {0, -1, 101}) {
            InvalidArgumentException e = rejects(InvalidArgumentException.class,
                    () -> ws.stores().list(StoreQuery.builder().limit(bad).build()));
            assertThat(e.rule()).isEqualTo("page.limit");
        }
        assertThat(ws.stores().list(StoreQuery.builder().limit(1).build()).items()).hasSize(1);
        assertThat(ws.stores().list(StoreQuery.builder().limit(100).build()).items()).hasSize(2);
    }

    @Test
    void listCursorOnlyContinuesItsOwnQuery() {
        storesOneHourApart(3);
        String cursor = ws.stores().list(StoreQuery.builder().limit(1).build()).nextCursor().orElseThrow();
        InvalidArgumentException mismatch = rejects(InvalidArgumentException.class, () -> ws.stores()
                .list(StoreQuery.builder().includeArchived(true).limit(1).cursor(cursor).build()));
        assertThat(mismatch.rule()).isEqualTo("cursor.mismatch");
        InvalidArgumentException foreign = rejects(InvalidArgumentException.class,
                () -> otherWs.stores().list(StoreQuery.builder().limit(1).cursor(cursor).build()));
        assertThat(foreign.rule()).isEqualTo("cursor.mismatch");
        InvalidArgumentException garbage = rejects(InvalidArgumentException.class,
                () -> ws.stores().list(StoreQuery.builder().cursor("not a cursor").build()));
        assertThat(garbage.rule()).isEqualTo("cursor.malformed");
    }

    // ------------------------------------------------------------------------------------------------ update

    @Test
    void updateChangesNameAndDescription() {
        MemoryStore s = ws.stores().create(NewStore.named("old").description("old text").build());
        clock.advance(Duration.ofMinutes(5));
        MemoryStore u = ws.stores().update(s.id(), StoreUpdate.builder().name("new").description("").build());
        assertThat(u.name()).isEqualTo("new");
        assertThat(u.description()).isEmpty();
        assertThat(u.createdAt()).isEqualTo(T0);
        assertThat(u.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(ws.stores().get(s.id())).isEqualTo(u);
    }

    @Test
    void metadataUpdateIsAPatch() {
        MemoryStore s = ws.stores().create(NewStore.named("m").metadata("a", "1").metadata("b", "2")
                .metadata("keep", "k").build());
        MemoryStore u = ws.stores().update(s.id(), StoreUpdate.builder().putMetadata("b", "22")
                .putMetadata("c", "3").removeMetadata("a").removeMetadata("never-there").build());
        assertThat(u.metadata()).isEqualTo(Map.of("b", "22", "c", "3", "keep", "k"));
        assertThat(u.name()).isEqualTo("m");
        assertThat(ws.stores().get(s.id()).metadata()).isEqualTo(u.metadata());
    }

    @Test
    void updateBreakingALimitChangesNothing() {
        NewStore.Builder b = NewStore.named("full");
        for (int i = 0; i < 16; i++) {
            b.metadata("k" + i, "v");
        }
        MemoryStore s = ws.stores().create(b.build());
        LimitExceededException pairs = rejects(LimitExceededException.class,
                () -> ws.stores().update(s.id(), StoreUpdate.builder().name("renamed").putMetadata("k16", "v")
                        .build()));
        assertThat(pairs.limit()).isEqualTo("store_metadata_pairs");
        assertThat(pairs.value()).isEqualTo(17);
        // a patch that removes one key and adds another stays within the limit
        assertThat(ws.stores().update(s.id(), StoreUpdate.builder().removeMetadata("k0").putMetadata("k16", "v")
                .build()).metadata()).hasSize(16).containsKey("k16").doesNotContainKey("k0");

        LimitExceededException name = rejects(LimitExceededException.class,
                () -> ws.stores().update(s.id(), StoreUpdate.builder().name("x".repeat(256)).build()));
        assertThat(name.limit()).isEqualTo("store_name_chars");
        InvalidArgumentException empty = rejects(InvalidArgumentException.class,
                () -> ws.stores().update(s.id(), StoreUpdate.builder().name("").build()));
        assertThat(empty.rule()).isEqualTo("store.name.required");
        LimitExceededException description = rejects(LimitExceededException.class,
                () -> ws.stores().update(s.id(), StoreUpdate.builder().description("d".repeat(1025)).build()));
        assertThat(description.limit()).isEqualTo("store_description_chars");
        LimitExceededException value = rejects(LimitExceededException.class,
                () -> ws.stores().update(s.id(), StoreUpdate.builder().putMetadata("k1", "v".repeat(513)).build()));
        assertThat(value.limit()).isEqualTo("store_metadata_value_chars");
    }

    @Test
    void foreignStoreCannotBeUpdatedArchivedOrDeleted() {
        MemoryStore foreign = otherWs.stores().create(NewStore.named("theirs").build());
        otherWs.memories(foreign.id(), OPERATOR).create("/x.md", "x");
        rejects(NotFoundException.class,
                () -> ws.stores().update(foreign.id(), StoreUpdate.builder().name("mine now").build()));
        rejects(NotFoundException.class, () -> ws.stores().archive(foreign.id()));
        rejects(NotFoundException.class, () -> ws.stores().delete(foreign.id()));
    }

    // ------------------------------------------------------------------------------------------------ archive

    @Test
    void archiveIsOneWayAndIdempotent() {
        Memories m = freshStore();
        m.create("/a.md", "a");
        StoreId id = m.storeId();
        clock.advance(Duration.ofDays(1));
        MemoryStore archived = ws.stores().archive(id);
        Instant archivedAt = T0.plus(Duration.ofDays(1));
        assertThat(archived.archivedAt()).contains(archivedAt);
        assertThat(archived.isArchived()).isTrue();
        assertThat(ws.stores().get(id)).isEqualTo(archived);

        clock.advance(Duration.ofDays(1));
        MemoryStore again = changesNothing(() -> ws.stores().archive(id));
        assertThat(again).isEqualTo(archived);
        assertThat(again.archivedAt()).contains(archivedAt);
    }

    @Test
    void archivedStoreKeepsItsMemoriesAndVersions() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "a");
        m.update(a.id(), MemoryUpdate.content("a2"));
        Memory b = m.create("/dir/b.md", "b");
        m.delete(b.id());
        List<Memory> memories = allMemories(m);
        List<MemoryVersion> versions = allVersions(m, VersionQuery.builder());
        ws.stores().archive(m.storeId());
        assertThat(allMemories(m)).isEqualTo(memories);
        assertThat(allVersions(m, VersionQuery.builder())).isEqualTo(versions).hasSize(4);
        assertThat(m.get(a.id()).text()).isEqualTo("a2");
    }

    @Test
    void archivedStoreRefusesEveryWrite() {
        Memories m = freshStore();
        Memory a = m.create("/dir/a.md", "a");
        Memory b = m.create("/b.md", "b");
        m.update(b.id(), MemoryUpdate.content("b2"));
        MemoryVersion old = history(m, b.id()).get(1);
        StoreId id = m.storeId();
        ws.stores().archive(id);

        List<ArchivedException> refused = List.of(
                rejects(ArchivedException.class, () -> m.create("/c.md", "c")),
                rejects(ArchivedException.class, () -> m.update(a.id(), MemoryUpdate.content("changed"))),
                rejects(ArchivedException.class, () -> m.update(a.id(), MemoryUpdate.path("/moved.md"))),
                rejects(ArchivedException.class, () -> m.delete(a.id())),
                rejects(ArchivedException.class, () -> m.delete(a.id(), a.contentSha256())),
                rejects(ArchivedException.class, () -> m.move("/dir/", "/other/")),
                rejects(ArchivedException.class, () -> m.apply(Batch.builder().create("/d.md", "d").build())),
                rejects(ArchivedException.class, () -> ws.stores().update(id, StoreUpdate.builder().name("n")
                        .build())),
                rejects(ArchivedException.class, () -> ws.stores().redact(id, old.id(), OPERATOR)),
                rejects(ArchivedException.class, () -> ws.stores().purge(id, ProgressListener.NONE)),
                rejects(ArchivedException.class, () -> ws.memories(id, Actor.user("another-user"))
                        .create("/e.md", "e")));
        assertThat(refused).allSatisfy(e -> assertThat(e.storeId()).isEqualTo(id));
    }

    // ------------------------------------------------------------------------------------------------ delete

    @Test
    void deleteIsPermanentAndTakesEveryMemoryAndVersion() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "secret a");
        Memory b = m.create("/dir/b.md", "secret b");
        m.update(a.id(), MemoryUpdate.content("secret a2"));
        List<MemoryVersion> versions = allVersions(m, VersionQuery.builder());
        StoreId id = m.storeId();
        Memories survivor = freshStore();
        Memory kept = survivor.create("/kept.md", "kept");
        var session = ws.sessions().create(List.of(AttachmentSpec.readWrite(id)));

        ws.stores().delete(id);

        rejects(NotFoundException.class, () -> ws.stores().get(id));
        rejects(NotFoundException.class, () -> ws.memories(id, OPERATOR));
        rejects(NotFoundException.class, () -> m.get(a.id()));
        rejects(NotFoundException.class, () -> m.version(versions.get(0).id()));
        rejects(NotFoundException.class, () -> m.create("/new.md", "x"));
        rejects(NotFoundException.class, () -> session.mount(id).get(b.id()));
        rejects(NotFoundException.class, () -> ws.stores().delete(id));
        assertThat(allStores(ws, StoreQuery.builder().includeArchived(true).build())).extracting(MemoryStore::id)
                .containsExactly(survivor.storeId());

        // gone from the backend itself, not just hidden by the service
        assertThat(backend.findStore(id)).isEmpty();
        assertThat(backend.findMemory(id, a.id())).isEmpty();
        assertThat(backend.findMemory(id, b.id())).isEmpty();
        assertThat(backend.countMemories(id)).isZero();
        assertThat(backend.listVersions(id, VersionFilter.ALL, Optional.empty(), 100, true)).isEmpty();
        for (MemoryVersion v : versions) {
            assertThat(backend.findVersion(id, v.id())).isEmpty();
        }
        assertThat(survivor.get(kept.id()).text()).isEqualTo("kept");
    }

    @Test
    void archivedStoreCanBeDeleted() {
        Memories m = freshStore();
        m.create("/a.md", "a");
        ws.stores().archive(m.storeId());
        ws.stores().delete(m.storeId());
        rejects(NotFoundException.class, () -> ws.stores().get(m.storeId()));
    }

    /**
     * The backend's part of "a write never applies on an earlier incarnation of a store": a store created with the id
     * of a deleted one (as an import that keeps ids does) starts past every sequence the deleted one reached, so no
     * sequence a service read or remembers from the deleted store matches the new one.
     */
    @Test
    void aStoreCreatedAgainWithADeletedOnesIdStartsPastItsSequence() {
        Memories m = freshStore();
        MemoryStore store = ws.stores().get(m.storeId());
        Memory a = m.create("/a.md", "a");
        m.update(a.id(), MemoryUpdate.content("b"));
        long last = m.revision();
        assertThat(last).isPositive();
        ws.stores().delete(m.storeId());

        assertThat(backend.createStore(new StoreRecord(store, 0))).isTrue();
        long first = backend.findStore(store.id()).orElseThrow().sequence();
        assertThat(first).isGreaterThan(last);
        assertThat(m.revision()).isEqualTo(first);
        m.create("/c.md", "c");
        assertThat(m.revision()).isEqualTo(first + 1);
    }

    // ------------------------------------------------------------------------------------------------ memory count

    @Test
    void pastTheMemoryLimitCreatesFailAndEditsStillWork() {
        AgentMemory small = open(Limits.builder().maxMemoriesPerStore(3).build());
        Memories m = workspaceOf(small).memories(
                workspaceOf(small).stores().create(NewStore.named("small").build()).id(), OPERATOR);
        Memory a = m.create("/a.md", "a");
        m.create("/b.md", "b");
        m.create("/dir/c.md", "c");

        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create("/d.md", "d"));
        assertThat(e.limit()).isEqualTo("memories_per_store");
        assertThat(e.value()).isEqualTo(4);
        assertThat(e.maximum()).isEqualTo(3);
        LimitExceededException batch = rejects(LimitExceededException.class,
                () -> m.apply(Batch.builder().update(a.id(), MemoryUpdate.content("a2")).create("/d.md", "d")
                        .build()));
        assertThat(batch.limit()).isEqualTo("memories_per_store");

        assertThat(m.update(a.id(), MemoryUpdate.content("edited")).text()).isEqualTo("edited");
        assertThat(m.update(a.id(), MemoryUpdate.path("/renamed.md")).path()).isEqualTo("/renamed.md");
        assertThat(m.move("/dir/", "/moved/")).extracting(Memory::path).containsExactly("/moved/c.md");
        m.delete(a.id());
        assertThat(m.create("/d.md", "d").path()).isEqualTo("/d.md");
    }

    @Test
    void deletingUnderTheMemoryLimitAllowsCreatesAgain() {
        AgentMemory small = open(Limits.builder().maxMemoriesPerStore(2).build());
        Memories m = workspaceOf(small).memories(
                workspaceOf(small).stores().create(NewStore.named("small").build()).id(), OPERATOR);
        Memory a = m.create("/a.md", "a");
        m.create("/b.md", "b");
        rejects(LimitExceededException.class, () -> m.create("/c.md", "c"));
        m.delete(a.id());
        assertThat(m.create("/c.md", "c").path()).isEqualTo("/c.md");
        // a batch that deletes one and creates one stays within the limit
        Memory c = m.getByPath("/c.md");
        assertThat(m.apply(Batch.builder().delete(c.id()).create("/d.md", "d").build())).hasSize(2);
    }

    @Test
    void memoryLimitIsConfigurablePerStore() {
        MemoryStore s = ws.stores().create(NewStore.named("two").memoryLimit(2).build());
        Memories m = ws.memories(s.id(), OPERATOR);
        Memory a = m.create("/a.md", "a");
        m.create("/b.md", "b");
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create("/c.md", "c"));
        assertThat(e.maximum()).isEqualTo(2);
        assertThat(e.value()).isEqualTo(3);

        ws.stores().update(s.id(), StoreUpdate.builder().memoryLimit(1).build());
        LimitExceededException lowered = rejects(LimitExceededException.class, () -> m.create("/c.md", "c"));
        assertThat(lowered.maximum()).isEqualTo(1);
        assertThat(m.update(a.id(), MemoryUpdate.content("still editable")).text()).isEqualTo("still editable");
    }

    @Test
    void defaultMemoryLimitIs10000() {
        Memories m = freshStore();
        Batch.Builder tenThousand = Batch.builder();
        for (int i = 0; i < 10_000; i++) {
            tenThousand.create(String.format("/d%02d/m%04d.md", i / 100, i), "");
        }
        assertThat(m.apply(tenThousand.build())).hasSize(10_000);
        LimitExceededException e = rejects(LimitExceededException.class, () -> m.create("/one-more.md", ""));
        assertThat(e.limit()).isEqualTo("memories_per_store");
        assertThat(e.value()).isEqualTo(10_001);
        assertThat(e.maximum()).isEqualTo(10_000);
        Memory first = m.getByPath("/d00/m0000.md");
        assertThat(m.update(first.id(), MemoryUpdate.content("edits still work")).text())
                .isEqualTo("edits still work");
    }

    @Test
    void workspacesDoNotShareStores() {
        MemoryStore mine = newStore("mine");
        assertThatThrownBy(() -> otherWs.stores().get(mine.id())).isExactlyInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> otherWs.memories(mine.id(), OPERATOR))
                .isExactlyInstanceOf(NotFoundException.class);
    }
}
