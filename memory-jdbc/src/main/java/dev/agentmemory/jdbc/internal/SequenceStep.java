package dev.agentmemory.jdbc.internal;

import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.ChainUpdate;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.HeadCondition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A commit's first step inside its transaction: the store's sequence. Every commit first compares and sets it
 * ({@code UPDATE ... WHERE seq = ?}), moving the store's chain head in the same statement; a plain commit does not
 * apply if it moved. A {@link HeadCondition head-conditioned} commit whose compare-and-set missed then
 * raises it unconditionally with {@code UPDATE ... RETURNING}, which takes the store row's write lock (on PostgreSQL a
 * concurrent commit to the store waits here for the other to finish, instead of failing after it), and reads in the
 * same statement the store's row and chain head as they are under that lock; then, if the sequence had moved, it
 * checks the condition (the store's row unchanged, every named memory still at its expected head) and gets the chain
 * update relinked onto the actual chain head. A condition that does not hold rolls the transaction back by throwing
 * {@link NotApplied}. Deciding what to store from what was read is {@link #decide}, kept apart from the SQL.
 */
final class SequenceStep {

    /** Reads a store's record from the first columns of a row ({@code SqlStore}'s store columns, in order). */
    @FunctionalInterface
    interface StoreReader {
        MemoryStore read(ResultSet rs) throws SQLException;
    }

    /** Thrown in a commit's transaction whose head condition does not hold; the transaction rolls back. */
    static final class NotApplied extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotApplied() {
            super("the commit's head condition does not hold", null, false, false);
        }
    }

    /**
     * What the step decided: the chain update the commit stores, and whether the step's own statement stored its head
     * already (it does whenever the store's sequence was the one the commit expected, which saves the commit a
     * statement; a relinked chain's head is stored by the caller).
     *
     * @param chain the chain update to store; empty when the commit adds nothing to the chain
     * @param headStored whether the chain's head is stored in the store's row already
     */
    record Decided(Optional<ChainUpdate> chain, boolean headStored) {
    }

    private SequenceStep() {
    }

    /**
     * Runs the step.
     *
     * @param c the connection, in the commit's transaction
     * @param st where the statements are prepared (and kept, on SQLite)
     * @param commit the commit
     * @param storeCols the store columns {@code reader} reads, in order, followed in the statement by the sequence
     *     and the chain head
     * @param reader reads the store's record from those columns
     * @param headsInSameStatement whether the transaction holds the database's write lock already (SQLite), so that
     *     the named heads may be read in the statement that raises the sequence
     * @return empty if the commit does not apply (nothing changed); otherwise the chain update to store
     * @throws NotApplied if a head-conditioned commit raised the sequence and then found its condition broken
     * @throws SQLException if the database fails
     */
    static Optional<Decided> run(Connection c, StatementCache st, Commit commit, String storeCols,
            StoreReader reader, boolean headsInSameStatement) throws SQLException {
        String store = commit.storeId().value();
        // The chain head the commit expects to leave is stored by the same statement, if the sequence is the one the
        // commit was made against (always, for a plain compare-and-set that applies).
        Optional<ChainHead> newHead = commit.chain().map(ChainUpdate::head);
        // First the plain compare-and-set, for a head-conditioned commit too: when the store is where the commit
        // left it (the common case) it applies, and nothing need be read back; a short statement is also cheaper to
        // compile on SQLite than the one with a RETURNING list.
        try (StatementCache.Lease lease = st.lease(c, newHead.isEmpty()
                ? "UPDATE am_store SET seq = seq + 1 WHERE id = ? AND seq = ?"
                : "UPDATE am_store SET seq = seq + 1, chain_length = ?, chain_head = ? WHERE id = ? AND seq = ?")) {
            PreparedStatement ps = lease.statement();
            int i = 1;
            if (newHead.isPresent()) {
                ps.setLong(i++, newHead.get().length());
                ps.setString(i++, newHead.get().hash());
            }
            ps.setString(i++, store);
            ps.setLong(i, commit.expectedSequence());
            if (ps.executeUpdate() == 1) {
                return Optional.of(new Decided(commit.chain(), true));
            }
            if (commit.condition().isEmpty()) {
                return Optional.empty();
            }
        }
        int n = storeCols.split(",").length;
        // On SQLite (whose write lock is held since BEGIN IMMEDIATE) one named memory's head is read in the same
        // statement. Not on PostgreSQL: a statement that waited for the store row's lock still reads other rows as of
        // its start, before the commit it waited for, so the heads are read by the next statement, which sees it.
        Map<MemoryId, VersionId> expected = commit.condition().get().expectedHeads();
        MemoryId single = headsInSameStatement && expected.size() == 1 ? expected.keySet().iterator().next() : null;
        MemoryStore current;
        long before;
        ChainHead head;
        Map<MemoryId, VersionId> heads = new HashMap<>();
        // The store moved since the commit read it (or it does not exist): raise the sequence unconditionally and read
        // the store as it is, with its chain head, for the condition to be checked and the chain relinked onto it.
        try (StatementCache.Lease lease = st.lease(c, "UPDATE am_store SET seq = seq + 1 WHERE id = ? RETURNING "
                + storeCols + ", chain_length, chain_head" + (single == null ? ""
                : ", (SELECT head_version_id FROM am_memory WHERE store_id = ? AND id = ?)"))) {
            PreparedStatement ps = lease.statement();
            int i = 1;
            ps.setString(i++, store);
            if (single != null) {
                ps.setString(i++, store);
                ps.setString(i, single.value());
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty(); // no such store: nothing was changed
                }
                current = reader.read(rs);
                // the store columns end with seq, raised already
                before = rs.getLong(n) - 1;
                head = new ChainHead(rs.getLong(n + 1), rs.getString(n + 2));
                if (single != null && rs.getString(n + 3) != null) {
                    heads.put(single, VersionId.of(rs.getString(n + 3)));
                }
            }
        }
        if (before == commit.expectedSequence()) {
            // the first compare-and-set missed, so only a store created or moved in between gets here
            return Optional.of(new Decided(commit.chain(), false));
        }
        if (single == null) {
            try (StatementCache.Lease lease = st.lease(c,
                    "SELECT head_version_id FROM am_memory WHERE store_id = ? AND id = ?")) {
                PreparedStatement ps = lease.statement();
                for (MemoryId id : expected.keySet()) {
                    ps.setString(1, store);
                    ps.setString(2, id.value());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            heads.put(id, VersionId.of(rs.getString(1)));
                        }
                    }
                }
            }
        }
        Optional<Optional<ChainUpdate>> decided = decide(commit, before, head, current, heads);
        if (decided.isEmpty()) {
            throw new NotApplied();
        }
        return Optional.of(new Decided(decided.get(), false));
    }

    /**
     * PostgreSQL, for a head-conditioned commit that {@link OneStatementUpdate#fits}: raises the store's sequence with
     * {@code UPDATE ... RETURNING} (waiting for a concurrent commit to the store to finish), checks the store's
     * record, relinks the chain if the sequence moved, and writes the head, the version and the chain head in one
     * more statement whose head update checks the memory's head ({@link OneStatementUpdate#applyLocked}). Three
     * statements and the {@code COMMIT}, all while holding the store row's lock.
     *
     * @param c the connection, in the commit's transaction
     * @param commit the commit
     * @param storeCols the store columns {@code reader} reads, in order, ending with the sequence
     * @param reader reads the store's record from those columns
     * @return true if the commit applied; false if the store does not exist (nothing changed)
     * @throws NotApplied if the store's record or the memory's head moved (the transaction rolls back)
     * @throws SQLException if the database fails
     */
    static boolean lockForUpdate(Connection c, Commit commit, String storeCols, StoreReader reader)
            throws SQLException {
        HeadCondition condition = commit.condition().orElseThrow();
        int n = storeCols.split(",").length;
        MemoryStore current;
        long before;
        ChainHead head;
        try (PreparedStatement ps = c.prepareStatement("UPDATE am_store SET seq = seq + 1 WHERE id = ? RETURNING "
                + storeCols + ", chain_length, chain_head")) {
            ps.setString(1, commit.storeId().value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                current = reader.read(rs);
                before = rs.getLong(n) - 1;
                head = new ChainHead(rs.getLong(n + 1), rs.getString(n + 2));
            }
        }
        if (before != commit.expectedSequence() && !condition.expectedStore().equals(current)) {
            throw new NotApplied();
        }
        Optional<ChainUpdate> chain = commit.chainAt(before, head);
        if (!OneStatementUpdate.applyLocked(c, commit, chain.orElseThrow())) {
            throw new NotApplied();
        }
        return true;
    }

    /**
     * The store as a group's transaction, holding the store row's lock, has left it so far: what the next member is
     * checked against and relinked onto, without reading the store again (no other transaction can move it).
     *
     * @param store the store's record
     * @param sequence the store's sequence
     * @param head the store's chain head
     */
    record Locked(MemoryStore store, long sequence, ChainHead head) {
    }

    /**
     * PostgreSQL, in a group's transaction: takes the store row's lock ({@code SELECT ... FOR UPDATE}, waiting for a
     * concurrent commit to the store to finish) and reads the store as it is then. Changes nothing, so it needs no
     * savepoint; the lock is held until the group's transaction ends.
     *
     * @param c the connection, in the group's transaction
     * @param store the store's id
     * @param storeCols the store columns {@code reader} reads, in order, ending with the sequence
     * @param reader reads the store's record from those columns
     * @return the store's state; empty if the store does not exist
     * @throws SQLException if the database fails
     */
    static Optional<Locked> lock(Connection c, String store, String storeCols, StoreReader reader)
            throws SQLException {
        int n = storeCols.split(",").length;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + storeCols + ", chain_length, chain_head"
                + " FROM am_store WHERE id = ? FOR UPDATE")) {
            ps.setString(1, store);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Locked(reader.read(rs), rs.getLong(n),
                        new ChainHead(rs.getLong(n + 1), rs.getString(n + 2))));
            }
        }
    }

    /**
     * SQLite, in a group's transaction (which holds the database's write lock since {@code BEGIN IMMEDIATE}): reads
     * the store as it is, for the members after to be checked against and relinked onto without a compare-and-set
     * that must miss. Changes nothing, so it needs no savepoint.
     *
     * @param c the connection, in the group's transaction
     * @param st where the statement is prepared and kept
     * @param store the store's id
     * @param storeCols the store columns {@code reader} reads, in order, ending with the sequence
     * @param reader reads the store's record from those columns
     * @return the store's state; empty if the store does not exist
     * @throws SQLException if the database fails
     */
    static Optional<Locked> read(Connection c, StatementCache st, String store, String storeCols,
            StoreReader reader) throws SQLException {
        int n = storeCols.split(",").length;
        try (StatementCache.Lease lease = st.lease(c, "SELECT " + storeCols + ", chain_length, chain_head"
                + " FROM am_store WHERE id = ?")) {
            PreparedStatement ps = lease.statement();
            ps.setString(1, store);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Locked(reader.read(rs), rs.getLong(n),
                        new ChainHead(rs.getLong(n + 1), rs.getString(n + 2))));
            }
        }
    }

    /**
     * Decides a group member against the store as the members before it left it ({@link Locked}), without reading
     * the store: at the member's expected sequence its own chain update, at a later one the relinked update if the
     * store's record is the one its condition expects. The memory heads its condition names are the caller's to
     * check (in the statement that writes the head).
     *
     * @param commit a head-conditioned commit
     * @param locked the store as the group has left it so far
     * @return the chain update to store; empty if the member does not apply (the store's record changed)
     */
    static Optional<ChainUpdate> decideMember(Commit commit, Locked locked) {
        HeadCondition condition = commit.condition().orElseThrow();
        if (locked.sequence() != commit.expectedSequence() && !condition.expectedStore().equals(locked.store())) {
            return Optional.empty();
        }
        return commit.chainAt(locked.sequence(), locked.head());
    }

    /**
     * PostgreSQL, a member of a group that {@link OneStatementUpdate#fits} and whose condition names only its own
     * memory, in the group's transaction holding the store row's lock ({@link #lock}): checked exactly as
     * {@link #lockForUpdate} checks it alone (the store's record unless the sequence is the one the commit expected,
     * then its memory's head), against the store as the members before it left it, and written by one statement
     * ({@link OneStatementUpdate#applyMember}) that writes nothing if the head moved. No savepoint is needed: a
     * member that does not apply has written nothing.
     *
     * @param c the connection, in the group's transaction
     * @param commit the commit
     * @param locked the store as the group has left it so far
     * @return the store as this member left it; empty if it did not apply (nothing written)
     * @throws SQLException if the database fails
     */
    static Optional<Locked> applyMember(Connection c, Commit commit, Locked locked) throws SQLException {
        HeadCondition condition = commit.condition().orElseThrow();
        if (locked.sequence() != commit.expectedSequence() && !condition.expectedStore().equals(locked.store())) {
            return Optional.empty();
        }
        ChainUpdate chain = commit.chainAt(locked.sequence(), locked.head()).orElseThrow();
        if (!OneStatementUpdate.applyMember(c, commit, locked.sequence(), chain)) {
            return Optional.empty();
        }
        return Optional.of(new Locked(locked.store(), locked.sequence() + 1, chain.head()));
    }

    /**
     * Decides a commit against the state read under the store row's lock.
     *
     * @param commit the commit
     * @param sequence the store's sequence before this commit
     * @param head the store's chain head
     * @param store the store's record
     * @param heads the current heads of the memories the commit's condition names (absent: no such memory)
     * @return empty if the commit does not apply; otherwise the chain update to store
     */
    static Optional<Optional<ChainUpdate>> decide(Commit commit, long sequence, ChainHead head, MemoryStore store,
            Map<MemoryId, VersionId> heads) {
        if (!commit.appliesOn(sequence, store, id -> Optional.ofNullable(heads.get(id)))) {
            return Optional.empty();
        }
        return Optional.of(commit.chainAt(sequence, head));
    }
}
