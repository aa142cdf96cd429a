package dev.agentmemory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.MemoryBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Which commits carry a head condition (and may land at a later sequence of their store) and which keep the
 * store-sequence compare-and-set: a condition names exactly the heads the write's rules looked at, so a write that
 * looked at a second memory, even one it left unchanged, must not carry one naming a single head.
 */
class HeadConditionScopeTest {

    private final List<Commit> commits = new CopyOnWriteArrayList<>();

    /** The in-memory backend, with every commit it is handed recorded. */
    private MemoryBackend recording() {
        MemoryBackend real = InMemoryBackend.create();
        return (MemoryBackend) Proxy.newProxyInstance(MemoryBackend.class.getClassLoader(),
                new Class<?>[] {MemoryBackend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        commits.add((Commit) args[0]);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Commit lastCommit() {
        return commits.get(commits.size() - 1);
    }

    @Test
    void aContentUpdateNamesItsOwnHeadOnly() {
        Memories m = memories();
        Memory a = m.create("/a.md", "a1");
        m.update(a.id(), MemoryUpdate.content("a2"));
        assertThat(lastCommit().condition()).hasValueSatisfying(
                c -> assertThat(c.expectedHeads()).containsOnlyKeys(a.id()).containsValue(a.headVersionId()));
    }

    @Test
    void aBatchThatAlsoLookedAtAnUnchangedMemoryKeepsTheSequenceCompareAndSet() {
        Memories m = memories();
        Memory a = m.create("/a.md", "a1");
        Memory b = m.create("/b.md", "b1");
        m.apply(Batch.builder().update(a.id(), MemoryUpdate.content("a2"))
                .update(b.id(), MemoryUpdate.content("b1")).build());
        Commit batch = lastCommit();
        assertThat(batch.putMemories()).as("only a changed").hasSize(1);
        assertThat(batch.condition()).as("b's head was relied on too").isEmpty();
    }

    @Test
    void aPathChangeKeepsTheSequenceCompareAndSet() {
        Memories m = memories();
        Memory a = m.create("/a.md", "a1");
        m.update(a.id(), MemoryUpdate.path("/c.md"));
        assertThat(lastCommit().condition()).isEmpty();
    }

    private Memories memories() {
        AgentMemory memory = AgentMemory.builder().backend(recording()).build();
        StoreId store = memory.workspace("ws").stores().create(NewStore.named("s").build()).id();
        return memory.workspace("ws").memories(store, Actor.user("u"));
    }
}
