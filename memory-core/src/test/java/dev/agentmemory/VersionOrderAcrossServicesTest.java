package dev.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several services over one backend stand for several processes over one database: each has its own id maker, whose
 * counter orders only its own ids within a millisecond. A memory's versions must still be listed newest first in the
 * order they were written, whichever service wrote them, even when all are written in the same millisecond.
 */
class VersionOrderAcrossServicesTest {

    private static final Clock SAME_MILLISECOND = Clock.fixed(Instant.parse("2030-01-02T03:04:05.006Z"),
            ZoneOffset.UTC);

    @Test
    void aMemorysVersionsWrittenByTwoServicesInOneMillisecondAreListedInTheOrderWritten() {
        InMemoryBackend backend = InMemoryBackend.create();
        AgentMemory first = AgentMemory.builder().backend(backend).clock(SAME_MILLISECOND).build();
        AgentMemory second = AgentMemory.builder().backend(backend).clock(SAME_MILLISECOND).build();
        MemoryStore store = first.workspace("ws").stores().create(NewStore.named("Shared").build());
        Memories a = first.workspace("ws").memories(store.id(), Actor.apiKey("key_a"));
        Memories b = second.workspace("ws").memories(store.id(), Actor.apiKey("key_b"));

        Memory m = a.create("/docs/n.md", "v0");
        for (int i = 1; i <= 5; i++) {
            a.update(m.id(), MemoryUpdate.content("v" + i)); // the first service's counter climbs
        }
        Memory afterB = b.update(m.id(), MemoryUpdate.content("v6")); // the second's starts at 0
        Memory afterA = a.update(m.id(), MemoryUpdate.content("v7"));
        b.move("/docs/", "/moved/");
        b.delete(m.id());

        List<MemoryVersion> chain = a.versions(VersionQuery.ofMemory(m.id()).includeContent(true).limit(100).build())
                .items();
        assertThat(chain).extracting(v -> v.operation().name() + " " + v.path().orElseThrow() + " "
                + v.content().orElse("-"))
                .containsExactly("DELETED /moved/n.md -", "MODIFIED /moved/n.md v7", "MODIFIED /docs/n.md v7",
                        "MODIFIED /docs/n.md v6", "MODIFIED /docs/n.md v5", "MODIFIED /docs/n.md v4",
                        "MODIFIED /docs/n.md v3", "MODIFIED /docs/n.md v2", "MODIFIED /docs/n.md v1",
                        "CREATED /docs/n.md v0");
        assertThat(chain.get(2).id()).isEqualTo(afterA.headVersionId());
        assertThat(chain.get(3).id()).isEqualTo(afterB.headVersionId());
        for (int k = 1; k < chain.size(); k++) {
            assertThat(chain.get(k - 1).id()).isGreaterThan(chain.get(k).id());
        }
        first.close();
    }
}
