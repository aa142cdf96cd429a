package dev.agentmemory.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which handles are kept: one per workspace, store, actor and session; never one the library refused. */
class StoreHandlesTest {

    private final AgentMemory memory = AgentMemory.builder().backend(InMemoryBackend.create()).build();
    private final WorkspaceId acme = WorkspaceId.of("acme");
    private final StoreId store = memory.workspace(acme).stores()
            .create(dev.agentmemory.model.NewStore.named("s").build()).id();

    @Test
    void aHandleIsMadeOncePerCallerAndStore() {
        StoreHandles handles = new StoreHandles();
        AtomicInteger made = new AtomicInteger();
        Actor key = Actor.apiKey("apikey_a");
        Memories first = handles.get(acme, store, key, Optional.empty(), () -> {
            made.incrementAndGet();
            return memory.workspace(acme).memories(store, key);
        });
        Memories again = handles.get(acme, store, key, Optional.empty(), () -> {
            made.incrementAndGet();
            return memory.workspace(acme).memories(store, key);
        });
        assertThat(again).isSameAs(first);
        assertThat(made).hasValue(1);

        Actor other = Actor.apiKey("apikey_b");
        Memories otherKey = handles.get(acme, store, other, Optional.empty(),
                () -> memory.workspace(acme).memories(store, other));
        assertThat(otherKey).isNotSameAs(first);
        assertThat(otherKey.actor()).isEqualTo(other);
        assertThat(handles.size()).isEqualTo(2);
    }

    @Test
    void aRefusedHandleIsNotKeptAndIsRefusedAgain() {
        StoreHandles handles = new StoreHandles();
        WorkspaceId intruder = WorkspaceId.of("intruder");
        Actor key = Actor.apiKey("apikey_c");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> handles.get(intruder, store, key, Optional.empty(),
                    () -> memory.workspace(intruder).memories(store, key))).isInstanceOf(NotFoundException.class);
        }
        assertThat(handles.size()).isZero();
    }

    @Test
    void pastTheLimitEveryHandleIsDroppedAndMadeAgain() {
        StoreHandles handles = new StoreHandles();
        SessionId session = memory.workspace(acme).sessions()
                .create(java.util.List.of(dev.agentmemory.model.AttachmentSpec.readOnly(store))).id();
        for (int i = 0; i < StoreHandles.MAX; i++) {
            Actor key = Actor.apiKey("apikey_" + i);
            handles.get(acme, store, key, Optional.of(session),
                    () -> memory.workspace(acme).sessions().get(session).mount(store));
        }
        assertThat(handles.size()).isEqualTo(StoreHandles.MAX);
        Actor last = Actor.apiKey("apikey_last");
        handles.get(acme, store, last, Optional.empty(), () -> memory.workspace(acme).memories(store, last));
        assertThat(handles.size()).isEqualTo(1);
    }
}
