package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.VersionQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The concurrency suite: threads started together race on one store, and the end state must show
 * that every operation was atomic and linearizable: no lost update, no duplicated or missing memory, a complete,
 * ordered version chain.
 *
 * <ul>
 *   <li>{@link #conditionalWritesNeverLoseAnUpdate()}: 8 threads increment counters in 3 memories with
 *       read-modify-write updates conditional on the read SHA-256, retrying on a precondition failure, until each
 *       thread has {@link #successfulWritesPerThread()} successful writes (at least 1,000).
 *   <li>{@link #racingCreatesHaveExactlyOneWinnerPerPath()}: 8 threads create the same paths, and paths that are
 *       each other's directory; exactly one wins, every other attempt gets a path conflict naming the winner.
 *   <li>{@link #directoryMovesRacingWritesLoseNothing()}: two threads move a directory back and forth while writers
 *       increment the memories in it and a reader lists it; nothing is lost or duplicated, ever.
 *   <li>{@link #writersOfTheirOwnMemoriesNeverRetry()}: threads updating their own memories of one store never make
 *       each other run a write again (the per-memory compare-and-set), and the chain verifies.
 *   <li>{@link #aContentUpdateDependsOnlyOnItsOwnHeadAndTheStore()}: which writes landing inside a content update's
 *       window make it run again, and which do not.
 * </ul>
 *
 * <p>Sizes scale with {@link Capabilities#concurrencyScale()}, never below 1,000 successful writes per thread. Any
 * unexpected exception in a thread fails the test; each test is time-bound.
 *
 * <pre>{@code
 * class InMemoryConcurrencyTest extends ConcurrencyTest {
 *     protected BackendFixture fixture() { return BackendFixture.of(InMemoryBackend::create); }
 * }
 * }</pre>
 */
public abstract class ConcurrencyTest {

    /** Racing threads per test. */
    protected static final int THREADS = 8;
    /** Counters the conditional writers share. */
    protected static final int COUNTERS = 3;
    /** The least number of successful writes each thread makes, whatever the scale. */
    protected static final int MIN_WRITES_PER_THREAD = 1000;
    /** How long the threads of one test may run. */
    private static final Duration THREAD_TIME_LIMIT = Duration.ofSeconds(150);

    private BackendFixture fixture;
    private AgentMemory memory;
    private Workspace workspace;
    /** Writes that ran their body more than once (overtaken by another writer), counted by store. */
    private final ConcurrentHashMap<StoreId, AtomicLong> retried = new ConcurrentHashMap<>();

    /**
     * Returns the backend under test.
     *
     * @return a fixture that opens fresh, empty backends
     */
    protected abstract BackendFixture fixture();

    /** Opens a fresh service over a new backend. */
    @BeforeEach
    protected void open() {
        fixture = fixture();
        memory = AgentMemory.builder().backend(fixture.open()).writeListener(e -> {
            if (e.attempts() > 1) {
                retried.computeIfAbsent(e.storeId(), k -> new AtomicLong()).addAndGet(e.attempts() - 1);
            }
        }).build();
        workspace = memory.workspace("ws_concurrency");
    }

    /** Checks that every store the test wrote still has a hash chain that verifies, then closes. */
    @AfterEach
    protected void close() {
        try {
            if (memory != null) {
                assertEveryChainIntact();
            }
        } finally {
            closeAll();
        }
    }

    private void closeAll() {
        if (memory != null) {
            memory.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /**
     * Returns how many successful writes each conditional writer makes: 1,000 scaled by
     * {@link Capabilities#concurrencyScale()}, never fewer than {@value #MIN_WRITES_PER_THREAD}.
     *
     * @return the number of writes
     */
    protected int successfulWritesPerThread() {
        return Math.max(MIN_WRITES_PER_THREAD,
                (int) Math.round(1000 * fixture.capabilities().concurrencyScale()));
    }

    /** A thread's work; may throw anything, which fails the test. */
    @FunctionalInterface
    protected interface ThreadBody {
        /**
         * Runs thread {@code t}'s part.
         *
         * @param t the thread's number, 0 to n - 1
         * @throws Exception anything, which fails the test
         */
        void run(int t) throws Exception;
    }

    /**
     * Runs {@code n} threads that start together and waits for them, failing if one throws or they outlive the time
     * limit.
     *
     * @param n how many threads
     * @param body what each does
     * @throws InterruptedException if the test thread is interrupted
     */
    protected static void race(int n, ThreadBody body) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(n);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int t = i;
            Thread thread = new Thread(() -> {
                try {
                    start.await(30, TimeUnit.SECONDS);
                    body.run(t);
                } catch (Throwable e) {
                    failures.add(new AssertionError("thread " + t + " failed: " + e, e));
                }
            }, "agentmemory-race-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long deadline = System.nanoTime() + THREAD_TIME_LIMIT.toNanos();
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            thread.join(Math.max(1, left));
        }
        List<Thread> alive = threads.stream().filter(Thread::isAlive).toList();
        alive.forEach(Thread::interrupt);
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " thread(s) failed; first: "
                    + failures.peek().getMessage(), failures.peek().getCause());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
        if (!alive.isEmpty()) {
            fail(alive.size() + " thread(s) still running after " + THREAD_TIME_LIMIT.toSeconds() + " s");
        }
    }

    // ------------------------------------------------------------------ conditional writes

    /**
     * Conditional read-modify-write updates never lose an update: each counter ends at the number of successful
     * writes to it, and its version chain has one {@code created} and exactly one {@code modified} version per
     * successful write, newest first with strictly decreasing ids, each holding the value it wrote.
     *
     * @throws InterruptedException if interrupted
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    public void conditionalWritesNeverLoseAnUpdate() throws InterruptedException {
        Memories admin = memories("Counters", Actor.apiKey("key_setup"));
        List<MemoryId> ids = IntStream.range(0, COUNTERS).mapToObj(i -> admin.create("/counter/" + i,
                counter(0, "setup")).id()).toList();
        int perThread = successfulWritesPerThread();
        // written[t][i]: the contents thread t wrote to counter i.
        List<List<List<String>>> written = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<List<String>> mine = new ArrayList<>();
            for (int i = 0; i < COUNTERS; i++) {
                mine.add(new ArrayList<>());
            }
            written.add(mine);
        }
        AtomicLong conflicts = new AtomicLong();
        race(THREADS, t -> {
            Memories m = memories(admin, Actor.apiKey("key_writer_" + t));
            Random random = new Random(31L * t + 7);
            int done = 0;
            while (done < perThread) {
                int i = random.nextInt(COUNTERS);
                Memory read = m.get(ids.get(i));
                String content = counter(value(read.text()) + 1, "writer " + t + " write " + done);
                interleave(random);
                try {
                    Memory after = m.update(ids.get(i), MemoryUpdate.content(content)
                            .ifContentSha256(read.contentSha256()));
                    assertThat(after.text()).isEqualTo(content);
                    assertThat(after.headVersionId()).isNotEqualTo(read.headVersionId());
                    written.get(t).get(i).add(content);
                    done++;
                } catch (PreconditionFailedException e) {
                    assertThat(e.currentSha256()).isNotEqualTo(read.contentSha256());
                    conflicts.incrementAndGet();
                }
            }
        });
        for (int i = 0; i < COUNTERS; i++) {
            int counter = i;
            Map<Integer, String> byValue = new HashMap<>();
            written.stream().flatMap(w -> w.get(counter).stream()).forEach(c -> byValue.put(value(c), c));
            List<Integer> values = written.stream().flatMap(w -> w.get(counter).stream()).map(ConcurrencyTest::value)
                    .sorted().toList();
            int writes = values.size();
            Memory end = admin.get(ids.get(i));
            assertThat(gapsAndDuplicates(values)).as("counter %d ends at %s after %d successful writes; values"
                    + " written twice, and values never written", i, value(end.text()), writes).isEqualTo("none");
            assertThat(value(end.text())).as("counter %d", i).isEqualTo(writes);
            List<MemoryVersion> chain = allVersions(admin, VersionQuery.ofMemory(ids.get(i)).includeContent(true));
            assertThat(chain).as("versions of counter %d", i).hasSize(writes + 1);
            assertThat(chain.get(0).id()).isEqualTo(end.headVersionId());
            assertStrictlyNewestFirst(chain);
            for (int k = 0; k < chain.size(); k++) {
                MemoryVersion v = chain.get(k);
                int value = writes - k;
                assertThat(v.operation()).as("operation of version %s", v.id())
                        .isEqualTo(value == 0 ? Operation.CREATED : Operation.MODIFIED);
                assertThat(v.content()).as("content of version %s", v.id())
                        .contains(value == 0 ? counter(0, "setup") : byValue.get(value));
            }
        }
        for (int t = 0; t < THREADS; t++) {
            List<MemoryVersion> mine = allVersions(admin, VersionQuery.builder().actor(Actor.apiKey("key_writer_"
                    + t)));
            assertThat(mine).as("versions by writer %d", t).hasSize(perThread);
        }
        assertThat(allVersions(admin, VersionQuery.builder())).hasSize(COUNTERS + THREADS * perThread);
    }

    // ------------------------------------------------------------------ racing creates

    /**
     * Creates racing on the same path have exactly one winner; so do creates racing on a path and a path below it.
     * Every losing attempt fails with a path conflict that names the winner, and nothing else is written.
     *
     * @throws InterruptedException if interrupted
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    public void racingCreatesHaveExactlyOneWinnerPerPath() throws InterruptedException {
        Memories admin = memories("Race", Actor.apiKey("key_setup"));
        int paths = Math.max(100, (int) Math.round(200 * fixture.capabilities().concurrencyScale()));
        // Group g: either the single path /same/g, or the pair /tree/g and /tree/g/leaf.
        List<List<String>> groups = new ArrayList<>();
        for (int g = 0; g < paths; g++) {
            groups.add(List.of("/same/p" + g));
            groups.add(List.of("/tree/d" + g, "/tree/d" + g + "/leaf"));
        }
        Map<Integer, Memory> winners = new ConcurrentHashMap<>();
        Map<Integer, List<PathConflictException>> losses = new ConcurrentHashMap<>();
        AtomicInteger duplicateWins = new AtomicInteger();
        race(THREADS, t -> {
            Memories m = memories(admin, Actor.apiKey("key_creator_" + t));
            List<int[]> attempts = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                for (int p = 0; p < groups.get(g).size(); p++) {
                    attempts.add(new int[] {g, p});
                }
            }
            Collections.shuffle(attempts, new Random(t));
            for (int[] a : attempts) {
                String path = groups.get(a[0]).get(a[1]);
                try {
                    Memory won = m.create(path, "thread " + t);
                    if (winners.putIfAbsent(a[0], won) != null) {
                        duplicateWins.incrementAndGet();
                    }
                } catch (PathConflictException e) {
                    losses.computeIfAbsent(a[0], k -> Collections.synchronizedList(new ArrayList<>())).add(e);
                }
            }
        });
        assertThat(duplicateWins.get()).as("groups with more than one winner").isZero();
        assertThat(winners).hasSize(groups.size());
        int attemptsPerRound = groups.stream().mapToInt(List::size).sum();
        int lost = losses.values().stream().mapToInt(List::size).sum();
        assertThat(lost).as("losing attempts").isEqualTo(THREADS * attemptsPerRound - groups.size());
        Set<MemoryId> winnerIds = new HashSet<>();
        for (int g = 0; g < groups.size(); g++) {
            Memory w = winners.get(g);
            winnerIds.add(w.id());
            assertThat(admin.getByPath(w.path())).isEqualTo(w);
            for (String other : groups.get(g)) {
                if (!other.equals(w.path())) {
                    assertThat(admin.findByPath(other)).as("loser path %s", other).isEmpty();
                }
            }
            for (PathConflictException e : losses.getOrDefault(g, List.of())) {
                assertThat(e.conflictingMemoryId()).as("conflict at %s", e.path()).contains(w.id());
                assertThat(e.conflictingPath()).as("conflict at %s", e.path()).contains(w.path());
            }
        }
        List<Memory> all = allMemories(admin, "/");
        assertThat(all).extracting(Memory::id).containsExactlyInAnyOrderElementsOf(winnerIds);
        List<MemoryVersion> versions = allVersions(admin, VersionQuery.builder());
        assertThat(versions).hasSize(groups.size()).allMatch(v -> v.operation() == Operation.CREATED);
        assertStrictlyNewestFirst(versions);
        assertThat(versions).extracting(MemoryVersion::memoryId).containsExactlyInAnyOrderElementsOf(winnerIds);
    }

    // ------------------------------------------------------------------ moves and writes

    /**
     * Two threads move a directory back and forth ({@code /left/} to {@code /right/} and back) while writers make
     * conditional increments to the memories in it and a reader lists the store. The reader always sees every memory,
     * once, all in one directory; at the end every memory is there with its id, its counter equals its successful
     * writes, and its history has exactly one version per write and per move, in order.
     *
     * @throws InterruptedException if interrupted
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    public void directoryMovesRacingWritesLoseNothing() throws InterruptedException {
        Memories admin = memories("Moving", Actor.apiKey("key_setup"));
        int files = 12;
        List<MemoryId> ids = IntStream.range(0, files).mapToObj(i -> admin.create("/left/f" + i,
                counter(0, "setup")).id()).toList();
        int movers = 2;
        int readers = 1;
        int writers = THREADS - movers - readers;
        int perWriter = successfulWritesPerThread();
        int maxMoves = 1000;
        AtomicInteger writersLeft = new AtomicInteger(writers);
        AtomicInteger moves = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        int[][] writes = new int[writers][files];
        AtomicBoolean stop = new AtomicBoolean();
        race(THREADS, t -> {
            try {
                if (t < movers) {
                    Memories m = memories(admin, Actor.apiKey("key_mover_" + t));
                    String from = t == 0 ? "/left/" : "/right/";
                    String to = t == 0 ? "/right/" : "/left/";
                    while (writersLeft.get() > 0 && !stop.get() && moves.get() < maxMoves) {
                        try {
                            List<Memory> moved = m.move(from, to);
                            moves.incrementAndGet();
                            assertThat(moved).hasSize(files).allMatch(x -> x.path().startsWith(to));
                        } catch (NotFoundException e) {
                            Thread.yield();
                        }
                    }
                } else if (t < movers + readers) {
                    while (writersLeft.get() > 0 && !stop.get()) {
                        Page<ListEntry> page = admin.list(ListQuery.builder().limit(100).build());
                        assertThat(page.hasMore()).isFalse();
                        List<Memory> seen = page.items().stream().map(Memory.class::cast).toList();
                        assertThat(seen).extracting(Memory::id).containsExactlyInAnyOrderElementsOf(ids);
                        String dir = seen.get(0).path().substring(0, seen.get(0).path().lastIndexOf('/') + 1);
                        assertThat(seen).as("one directory").allMatch(x -> x.path().startsWith(dir));
                        reads.incrementAndGet();
                    }
                } else {
                    int w = t - movers - readers;
                    Memories m = memories(admin, Actor.apiKey("key_writer_" + w));
                    Random random = new Random(17L * t);
                    int done = 0;
                    try {
                        while (done < perWriter) {
                            int i = random.nextInt(files);
                            Memory read = m.get(ids.get(i));
                            String content = counter(value(read.text()) + 1, "writer " + w + " write " + done);
                            interleave(random);
                            try {
                                m.update(ids.get(i), MemoryUpdate.content(content)
                                        .ifContentSha256(read.contentSha256()));
                                writes[w][i]++;
                                done++;
                            } catch (PreconditionFailedException e) {
                                // another writer got there first: read again
                            }
                        }
                    } finally {
                        writersLeft.decrementAndGet();
                    }
                }
            } catch (Throwable e) {
                stop.set(true);
                throw e;
            }
        });
        int m = moves.get();
        assertThat(m).as("successful moves").isPositive();
        assertThat(reads.get()).as("listings").isPositive();
        String dir = m % 2 == 0 ? "/left/" : "/right/";
        List<Memory> all = allMemories(admin, "/");
        assertThat(all).extracting(Memory::id).containsExactlyInAnyOrderElementsOf(ids);
        for (int i = 0; i < files; i++) {
            int counter = i;
            int total = IntStream.range(0, writers).map(w -> writes[w][counter]).sum();
            Memory end = admin.get(ids.get(i));
            assertThat(end.path()).isEqualTo(dir + "f" + i);
            assertThat(value(end.text())).as("counter %d", i).isEqualTo(total);
            List<MemoryVersion> chain = allVersions(admin, VersionQuery.ofMemory(ids.get(i)).includeContent(true));
            assertThat(chain).as("versions of f%d", i).hasSize(1 + total + m);
            assertStrictlyNewestFirst(chain);
            Collections.reverse(chain);
            assertThat(chain.get(0).operation()).isEqualTo(Operation.CREATED);
            assertThat(chain.get(0).path()).contains("/left/f" + i);
            int contentSteps = 0;
            int pathSteps = 0;
            for (int k = 1; k < chain.size(); k++) {
                MemoryVersion before = chain.get(k - 1);
                MemoryVersion after = chain.get(k);
                assertThat(after.operation()).isEqualTo(Operation.MODIFIED);
                int a = value(before.content().orElseThrow());
                int b = value(after.content().orElseThrow());
                boolean moved = !before.path().equals(after.path());
                if (moved) {
                    assertThat(after.content()).as("a move keeps the content of f%d", i).isEqualTo(before.content());
                    assertThat(after.path().orElseThrow()).isEqualTo(
                            (before.path().orElseThrow().startsWith("/left/") ? "/right/f" : "/left/f") + i);
                    assertThat(after.createdBy().id()).startsWith("key_mover_");
                    pathSteps++;
                } else {
                    assertThat(b).as("a write to f%d adds one", i).isEqualTo(a + 1);
                    assertThat(after.createdBy().id()).startsWith("key_writer_");
                    contentSteps++;
                }
            }
            assertThat(contentSteps).as("writes to f%d", i).isEqualTo(total);
            assertThat(pathSteps).as("moves of f%d", i).isEqualTo(m);
        }
    }

    // ------------------------------------------------------------------ the hash chain

    /**
     * Writers racing on one store (creates, updates, deletions and redactions by different threads) leave one hash
     * chain in commit order that verifies: one link per version plus one per redaction, and nothing else.
     *
     * @throws InterruptedException if interrupted
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    public void concurrentWritersLeaveAChainThatVerifies() throws InterruptedException {
        Memories admin = memories("Chain", Actor.apiKey("key_setup"));
        int perThread = Math.max(200, successfulWritesPerThread() / 5);
        AtomicLong redactions = new AtomicLong();
        race(THREADS, t -> {
            Memories m = memories(admin, Actor.apiKey("key_chain_" + t));
            Random random = new Random(17L * t + 3);
            Memory mine = m.create("/chain/" + t + ".md", "0");
            MemoryId shared = null;
            for (int i = 1; i < perThread; i++) {
                interleave(random);
                Memory before = mine;
                mine = m.update(mine.id(), MemoryUpdate.content(Integer.toString(i)));
                if (t % 2 == 0 && i % 10 == 0) {
                    workspace.stores().redact(m.storeId(), before.headVersionId(), Actor.user("redactor_" + t));
                    redactions.incrementAndGet();
                }
                if (i % 25 == 0) {
                    Memory extra = m.create("/chain/" + t + "/" + i + ".md", "x");
                    m.delete(extra.id());
                }
            }
        });
        var report = workspace.stores().verify(admin.storeId());
        assertThat(report.broken()).isEmpty();
        long versions = allVersions(admin, VersionQuery.builder()).size();
        assertThat(report.versionsVerified()).isEqualTo(versions);
        assertThat(report.linksVerified()).isEqualTo(versions + redactions.get());
        assertThat(report.head().length()).isEqualTo(versions + redactions.get());
    }

    // ------------------------------------------------------------------ writers of their own memories

    /**
     * Writers that each update their own memory in one store never make each other retry: a write that changes one
     * memory's content depends only on that memory's head and the store's record, so it applies at whatever sequence
     * the store has reached (a per-memory compare-and-set). Every update lands, each memory has one version per
     * update, and the store's single hash chain holds them all and verifies.
     *
     * @throws InterruptedException if interrupted
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    public void writersOfTheirOwnMemoriesNeverRetry() throws InterruptedException {
        Memories admin = memories("Own memories", Actor.apiKey("key_setup"));
        int perThread = Math.max(200, successfulWritesPerThread() / 5);
        List<MemoryId> ids = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            ids.add(admin.create("/own/" + t + ".md", "0").id());
        }
        retried.clear();
        race(THREADS, t -> {
            Memories m = memories(admin, Actor.apiKey("key_own_" + t));
            Random random = new Random(31L * t + 7);
            Memory mine = m.get(ids.get(t));
            for (int i = 1; i <= perThread; i++) {
                interleave(random);
                // conditional on the content this writer left, which no one else may change
                mine = m.update(mine.id(), MemoryUpdate.content(t + ":" + i).ifContentSha256(mine.contentSha256()));
            }
        });
        assertThat(retried.getOrDefault(admin.storeId(), new AtomicLong()).get())
                .as("writes of distinct memories that had to run again").isZero();
        for (int t = 0; t < THREADS; t++) {
            assertThat(admin.get(ids.get(t)).text()).isEqualTo(t + ":" + perThread);
            List<MemoryVersion> versions = allVersions(admin, VersionQuery.builder().memoryId(ids.get(t)));
            assertThat(versions).hasSize(perThread + 1);
            assertStrictlyNewestFirst(versions);
        }
        var report = workspace.stores().verify(admin.storeId());
        assertThat(report.broken()).isEmpty();
        assertThat(report.versionsVerified()).isEqualTo((long) THREADS * (perThread + 1));
        assertThat(report.head().length()).isEqualTo((long) THREADS * (perThread + 1));
    }

    /**
     * What a content update depends on, shown with one write landing inside another's read-check-commit window (the
     * edit function runs inside the write, between its reads and its commit): another memory's content update, or a
     * move of another memory into the same directory, lets it land without running again; a change of its own
     * memory, a move of its own memory, or a change of the store's record makes it run again on fresh state, and
     * nothing is lost either way. A move that would put another memory under the edited memory's path still conflicts.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    public void aContentUpdateDependsOnlyOnItsOwnHeadAndTheStore() {
        Memories m = memories("Dependencies", Actor.apiKey("key_deps"));
        Memory a = m.create("/a/x.md", "a0");
        Memory b = m.create("/b/y.md", "b0");

        // another memory's update in between: lands once, no retry
        AtomicInteger calls = new AtomicInteger();
        m.edit("/a/x.md", s -> {
            if (calls.incrementAndGet() == 1) {
                m.update(b.id(), MemoryUpdate.content("b1"));
            }
            return s + "+1";
        });
        assertThat(calls).hasValue(1);
        assertThat(m.get(a.id()).text()).isEqualTo("a0+1");
        assertThat(m.get(b.id()).text()).isEqualTo("b1");

        // a move of another memory into the edited memory's directory: lands once
        calls.set(0);
        m.edit("/a/x.md", s -> {
            if (calls.incrementAndGet() == 1) {
                m.move("/b/", "/a/b/");
            }
            return s + "+2";
        });
        assertThat(calls).hasValue(1);
        assertThat(m.get(a.id()).text()).isEqualTo("a0+1+2");
        assertThat(m.get(b.id()).path()).isEqualTo("/a/b/y.md");

        // a move that would put another memory below the edited memory's path conflicts; the edit still lands once
        calls.set(0);
        m.edit("/a/x.md", s -> {
            if (calls.incrementAndGet() == 1) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.move("/a/b/", "/a/x.md/"))
                        .isInstanceOf(PathConflictException.class);
            }
            return s + "+3";
        });
        assertThat(calls).hasValue(1);
        assertThat(m.get(b.id()).path()).isEqualTo("/a/b/y.md");

        // its own memory changed in between: runs again on the new content, both updates kept
        calls.set(0);
        m.edit("/a/x.md", s -> {
            if (calls.incrementAndGet() == 1) {
                m.update(a.id(), MemoryUpdate.content("other"));
            }
            return s + "+4";
        });
        assertThat(calls).hasValue(2);
        assertThat(m.get(a.id()).text()).isEqualTo("other+4");

        // the store's record changed in between (its metadata, which write policies may read): runs again
        calls.set(0);
        m.edit("/a/x.md", s -> {
            if (calls.incrementAndGet() == 1) {
                workspace.stores().update(m.storeId(), StoreUpdate.builder().putMetadata("k", "v").build());
            }
            return s + "+5";
        });
        assertThat(calls).hasValue(2);
        assertThat(m.get(a.id()).text()).isEqualTo("other+4+5");

        // its own memory moved away in between: the edit by the old path runs again and finds nothing there
        calls.set(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.edit("/a/x.md", s -> {
            if (calls.incrementAndGet() == 1) {
                m.update(a.id(), MemoryUpdate.path("/c/x.md"));
            }
            return s + "+6";
        })).isInstanceOf(NotFoundException.class);
        assertThat(calls).hasValue(1);
        assertThat(m.get(a.id()).path()).isEqualTo("/c/x.md");
        assertThat(m.get(a.id()).text()).isEqualTo("other+4+5");

        // one version per landed write, and the chain verifies
        assertThat(allVersions(m, VersionQuery.builder().memoryId(a.id()))).hasSize(1 + 3 + 2 + 1 + 1);
        var report = workspace.stores().verify(m.storeId());
        assertThat(report.broken()).isEmpty();
    }

    private void assertEveryChainIntact() {
        for (var store : workspace.stores().list(dev.agentmemory.model.StoreQuery.builder().limit(100)
                .includeArchived(true).build()).items()) {
            var report = workspace.stores().verify(store.id());
            assertThat(report.broken()).as("hash chain of store %s after the race", store.id()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ helpers

    private Memories memories(String storeName, Actor actor) {
        return workspace.memories(workspace.stores().create(NewStore.named(storeName).build()).id(), actor);
    }

    private Memories memories(Memories sameStore, Actor actor) {
        return workspace.memories(sameStore.storeId(), actor);
    }

    private static List<MemoryVersion> allVersions(Memories m, VersionQuery.Builder query) {
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

    private static List<Memory> allMemories(Memories m, String prefix) {
        ListQuery q = ListQuery.under(prefix).limit(100).build();
        List<Memory> out = new ArrayList<>();
        Page<ListEntry> page = m.list(q);
        page.items().forEach(e -> out.add((Memory) e));
        while (page.nextCursor().isPresent()) {
            page = m.list(q.page(page.nextCursor().get()));
            page.items().forEach(e -> out.add((Memory) e));
        }
        return out;
    }

    /**
     * Now and then lets another thread run between a read and the write that depends on it, so that threads
     * interleave even on few cores.
     *
     * @param random the thread's random numbers
     */
    protected static void interleave(Random random) {
        if (random.nextInt(3) == 0) {
            Thread.yield();
        }
    }

    /**
     * Returns a counter's content: the value on the first line, then who wrote it, so that no two writes ask for the
     * same content (an update to the content already stored is a no-op success, which would hide a lost update).
     *
     * @param value the counter's value
     * @param writer who writes it
     * @return the content
     */
    protected static String counter(int value, String writer) {
        return value + "\n" + writer;
    }

    /**
     * Reads a counter's value from its content.
     *
     * @param content a content made by {@link #counter}
     * @return the value
     */
    protected static int value(String content) {
        return Integer.parseInt(content.substring(0, content.indexOf('\n')));
    }

    /** Describes how sorted values differ from 1, 2, ..., n: values present twice and values missing. */
    private static String gapsAndDuplicates(List<Integer> sorted) {
        List<Integer> twice = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int v : sorted) {
            if (!seen.add(v)) {
                twice.add(v);
            }
        }
        for (int v = 1; v <= sorted.size(); v++) {
            if (!seen.contains(v)) {
                missing.add(v);
            }
        }
        return twice.isEmpty() && missing.isEmpty() ? "none" : "twice " + twice + ", missing " + missing;
    }

    private static void assertStrictlyNewestFirst(List<MemoryVersion> versions) {
        for (int k = 1; k < versions.size(); k++) {
            assertThat(versions.get(k - 1).id()).as("versions newest first")
                    .isGreaterThan(versions.get(k).id());
        }
        Map<String, Long> counts = versions.stream().collect(Collectors.groupingBy(v -> v.id().value(),
                HashMap::new, Collectors.counting()));
        assertThat(counts.values()).as("distinct version ids").allMatch(c -> c == 1);
    }
}
