package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.PutOutcome;
import dev.agentmemory.model.PutResult;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.VersionQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The conveniences over the core operations: the atomic put by path (create or update in one write, also under
 * racing writers), update and delete by path, listings as lazy streams, and finding a store by name or metadata.
 */
public abstract class ConvenienceContract extends ContractSupport {

    // ---------------------------------------------------------------- put by path

    @Test
    void putCreatesThenUpdatesThenFindsItCurrent() {
        Memories m = freshStore();
        PutResult created = m.put("/notes/a.md", "v1");
        assertThat(created.outcome()).isEqualTo(PutOutcome.CREATED);
        assertThat(created.version().orElseThrow().operation()).isEqualTo(Operation.CREATED);
        assertThat(created.memory().text()).isEqualTo("v1");
        assertThat(created.memory().headVersionId()).isEqualTo(created.version().orElseThrow().id());

        PutResult updated = m.put("/notes/a.md", "v2");
        assertThat(updated.outcome()).isEqualTo(PutOutcome.UPDATED);
        assertThat(updated.memory().id()).isEqualTo(created.memory().id());
        assertThat(updated.version().orElseThrow().operation()).isEqualTo(Operation.MODIFIED);
        assertThat(m.getByPath("/notes/a.md").text()).isEqualTo("v2");

        PutResult same = changesNothing(() -> m.put("/notes/a.md", "v2"));
        assertThat(same.outcome()).isEqualTo(PutOutcome.ALREADY_CURRENT);
        assertThat(same.changed()).isFalse();
        assertThat(same.memory().headVersionId()).isEqualTo(updated.memory().headVersionId());
        assertThat(history(m, created.memory().id())).hasSize(2);
    }

    @Test
    void putNormalisesThePathAsCreateDoes() {
        Memories m = freshStore();
        PutResult r = m.put("/caf\u0065\u0301.md", "x");
        assertThat(r.memory().path()).isEqualTo("/caf\u00e9.md");
        assertThat(m.put("/caf\u00e9.md", "y").outcome()).isEqualTo(PutOutcome.UPDATED);
        assertThat(allMemories(m)).hasSize(1);
    }

    @Test
    void putWithAPreconditionUpdatesOnlyTheExpectedContent() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "v1");
        PutResult r = m.put("/a.md", "v2", a.contentSha256());
        assertThat(r.outcome()).isEqualTo(PutOutcome.UPDATED);
        PreconditionFailedException e = rejects(PreconditionFailedException.class,
                () -> m.put("/a.md", "v3", a.contentSha256()));
        assertThat(e.memoryId()).isEqualTo(a.id());
        // content already equal to what is asked succeeds without writing, whatever the precondition (as update)
        assertThat(changesNothing(() -> m.put("/a.md", "v2", a.contentSha256())).outcome())
                .isEqualTo(PutOutcome.ALREADY_CURRENT);
        rejects(NotFoundException.class, () -> m.put("/absent.md", "x", a.contentSha256()));
        rejects(InvalidArgumentException.class, () -> m.put("/a.md", "v3", "not-a-sha"));
    }

    @Test
    void putRefusesWhatCreateAndUpdateRefuse() {
        Memories m = freshStore();
        m.create("/a", "file");
        rejects(PathConflictException.class, () -> m.put("/a/b.md", "x"));
        rejects(InvalidArgumentException.class, () -> m.put("relative.md", "x"));
        rejects(InvalidArgumentException.class, () -> m.put("/b.md", null));
        rejects(LimitExceededException.class, () -> m.put("/a", "x".repeat(200 * 1024)));
        ws.stores().archive(m.storeId());
        rejects(dev.agentmemory.model.ArchivedException.class, () -> m.put("/c.md", "x"));
    }

    @Test
    void putThroughAReadOnlyMountIsRefused() {
        Memories m = freshStore();
        var session = ws.sessions().create(List.of(dev.agentmemory.model.AttachmentSpec.readOnly(m.storeId())));
        Memories ro = session.mount(m.storeId());
        rejects(ReadOnlyException.class, () -> ro.put("/a.md", "x"));
        rejects(ReadOnlyException.class, () -> ro.deleteByPath("/a.md"));
    }

    /**
     * Several threads put the same new path at once, each its own content: exactly one creates it, every other one
     * updates it or finds its content current, none fails, and the store ends with one memory whose versions are
     * one per CREATED or UPDATED outcome.
     */
    @Test
    void racingPutsOfOneNewPathCreateItOnce() throws Exception {
        Memories m = freshStore();
        int threads = 8;
        int rounds = 3;
        for (int round = 0; round < rounds; round++) {
            String path = "/race/" + round + ".md";
            Map<PutOutcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            List<String> ids = Collections.synchronizedList(new ArrayList<>());
            runConcurrently(threads, t -> {
                PutResult r = m.put(path, "writer " + (t % 3));
                outcomes.computeIfAbsent(r.outcome(), k -> new AtomicInteger()).incrementAndGet();
                ids.add(r.memory().id().value());
            });
            assertThat(outcomes.get(PutOutcome.CREATED)).as("exactly one put creates " + path).hasValue(1);
            int updated = outcomes.getOrDefault(PutOutcome.UPDATED, new AtomicInteger()).get();
            int current = outcomes.getOrDefault(PutOutcome.ALREADY_CURRENT, new AtomicInteger()).get();
            assertThat(1 + updated + current).isEqualTo(threads);
            assertThat(ids).as("every put saw the same memory").containsOnly(ids.get(0));
            List<Memory> under = listAll(m, ListQuery.under("/race/").limit(100).build()).stream()
                    .map(Memory.class::cast).filter(x -> x.path().equals(path)).toList();
            assertThat(under).hasSize(1);
            assertThat(history(m, under.get(0).id())).as("one version per CREATED or UPDATED").hasSize(1 + updated);
        }
    }

    // ---------------------------------------------------------------- update and delete by path

    @Test
    void updateAndDeleteByPath() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "v1");
        ChangeResult renamed = m.updateByPath("/a.md", MemoryUpdate.content("v2").withPath("/b.md")
                .ifContentSha256(a.contentSha256()));
        assertThat(renamed.memoryId()).isEqualTo(a.id());
        assertThat(renamed.memory().orElseThrow().path()).isEqualTo("/b.md");
        assertThat(m.findByPath("/a.md")).isEmpty();
        rejects(NotFoundException.class, () -> m.updateByPath("/a.md", MemoryUpdate.content("x")));
        rejects(PreconditionFailedException.class, () -> m.updateByPath("/b.md",
                MemoryUpdate.content("x").ifContentSha256(a.contentSha256())));
        assertThat(changesNothing(() -> m.updateByPath("/b.md", MemoryUpdate.content("v2"))).changed()).isFalse();

        rejects(PreconditionFailedException.class, () -> m.deleteByPath("/b.md", a.contentSha256()));
        ChangeResult deleted = m.deleteByPath("/b.md", sha256("v2"));
        assertThat(deleted.memory()).isEmpty();
        assertThat(deleted.version().orElseThrow().operation()).isEqualTo(Operation.DELETED);
        rejects(NotFoundException.class, () -> m.deleteByPath("/b.md"));
        m.create("/c.md", "c");
        m.deleteByPath("/c.md");
        assertThat(allMemories(m)).isEmpty();
    }

    // ---------------------------------------------------------------- streams

    @Test
    void listStreamReadsEveryPageLazily() {
        Memories m = freshStore();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String p = String.format("/n/%02d.md", i);
            m.create(p, "x");
            paths.add(p);
        }
        assertThat(m.listStream(ListQuery.under("/n/").limit(5).build()).map(ListEntry::path))
                .containsExactlyElementsOf(paths);
        // laziness: a stream that is only made, and one cut short, see writes made after the first page was read
        Stream<ListEntry> s = m.listStream(ListQuery.under("/n/").limit(5).build());
        m.create("/n/99.md", "late");
        assertThat(s.map(ListEntry::path).toList()).endsWith("/n/99.md").hasSize(24);
        assertThat(m.listStream(ListQuery.under("/n/").limit(2).build()).limit(3).toList()).hasSize(3);
        rejects(InvalidArgumentException.class, () -> m.listStream(ListQuery.builder().limit(0).build()));
    }

    @Test
    void versionStreamAndStoreStreamMatchTheirPages() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "0");
        for (int i = 1; i < 12; i++) {
            m.update(a.id(), MemoryUpdate.content(String.valueOf(i)));
        }
        List<MemoryVersion> byPages = allVersions(m, VersionQuery.builder().limit(100));
        assertThat(m.versionStream(VersionQuery.builder().limit(3).includeContent(true).build()).toList())
                .isEqualTo(byPages);
        for (int i = 0; i < 6; i++) {
            clock.advance(java.time.Duration.ofSeconds(1));
            newStore("S" + i);
        }
        List<MemoryStore> stores = allStores(ws, StoreQuery.builder().limit(100).build());
        assertThat(ws.stores().listStream(StoreQuery.builder().limit(2).build()).toList()).isEqualTo(stores);
    }

    // ---------------------------------------------------------------- finding stores

    @Test
    void findsAStoreByNameAndByMetadata() {
        MemoryStore alice = ws.stores().create(NewStore.named("Alice").metadata("user_id", "u_alice")
                .metadata("tier", "gold").build());
        clock.advance(java.time.Duration.ofSeconds(1));
        MemoryStore bob = ws.stores().create(NewStore.named("Bob").metadata("user_id", "u_bob").build());
        otherWs.stores().create(NewStore.named("Alice").metadata("user_id", "u_alice").build());

        assertThat(ws.stores().findByName("Alice")).contains(alice);
        assertThat(ws.stores().findByName("alice")).as("names compare exactly").isEmpty();
        assertThat(ws.stores().findByMetadata("user_id", "u_bob")).contains(bob);
        assertThat(ws.stores().findByMetadata("user_id", "u_carol")).isEmpty();
        assertThat(ws.stores().findByMetadata("tier", "gold")).contains(alice);
        assertThat(ws.stores().findByMetadata("user", "u_bob")).as("keys compare exactly").isEmpty();
        assertThat(ws.stores().list(StoreQuery.builder().metadata("user_id", "u_alice").metadata("tier", "gold")
                .build()).items()).containsExactly(alice);
        assertThat(ws.stores().list(StoreQuery.builder().metadata("user_id", "u_alice").metadata("tier", "silver")
                .build()).items()).isEmpty();
        assertThat(ws.stores().list(StoreQuery.builder().name("Bob").metadata("user_id", "u_bob").build()).items())
                .containsExactly(bob);

        clock.advance(java.time.Duration.ofSeconds(1));
        MemoryStore alice2 = ws.stores().create(NewStore.named("Alice").build());
        rejects(ConflictException.class, () -> ws.stores().findByName("Alice"));
        assertThat(ws.stores().list(StoreQuery.builder().name("Alice").build()).items())
                .containsExactly(alice2, alice);
        ws.stores().archive(alice2.id());
        assertThat(ws.stores().findByName("Alice")).as("archived stores are not found").contains(alice);
        assertThat(ws.stores().list(StoreQuery.builder().name("Alice").includeArchived(true).build()).items())
                .hasSize(2);
    }

    @Test
    void metadataLookupTakesAnyCharactersLiterally() {
        String key = "it's \"quoted\" $.key[0]";
        String value = "v' OR '1'='1 \u00e9\u4e2d";
        MemoryStore s = ws.stores().create(NewStore.named("Odd").metadata(key, value).build());
        ws.stores().create(NewStore.named("Other").metadata("k", "v").build());
        assertThat(ws.stores().findByMetadata(key, value)).contains(s);
        assertThat(ws.stores().findByMetadata(key, "v")).isEmpty();
        assertThat(ws.stores().findByMetadata("k", value)).isEmpty();
        assertThat(ws.stores().findByName("v' OR '1'='1")).isEmpty();
    }

    @Test
    void storeStreamPagesThroughAFilteredListing() {
        List<MemoryStore> mine = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            clock.advance(java.time.Duration.ofSeconds(1));
            MemoryStore s = ws.stores().create(NewStore.named("S" + i).metadata("team", i % 2 == 0 ? "a" : "b")
                    .build());
            if (i % 2 == 0) {
                mine.add(0, s);
            }
        }
        assertThat(ws.stores().listStream(StoreQuery.builder().metadata("team", "a").limit(1).build()).toList())
                .containsExactlyElementsOf(mine);
    }
}
