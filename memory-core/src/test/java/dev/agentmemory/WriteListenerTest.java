package dev.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.WriteListener;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.WriteEvent;
import dev.agentmemory.model.WriteEvent.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteListenerTest {

    private final List<WriteEvent> events = new CopyOnWriteArrayList<>();
    private AgentMemory memory;
    private MemoryStore store;
    private Memories notes;

    @BeforeEach
    void open() {
        memory = AgentMemory.builder().backend(InMemoryBackend.create()).writeListener(events::add).build();
        Workspace ws = memory.workspace("acme");
        store = ws.stores().create(NewStore.named("Notes").build());
        notes = ws.memories(store.id(), Actor.user("alice"));
    }

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void aCommittedWriteIsReportedOnceWithItsStoreAndOperation() {
        notes.create("/a.md", "one");

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.workspaceId().value()).isEqualTo("acme");
            assertThat(e.storeId()).isEqualTo(store.id());
            assertThat(e.operation()).isEqualTo("create");
            assertThat(e.outcome()).isEqualTo(Outcome.COMMITTED);
            assertThat(e.failure()).isEmpty();
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.isConflict()).isFalse();
        });
    }

    @Test
    void aNoOpUpdateIsUnchanged() {
        Memory m = notes.create("/a.md", "one");
        notes.update(m.id(), MemoryUpdate.content("one"));

        assertThat(events).extracting(WriteEvent::operation, WriteEvent::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("create", Outcome.COMMITTED),
                        org.assertj.core.groups.Tuple.tuple("update", Outcome.UNCHANGED));
    }

    @Test
    void aStalePreconditionIsAFailedConflictAndTheCallerStillGetsTheException() {
        Memory m = notes.create("/a.md", "one");
        notes.update(m.id(), MemoryUpdate.content("two"));

        assertThatThrownBy(() -> notes.update(m.id(), MemoryUpdate.content("three")
                .ifContentSha256(m.contentSha256()))).isInstanceOf(PreconditionFailedException.class);

        WriteEvent last = events.get(events.size() - 1);
        assertThat(last.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(last.failure()).containsInstanceOf(PreconditionFailedException.class);
        assertThat(last.isConflict()).isTrue();
    }

    @Test
    void aPathConflictIsAConflictAndABrokenRuleIsNot() {
        notes.create("/a", "file");
        assertThatThrownBy(() -> notes.create("/a/b.md", "under a file")).isInstanceOf(PathConflictException.class);
        assertThatThrownBy(() -> notes.create("relative.md", "x")).isInstanceOf(InvalidArgumentException.class);

        assertThat(events).hasSize(3);
        assertThat(events.get(1).isConflict()).isTrue();
        assertThat(events.get(1).failure()).containsInstanceOf(PathConflictException.class);
        assertThat(events.get(2).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(events.get(2).isConflict()).isFalse();
    }

    @Test
    void operatorToolsAreWritesToo() {
        Memory m = notes.create("/a.md", "one");
        notes.update(m.id(), MemoryUpdate.content("two"));
        events.clear();

        memory.workspace("acme").stores().purge(store.id(), new RetentionPolicy(Duration.ZERO, 0),
                ProgressListener.NONE);
        memory.workspace("acme").stores().archive(store.id());

        assertThat(events).extracting(WriteEvent::operation).containsExactly("retention purge", "archive");
        assertThat(events).allSatisfy(e -> assertThat(e.outcome()).isEqualTo(Outcome.COMMITTED));
    }

    @Test
    void aFailingListenerDoesNotChangeTheWrite() {
        try (AgentMemory m = AgentMemory.builder().backend(InMemoryBackend.create())
                .writeListener(e -> {
                    throw new IllegalStateException("listener broke");
                }).build()) {
            MemoryStore s = m.workspace("w").stores().create(NewStore.named("S").build());
            Memory created = m.workspace("w").memories(s.id(), Actor.user("u")).create("/x.md", "x");
            assertThat(m.workspace("w").memories(s.id(), Actor.user("u")).get(created.id()).content())
                    .contains("x");
        }
    }

    @Test
    void theListenerCanBeSetOnlyOnce() {
        AgentMemory.Builder b = AgentMemory.builder().writeListener(WriteListener.NONE);
        assertThatThrownBy(() -> b.writeListener(WriteListener.NONE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEventRefusesInconsistentFields() {
        WriteEvent ok = new WriteEvent(store.workspaceId(), store.id(), "create", Outcome.COMMITTED,
                Optional.empty(), 1, Duration.ZERO);
        assertThat(ok.isConflict()).isFalse();
        assertThatThrownBy(() -> new WriteEvent(store.workspaceId(), store.id(), "create", Outcome.FAILED,
                Optional.empty(), 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WriteEvent(store.workspaceId(), store.id(), "create", Outcome.COMMITTED,
                Optional.of(new IllegalStateException()), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WriteEvent(store.workspaceId(), store.id(), "create", Outcome.COMMITTED,
                Optional.empty(), 0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
