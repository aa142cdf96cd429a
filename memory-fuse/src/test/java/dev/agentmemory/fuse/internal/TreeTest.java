package dev.agentmemory.fuse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Workspace;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mount's lookups, on a real (in-memory) store, counting what they ask of it: a directory's complete listing
 * answers for names it does not hold with no read; lookups survive the mount's own commit with that commit applied;
 * another writer's commit, a listing read before a commit of the mount's own, and a name in another spelling than
 * the core's normal form all make the next lookup read the store.
 */
class TreeTest {

    private AgentMemory memory;
    private Memories other;
    private Memories counted;
    private final List<String> reads = new ArrayList<>();
    private Tree tree;

    @BeforeEach
    void setUp() {
        memory = AgentMemory.builder().backend(InMemoryBackend.create()).build();
        Workspace ws = memory.workspace("w");
        MemoryStore store = ws.stores().create(NewStore.named("tree").build());
        Memories real = ws.memories(store.id(), Actor.user("mount"));
        other = ws.memories(store.id(), Actor.user("someone-else"));
        counted = (Memories) Proxy.newProxyInstance(Memories.class.getClassLoader(), new Class<?>[] {Memories.class},
                (p, m, args) -> {
                    if (m.getName().equals("findByPath") || m.getName().equals("list")) {
                        reads.add(m.getName() + " " + args[0]);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        real.create("/d/a.md", "a");
        tree = new Tree(counted);
    }

    @AfterEach
    void tearDown() {
        memory.close();
    }

    @Test
    void aCompleteListingAnswersForNamesItDoesNotHoldWithNoRead() {
        tree.listing(tree.lookupRevision(), "/d", Map.of("a.md", false));
        reads.clear();
        assertThat(tree.file("/d/new.md")).isEmpty();
        assertThat(tree.directory("/d/new.md")).isFalse();
        assertThat(reads).isEmpty();
        assertThat(tree.file("/d/a.md")).isPresent(); // listed as a file: its memory is read once
        assertThat(reads).hasSize(1);
    }

    @Test
    void lookupsSurviveTheMountsOwnCommitWithItApplied() {
        tree.listing(tree.lookupRevision(), "/d", Map.of("a.md", false));
        assertThat(tree.file("/d/a.md")).isPresent();
        assertThat(tree.file("/d/b.md")).isEmpty(); // the kernel's lookup before a create
        long before = tree.revision();
        Memory b = counted.create("/d/b.md", "b");
        tree.committed(before, "/d/b.md", Optional.of(b));
        reads.clear();
        assertThat(tree.file("/d/b.md")).contains(b);
        assertThat(tree.file("/d/a.md")).isPresent();
        assertThat(tree.file("/d/c.md")).isEmpty();
        assertThat(tree.directory("/d")).isTrue();
        assertThat(reads).isEmpty();

        before = tree.revision();
        counted.delete(b.id());
        tree.committed(before, "/d/b.md", Optional.empty());
        reads.clear();
        assertThat(tree.file("/d/b.md")).isEmpty();
        assertThat(tree.directory("/d/b.md")).isFalse();
        assertThat(tree.directory("/d")).isTrue(); // a.md is still listed there
        assertThat(reads).isEmpty();
    }

    @Test
    void aDeleteFromAListedDirectoryThatStillHoldsFilesKeepsItKnown() {
        Memory b = counted.create("/d/b.md", "b");
        tree.listing(tree.lookupRevision(), "/", Map.of("d", true));
        tree.listing(tree.lookupRevision(), "/d", Map.of("a.md", false, "b.md", false));
        assertThat(tree.file("/d/b.md")).contains(b);
        assertThat(tree.directory("/d")).isTrue();
        long before = tree.revision();
        counted.delete(b.id());
        tree.committed(before, "/d/b.md", Optional.empty());
        reads.clear();
        assertThat(tree.directory("/d")).isTrue(); // a.md is still listed there
        assertThat(tree.file("/d/b.md")).isEmpty();
        assertThat(reads).isEmpty();

        Memory a = tree.file("/d/a.md").orElseThrow();
        before = tree.revision();
        counted.delete(a.id());
        tree.committed(before, "/d/a.md", Optional.empty());
        reads.clear();
        assertThat(tree.directory("/d")).isFalse(); // its last file went: the store is asked, and says so
        assertThat(reads).hasSize(1);
    }

    @Test
    void anotherWritersCommitIsSeenByTheNextLookup() {
        tree.listing(tree.lookupRevision(), "/d", Map.of("a.md", false));
        assertThat(tree.file("/d/x.md")).isEmpty();
        Memory x = other.create("/d/x.md", "x");
        assertThat(tree.file("/d/x.md")).contains(x);
        // and an own commit after it is not carried over the other's: the view was one revision behind
        long before = tree.revision();
        Memory y = other.create("/d/y.md", "y");
        Memory z = counted.create("/d/z.md", "z");
        tree.committed(before, "/d/z.md", Optional.of(z));
        assertThat(tree.file("/d/y.md")).contains(y);
    }

    @Test
    void aWriteThatChangedNothingCarriesNothingOverAnotherWritersCommit() {
        Memory a = tree.file("/d/a.md").orElseThrow();
        assertThat(tree.file("/d/q.md")).isEmpty();
        long before = tree.revision();
        Memory same = counted.update(a.id(), "a".getBytes(java.nio.charset.StandardCharsets.UTF_8)); // no version
        Memory q = other.create("/d/q.md", "q"); // the one commit since 'before'
        assertThat(same.headVersionId()).isEqualTo(a.headVersionId());
        tree.committed(before, "/d/a.md", Optional.of(same));
        assertThat(tree.file("/d/q.md")).contains(q);
    }

    @Test
    void aListingReadBeforeAnOwnCommitIsNotKeptAfterIt() {
        assertThat(tree.file("/d/a.md")).isPresent();
        assertThat(tree.file("/d/n.md")).isEmpty();
        long at = tree.lookupRevision();
        long before = tree.revision();
        Memory n = counted.create("/d/n.md", "n");
        tree.committed(before, "/d/n.md", Optional.of(n));
        reads.clear();
        tree.listing(at, "/d", Map.of("a.md", false)); // read before the commit: it lacks n.md
        assertThat(tree.file("/d/n.md")).contains(n);
        assertThat(reads).isEmpty(); // carried over the own commit
        reads.clear();
        assertThat(tree.file("/d/m.md")).isEmpty();
        assertThat(reads).hasSize(1); // no listing was kept: the store was asked
    }

    @Test
    void aNameInAnotherSpellingThanTheNormalFormIsLookedUpInTheStore() {
        Memory cafe = counted.create("/d/caf\u00e9.md", "nfc");
        tree.listing(tree.lookupRevision(), "/d", Map.of("a.md", false, "caf\u00e9.md", false));
        reads.clear();
        String decomposed = "/d/cafe\u0301.md";
        Optional<Memory> found = tree.file(decomposed);
        assertThat(reads).hasSize(1);
        assertThat(found).isEqualTo(counted.findByPath(decomposed));
        assertThat(counted.findByPath(decomposed)).contains(cafe);
    }
}
