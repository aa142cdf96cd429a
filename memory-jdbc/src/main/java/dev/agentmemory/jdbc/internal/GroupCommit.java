package dev.agentmemory.jdbc.internal;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.spi.Commit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Orders the commits of one lane (one store on PostgreSQL, one database file on SQLite) that arrive in this JVM while
 * another of the lane's commits is in flight, and writes them together. A commit that finds its lane idle runs alone,
 * on the writer's ordinary path. One that finds it busy queues; when the commit in flight ends, the oldest queued
 * commit becomes the leader of a group made of it and the commits queued behind it (at most {@code maxGroup}, in
 * arrival order), and its thread writes the whole group in one transaction ({@link GroupWriter#group}); when that ends
 * the next queued commit leads the next group. So the lane's commits pass the store row's lock (or the file's write
 * lock) and the database's durable flush once per group instead of once per commit, every member is acknowledged
 * only after its group's transaction committed, and no member waits behind more than the groups ahead of it.
 *
 * <p>Deciding each member's outcome is the writer's work; this class only orders, hands over and completes. Whatever
 * the leader's writing throws completes every member of its group exceptionally (the group's transaction rolled back
 * as a whole), and {@link #close()} fails the commits still queued. Writers in other processes are not seen here:
 * they meet this JVM's groups in the database's own locks, as they meet any transaction. Thread-safe.
 */
final class GroupCommit implements AutoCloseable {

    /** Writes commits: one alone on its ordinary path, or a group in one transaction. */
    interface GroupWriter {
        /**
         * Writes one commit alone, on the writer's ordinary path.
         *
         * @param commit the commit
         * @return whether it applied
         */
        boolean solo(Commit commit);

        /**
         * Writes several commits of one lane, in order, in one transaction, each checked as it would be alone; one
         * that does not apply changes nothing and does not stop the others. Returns only after the transaction
         * committed; throws (having written nothing) if it did not. A commit the group could not write (its
         * statements failed for a reason that is not transient) gets no outcome: its own caller then writes it
         * alone ({@link #solo}), so that whatever that meets (an exception too) is that caller's alone.
         *
         * @param commits the commits, in arrival order (at least two)
         * @return each commit's outcome, in the same order; null for a commit to be written alone
         */
        List<Boolean> group(List<Commit> commits);
    }

    /** A member's turn when the group could not write it: its own thread writes it alone. */
    private static final Object WRITE_ALONE = new Object();

    /** The default bound of a group's size. */
    static final int DEFAULT_MAX_GROUP = 32;

    private final GroupWriter writer;
    private final int maxGroup;
    private final ConcurrentHashMap<Object, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicLong grouped = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param writer writes single commits and groups
     * @param maxGroup the most commits one group may have (at least one; one turns grouping off)
     */
    GroupCommit(GroupWriter writer, int maxGroup) {
        if (maxGroup < 1) {
            throw new IllegalArgumentException("maxGroup must be at least 1: " + maxGroup);
        }
        this.writer = writer;
        this.maxGroup = maxGroup;
    }

    /**
     * Writes a commit: alone if its lane is idle, otherwise in a group once the lane's commit in flight has ended.
     * Returns once the commit's transaction has committed (or did not apply it).
     *
     * @param lane the lane: the store's id on PostgreSQL, the database on SQLite
     * @param commit the commit
     * @return whether the commit applied
     * @throws StorageException if the database failed, or this instance was closed before the commit was written
     */
    boolean commit(Object lane, Commit commit) {
        if (closed) {
            throw closedError();
        }
        Member me = new Member(commit);
        Lane l;
        boolean alone;
        while (true) {
            l = lanes.computeIfAbsent(lane, Lane::new);
            l.lock.lock();
            if (!l.retired) {
                break; // holding a lane that is in the map
            }
            l.lock.unlock(); // it went idle and left the map meanwhile: take the lane that is there now
        }
        try {
            if (closed) {
                throw closedError();
            }
            alone = !l.busy;
            if (alone) {
                l.busy = true;
            } else {
                l.queue.addLast(me);
            }
        } finally {
            l.lock.unlock();
        }
        if (alone) {
            try {
                return writer.solo(commit);
            } finally {
                handOff(l);
            }
        }
        Object turn = await(me.turn);
        if (turn instanceof Boolean applied) {
            return applied;
        }
        if (turn == WRITE_ALONE) {
            return writer.solo(commit);
        }
        @SuppressWarnings("unchecked")
        List<Member> group = (List<Member>) turn;
        try {
            return lead(group);
        } finally {
            handOff(l);
        }
    }

    /** Writes a group this thread leads (its own commit first) and completes the others; returns its own outcome. */
    private boolean lead(List<Member> group) {
        if (group.size() == 1) {
            return writer.solo(group.get(0).commit);
        }
        grouped.addAndGet(group.size());
        List<Boolean> outcomes;
        try {
            outcomes = writer.group(group.stream().map(m -> m.commit).toList());
            if (outcomes.size() != group.size()) {
                throw new IllegalStateException("a group of " + group.size() + " got " + outcomes.size() + " outcomes");
            }
        } catch (Throwable t) {
            for (int i = 1; i < group.size(); i++) {
                group.get(i).turn.completeExceptionally(t);
            }
            throw t;
        }
        for (int i = 1; i < group.size(); i++) {
            Boolean outcome = outcomes.get(i);
            group.get(i).turn.complete(outcome == null ? WRITE_ALONE : outcome);
        }
        Boolean own = outcomes.get(0);
        return own == null ? writer.solo(group.get(0).commit) : own;
    }

    /** @return how many commits were handed to the writer as members of a group (of two or more) so far */
    long groupedCommits() {
        return grouped.get();
    }

    /** @return how many lanes are in use (a commit in flight or queued) */
    int lanesInUse() {
        return lanes.size();
    }

    /**
     * @param lane a lane
     * @return how many commits wait in it now
     */
    int queued(Object lane) {
        // a lane not in the map has nothing queued
        Lane l = lanes.get(lane);
        if (l == null) {
            return 0;
        }
        l.lock.lock();
        try {
            return l.queue.size();
        } finally {
            l.lock.unlock();
        }
    }

    /** Ends a lane's turn: the oldest queued commit leads the next group, or the lane goes idle. */
    private void handOff(Lane l) {
        List<Member> group;
        l.lock.lock();
        try {
            if (l.queue.isEmpty()) {
                // idle: it leaves the map, so that a JVM writing many stores keeps only the lanes in use
                l.busy = false;
                l.retired = true;
                lanes.remove(l.key, l);
                return;
            }
            group = new ArrayList<>(Math.min(maxGroup, l.queue.size()));
            while (group.size() < maxGroup && !l.queue.isEmpty()) {
                group.add(l.queue.pollFirst());
            }
        } finally {
            l.lock.unlock();
        }
        group.get(0).turn.complete(List.copyOf(group));
    }

    private static Object await(CompletableFuture<Object> turn) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    // not interruptible: a member handed the lead must write its group, and one already written
                    // must learn its outcome
                    return turn.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new StorageException("a group commit failed: " + t, t);
    }

    private static StorageException closedError() {
        return new StorageException("this JDBC backend is closed", null);
    }

    /**
     * Fails every commit still queued (none of them was written) and every later one. A group being written finishes
     * or fails with the database.
     */
    @Override
    public void close() {
        closed = true;
        for (Lane l : lanes.values()) {
            List<Member> dropped = new ArrayList<>();
            l.lock.lock();
            try {
                dropped.addAll(l.queue);
                l.queue.clear();
            } finally {
                l.lock.unlock();
            }
            dropped.forEach(m -> m.turn.completeExceptionally(closedError()));
        }
    }

    /**
     * One lane's state: whether a commit or group is in flight, and the commits queued behind it. A lane is in the
     * map only while it is in use.
     */
    private static final class Lane {
        final Object key;
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<Member> queue = new ArrayDeque<>();
        boolean busy;
        /** Set when the lane went idle and left the map; a commit that finds it so takes the lane in the map. */
        boolean retired;

        Lane(Object key) {
            this.key = key;
        }
    }

    /**
     * A queued commit. Its turn completes with its outcome ({@code Boolean}) when another thread wrote it, with the
     * group it is to lead ({@code List<Member>}, itself first), or exceptionally.
     */
    private static final class Member {
        final Commit commit;
        final CompletableFuture<Object> turn = new CompletableFuture<>();

        Member(Commit commit) {
            this.commit = commit;
        }
    }
}
