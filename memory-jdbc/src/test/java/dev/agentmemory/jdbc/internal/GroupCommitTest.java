package dev.agentmemory.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.spi.Commit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The group commit's ordering, with a writer that records what it is handed and answers as told: a busy lane queues,
 * groups are formed in arrival order and bounded, a failed group fails each of its members and not the lane, and
 * closing fails what is still queued. (Writing a group into a real database is {@code GroupCommitTest} in the
 * backend's tests.)
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GroupCommitTest {

    private static final String LANE = "store";

    /** Answers each commit with whether its expected sequence is even; the first solo commit waits for a latch. */
    private static final class Recorder implements GroupCommit.GroupWriter {
        final CountDownLatch release = new CountDownLatch(1);
        final List<List<Long>> calls = Collections.synchronizedList(new ArrayList<>());
        volatile RuntimeException groupFailure;
        /** Commits (by expected sequence) the group gives no outcome: their callers write them alone. */
        volatile List<Long> leftAlone = List.of();

        @Override
        public boolean solo(Commit commit) {
            calls.add(List.of(commit.expectedSequence()));
            if (commit.expectedSequence() == 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (commit.expectedSequence() < 0) {
                throw new StorageException("solo failed", null);
            }
            return commit.expectedSequence() % 2 == 0;
        }

        @Override
        public List<Boolean> group(List<Commit> commits) {
            calls.add(commits.stream().map(Commit::expectedSequence).toList());
            if (groupFailure != null) {
                throw groupFailure;
            }
            List<Boolean> out = new ArrayList<>();
            for (Commit c : commits) {
                out.add(leftAlone.contains(c.expectedSequence()) ? null : c.expectedSequence() % 2 == 0);
            }
            return out;
        }
    }

    private static Commit commit(long n) {
        return new Commit(StoreId.of("memstore_group"), n, Optional.empty(), List.of(), List.of(), List.of(), List.of(),
                List.of());
    }

    private static CompletableFuture<Boolean> submit(GroupCommit groups, long n) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(groups.commit(LANE, commit(n)));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Starts the blocking commit 0 and then commits 1..n, each queued before the next starts. */
    private static List<CompletableFuture<Boolean>> queueBehindBusy(GroupCommit groups, Recorder w, int n)
            throws InterruptedException {
        List<CompletableFuture<Boolean>> all = new ArrayList<>();
        all.add(submit(groups, 0));
        while (w.calls.isEmpty()) {
            Thread.sleep(1);
        }
        for (int i = 1; i <= n; i++) {
            all.add(submit(groups, i));
            while (groups.queued(LANE) < i) {
                Thread.sleep(1);
            }
        }
        return all;
    }

    @Test
    void anIdleLaneWritesAloneAndABusyOneInBoundedGroupsInArrivalOrder() throws Exception {
        Recorder w = new Recorder();
        GroupCommit groups = new GroupCommit(w, 3);
        List<CompletableFuture<Boolean>> all = queueBehindBusy(groups, w, 7);
        assertThat(w.calls).containsExactly(List.of(0L));
        w.release.countDown();
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).get(30, TimeUnit.SECONDS)).as("outcome of %d", i).isEqualTo(i % 2 == 0);
        }
        assertThat(w.calls).containsExactly(List.of(0L), List.of(1L, 2L, 3L), List.of(4L, 5L, 6L), List.of(7L));
        assertThat(groups.groupedCommits()).isEqualTo(6);
        assertThat(groups.queued(LANE)).isZero();
        // idle again: the next commit is written alone
        assertThat(groups.commit(LANE, commit(8))).isTrue();
        assertThat(w.calls.get(w.calls.size() - 1)).containsExactly(8L);
        assertThat(groups.lanesInUse()).as("an idle lane leaves the map").isZero();
    }

    @Test
    void aGroupThatFailsFailsEachMemberAndTheLaneGoesOn() throws Exception {
        Recorder w = new Recorder();
        w.groupFailure = new StorageException("the group's transaction failed", null);
        GroupCommit groups = new GroupCommit(w, 32);
        List<CompletableFuture<Boolean>> all = queueBehindBusy(groups, w, 4);
        w.release.countDown();
        assertThat(all.get(0).get(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < all.size(); i++) {
            int n = i;
            assertThatThrownBy(() -> all.get(n).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isSameAs(w.groupFailure);
        }
        assertThat(groups.commit(LANE, commit(10))).isTrue();
    }

    @Test
    void aMemberTheGroupCouldNotWriteIsWrittenAloneByItsOwnCaller() throws Exception {
        Recorder w = new Recorder();
        // 1 leads the group and gets no outcome; -3 gets none either, and alone it fails: only its caller sees that
        w.leftAlone = List.of(1L, -3L);
        GroupCommit groups = new GroupCommit(w, 32);
        List<CompletableFuture<Boolean>> all = new ArrayList<>();
        all.add(submit(groups, 0));
        while (w.calls.isEmpty()) {
            Thread.sleep(1);
        }
        long[] members = {1, 2, -3, 4};
        for (int i = 0; i < members.length; i++) {
            all.add(submit(groups, members[i]));
            while (groups.queued(LANE) < i + 1) {
                Thread.sleep(1);
            }
        }
        w.release.countDown();
        assertThat(all.get(0).get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(all.get(1).get(30, TimeUnit.SECONDS)).as("1, written alone").isFalse();
        assertThat(all.get(2).get(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> all.get(3).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StorageException.class).hasMessage("solo failed");
        assertThat(all.get(4).get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(w.calls).contains(List.of(1L, 2L, -3L, 4L), List.of(1L), List.of(-3L));
        assertThat(w.calls).hasSize(4);
    }

    @Test
    void aSoloCommitThatFailsStillHandsTheLaneOn() throws Exception {
        Recorder w = new Recorder();
        GroupCommit groups = new GroupCommit(w, 32);
        assertThatThrownBy(() -> groups.commit(LANE, commit(-1))).isInstanceOf(StorageException.class);
        assertThat(groups.commit(LANE, commit(2))).isTrue();
        assertThat(groups.queued(LANE)).isZero();
    }

    @Test
    void closingFailsTheQueuedCommitsAndEveryLaterOne() throws Exception {
        Recorder w = new Recorder();
        GroupCommit groups = new GroupCommit(w, 32);
        List<CompletableFuture<Boolean>> all = queueBehindBusy(groups, w, 3);
        groups.close();
        for (int i = 1; i < all.size(); i++) {
            int n = i;
            assertThatThrownBy(() -> all.get(n).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StorageException.class).hasMessageContaining("closed");
        }
        w.release.countDown();
        assertThat(all.get(0).get(30, TimeUnit.SECONDS)).as("the commit in flight finishes").isTrue();
        assertThat(w.calls).containsExactly(List.of(0L));
        assertThatThrownBy(() -> groups.commit(LANE, commit(2))).isInstanceOf(StorageException.class);
    }
}
