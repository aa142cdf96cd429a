package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ids: opaque strings with a type prefix ({@code memstore_}, {@code mem_}, {@code memver_},
 * {@code sesn_}), unique, not guessable, and sorting by creation time within a store.
 */
public abstract class IdContract extends ContractSupport {

    @Test
    void idsHaveTheirTypePrefix() {
        MemoryStore s = newStore("s");
        Memories m = ws.memories(s.id(), OPERATOR);
        Memory a = m.create("/a.md", "a");
        Session session = ws.sessions().create(List.of(AttachmentSpec.readOnly(s.id())));
        assertThat(s.id().value()).startsWith(StoreId.PREFIX).startsWith("memstore_");
        assertThat(a.id().value()).startsWith(MemoryId.PREFIX).startsWith("mem_").doesNotStartWith("memver_");
        assertThat(a.headVersionId().value()).startsWith(VersionId.PREFIX).startsWith("memver_");
        assertThat(session.id().value()).startsWith(SessionId.PREFIX).startsWith("sesn_");
    }

    @Test
    void idsAreUniqueAndSortByCreationTime() {
        Memories m = freshStore();
        List<MemoryId> memoryIds = new ArrayList<>();
        List<VersionId> versionIds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // the clock stands still for runs of ids, then jumps: ids made in one instant still sort
            if (i % 7 == 0) {
                clock.advance(Duration.ofMillis(i % 3));
            }
            Memory x = m.create("/m" + i + ".md", "x");
            memoryIds.add(x.id());
            versionIds.add(x.headVersionId());
            versionIds.add(m.update(x.id(), MemoryUpdate.content("y")).headVersionId());
        }
        assertThat(new HashSet<>(memoryIds)).hasSize(200);
        assertThat(new HashSet<>(versionIds)).hasSize(400);
        assertThat(memoryIds).isSorted();
        assertThat(versionIds).isSorted();
        assertThat(memoryIds.stream().map(MemoryId::value).toList()).isSorted();
        assertThat(versionIds.stream().map(VersionId::value).toList()).isSorted();

        List<StoreId> storeIds = new ArrayList<>();
        List<SessionId> sessionIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StoreId s = newStore("s" + i).id();
            storeIds.add(s);
            sessionIds.add(ws.sessions().create(List.of(AttachmentSpec.readWrite(s))).id());
        }
        assertThat(storeIds).isSorted().doesNotHaveDuplicates();
        assertThat(sessionIds).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void idsAreNotGuessableFromTheClock() {
        // two services over separate backends, at the same instant, make different ids
        AgentMemory twin = open(Limits.defaults());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            seen.add(newStore("same").id().value());
            seen.add(workspaceOf(twin).stores().create(NewStore.named("same").build()).id().value());
        }
        assertThat(seen).hasSize(40);
        String one = newStore("x").id().value().substring(StoreId.PREFIX.length());
        assertThat(one.length() * 5).as("room for at least 80 random bits").isGreaterThanOrEqualTo(80);
    }
}
