package dev.agentmemory.jdbc.internal;

import dev.agentmemory.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How erased content's bytes are made to leave a database's storage, and the record of how far that got
 * ({@code am_erasure}, one row: erasures requested and done, across processes). The attempt is
 * {@link ErasureFinisher.Step}: the finisher runs it in the background.
 *
 * <p><b>SQLite.</b> Ordinary writes do not zero what they free ({@code secure_delete} is off), so an update leaves the
 * old row's bytes in free space inside pages and on free pages, and every write leaves them in the write-ahead log
 * until a checkpoint. An erasure therefore rebuilds the file ({@code VACUUM}: every page is written afresh, with no
 * free space carrying old bytes, and the file shrinks to the live pages) and then checkpoints with {@code TRUNCATE},
 * which copies the rebuilt pages over the old ones and empties the {@code -wal} file. The checkpoint cannot finish while
 * another connection or process reads an older snapshot (an open read transaction in a {@code sqlite3} shell, a
 * backup): it is tried without waiting, so writers are never held up, and retried until it succeeds.
 *
 * <p><b>PostgreSQL.</b> A deleted or updated row stays in the table's heap (and its TOAST table and indexes) as a dead
 * tuple until vacuumed, and a plain {@code VACUUM} only marks the space reusable. An erasure therefore waits until no
 * other session holds a snapshot older than the erasure, then runs {@code VACUUM FULL} on the library's tables, which
 * writes new heap, TOAST and index files and unlinks the old ones; it takes its lock with a short
 * {@code lock_timeout}, so a busy table makes it retry rather than queue every other query behind it. The server's
 * write-ahead log keeps the erased bytes until the server recycles those segments, and archives, replicas and backups
 * keep them for as long as they are kept: those are outside the library's reach.
 */
public final class PhysicalErasure implements ErasureFinisher.Step {

    /** What a finished SQLite erasure means. */
    public static final String SQLITE_DONE = "erased content is gone from the SQLite database file and its"
            + " write-ahead log (the file was rebuilt and the log checkpointed and emptied)";

    /** What a finished PostgreSQL erasure means, and what it does not reach. */
    public static final String POSTGRES_DONE = "erased content is gone from the heap, TOAST and index files of the"
            + " library's tables (rewritten by VACUUM FULL); the server's write-ahead log keeps it until the server"
            + " recycles those segments, and WAL archives, replicas and backups are outside the library's reach";

    private static final List<String> PG_TABLES = List.of("am_version", "am_memory", "am_store", "am_quarantine");

    private final Transactions tx;
    private final Dialect dialect;
    /** The requested count the last successful rebuild (SQLite) covered. Finisher thread only. */
    private long rebuiltFor = -1;
    /** PostgreSQL: the transaction horizon fixed for the requested count {@link #horizonFor}. */
    private String horizon;
    private long horizonFor = -1;

    /**
     * @param tx the transaction runner of the backend
     */
    public PhysicalErasure(Transactions tx) {
        this.tx = tx;
        this.dialect = tx.dialect();
    }

    /**
     * Records, inside an erasing commit's transaction, that its content must leave storage.
     *
     * @param c the commit's connection, in its transaction
     * @throws SQLException if the database fails
     */
    public static void recordRequest(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE am_erasure SET requested = requested + 1 WHERE id = 1");
        }
    }

    /** @return what a finished erasure means on this database */
    public String doneDetail() {
        return dialect == Dialect.SQLITE ? SQLITE_DONE : POSTGRES_DONE;
    }

    @Override
    public boolean unfinishedElsewhere() {
        long[] r = counts();
        return r[0] > r[1];
    }

    private long[] counts() {
        return tx.read("read the erasure record", c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT requested, done FROM am_erasure WHERE id = 1")) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
            }
        });
    }

    @Override
    public Optional<String> attempt() {
        long requested = counts()[0];
        Optional<String> left = dialect == Dialect.SQLITE ? sqlite(requested) : postgres(requested);
        if (left.isEmpty()) {
            tx.write("record finished erasure", c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE am_erasure SET done = ? WHERE id = 1 AND done < ?")) {
                    ps.setLong(1, requested);
                    ps.setLong(2, requested);
                    ps.executeUpdate();
                }
                return null;
            });
        }
        return left;
    }

    private Optional<String> sqlite(long requested) {
        if (rebuiltFor < requested) {
            tx.read("rebuild the database file (VACUUM) to erase content", c -> {
                // VACUUM fails while another statement of its connection is in progress: the statements kept for
                // this connection go first (the next write prepares them afresh)
                tx.statements().discard(c);
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM");
                }
                return null;
            });
            rebuiltFor = requested;
        }
        return tx.read("checkpoint the write-ahead log to erase content", c -> {
            int busy;
            try (Statement s = c.createStatement()) {
                // Never wait: a checkpoint that waits holds up every writer while it does.
                int timeout;
                try (ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
                    timeout = rs.next() ? rs.getInt(1) : 0;
                }
                s.execute("PRAGMA busy_timeout = 0");
                try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    busy = rs.next() ? rs.getInt(1) : 1;
                } finally {
                    s.execute("PRAGMA busy_timeout = " + timeout);
                }
            }
            return busy == 0 ? Optional.empty() : Optional.of("another connection or process is reading an older"
                    + " snapshot of the SQLite database (an open read transaction, a backup), so its write-ahead"
                    + " log, which still holds the erased bytes, cannot be checkpointed and emptied yet");
        });
    }

    private Optional<String> postgres(long requested) {
        if (horizonFor != requested) {
            // Every transaction id below this one was handed out before now, after the erasure was committed.
            horizon = tx.read("read the transaction horizon", c -> {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::xid::text")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            horizonFor = requested;
        }
        List<String> older = olderSessions(horizon);
        if (!older.isEmpty()) {
            return Optional.of("sessions of this PostgreSQL database hold transactions that started before the"
                    + " erasure and may still see the erased rows, so VACUUM FULL would keep them: " + older);
        }
        for (String table : PG_TABLES) {
            Optional<String> locked = tx.read("compact " + table + " to erase content", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SET lock_timeout = '1s'");
                    try {
                        s.execute("VACUUM FULL " + table);
                        return Optional.<String>empty();
                    } catch (SQLException e) {
                        if ("55P03".equals(e.getSQLState())) {
                            return Optional.of("table " + table + " is in use by another session holding a lock"
                                    + " that VACUUM FULL must wait for");
                        }
                        throw e;
                    } finally {
                        s.execute("RESET lock_timeout");
                    }
                }
            });
            if (locked.isPresent()) {
                return locked;
            }
        }
        return Optional.empty();
    }

    private List<String> olderSessions(String horizon) {
        return tx.read("look for older transactions", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pid, state, xact_start FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    + " AND ((backend_xmin IS NOT NULL AND age(backend_xmin) > age(CAST(? AS xid)))"
                    + " OR (backend_xid IS NOT NULL AND age(backend_xid) > age(CAST(? AS xid))))")) {
                ps.setString(1, horizon);
                ps.setString(2, horizon);
                try (ResultSet rs = ps.executeQuery()) {
                    List<String> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add("pid " + rs.getInt(1) + " (" + rs.getString(2) + " since " + rs.getString(3) + ")");
                    }
                    return out;
                }
            }
        });
    }
}
