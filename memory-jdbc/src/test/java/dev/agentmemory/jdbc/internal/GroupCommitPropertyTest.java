package dev.agentmemory.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.spi.Commit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Real threads race through the group commit on a few lanes, with a writer that stands for the database: it records
 * which commits it wrote, alone or in which group, fails some groups and some solo commits as a transaction would,
 * and decides each commit's outcome. Whatever the thread count, lane count, group bound and failure rate: a lane is
 * never written by two threads at once, no group exceeds the bound or mixes lanes, every commit is written exactly
 * once, and every caller gets exactly the outcome (or the failure) the writer gave its commit.
 */
class GroupCommitPropertyTest {

    /** The expected sequence numbers a commit's number is encoded in: lane * 1_000_000 + thread * 1_000 + index. */
    private static Commit commit(long n) {
        return new Commit(StoreId.of("memstore_prop"), n, Optional.empty(), List.of(), List.of(), List.of(),
                List.of(), List.of());
    }

    @Property(tries = 25)
    void everyCommitIsWrittenOnceAndItsCallerGetsItsOutcome(@ForAll @IntRange(min = 1, max = 12) int threads,
            @ForAll @IntRange(min = 1, max = 3) int laneCount, @ForAll @IntRange(min = 1, max = 6) int maxGroup,
            @ForAll @IntRange(min = 0, max = 4) int failEvery) throws Exception {
        int perThread = 40;
        Map<Long, String> decided = new ConcurrentHashMap<>(); // commit -> "true", "false" or "failed"
        Map<Long, AtomicInteger> writes = new ConcurrentHashMap<>();
        Map<Long, AtomicInteger> inLane = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicLong calls = new AtomicLong();
        GroupCommit.GroupWriter writer = new GroupCommit.GroupWriter() {
            @Override
            public boolean solo(Commit c) {
                return write(List.of(c)).get(0);
            }

            @Override
            public List<Boolean> group(List<Commit> commits) {
                if (commits.size() < 2 || commits.size() > maxGroup) {
                    violations.add("a group of " + commits.size());
                }
                return write(commits);
            }

            private List<Boolean> write(List<Commit> commits) {
                long lane = commits.get(0).expectedSequence() / 1_000_000;
                if (commits.stream().anyMatch(c -> c.expectedSequence() / 1_000_000 != lane)) {
                    violations.add("a group across lanes");
                }
                AtomicInteger busy = inLane.computeIfAbsent(lane, k -> new AtomicInteger());
                if (busy.incrementAndGet() != 1) {
                    violations.add("two writers in lane " + lane);
                }
                try {
                    Thread.yield();
                    commits.forEach(c -> writes.computeIfAbsent(c.expectedSequence(), k -> new AtomicInteger())
                            .incrementAndGet());
                    long call = calls.incrementAndGet();
                    if (failEvery > 0 && call % (failEvery + 2) == 0) {
                        commits.forEach(c -> decided.put(c.expectedSequence(), "failed"));
                        throw new StorageException("the transaction failed (call " + call + ")", null);
                    }
                    List<Boolean> out = new ArrayList<>();
                    for (Commit c : commits) {
                        boolean applied = (c.expectedSequence() * 31 + call) % 3 != 0;
                        decided.put(c.expectedSequence(), String.valueOf(applied));
                        out.add(applied);
                    }
                    return out;
                } finally {
                    busy.decrementAndGet();
                }
            }
        };
        GroupCommit groups = new GroupCommit(writer, maxGroup);
        Map<Long, String> told = new ConcurrentHashMap<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        long lane = (thread + i) % laneCount;
                        long n = lane * 1_000_000 + thread * 1_000L + i;
                        try {
                            told.put(n, String.valueOf(groups.commit(lane, commit(n))));
                        } catch (StorageException e) {
                            told.put(n, "failed");
                        }
                    }
                } catch (Exception e) {
                    violations.add("thread " + thread + ": " + e);
                }
            });
            th.setDaemon(true);
            all.add(th);
            th.start();
        }
        for (Thread th : all) {
            th.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(th.isAlive()).as("a caller never returned").isFalse();
        }
        assertThat(violations).isEmpty();
        assertThat(told).hasSize(threads * perThread);
        assertThat(writes).hasSize(threads * perThread);
        writes.forEach((n, count) -> assertThat(count.get()).as("writes of %d", n).isEqualTo(1));
        assertThat(told).isEqualTo(decided);
        assertThat(groups.lanesInUse()).isZero();
    }
}
