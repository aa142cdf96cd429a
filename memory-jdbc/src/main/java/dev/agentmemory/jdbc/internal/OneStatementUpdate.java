package dev.agentmemory.jdbc.internal;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.spi.ChainUpdate;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.VersionSeal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL: the commit of one new version of one existing memory (an update or a move of one memory, the most
 * common write) as a single statement in auto-commit, so that it costs one round trip to the server instead of five
 * ({@code BEGIN} with the compare-and-set, the head's update, the version's insert, {@code COMMIT}).
 *
 * <p>The statement chains data-modifying common table expressions: the compare-and-set of the store's sequence, which
 * also moves the store's hash-chain head; the
 * head's update, only for the store row that compare-and-set matched; the version's insert, only if the head moved.
 * One statement is one transaction, so it applies whole or not at all. Under PostgreSQL's default isolation a
 * concurrent commit to the same store makes the compare-and-set wait for the store row's lock and then re-check
 * {@code seq = ?} against the committed row: it matches nothing, the statement changes nothing, and the commit
 * reports the lost race as any other. The compare-and-set also requires the memory's row to exist, so a commit that
 * creates the memory (an import, say) changes nothing here and reports failure; {@link CommitWriter} then runs it as an
 * ordinary transaction, which also settles a lost race. A head-conditioned commit whose compare-and-set missed is run
 * instead by {@link SequenceStep#lockForUpdate}, which takes the store row's lock first and then writes with
 * {@link #applyLocked}: the same head update, version insert and chain move, conditioned on the memory's head. In a
 * group commit, whose transaction holds the store row's lock, such a commit is this statement with the memory's head
 * added to its condition ({@link #applyMember}).
 */
final class OneStatementUpdate {

    private static final String SQL = sql("");

    /**
     * The same statement for a member of a group ({@link SequenceStep#applyMember}), whose transaction holds the store
     * row's lock: the store row matches only if the memory still has the head the commit's condition names, so a
     * member whose condition does not hold writes nothing.
     */
    private static final String MEMBER_SQL = sql(" AND head_version_id = ?");

    private static String sql(String headCondition) {
        return "WITH s AS (UPDATE am_store SET seq = seq + 1, chain_length = ?, chain_head = ?"
                + " WHERE id = ? AND seq = ?"
                + " AND EXISTS (SELECT 1 FROM am_memory WHERE store_id = ? AND id = ?" + headCondition + ")"
                + " RETURNING id),"
                + " m AS (UPDATE am_memory SET path = ?, content_sha256 = ?, content_size = ?, head_version_id = ?,"
                + " created_at = ?, updated_at = ? WHERE store_id IN (SELECT id FROM s) AND id = ? RETURNING id),"
                + " v AS (INSERT INTO am_version (store_id, " + RowMapping.VERSION_META + ", content, chain_pos,"
                + " chain_hash, chain_leaf, chain_salt) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                + " WHERE EXISTS (SELECT 1 FROM m) RETURNING id)"
                + " SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM v)";
    }

    /**
     * The same write for a transaction that holds the store row's lock already and has raised its sequence
     * ({@link SequenceStep#lockForUpdate}): the head's update on condition that the memory still has the head the
     * commit read, the version's insert and the chain head's move only if it did.
     */
    private static final String LOCKED_SQL = "WITH m AS (UPDATE am_memory SET path = ?, content_sha256 = ?,"
            + " content_size = ?, head_version_id = ?, created_at = ?, updated_at = ?"
            + " WHERE store_id = ? AND id = ? AND head_version_id = ? RETURNING id),"
            + " v AS (INSERT INTO am_version (store_id, " + RowMapping.VERSION_META + ", content, chain_pos, chain_hash,"
            + " chain_leaf, chain_salt) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
            + " WHERE EXISTS (SELECT 1 FROM m) RETURNING id),"
            + " s AS (UPDATE am_store SET chain_length = ?, chain_head = ? WHERE id = ? AND EXISTS (SELECT 1 FROM m)"
            + " RETURNING id)"
            + " SELECT (SELECT count(*) FROM m), (SELECT count(*) FROM v), (SELECT count(*) FROM s)";

    private OneStatementUpdate() {
    }

    /**
     * Runs the write of a head-conditioned commit that {@link #fits} in a transaction that holds the store row's lock
     * and has raised the store's sequence: one statement, whose head update matches only if the memory still has the
     * head the commit's condition names.
     *
     * @param c the connection, in that transaction
     * @param commit the commit: it fits, and carries a condition naming its memory
     * @param chain the chain update to store (the commit's own, or the one relinked onto the store's actual head)
     * @return true if the head was still the expected one and everything was written; false if nothing was written
     *     (the caller rolls back the raised sequence)
     * @throws SQLException if the database fails
     */
    static boolean applyLocked(Connection c, Commit commit, ChainUpdate chain) throws SQLException {
        String store = commit.storeId().value();
        Memory m = commit.putMemories().get(0);
        MemoryVersion v = commit.addVersions().get(0);
        VersionSeal seal = chain.seals().get(v.id());
        String expectedHead = commit.condition().orElseThrow().expectedHeads().get(m.id()).value();
        try (PreparedStatement ps = c.prepareStatement(LOCKED_SQL)) {
            ps.setString(1, m.path());
            ps.setString(2, m.contentSha256());
            ps.setLong(3, m.contentSizeBytes());
            ps.setString(4, m.headVersionId().value());
            ps.setLong(5, RowMapping.micros(m.createdAt()));
            ps.setLong(6, RowMapping.micros(m.updatedAt()));
            ps.setString(7, store);
            ps.setString(8, m.id().value());
            ps.setString(9, expectedHead);
            ps.setString(10, store);
            // the version's 13 metadata columns and its content, then its seal
            RowMapping.bindVersion(ps, 11, v);
            ps.setLong(25, seal.position());
            ps.setString(26, seal.hash());
            ps.setString(27, seal.leaf());
            if (seal.salt().isPresent()) {
                ps.setString(28, seal.salt().get());
            } else {
                ps.setNull(28, java.sql.Types.VARCHAR);
            }
            ps.setLong(29, chain.head().length());
            ps.setString(30, chain.head().hash());
            ps.setString(31, store);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1 && rs.getLong(2) == 1 && rs.getLong(3) == 1;
            }
        }
    }

    /**
     * Tells whether a commit is one new version of one existing memory and nothing else: its chain update seals just
     * that version and records no purge gap, and it releases no quarantined write.
     *
     * @param commit the commit
     * @return true if {@link #apply} can run it
     */
    static boolean fits(Commit commit) {
        if (commit.store().isPresent() || !commit.removeMemories().isEmpty() || commit.putMemories().size() != 1
                || commit.addVersions().size() != 1 || !commit.replaceVersions().isEmpty()
                || !commit.removeVersions().isEmpty() || commit.releasesQuarantine().isPresent()
                || commit.chain().isEmpty()) {
            return false;
        }
        ChainUpdate chain = commit.chain().get();
        Memory m = commit.putMemories().get(0);
        MemoryVersion v = commit.addVersions().get(0);
        return v.operation() == Operation.MODIFIED && v.memoryId().equals(m.id()) && v.id().equals(m.headVersionId())
                && chain.gaps().isEmpty() && chain.seals().size() == 1 && chain.seals().containsKey(v.id())
                && chain.seals().get(v.id()).redactionPosition().isEmpty();
    }

    /**
     * Runs the commit as one statement.
     *
     * @param c a connection in auto-commit mode
     * @param commit a commit that {@link #fits}
     * @return true if it applied; false if the store's sequence had moved (or the head row was missing)
     * @throws SQLException if the database fails
     */
    static boolean apply(Connection c, Commit commit) throws SQLException {
        long[] counts = run(c, commit, SQL, commit.expectedSequence(), commit.chain().orElseThrow());
        return counts[0] == 1 && counts[1] == 1;
    }

    /**
     * Runs a member of a group as one statement, in the group's transaction, which holds the store row's lock and
     * knows the store's sequence and chain head from the statement before (no savepoint, no read of the store): the
     * store's sequence is raised from {@code sequence}, the chain head moved, the head and the version written, all
     * on condition that the memory still has the head the commit's condition names.
     *
     * @param c the connection, in the group's transaction
     * @param commit a commit that {@link #fits}, with a condition naming its memory
     * @param sequence the store's sequence before this commit
     * @param chain the chain update to store (the commit's own, or the one relinked onto the store's actual head)
     * @return true if it applied; false if nothing was written (the memory's head moved, or the sequence was not
     *     {@code sequence})
     * @throws SQLException if the database fails, or if the statement wrote only part of the commit (which the
     *     caller must roll back)
     */
    static boolean applyMember(Connection c, Commit commit, long sequence, ChainUpdate chain) throws SQLException {
        long[] counts = run(c, commit, MEMBER_SQL, sequence, chain);
        if (counts[0] == 0 && counts[1] == 0) {
            return false;
        }
        if (counts[0] != 1 || counts[1] != 1) {
            throw new SQLException("a group member's statement wrote only part of its commit");
        }
        return true;
    }

    /** Runs {@link #SQL} or {@link #MEMBER_SQL}; returns how many store rows and version rows it wrote. */
    private static long[] run(Connection c, Commit commit, String sql, long sequence, ChainUpdate chain)
            throws SQLException {
        String store = commit.storeId().value();
        Memory m = commit.putMemories().get(0);
        MemoryVersion v = commit.addVersions().get(0);
        VersionSeal seal = chain.seals().get(v.id());
        boolean member = sql.equals(MEMBER_SQL);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, chain.head().length());
            ps.setString(i++, chain.head().hash());
            ps.setString(i++, store);
            ps.setLong(i++, sequence);
            ps.setString(i++, store);
            ps.setString(i++, m.id().value());
            if (member) {
                ps.setString(i++, commit.condition().orElseThrow().expectedHeads().get(m.id()).value());
            }
            ps.setString(i++, m.path());
            ps.setString(i++, m.contentSha256());
            ps.setLong(i++, m.contentSizeBytes());
            ps.setString(i++, m.headVersionId().value());
            ps.setLong(i++, RowMapping.micros(m.createdAt()));
            ps.setLong(i++, RowMapping.micros(m.updatedAt()));
            ps.setString(i++, m.id().value());
            ps.setString(i++, store);
            // the version's 13 metadata columns and its content, then its seal
            RowMapping.bindVersion(ps, i, v);
            i += 14;
            ps.setLong(i++, seal.position());
            ps.setString(i++, seal.hash());
            ps.setString(i++, seal.leaf());
            if (seal.salt().isPresent()) {
                ps.setString(i, seal.salt().get());
            } else {
                ps.setNull(i, java.sql.Types.VARCHAR);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }
}
