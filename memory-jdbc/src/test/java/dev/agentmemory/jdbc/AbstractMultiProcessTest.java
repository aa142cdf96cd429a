package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.VersionQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several processes race conditional updates on the same memories through one database (one database shared by
 * several processes): {@value #PROCESSES} JVMs ({@link RaceWriter}), each with {@value #THREADS} threads, increment counters
 * kept in the content of {@value #COUNTERS} memories, each write conditional on the SHA-256 its writer read. The
 * children start their load together. At the end no update may be lost: each counter equals the number of successful
 * writes the children reported for it, and each memory's version chain is complete (one {@code created} plus one
 * {@code modified} per reported write), strictly newest first, each version holding exactly the content and id one
 * reported write had.
 *
 * <p>Successful writes per thread: system property {@code agentmemory.multiprocess.writes}, or
 * {@link #defaultWritesPerThread()}.
 */
abstract class AbstractMultiProcessTest {

    private static final Logger LOG = LoggerFactory.getLogger(AbstractMultiProcessTest.class);

    static final int PROCESSES = 4;
    static final int THREADS = 4;
    static final int COUNTERS = 3;
    static final String WORKSPACE = "ws_multiprocess";
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    /**
     * Returns a new, empty database for this test.
     *
     * @return its location, as {@link ChildSupport#open(String)} takes it
     */
    protected abstract String newDatabase();

    /**
     * Returns how many successful writes each thread makes unless {@code agentmemory.multiprocess.writes} says.
     *
     * @return the number of writes per thread
     */
    protected abstract int defaultWritesPerThread();

    /**
     * Checks the database after the race; nothing by default.
     *
     * @param location the database
     * @throws Exception if the check cannot run
     */
    protected void checkDatabase(String location) throws Exception {
    }

    /** A write a child reported. */
    private record Write(MemoryId memory, String versionId, String content, String child) {
    }

    @Test
    @Timeout(value = 280, unit = TimeUnit.SECONDS)
    void racingProcessesLoseNoUpdateAndLeaveCompleteVersionChains() throws Exception {
        int writesPerThread = Integer.getInteger("agentmemory.multiprocess.writes", defaultWritesPerThread());
        String location = newDatabase();
        MemoryStore store;
        List<MemoryId> ids;
        try (AgentMemory memory = AgentMemory.builder().backend(ChildSupport.open(location)).build()) {
            store = memory.workspace(WORKSPACE).stores().create(NewStore.named("Race").build());
            Memories setup = memory.workspace(WORKSPACE).memories(store.id(), Actor.apiKey("key_setup"));
            ids = IntStream.range(0, COUNTERS)
                    .mapToObj(i -> setup.create("/counter/" + i, "counter=0;writer=setup").id()).toList();
        }
        String idList = ids.stream().map(MemoryId::value).collect(Collectors.joining(","));
        List<ChildJvm> children = new ArrayList<>();
        long started = System.nanoTime();
        long raceStarted;
        try {
            for (int p = 0; p < PROCESSES; p++) {
                children.add(ChildJvm.start("race-writer-" + p, dir, RaceWriter.class, List.of(location, WORKSPACE,
                        store.id().value(), Integer.toString(p), Integer.toString(THREADS),
                        Integer.toString(writesPerThread), idList)));
            }
            for (ChildJvm child : children) {
                if (child.awaitLine("READY"::equals, START_LIMIT).isEmpty()) {
                    fail(child + " did not get ready within " + START_LIMIT.toSeconds() + " s" + child.stderrTail());
                }
            }
            raceStarted = System.nanoTime();
            children.forEach(c -> c.send("GO"));
            long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
            for (ChildJvm child : children) {
                Optional<Integer> exit = child.waitFor(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (exit.isEmpty()) {
                    fail(child + " still runs after " + RUN_LIMIT.toSeconds() + " s" + child.stderrTail());
                }
                assertThat(exit.get()).as("exit status of %s%s", child, child.stderrTail()).isZero();
            }
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
        long raceMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - raceStarted);

        // What the children reported.
        Map<MemoryId, List<Write>> writes = new LinkedHashMap<>();
        ids.forEach(id -> writes.put(id, new ArrayList<>()));
        long conflicts = 0;
        for (ChildJvm child : children) {
            Map<MemoryId, Integer> reported = new HashMap<>();
            Map<MemoryId, Integer> done = null;
            for (String line : child.lines()) {
                if (line.startsWith("WROTE ")) {
                    String[] f = line.split(" ", 4);
                    Write w = new Write(MemoryId.of(f[1]), f[2], f[3], child.name());
                    assertThat(writes).as("memory of %s", line).containsKey(w.memory());
                    writes.get(w.memory()).add(w);
                    reported.merge(w.memory(), 1, Integer::sum);
                } else if (line.startsWith("DONE ")) {
                    done = new HashMap<>();
                    for (String f : line.substring(5).split(" ")) {
                        String[] kv = f.split("=", 2);
                        if (kv[0].equals("conflicts")) {
                            conflicts += Long.parseLong(kv[1]);
                        } else {
                            done.put(MemoryId.of(kv[0]), Integer.parseInt(kv[1]));
                        }
                    }
                }
            }
            assertThat(done).as("final summary of %s", child).isNotNull();
            for (MemoryId id : ids) {
                assertThat(reported.getOrDefault(id, 0)).as("writes %s reported for %s, against its summary", child,
                        id).isEqualTo(done.get(id));
            }
            assertThat(reported.values().stream().mapToInt(Integer::intValue).sum())
                    .as("successful writes of %s", child).isEqualTo(THREADS * writesPerThread);
        }

        // What the database holds.
        try (AgentMemory memory = AgentMemory.builder().backend(ChildSupport.open(location)).build()) {
            Memories m = memory.workspace(WORKSPACE).memories(store.id(), Actor.apiKey("key_check"));
            for (MemoryId id : ids) {
                List<Write> mine = writes.get(id);
                Map<String, Write> byVersion = new HashMap<>();
                for (Write w : mine) {
                    assertThat(byVersion.put(w.versionId(), w)).as("version %s reported twice", w.versionId())
                            .isNull();
                }
                Memory end = m.get(id);
                assertThat(RaceWriter.counter(end.text())).as("counter of %s after %d reported writes", id,
                        mine.size()).isEqualTo(mine.size());
                List<MemoryVersion> chain = allVersions(m, VersionQuery.ofMemory(id).includeContent(true));
                assertThat(chain).as("versions of %s", id).hasSize(mine.size() + 1);
                assertThat(chain.get(0).id()).as("newest version of %s", id).isEqualTo(end.headVersionId());
                assertThat(chain.get(0).content()).contains(end.text());
                Set<String> seen = new HashSet<>();
                for (int k = 0; k < chain.size(); k++) {
                    MemoryVersion v = chain.get(k);
                    assertThat(seen.add(v.id().value())).as("version %s listed once", v.id()).isTrue();
                    if (k > 0) {
                        assertThat(chain.get(k - 1).id()).as("versions of %s newest first", id).isGreaterThan(v.id());
                        assertThat(chain.get(k - 1).createdAt()).as("created-at of %s and the version before it",
                                v.id()).isAfterOrEqualTo(v.createdAt());
                    }
                    int expected = mine.size() - k;
                    String content = v.content().orElseThrow();
                    assertThat(RaceWriter.counter(content)).as("counter in version %s, %d from the newest, of %s;"
                            + " around it:%s", v.id(), k, id, around(chain, k, byVersion)).isEqualTo(expected);
                    if (expected == 0) {
                        assertThat(v.operation()).isEqualTo(Operation.CREATED);
                        assertThat(content).isEqualTo("counter=0;writer=setup");
                    } else {
                        assertThat(v.operation()).as("operation of %s", v.id()).isEqualTo(Operation.MODIFIED);
                        Write w = byVersion.get(v.id().value());
                        assertThat(w).as("the reported write of version %s (%s)", v.id(), content).isNotNull();
                        assertThat(content).as("content of version %s", v.id()).isEqualTo(w.content());
                        assertThat(v.createdBy().id()).as("actor of version %s", v.id())
                                .startsWith("key_p" + w.child().substring("race-writer-".length()) + "_t");
                    }
                }
            }
            for (int p = 0; p < PROCESSES; p++) {
                for (int t = 0; t < THREADS; t++) {
                    assertThat(allVersions(m, VersionQuery.builder().actor(Actor.apiKey("key_p" + p + "_t" + t))))
                            .as("versions by process %d thread %d", p, t).hasSize(writesPerThread);
                }
            }
            // Processes racing on one store still leave one hash chain, in commit order, that verifies.
            var report = memory.workspace(WORKSPACE).stores().verify(store.id());
            assertThat(report.broken()).as("hash chain after the race").isEmpty();
            long versions = COUNTERS + (long) PROCESSES * THREADS * writesPerThread;
            assertThat(report.versionsVerified()).isEqualTo(versions);
            assertThat(report.head().length()).isEqualTo(versions);
        }
        checkDatabase(location);
        LOG.info("{}: {} processes x {} threads x {} writes on {} memories: race {} ms, {} conflicts, {} ms in all",
                getClass().getSimpleName(), PROCESSES, THREADS, writesPerThread, COUNTERS, raceMillis, conflicts,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Describes the versions next to the k-th of a chain, for failure messages. */
    private static String around(List<MemoryVersion> chain, int k, Map<String, Write> byVersion) {
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, k - 2); i < Math.min(chain.size(), k + 3); i++) {
            MemoryVersion v = chain.get(i);
            Write w = byVersion.get(v.id().value());
            b.append("\n  ").append(i).append(": ").append(v.id()).append(" at ").append(v.createdAt())
                    .append(' ').append(v.content().orElse("-")).append(" by ").append(w == null ? "?" : w.child());
        }
        return b.toString();
    }

    static List<MemoryVersion> allVersions(Memories m, VersionQuery.Builder query) {
        VersionQuery q = query.limit(100).build();
        List<MemoryVersion> out = new ArrayList<>();
        Page<MemoryVersion> page = m.versions(q);
        out.addAll(page.items());
        while (page.nextCursor().isPresent()) {
            page = m.versions(q.page(page.nextCursor().get()));
            out.addAll(page.items());
        }
        return out;
    }
}
