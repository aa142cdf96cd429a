package dev.agentmemory.jdbc.internal;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.spi.Commit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL: the commit of one new version of one existing memory (an update or a move of one memory, the most
 * common write) as a single statement in auto-commit, so that it costs one round trip to the server instead of five
 * ({@code BEGIN} with the compare-and-set, the head's update, the version's insert, {@code COMMIT}).
 *
 * <p>The statement chains data-modifying common table expressions: the compare-and-set of the store's sequence; the
 * head's update, only for the store row that compare-and-set matched; the version's insert, only if the head moved.
 * One statement is one transaction, so it applies whole or not at all. Under PostgreSQL's default isolation a
 * concurrent commit to the same store makes the compare-and-set wait for the store row's lock and then re-check
 * {@code seq = ?} against the committed row: it matches nothing, the statement changes nothing, and the commit
 * reports the lost race as any other. Should the store's sequence match but the head row be missing (which the
 * service's checks at that sequence exclude), the statement has only raised the sequence, which changes no state a
 * reader can see, and the commit reports failure so that the service reads again.
 */
final class OneStatementUpdate {

    private static final String SQL = "WITH s AS (UPDATE am_store SET seq = seq + 1 WHERE id = ? AND seq = ?"
            + " RETURNING id),"
            + " m AS (UPDATE am_memory SET path = ?, content_sha256 = ?, content_size = ?, head_version_id = ?,"
            + " created_at = ?, updated_at = ? WHERE store_id IN (SELECT id FROM s) AND id = ? RETURNING id),"
            + " v AS (INSERT INTO am_version (store_id, " + SqlStore.VERSION_META + ", content)"
            + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM m) RETURNING id)"
            + " SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM v)";

    private OneStatementUpdate() {
    }

    /**
     * Tells whether a commit is one new version of one existing memory and nothing else.
     *
     * @param commit the commit
     * @return true if {@link #apply} can run it
     */
    static boolean fits(Commit commit) {
        if (commit.store().isPresent() || !commit.removeMemories().isEmpty() || commit.putMemories().size() != 1
                || commit.addVersions().size() != 1 || !commit.replaceVersions().isEmpty()
                || !commit.removeVersions().isEmpty()) {
            return false;
        }
        Memory m = commit.putMemories().get(0);
        MemoryVersion v = commit.addVersions().get(0);
        return v.operation() == Operation.MODIFIED && v.memoryId().equals(m.id()) && v.id().equals(m.headVersionId());
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
        String store = commit.storeId().value();
        Memory m = commit.putMemories().get(0);
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, store);
            ps.setLong(2, commit.expectedSequence());
            ps.setString(3, m.path());
            ps.setString(4, m.contentSha256());
            ps.setLong(5, m.contentSizeBytes());
            ps.setString(6, m.headVersionId().value());
            ps.setLong(7, SqlStore.micros(m.createdAt()));
            ps.setLong(8, SqlStore.micros(m.updatedAt()));
            ps.setString(9, m.id().value());
            ps.setString(10, store);
            SqlStore.bindVersion(ps, 11, commit.addVersions().get(0));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1 && rs.getLong(2) == 1;
            }
        }
    }
}
