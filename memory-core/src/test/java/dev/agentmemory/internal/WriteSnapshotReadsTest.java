package dev.agentmemory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.spi.MemoryBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a write reads again after this service's own last commit to the store: a create needs the store's memory count
 * and the absence of every ancestor of its path, which the previous create's transaction knew; they are carried in the
 * write snapshot, so a run of creates in one directory reads only what is new to each (its own path and what lies
 * under it). A snapshot is a guess checked by the commit's compare-and-set (or, for a check that writes nothing, by
 * the store's sequence), so another writer's commit in between never lets a stale count or absence through.
 */
class WriteSnapshotReadsTest {

    /** Backend calls, as "method path-or-store". */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final MemoryBackend backend = InMemoryBackend.create();
    private AgentMemory first;
    private AgentMemory second;

    /** The shared backend, with every read of a path or a count recorded. */
    private MemoryBackend recording() {
        return (MemoryBackend) Proxy.newProxyInstance(MemoryBackend.class.getClassLoader(),
                new Class<?>[] {MemoryBackend.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "countMemories" -> calls.add("count");
                        case "findMemoryByPath" -> calls.add("path " + args[1]);
                        default -> { }
                    }
                    try {
                        return method.invoke(backend, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @AfterEach
    void close() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void aCreateAfterACreateInTheSameDirectoryReadsNeitherTheCountNorTheDirectoryAgain() {
        first = AgentMemory.builder().backend(recording()).build();
        StoreId store = first.workspace("ws").stores().create(NewStore.named("s").build()).id();
        Memories m = first.workspace("ws").memories(store, Actor.user("u"));
        m.create("/d/a.md", "a");
        assertThat(calls).as("the first create reads what it checks").contains("count", "path /d");
        calls.clear();

        m.checkWrite("/d/b.md", new byte[0]);
        m.create("/d/b.md", "b");
        m.create("/d/c.md", "c");

        assertThat(calls).as("only each new path is looked up; the count and /d come from the snapshot")
                .containsExactly("path /d/b.md", "path /d/b.md", "path /d/c.md"); // the check commits nothing
        assertThat(m.list(dev.agentmemory.model.ListQuery.under("/d/").build()).items()).hasSize(3);
    }

    @Test
    void aStoreFilledByAnotherWriterMeanwhileIsFullAlthoughTheSnapshotCountsLess() {
        first = AgentMemory.builder().backend(recording()).build();
        StoreId store = first.workspace("ws").stores().create(NewStore.named("s").memoryLimit(2).build()).id();
        Memories mine = first.workspace("ws").memories(store, Actor.user("u"));
        mine.create("/a.md", "a"); // the snapshot: one memory
        second = AgentMemory.builder().backend(recording()).build();
        second.workspace("ws").memories(store, Actor.user("v")).create("/b.md", "b"); // now two: full

        assertThatThrownBy(() -> mine.checkWrite("/c.md", new byte[0])).isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> mine.create("/c.md", "c")).isInstanceOf(LimitExceededException.class);
        assertThat(mine.findByPath("/c.md")).isEmpty();
    }

    @Test
    void aPathTakenByAnotherWriterMeanwhileConflictsAlthoughTheSnapshotHadItEmpty() {
        first = AgentMemory.builder().backend(recording()).build();
        StoreId store = first.workspace("ws").stores().create(NewStore.named("s").build()).id();
        Memories mine = first.workspace("ws").memories(store, Actor.user("u"));
        mine.create("/n/a.md", "a"); // the snapshot: no memory at /n
        second = AgentMemory.builder().backend(recording()).build();
        Memories theirs = second.workspace("ws").memories(store, Actor.user("v"));
        theirs.deleteByPath("/n/a.md");
        theirs.create("/n", "now a file");

        assertThatThrownBy(() -> mine.checkWrite("/n/b.md", new byte[0])).isInstanceOf(PathConflictException.class);
        assertThatThrownBy(() -> mine.create("/n/b.md", "b")).isInstanceOf(PathConflictException.class);
        assertThat(mine.findByPath("/n/b.md")).isEmpty();
    }

    @Test
    void aDeleteLeavesTheCountKnownAndAFreedPathIsLookedUpAgain() {
        first = AgentMemory.builder().backend(recording()).build();
        StoreId store = first.workspace("ws").stores().create(NewStore.named("s").memoryLimit(2).build()).id();
        Memories m = first.workspace("ws").memories(store, Actor.user("u"));
        m.create("/a.md", "a");
        m.create("/b.md", "b");
        assertThatThrownBy(() -> m.create("/c.md", "c")).isInstanceOf(LimitExceededException.class);
        m.deleteByPath("/a.md");
        calls.clear();

        m.create("/a.md", "again"); // room for one: the count the delete left, 1

        assertThat(calls).doesNotContain("count");
        assertThatThrownBy(() -> m.create("/c.md", "c")).isInstanceOf(LimitExceededException.class);
    }
}
