package dev.agentmemory.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prepared statements kept per physical SQLite connection, so that a write does not compile its fixed statements
 * again each time (on SQLite, compiling a statement costs about as much as running it). PostgreSQL's driver keeps its
 * own server-side statements per connection, so there a lease prepares and closes an ordinary statement.
 *
 * <p>The statements live on the physical connection behind the pool's proxy ({@code unwrap(Connection.class)}): a
 * pool closes the statements a borrower prepared through its proxy when the connection goes back, and those are the
 * ones that would otherwise be cached. A statement leased out is returned with its parameters and batch cleared; the
 * driver resets a statement when its update finishes or its result set is closed, so a returned statement is never
 * left in progress. Before a statement that needs no other statement in progress on its connection ({@code VACUUM},
 * a schema change), {@link #discard(Connection)} closes the connection's cached statements.
 *
 * <p>Thread-safe: a physical connection is used by one borrower at a time (the pool's promise), and the map of
 * connections is guarded by its own lock. A statement already leased on a connection (the same SQL used twice at
 * once) is prepared afresh for the second lease and closed when that lease ends.
 */
final class StatementCache {

    /** At most this many statements are kept per connection; a connection that would keep more keeps the first. */
    private static final int PER_CONNECTION = 64;

    private final boolean enabled;
    private final Map<Connection, Map<String, Entry>> byConnection = new HashMap<>();

    /**
     * @param enabled whether statements are kept (SQLite); otherwise every lease prepares and closes its statement
     */
    StatementCache(boolean enabled) {
        this.enabled = enabled;
    }

    /** A statement leased for one use; closing it returns it to the cache (or closes it if it is not cached). */
    static final class Lease implements AutoCloseable {
        private final PreparedStatement statement;
        private final Entry entry;

        private Lease(PreparedStatement statement, Entry entry) {
            this.statement = statement;
            this.entry = entry;
        }

        /** @return the prepared statement, with no parameters bound */
        PreparedStatement statement() {
            return statement;
        }

        @Override
        public void close() throws SQLException {
            if (entry == null) {
                statement.close();
                return;
            }
            try {
                statement.clearParameters();
                statement.clearBatch();
            } catch (SQLException e) {
                entry.broken = true;
                statement.close();
                throw e;
            } finally {
                entry.leased = false;
            }
        }
    }

    /** A cached statement and whether it is leased out now. */
    private static final class Entry {
        final PreparedStatement statement;
        boolean leased;
        boolean broken;

        Entry(PreparedStatement statement) {
            this.statement = statement;
        }
    }

    /**
     * Leases the statement for {@code sql} on a connection, preparing it the first time.
     *
     * @param c the borrowed connection
     * @param sql the statement's text, fixed (never built from values)
     * @return the lease; close it when the statement's work (and its result set) is done
     * @throws SQLException if preparing fails
     */
    Lease lease(Connection c, String sql) throws SQLException {
        if (!enabled) {
            return new Lease(c.prepareStatement(sql), null);
        }
        Connection physical = c.unwrap(Connection.class);
        Map<String, Entry> statements = statementsOf(physical);
        Entry e = statements.get(sql);
        if (e != null && (e.broken || e.statement.isClosed())) {
            statements.remove(sql);
            e = null;
        }
        if (e == null) {
            PreparedStatement ps = physical.prepareStatement(sql);
            if (statements.size() >= PER_CONNECTION) {
                return new Lease(ps, null);
            }
            e = new Entry(ps);
            statements.put(sql, e);
        } else if (e.leased) {
            return new Lease(physical.prepareStatement(sql), null);
        }
        e.leased = true;
        return new Lease(e.statement, e);
    }

    /**
     * Closes the statements kept for a connection, so that none is left on it; the next lease prepares afresh. Call
     * before a statement that fails while other statements of its connection exist or are in progress.
     *
     * @param c the borrowed connection, with no lease open on it
     * @throws SQLException if unwrapping the connection fails
     */
    void discard(Connection c) throws SQLException {
        if (!enabled) {
            return;
        }
        Map<String, Entry> statements;
        synchronized (byConnection) {
            statements = byConnection.remove(c.unwrap(Connection.class));
        }
        if (statements != null) {
            closeAll(statements.values());
        }
    }

    /** The statements of a physical connection; forgets (and closes) those of connections closed since. */
    private Map<String, Entry> statementsOf(Connection physical) throws SQLException {
        List<Entry> gone = new ArrayList<>();
        Map<String, Entry> statements;
        synchronized (byConnection) {
            statements = byConnection.get(physical);
            if (statements == null) {
                for (Iterator<Map.Entry<Connection, Map<String, Entry>>> it = byConnection.entrySet().iterator();
                        it.hasNext();) {
                    Map.Entry<Connection, Map<String, Entry>> kept = it.next();
                    if (kept.getKey().isClosed()) {
                        gone.addAll(kept.getValue().values());
                        it.remove();
                    }
                }
                statements = new HashMap<>();
                byConnection.put(physical, statements);
            }
        }
        closeAll(gone);
        return statements;
    }

    private static void closeAll(Iterable<Entry> entries) {
        for (Entry e : entries) {
            try {
                e.statement.close();
            } catch (SQLException ignored) {
                // closed with its connection already
            }
        }
    }
}
