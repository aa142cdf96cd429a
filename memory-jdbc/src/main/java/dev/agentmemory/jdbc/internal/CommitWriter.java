package dev.agentmemory.jdbc.internal;

import static dev.agentmemory.jdbc.internal.RowMapping.STORE_COLS;
import static dev.agentmemory.jdbc.internal.RowMapping.VERSION_META;
import static dev.agentmemory.jdbc.internal.RowMapping.micros;
import static dev.agentmemory.jdbc.internal.RowMapping.setString;

import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.ChainUpdate;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.HeadCondition;
import dev.agentmemory.spi.StoreRecord;
import dev.agentmemory.spi.VersionSeal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Applies a {@link Commit}: the compare-and-set of the store's sequence together with all the commit's changes, in
 * one transaction (or, for the common update on PostgreSQL, in {@link OneStatementUpdate}'s one statement). Keeps the
 * caches true to what it wrote: the content of replaced and removed versions leaves memory, and the new heads'
 * content, which it has in hand, is kept. Thread-safe.
 */
final class CommitWriter {

    /** The lane of every commit to a SQLite database: the whole file is written by one transaction at a time. */
    private static final Object SQLITE_LANE = new Object();
    /** The name of the savepoint each member of a group writes under. */
    private static final String MEMBER = "am_group_member";

    private final Transactions tx;
    private final ReadCaches caches;
    private final Runnable afterErase;
    private final GroupCommit groups;
    /**
     * SQLite: where the last transaction that knew left the stores its members wrote, and the change counter's value
     * while it held the write lock; null if none. The next transaction starts from it if the counter shows that no
     * write at all ran in between ({@link #carriedStates}).
     */
    private volatile Carried carried;

    /**
     * @param tx the transaction runner
     * @param caches the backend's caches
     * @param afterErase run after a commit that erased content (redaction, retention, a released held write): the
     *     erasure finisher starts making the erased bytes leave storage
     */
    CommitWriter(Transactions tx, ReadCaches caches, Runnable afterErase) {
        this(tx, caches, afterErase, GroupCommit.DEFAULT_MAX_GROUP);
    }

    /**
     * @param tx the transaction runner
     * @param caches the backend's caches
     * @param afterErase run after a commit that erased content
     * @param maxGroup the most commits written together in one transaction ({@link GroupCommit}); one writes every
     *     commit alone
     */
    CommitWriter(Transactions tx, ReadCaches caches, Runnable afterErase, int maxGroup) {
        this.tx = tx;
        this.caches = caches;
        this.afterErase = afterErase;
        this.groups = new GroupCommit(new GroupCommit.GroupWriter() {
            @Override
            public boolean solo(Commit commit) {
                return writeAlone(commit);
            }

            @Override
            public List<Boolean> group(List<Commit> commits) {
                return writeGroup(commits);
            }
        }, maxGroup);
    }

    /**
     * Writes a commit. One that adds versions and erases nothing (every ordinary create, update, move and delete) is
     * written alone if no other such commit of its store (PostgreSQL) or database file (SQLite) is in flight in this
     * JVM, and otherwise together with the others queued behind that one ({@link GroupCommit}).
     *
     * @param commit the commit
     * @return whether it applied
     */
    boolean commit(Commit commit) {
        if (commit.addVersions().isEmpty() || erases(commit)) {
            return writeAlone(commit);
        }
        return groups.commit(tx.dialect() == Dialect.SQLITE ? SQLITE_LANE : commit.storeId().value(), commit);
    }

    /** @return how many commits were written as members of a group so far */
    long groupedCommits() {
        return groups.groupedCommits();
    }

    /** Fails the commits still queued for a group; later ones fail too. */
    void close() {
        groups.close();
    }

    /** Writes one commit in a transaction (or statement) of its own. */
    private boolean writeAlone(Commit commit) {
        String store = commit.storeId().value();
        // a group this commit was part of may have relinked it and then been rolled back: alone it may land at its
        // expected sequence with its own chain, so an earlier relink must not be taken for where it landed
        commit.condition().ifPresent(CommitWriter::restartRelink);
        Transactions.Outcome<Boolean> outcome = c -> {
            // A commit whose transaction broke off may have been applied; its first new version tells.
            if (!commit.addVersions().isEmpty()) {
                return Statements.exists(c, "SELECT 1 FROM am_version WHERE store_id = ? AND id = ?", store,
                        commit.addVersions().get(0).id().value()) ? Optional.of(true) : Optional.empty();
            }
            return Optional.empty();
        };
        boolean applied;
        AtomicReference<Left> left = new AtomicReference<>();
        AtomicReference<Carried> leaving = new AtomicReference<>();
        try {
            // one statement for the common update on PostgreSQL; if it did not apply (a lost race, or a memory that
            // does not exist yet), the ordinary transaction decides
            boolean oneStatement = tx.dialect() == Dialect.POSTGRESQL && OneStatementUpdate.fits(commit);
            applied = oneStatement
                    && tx.statement("commit to store " + store, c -> OneStatementUpdate.apply(c, commit), outcome);
            boolean sqlite = tx.dialect() == Dialect.SQLITE;
            if (!applied && oneStatement && namesOnlyItsOwnHead(commit)) {
                // the store moved since the commit read it: wait for its row's lock, check the memory's own head
                // (the only head the condition names; a condition naming more goes the ordinary way below)
                applied = tx.write("commit to store " + store,
                        c -> SequenceStep.lockForUpdate(c, commit, STORE_COLS, RowMapping::store), outcome);
            } else if (!applied) {
                // The store row as it stands before this commit, if a read left it in memory: a row is the same
                // at the same sequence, so if the commit's plain compare-and-set applies, the row it leaves is that
                // one with the sequence raised and the chain head the commit stores.
                Optional<StoreRecord> before = sqlite && tx.counter().isPresent() && commit.store().isEmpty()
                        ? caches.stores().lastValue(commit.storeId())
                                .filter(r -> r.sequence() == commit.expectedSequence())
                        : Optional.empty();
                applied = tx.write("commit to store " + store, c -> {
                    left.set(null);
                    leaving.set(null);
                    AtomicBoolean plain = new AtomicBoolean();
                    boolean ok = applyRecordingErasure(c, tx.statements(), commit, sqlite, plain);
                    if (ok && plain.get() && sqlite && OneStatementUpdate.fits(commit)
                            && namesOnlyItsOwnHead(commit)) {
                        // the store as this update left it, for a group that follows (it reads nothing for it)
                        leaving.set(leave(Map.of(store, new SequenceStep.Locked(
                                commit.condition().orElseThrow().expectedStore(), commit.expectedSequence() + 1,
                                commit.chain().orElseThrow().head()))));
                    }
                    if (ok && plain.get() && before.isPresent()) {
                        // held under the counter value the commit leaves: the odd value it holds now, plus one
                        StoreRecord b = before.get();
                        left.set(new Left(new StoreRecord(b.store(), b.sequence() + 1,
                                commit.chain().map(ChainUpdate::head).orElse(b.chain())),
                                tx.counter().get().stamp() + 1));
                    }
                    return ok;
                }, outcome);
            }
        } catch (QuarantineGone | SequenceStep.NotApplied e) {
            // rolled back: another operator released or discarded the held write first, or the commit's head
            // condition did not hold
            return false;
        }
        if (applied && leaving.get() != null) {
            carried = leaving.get();
        }
        if (applied) {
            afterApplied(commit);
            Left row = left.get();
            if (row != null) {
                caches.stores().putWritten(commit.storeId(), row.record(), row.stamp());
            }
        }
        return applied;
    }

    /** The store row a SQLite commit left, and the change counter value it left with it. */
    private record Left(StoreRecord record, long stamp) {
    }

    /**
     * Writes several commits in one transaction, in order: each is checked as it would be alone (its sequence
     * compare-and-set, or for a head-conditioned one the condition against the store as the members before it left
     * it, with its chain relinked onto theirs), and one that does not apply leaves nothing behind without stopping the
     * others. On PostgreSQL the common update (one new version of one memory, conditioned on its own head) is one
     * statement that writes nothing unless it applies, checked against the store's state carried from the member
     * before ({@link SequenceStep#applyMember}); on SQLite the same update is three statements checked against the
     * store as the members before it left it ({@link #sqliteMember}); every other member runs under a savepoint and is
     * rolled back to it if it does not apply. A member whose statements failed for a reason other than a transient one (which retries the
     * whole group) is rolled back to its savepoint and then written alone by its own caller after the group, so that
     * it meets exactly what it would have met alone (an exception too); if it had no savepoint, the whole group is
     * rolled back and every member is written alone so.
     */
    private List<Boolean> writeGroup(List<Commit> commits) {
        boolean sqlite = tx.dialect() == Dialect.SQLITE;
        // the outcomes of the latest attempt: after a failed COMMIT whose result is unknown, the first applied
        // member's first version tells whether the whole group took effect
        AtomicReference<Boolean[]> attempt = new AtomicReference<>();
        // what the latest attempt left, kept for the next transaction once this one committed
        AtomicReference<Carried> leaving = new AtomicReference<>();
        Transactions.Outcome<Boolean[]> outcome = c -> {
            Boolean[] last = attempt.get();
            for (int i = 0; last != null && i < last.length; i++) {
                if (Boolean.TRUE.equals(last[i])) {
                    Commit applied = commits.get(i);
                    return Statements.exists(c, "SELECT 1 FROM am_version WHERE store_id = ? AND id = ?",
                            applied.storeId().value(), applied.addVersions().get(0).id().value())
                            ? Optional.of(last) : Optional.empty();
                }
            }
            return Optional.empty();
        };
        Boolean[] outcomes;
        try {
            outcomes = tx.write("group commit of " + commits.size() + " commits", c -> {
                Boolean[] out = new Boolean[commits.size()];
                attempt.set(out);
                // an attempt before this one was rolled back: where it relinked a member is not where it lands now
                for (Commit commit : commits) {
                    commit.condition().ifPresent(CommitWriter::restartRelink);
                }
                Locked locked = new Locked();
                if (sqlite) {
                    locked.stores.putAll(carriedStates());
                }
                for (int i = 0; i < commits.size(); i++) {
                    out[i] = member(c, commits.get(i), sqlite, locked);
                }
                leaving.set(sqlite ? leave(locked.stores) : null);
                return out;
            }, outcome);
        } catch (GroupBroken e) {
            // rolled back whole: each member is written alone by its own caller and meets what it would have alone
            carried = null;
            return Arrays.asList(new Boolean[commits.size()]);
        } catch (RuntimeException e) {
            carried = null;
            throw e;
        }
        carried = leaving.get();
        List<Boolean> result = new ArrayList<>(commits.size());
        for (int i = 0; i < commits.size(); i++) {
            if (Boolean.TRUE.equals(outcomes[i])) {
                afterApplied(commits.get(i));
            }
            // null: its caller writes it alone (GroupCommit)
            result.add(outcomes[i]);
        }
        return result;
    }

    /**
     * Writes one member of a group: on PostgreSQL the common update as one statement checked against the store as the
     * group left it, every other commit under its savepoint.
     *
     * @param locked the store as the group's transaction has left it, if it holds the store row's lock and knows
     * @return whether it applied; null if it failed for a reason that is not transient and must be written alone
     * @throws GroupBroken if a member without a savepoint failed for a reason that is not transient
     */
    private Boolean member(Connection c, Commit commit, boolean sqlite, Locked locked) throws SQLException {
        if (!sqlite && OneStatementUpdate.fits(commit) && namesOnlyItsOwnHead(commit)) {
            try {
                if (locked.state == null) {
                    Optional<SequenceStep.Locked> state = SequenceStep.lock(c, commit.storeId().value(), STORE_COLS,
                            RowMapping::store);
                    if (state.isEmpty()) {
                        return false; // no such store: nothing was changed
                    }
                    locked.state = state.get();
                }
                Optional<SequenceStep.Locked> after = SequenceStep.applyMember(c, commit, locked.state);
                after.ifPresent(state -> locked.state = state);
                return after.isPresent();
            } catch (SQLException e) {
                if (tx.isTransient(e)) {
                    throw e;
                }
                // PostgreSQL has aborted the transaction, and this member has no savepoint to go back to
                throw new GroupBroken(e);
            } catch (SequenceStep.NotApplied | GroupBroken e) {
                throw e;
            } catch (RuntimeException e) {
                // a failure in Java (a value this member cannot store, say), with no savepoint to go back to
                throw new GroupBroken(e);
            }
        }
        if (sqlite && OneStatementUpdate.fits(commit) && namesOnlyItsOwnHead(commit)) {
            try {
                return sqliteMember(c, commit, locked);
            } catch (SQLException e) {
                if (tx.isTransient(e)) {
                    throw e;
                }
                // written without a savepoint: the group rolls back whole and each member is written alone
                throw new GroupBroken(e);
            } catch (GroupBroken e) {
                throw e;
            } catch (RuntimeException e) {
                throw new GroupBroken(e);
            }
        }
        // the ordinary steps may move the store in ways the carried state does not follow, and a rollback to the
        // savepoint may release the store row's lock taken after it: the next common update locks and reads afresh
        locked.state = null;
        locked.stores.clear();
        try (Statement s = c.createStatement()) {
            s.execute("SAVEPOINT " + MEMBER);
        }
        try {
            boolean applied = apply(c, tx.statements(), commit, sqlite);
            if (applied) {
                return true;
            }
        } catch (QuarantineGone | SequenceStep.NotApplied e) {
            // its condition did not hold: nothing of it stays
        } catch (SQLException e) {
            if (tx.isTransient(e)) {
                throw e;
            }
            rollbackTo(c);
            return null;
        } catch (RuntimeException e) {
            // a failure of this member's own in Java: rolled back, and its caller writes it alone and meets it there
            rollbackTo(c);
            return null;
        }
        rollbackTo(c);
        return false;
    }

    /**
     * SQLite, a member of a group that {@link OneStatementUpdate#fits} and whose condition names only its own memory,
     * in the group's transaction (which holds the database's write lock): written without a savepoint and without a
     * compare-and-set that must miss. It is checked against the store as the members before it left it (or the
     * transaction before, {@link #carriedStates}; or as one read of the store finds it) exactly as
     * {@link SequenceStep#run} checks it alone: the store's record unless the sequence is the one the commit expected,
     * and the memory's head, in the statement that moves it, which writes nothing if the head moved. Its chain is
     * relinked in Java onto the head the member before left: three statements (head, sequence with chain head,
     * version), as for a commit that is alone and current.
     *
     * @return whether it applied (false: nothing of it was written)
     * @throws SQLException if the database fails; the caller rolls the group back whole
     */
    private boolean sqliteMember(Connection c, Commit commit, Locked locked) throws SQLException {
        StatementCache st = tx.statements();
        String store = commit.storeId().value();
        Memory m = commit.putMemories().get(0);
        SequenceStep.Locked at = locked.stores.get(store);
        if (at == null) {
            // the commits queued behind a transaction were made before it committed: a compare-and-set would miss
            Optional<SequenceStep.Locked> read = SequenceStep.read(c, st, store, STORE_COLS, RowMapping::store);
            if (read.isEmpty()) {
                return false; // no such store: nothing was changed
            }
            at = read.get();
        }
        Optional<ChainUpdate> chain = SequenceStep.decideMember(commit, at);
        if (chain.isEmpty()) {
            locked.stores.put(store, at);
            return false;
        }
        VersionId expectedHead = commit.condition().orElseThrow().expectedHeads().get(m.id());
        if (!updateMemoryAtHead(c, st, store, m, expectedHead)) {
            locked.stores.put(store, at);
            return false; // its head moved (or it is gone): nothing was written
        }
        if (!moveSequence(c, st, store, at, chain.get())) {
            throw new SQLException("store " + store + " is not at sequence " + at.sequence()
                    + " inside a transaction that holds the write lock");
        }
        insertVersions(c, st, store, commit.addVersions(), chain.get().seals());
        locked.stores.put(store, new SequenceStep.Locked(at.store(), at.sequence() + 1, chain.get().head()));
        return true;
    }

    private static void restartRelink(HeadCondition condition) {
        condition.relink().restart();
    }

    /**
     * Raises the store's sequence from the state's and moves its chain head from the state's to the update's; false
     * if the store is not in that state (nothing was written). The state is the group's own knowledge, so the chain
     * head is compared too: a relinked chain never lands on a head it was not linked onto.
     */
    private static boolean moveSequence(Connection c, StatementCache st, String store, SequenceStep.Locked at,
            ChainUpdate chain) throws SQLException {
        try (StatementCache.Lease lease = st.lease(c, "UPDATE am_store SET seq = seq + 1, chain_length = ?,"
                + " chain_head = ? WHERE id = ? AND seq = ? AND chain_length = ? AND chain_head = ?")) {
            PreparedStatement ps = lease.statement();
            ps.setLong(1, chain.head().length());
            ps.setString(2, chain.head().hash());
            ps.setString(3, store);
            ps.setLong(4, at.sequence());
            ps.setLong(5, at.head().length());
            ps.setString(6, at.head().hash());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Updates a memory's row if its head is still {@code expectedHead}: in place when its path does not change (the
     * path index's page stays clean, as {@link #updateMemoryInPlace}), otherwise with the path.
     *
     * @return false if the memory does not exist or has another head (nothing was written)
     */
    private static boolean updateMemoryAtHead(Connection c, StatementCache st, String store, Memory m,
            VersionId expectedHead) throws SQLException {
        Optional<VersionId> head = Optional.of(expectedHead);
        return updateMemoryRow(c, st, UPDATE_IN_PLACE + AT_HEAD, false, store, m, head)
                || updateMemoryRow(c, st, UPDATE_WITH_PATH + AT_HEAD, true, store, m, head);
    }

    /**
     * The store as a group's transaction has left it: set while the transaction holds the store row's lock
     * (PostgreSQL) or the database's write lock (SQLite) and its members were written so that it knows.
     */
    private static final class Locked {
        private SequenceStep.Locked state;
        /** SQLite, whose group may write several stores of the file: each store's state, by its id. */
        private final Map<String, SequenceStep.Locked> stores = new HashMap<>();
    }

    /**
     * Where a SQLite transaction left the stores it knows, and the change counter's odd value while it held the write
     * lock.
     */
    private record Carried(Map<String, SequenceStep.Locked> stores, long odd) {
    }

    /**
     * SQLite, inside a write transaction: the stores' states the last transaction that knew them left, if no other
     * write ran since. Every write through this library, in any process, moves the change counter by two (odd while it
     * commits, even after), so the counter two above the value that transaction held means this is the next write to
     * the file; otherwise nothing is carried (and each store is read once). A state is also only ever used through a
     * compare-and-set of the store's sequence, so a write the counter does not see cannot make it apply wrongly.
     */
    private Map<String, SequenceStep.Locked> carriedStates() {
        Carried k = carried;
        if (k == null || tx.counter().isEmpty() || tx.counter().get().stamp() != k.odd() + 2) {
            return Map.of();
        }
        return k.stores();
    }

    /** What a SQLite transaction leaves for the next one, if the file has a change counter. */
    private Carried leave(Map<String, SequenceStep.Locked> stores) {
        if (tx.counter().isEmpty() || stores.isEmpty()) {
            return null;
        }
        return new Carried(Map.copyOf(stores), tx.counter().get().stamp());
    }

    /** A group member without a savepoint failed: the group's transaction rolls back whole. */
    private static final class GroupBroken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GroupBroken(Exception cause) {
            super("a member of a group commit failed", cause);
        }
    }

    private static void rollbackTo(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK TO SAVEPOINT " + MEMBER);
        }
    }

    /** Keeps the caches true to an applied commit. */
    private void afterApplied(Commit commit) {
        commit.replaceVersions().forEach(v -> caches.contents().invalidate(v.id()));
        commit.removeVersions().forEach(caches.contents()::invalidate);
        if (erases(commit)) {
            caches.forgetContent(); // no erased content stays in memory either
            afterErase.run();
        }
        // The new heads' contents are in hand: cache them by version id (immutable), so that the next read or
        // write of these memories does not fetch the bytes it just wrote. Reads still check the head first (or, on a
        // SQLite file, that the change counter has not moved).
        for (Memory m : commit.putMemories()) {
            caches.contents().put(m.headVersionId(), m.text());
        }
    }

    /** Applies a commit; one that erases content also records, in its transaction, that the bytes must go. */
    private static boolean applyRecordingErasure(Connection c, StatementCache st, Commit commit, boolean sqlite)
            throws SQLException {
        return applyRecordingErasure(c, st, commit, sqlite, new AtomicBoolean());
    }

    /**
     * Applies a commit like {@link #applyRecordingErasure(Connection, StatementCache, Commit, boolean)}, and tells
     * whether it applied by the plain compare-and-set of the sequence (so that it left the store row as it was at the
     * commit's expected sequence, with the sequence raised and the commit's chain head).
     */
    private static boolean applyRecordingErasure(Connection c, StatementCache st, Commit commit, boolean sqlite,
            AtomicBoolean plain) throws SQLException {
        boolean applied = apply(c, st, commit, sqlite, plain);
        if (applied && erases(commit)) {
            PhysicalErasure.recordRequest(c);
        }
        return applied;
    }

    /**
     * Tells whether a commit erases content: replaces versions (redaction), removes them (retention), or releases a
     * held write (whose row goes).
     */
    private static boolean erases(Commit commit) {
        return !commit.replaceVersions().isEmpty() || !commit.removeVersions().isEmpty()
                || commit.releasesQuarantine().isPresent();
    }

    private static boolean apply(Connection c, StatementCache st, Commit commit, boolean sqlite) throws SQLException {
        return apply(c, st, commit, sqlite, new AtomicBoolean());
    }

    private static boolean apply(Connection c, StatementCache st, Commit commit, boolean sqlite, AtomicBoolean plain)
            throws SQLException {
        String store = commit.storeId().value();
        // the compare-and-set of the sequence, or for a head-conditioned commit the sequence raised under the store
        // row's lock and the condition checked; tells which chain update to store
        Optional<SequenceStep.Decided> step = SequenceStep.run(c, st, commit, STORE_COLS, RowMapping::store, sqlite);
        if (step.isEmpty()) {
            return false;
        }
        plain.set(step.get().headStored()); // stored with the sequence only by the plain compare-and-set
        if (commit.releasesQuarantine().isPresent()
                && PolicyTables.removeQuarantined(c, store, commit.releasesQuarantine().get()) != 1) {
            throw new QuarantineGone();
        }
        if (commit.store().isPresent()) {
            MemoryStore s = commit.store().get();
            try (StatementCache.Lease lease = st.lease(c, "UPDATE am_store SET name = ?, description = ?,"
                    + " metadata = ?, content_limit_bytes = ?, memory_limit = ?, updated_at = ?, archived_at = ?"
                    + " WHERE id = ?")) {
                PreparedStatement ps = lease.statement();
                ps.setString(1, s.name());
                ps.setString(2, s.description());
                ps.setString(3, JsonColumns.metadataJson(s.metadata()));
                RowMapping.setInt(ps, 4, s.contentLimitBytes());
                RowMapping.setInt(ps, 5, s.memoryLimit());
                ps.setLong(6, micros(s.updatedAt()));
                RowMapping.setMicros(ps, 7, s.archivedAt());
                ps.setString(8, store);
                ps.executeUpdate();
            }
        }
        long delta = 0;
        delta -= deleteMemories(c, st, store, commit.removeMemories());
        if (commit.putMemories().size() == 1) {
            Memory m = commit.putMemories().get(0);
            if (!(sqlite && updateMemoryInPlace(c, st, store, m)) && !updateMemory(c, st, store, m)) {
                insertMemories(c, st, store, List.of(m));
                delta++;
            }
        } else if (!commit.putMemories().isEmpty()) {
            // Several memories may trade paths with each other: remove them all, then insert them all.
            delta -= deleteMemories(c, st, store, commit.putMemories().stream().map(Memory::id).toList());
            insertMemories(c, st, store, commit.putMemories());
            delta += commit.putMemories().size();
        }
        if (delta != 0) {
            try (StatementCache.Lease lease = st.lease(c,
                    "UPDATE am_store SET memory_count = memory_count + ? WHERE id = ?")) {
                PreparedStatement ps = lease.statement();
                ps.setLong(1, delta);
                ps.setString(2, store);
                ps.executeUpdate();
            }
        }
        Map<VersionId, VersionSeal> seals = step.get().chain().map(ChainUpdate::seals).orElse(Map.of());
        insertVersions(c, st, store, commit.addVersions(), seals);
        replaceVersions(c, st, store, commit.replaceVersions());
        if (step.get().chain().isPresent()) {
            applyChain(c, st, store, step.get().chain().get(), commit.addVersions(), step.get().headStored());
        }
        if (!commit.removeVersions().isEmpty()) {
            try (StatementCache.Lease lease = st.lease(c, "DELETE FROM am_version WHERE store_id = ? AND id = ?")) {
                PreparedStatement ps = lease.statement();
                for (VersionId id : commit.removeVersions()) {
                    ps.setString(1, store);
                    ps.setString(2, id.value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return true;
    }

    /**
     * Stores the rest of a commit's chain update: the seals of versions other than the ones it inserted (which
     * carry theirs in their rows), the gap records, and the head with the store unless the sequence step stored it.
     */
    private static void applyChain(Connection c, StatementCache st, String store, ChainUpdate chain,
            List<MemoryVersion> inserted, boolean headStored) throws SQLException {
        List<Map.Entry<VersionId, VersionSeal>> others = chain.seals().entrySet().stream()
                .filter(e -> inserted.stream().noneMatch(v -> v.id().equals(e.getKey()))).toList();
        if (!others.isEmpty()) {
            try (StatementCache.Lease lease = st.lease(c, "UPDATE am_version SET chain_pos = ?, chain_hash = ?,"
                    + " chain_leaf = ?, chain_salt = ?, redaction_pos = ?, redaction_hash = ?"
                    + " WHERE store_id = ? AND id = ?")) {
                PreparedStatement ps = lease.statement();
                for (Map.Entry<VersionId, VersionSeal> e : others) {
                    bindSeal(ps, 1, e.getValue());
                    ps.setString(7, store);
                    ps.setString(8, e.getKey().value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!chain.gaps().isEmpty()) {
            try (StatementCache.Lease lease = st.lease(c, "INSERT INTO am_chain_gap (store_id, pos, gap_end,"
                    + " gap_hash, created_at, hash) VALUES (?, ?, ?, ?, ?, ?)")) {
                PreparedStatement ps = lease.statement();
                for (ChainGap g : chain.gaps()) {
                    ps.setString(1, store);
                    ps.setLong(2, g.position());
                    ps.setLong(3, g.gapEnd());
                    ps.setString(4, g.gapHash());
                    ps.setLong(5, micros(g.createdAt()));
                    ps.setString(6, g.hash());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!headStored) {
            try (StatementCache.Lease lease = st.lease(c,
                    "UPDATE am_store SET chain_length = ?, chain_head = ? WHERE id = ?")) {
                PreparedStatement ps = lease.statement();
                ps.setLong(1, chain.head().length());
                ps.setString(2, chain.head().hash());
                ps.setString(3, store);
                ps.executeUpdate();
            }
        }
    }

    /** Binds a seal's six columns (position, hash, leaf, salt, redaction position, redaction hash) from {@code i}. */
    private static void bindSeal(PreparedStatement ps, int i, VersionSeal seal) throws SQLException {
        ps.setLong(i, seal.position());
        ps.setString(i + 1, seal.hash());
        ps.setString(i + 2, seal.leaf());
        setString(ps, i + 3, seal.salt());
        if (seal.redactionPosition().isPresent()) {
            ps.setLong(i + 4, seal.redactionPosition().get());
        } else {
            ps.setNull(i + 4, Types.BIGINT);
        }
        setString(ps, i + 5, seal.redactionHash());
    }

    private static long deleteMemories(Connection c, StatementCache st, String store, List<MemoryId> ids)
            throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        long n = 0;
        try (StatementCache.Lease lease = st.lease(c, "DELETE FROM am_memory WHERE store_id = ? AND id = ?")) {
            PreparedStatement ps = lease.statement();
            for (MemoryId id : ids) {
                ps.setString(1, store);
                ps.setString(2, id.value());
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    /**
     * Updates a memory's row if its path is the one it already has (an update that does not move it: nearly every
     * one). On SQLite an {@code UPDATE} rewrites the entry of every index whose column it assigns, even to the same
     * value; leaving the path out of it leaves the path index's page clean, one page less for the commit to write.
     *
     * @return false if the memory does not exist or has another path (the caller then writes the path too)
     */
    private static boolean updateMemoryInPlace(Connection c, StatementCache st, String store, Memory m)
            throws SQLException {
        return updateMemoryRow(c, st, UPDATE_IN_PLACE, false, store, m, Optional.empty());
    }

    private static boolean updateMemory(Connection c, StatementCache st, String store, Memory m) throws SQLException {
        return updateMemoryRow(c, st, UPDATE_WITH_PATH, true, store, m, Optional.empty());
    }

    /** A memory row's update: the path kept ({@link #UPDATE_IN_PLACE}) or set, and its head compared if given. */
    private static final String UPDATE_IN_PLACE = "UPDATE am_memory SET content_sha256 = ?, content_size = ?,"
            + " head_version_id = ?, created_at = ?, updated_at = ? WHERE store_id = ? AND id = ? AND path = ?";
    private static final String UPDATE_WITH_PATH = "UPDATE am_memory SET path = ?,"
            + " content_sha256 = ?, content_size = ?, head_version_id = ?, created_at = ?, updated_at = ?"
            + " WHERE store_id = ? AND id = ?";
    private static final String AT_HEAD = " AND head_version_id = ?";

    /**
     * Runs one of the memory row's updates: {@code sql} is {@link #UPDATE_IN_PLACE} or {@link #UPDATE_WITH_PATH}
     * ({@code withPath}), followed by {@link #AT_HEAD} when {@code expectedHead} is given.
     *
     * @return whether a row was updated
     */
    private static boolean updateMemoryRow(Connection c, StatementCache st, String sql, boolean withPath, String store,
            Memory m, Optional<VersionId> expectedHead) throws SQLException {
        try (StatementCache.Lease lease = st.lease(c, sql)) {
            PreparedStatement ps = lease.statement();
            int i = 1;
            if (withPath) {
                ps.setString(i++, m.path());
            }
            ps.setString(i++, m.contentSha256());
            ps.setLong(i++, m.contentSizeBytes());
            ps.setString(i++, m.headVersionId().value());
            ps.setLong(i++, micros(m.createdAt()));
            ps.setLong(i++, micros(m.updatedAt()));
            ps.setString(i++, store);
            ps.setString(i++, m.id().value());
            if (!withPath) {
                ps.setString(i++, m.path());
            }
            if (expectedHead.isPresent()) {
                ps.setString(i, expectedHead.get().value());
            }
            return ps.executeUpdate() == 1;
        }
    }

    private static void insertMemories(Connection c, StatementCache st, String store, List<Memory> memories)
            throws SQLException {
        try (StatementCache.Lease lease = st.lease(c, "INSERT INTO am_memory (store_id, id, path,"
                + " content_sha256, content_size, head_version_id, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            PreparedStatement ps = lease.statement();
            for (Memory m : memories) {
                ps.setString(1, store);
                ps.setString(2, m.id().value());
                ps.setString(3, m.path());
                ps.setString(4, m.contentSha256());
                ps.setLong(5, m.contentSizeBytes());
                ps.setString(6, m.headVersionId().value());
                ps.setLong(7, micros(m.createdAt()));
                ps.setLong(8, micros(m.updatedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Inserts versions, each with its seal if the commit's chain update has one (no second statement for it). */
    private static void insertVersions(Connection c, StatementCache st, String store, List<MemoryVersion> versions,
            Map<VersionId, VersionSeal> seals) throws SQLException {
        if (versions.isEmpty()) {
            return;
        }
        try (StatementCache.Lease lease = st.lease(c, "INSERT INTO am_version (store_id, " + VERSION_META
                + ", content, chain_pos, chain_hash, chain_leaf, chain_salt, redaction_pos, redaction_hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            PreparedStatement ps = lease.statement();
            for (MemoryVersion v : versions) {
                ps.setString(1, store);
                RowMapping.bindVersion(ps, 2, v);
                VersionSeal seal = seals.get(v.id());
                if (seal != null) {
                    bindSeal(ps, 16, seal);
                } else {
                    ps.setNull(16, Types.BIGINT);
                    ps.setNull(17, Types.VARCHAR);
                    ps.setNull(18, Types.VARCHAR);
                    ps.setNull(19, Types.VARCHAR);
                    ps.setNull(20, Types.BIGINT);
                    ps.setNull(21, Types.VARCHAR);
                }
                if (versions.size() == 1) {
                    ps.executeUpdate();
                    return;
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void replaceVersions(Connection c, StatementCache st, String store, List<MemoryVersion> versions)
            throws SQLException {
        if (versions.isEmpty()) {
            return;
        }
        try (StatementCache.Lease lease = st.lease(c, "UPDATE am_version SET id = ?, memory_id = ?, operation = ?,"
                + " path = ?, content_sha256 = ?, content_size = ?, actor_type = ?, actor_id = ?, created_at = ?,"
                + " redacted_at = ?, redacted_by_type = ?, redacted_by_id = ?, policy_redactions = ?, content = ?"
                + " WHERE store_id = ? AND id = ?")) {
            PreparedStatement ps = lease.statement();
            for (MemoryVersion v : versions) {
                RowMapping.bindVersion(ps, 1, v);
                ps.setString(15, store);
                ps.setString(16, v.id().value());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Rolls a release's commit back when its held write is gone. */
    private static final class QuarantineGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QuarantineGone() {
            super("the held write is gone", null, false, false);
        }
    }

    /** Whether the commit's head condition names exactly the one memory it puts (what the locked update checks). */
    private static boolean namesOnlyItsOwnHead(Commit commit) {
        return commit.condition().map(c -> c.expectedHeads().size() == 1
                && c.expectedHeads().containsKey(commit.putMemories().get(0).id())).orElse(false);
    }
}
