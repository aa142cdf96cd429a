package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Workspace;
import dev.agentmemory.jdbc.internal.GroupCommitProbe;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spi.ChainEntry;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.testkit.BackendFixture;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads write one store at once, so that their commits are written in groups (one transaction for the
 * commits queued behind the one in flight), with outcomes mixed inside a group: updates of a thread's own memory
 * that must apply, conditional updates of a memory two threads share where exactly one of each pair's attempts may
 * win, creates racing for one path, and moves onto a taken path. Each writer must learn its own outcome, no
 * acknowledged write may be lost or doubled, the store's chain positions must run without a gap and the chain must
 * verify.
 */
abstract class GroupCommitTest {

    private static final int THREADS = 16;
    private static final int ROUNDS = 40;

    private BackendFixture fixture;
    private MemoryBackend backend;
    private AgentMemory memory;
    private Workspace workspace;

    /** @return a fixture opening fresh backends of the dialect under test */
    abstract BackendFixture fixture();

    @BeforeEach
    void open() {
        fixture = fixture();
        backend = fixture.open();
        memory = AgentMemory.builder().backend(backend).build();
        workspace = memory.workspace("ws_group");
    }

    @AfterEach
    void close() {
        try {
            memory.close();
        } finally {
            fixture.close();
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void membersOfOneGroupEachLearnTheirOwnOutcome() throws Exception {
        MemoryStore store = workspace.stores().create(NewStore.named("group").build());
        Memories admin = workspace.memories(store.id(), Actor.user("setup"));
        List<MemoryId> own = IntStream.range(0, THREADS).mapToObj(t -> admin.create("/own/" + t, "0").id()).toList();
        List<MemoryId> pairs = IntStream.range(0, THREADS / 2)
                .mapToObj(p -> admin.create("/pair/" + p, "start").id()).toList();
        // what each thread was told: the contents it wrote to its own memory and to its pair's memory
        List<List<String>> ownWritten = new ArrayList<>();
        Map<Integer, ConcurrentLinkedQueue<String>> pairWritten = new ConcurrentHashMap<>();
        for (int t = 0; t < THREADS; t++) {
            ownWritten.add(new ArrayList<>());
        }
        AtomicInteger pairLosses = new AtomicInteger();
        Map<Integer, Set<Integer>> createWinners = new ConcurrentHashMap<>();
        AtomicInteger createLosses = new AtomicInteger();
        AtomicInteger moveRefusals = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int t = i;
            Thread thread = new Thread(() -> {
                try {
                    Memories m = workspace.memories(store.id(), Actor.apiKey("key_" + t));
                    start.await(30, TimeUnit.SECONDS);
                    for (int r = 0; r < ROUNDS; r++) {
                        // 1. its own memory, conditional on what it read: only this thread writes it, so it applies
                        Memory mine = m.get(own.get(t));
                        String next = t + ":" + r;
                        Memory written = m.update(mine.id(), MemoryUpdate.content(next)
                                .ifContentSha256(mine.contentSha256()));
                        assertThat(written.text()).isEqualTo(next);
                        ownWritten.get(t).add(next);
                        // 2. the pair's memory, conditional on what it read: its partner may have written in between
                        MemoryId pair = pairs.get(t / 2);
                        Memory read = m.get(pair);
                        String mark = "pair " + t + ":" + r;
                        try {
                            m.update(pair, MemoryUpdate.content(mark).ifContentSha256(read.contentSha256()));
                            pairWritten.computeIfAbsent(t / 2, k -> new ConcurrentLinkedQueue<>()).add(mark);
                        } catch (PreconditionFailedException e) {
                            pairLosses.incrementAndGet();
                        }
                        // 3. every fourth round, all threads create one path: exactly one wins
                        if (r % 4 == 0) {
                            try {
                                m.create("/race/" + r, "by " + t);
                                createWinners.computeIfAbsent(r, k -> ConcurrentHashMap.newKeySet()).add(t);
                            } catch (PathConflictException e) {
                                createLosses.incrementAndGet();
                            }
                        }
                        // 4. a move onto a path another memory holds is refused and changes nothing
                        if (r % 8 == 1) {
                            try {
                                m.update(own.get(t), MemoryUpdate.path("/own/" + ((t + 1) % THREADS)));
                                throw new AssertionError("a move onto a taken path applied");
                            } catch (PathConflictException e) {
                                moveRefusals.incrementAndGet();
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "group-writer-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(240));
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " writer(s) failed", failures.peek());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }

        assertThat(GroupCommitProbe.groupedCommits(backend)).as("commits written in groups").isPositive();
        // own memories: every acknowledged write is a version, in order, none more
        for (int t = 0; t < THREADS; t++) {
            List<String> versions = contents(admin, own.get(t));
            List<String> expected = new ArrayList<>(ownWritten.get(t));
            expected.add(0, "0");
            assertThat(versions).as("versions of thread %d's memory", t).isEqualTo(expected);
            assertThat(admin.get(own.get(t)).path()).isEqualTo("/own/" + t);
        }
        // pairs: each acknowledged write is there exactly once, and nothing unacknowledged
        int pairWins = 0;
        for (int p = 0; p < pairs.size(); p++) {
            List<String> versions = contents(admin, pairs.get(p));
            Set<String> acknowledged = new HashSet<>(pairWritten.getOrDefault(p, new ConcurrentLinkedQueue<>()));
            pairWins += acknowledged.size();
            assertThat(versions.subList(1, versions.size())).as("versions of pair %d", p)
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(acknowledged);
            assertThat(admin.get(pairs.get(p)).text()).isEqualTo(versions.get(versions.size() - 1));
        }
        assertThat(pairWins + pairLosses.get()).isEqualTo(THREADS * ROUNDS);
        assertThat(pairWins).as("each pair's memory moves at least once per round").isGreaterThanOrEqualTo(
                pairs.size() * ROUNDS);
        // creates: one winner per path, every other attempt a path conflict
        int races = (ROUNDS + 3) / 4;
        assertThat(createWinners).hasSize(races);
        createWinners.forEach((r, winners) -> {
            assertThat(winners).as("winners of /race/%d", r).hasSize(1);
            assertThat(admin.getByPath("/race/" + r).text()).isEqualTo("by " + winners.iterator().next());
        });
        assertThat(createLosses.get()).isEqualTo(races * (THREADS - 1));
        assertThat(moveRefusals.get()).isEqualTo(THREADS * ((ROUNDS + 6) / 8));

        // the store's total order: one chain position per version, from 1 without a gap, and a chain that verifies
        long versions = THREADS * (ROUNDS + 1L) + pairs.size() + pairWins + races;
        List<ChainEntry> chain = backend.listChain(store.id(), 1, Long.MAX_VALUE);
        assertThat(chain).hasSize((int) versions);
        for (int i = 0; i < chain.size(); i++) {
            assertThat(chain.get(i).position()).isEqualTo(i + 1L);
        }
        assertThat(workspace.stores().verify(store.id()).broken()).isEmpty();
    }

    /** A memory's versions' contents, oldest first. */
    private static List<String> contents(Memories m, MemoryId id) {
        List<String> out = new ArrayList<>();
        VersionQuery query = VersionQuery.ofMemory(id).includeContent(true).limit(100).build();
        while (true) {
            var page = m.versions(query);
            for (MemoryVersion v : page.items()) {
                out.add(0, v.content().orElseThrow());
            }
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            query = query.page(page.nextCursor().get());
        }
    }
}
