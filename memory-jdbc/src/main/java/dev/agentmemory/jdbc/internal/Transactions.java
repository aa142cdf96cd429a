package dev.agentmemory.jdbc.internal;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.spi.RetryPolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of SQL work on pooled connections: reads in auto-commit, writes as one transaction each, and retries
 * work that failed for a transient reason ("database is locked", a serialization failure, a deadlock, a lost
 * connection) within a bound, so that no caller ever sees such an error as a raw SQL exception.
 */
public final class Transactions {

    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    /** Work done on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work.
         *
         * @param c the connection
         * @return the result
         * @throws SQLException if the database fails
         */
        T run(Connection c) throws SQLException;
    }

    /** Decides, after a transient failure of a write, whether the write took effect after all. */
    @FunctionalInterface
    public interface Outcome<T> {
        /**
         * Checks a write whose transaction failed in a way that leaves its outcome unknown.
         *
         * @param c a fresh connection
         * @return the write's result if it took effect; empty to run it again
         * @throws SQLException if the check fails
         */
        Optional<T> ifApplied(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final RetryPolicy retries;
    private final Optional<ChangeCounter> counter;
    private final Optional<Lock> writeLock;
    private final StatementCache statements;

    /**
     * Creates the runner.
     *
     * @param dataSource where connections come from
     * @param dialect the database's dialect
     * @param retries how transient failures are retried
     * @param counter the SQLite database's change counter, which every write moves while it holds the write lock;
     *     empty for PostgreSQL and for SQLite databases that are not files
     */
    public Transactions(DataSource dataSource, Dialect dialect, RetryPolicy retries,
            Optional<ChangeCounter> counter) {
        this(dataSource, dialect, retries, counter, Optional.empty());
    }

    /**
     * Creates the runner.
     *
     * @param dataSource where connections come from
     * @param dialect the database's dialect
     * @param retries how transient failures are retried
     * @param counter the SQLite database's change counter, which every write moves while it holds the write lock;
     *     empty for PostgreSQL and for SQLite databases that are not files
     * @param writeLock the SQLite database file's in-process write lock ({@link FileWriteLocks}), taken before
     *     {@code BEGIN IMMEDIATE} and released after the transaction ends; empty to leave every wait to SQLite's busy
     *     handler (PostgreSQL, in-memory databases)
     */
    public Transactions(DataSource dataSource, Dialect dialect, RetryPolicy retries,
            Optional<ChangeCounter> counter, Optional<Lock> writeLock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.retries = retries;
        this.counter = counter;
        this.writeLock = writeLock;
        this.statements = new StatementCache(dialect == Dialect.SQLITE);
    }

    /** @return the prepared statements kept per physical connection (SQLite), for statements of fixed text */
    StatementCache statements() {
        return statements;
    }

    /** @return the change counter every write moves, if the database has one */
    public Optional<ChangeCounter> counter() {
        return counter;
    }

    /** @return the dialect */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Runs a read in auto-commit mode.
     *
     * @param what what is read, for messages
     * @param work the read
     * @param <T> the result type
     * @return the result
     */
    public <T> T read(String what, Work<T> work) {
        RetryPolicy.Attempts attempts = retries.start();
        while (true) {
            try (Connection c = dataSource.getConnection()) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                return work.run(c);
            } catch (SQLException e) {
                retryOrThrow(what, e, attempts);
            }
        }
    }

    /**
     * Runs a write as one transaction: {@code BEGIN IMMEDIATE} on SQLite, so that the write lock is taken before any
     * read; an ordinary transaction elsewhere.
     *
     * @param what what is written, for messages
     * @param work the write; it commits nothing itself
     * @param outcome how to tell whether a write whose commit failed took effect
     * @param <T> the result type
     * @return the result
     */
    public <T> T write(String what, Work<T> work, Outcome<T> outcome) {
        return write(what, work, Optional.of(outcome));
    }

    /**
     * Runs a write that may simply run again after a failure that leaves its outcome unknown (it checks its own
     * preconditions, or applying it twice changes nothing).
     *
     * @param what what is written, for messages
     * @param work the write; it commits nothing itself
     * @param <T> the result type
     * @return the result
     */
    public <T> T write(String what, Work<T> work) {
        return write(what, work, Optional.empty());
    }

    /**
     * Runs a write that is one statement, in auto-commit: the statement is its own transaction, so the write costs
     * one round trip to the server and no {@code BEGIN} or {@code COMMIT} of its own. PostgreSQL only; on SQLite every
     * write takes the write lock first ({@link #write(String, Work, Outcome)}).
     *
     * @param what what is written, for messages
     * @param work the write: exactly one statement
     * @param outcome how to tell whether a statement whose connection failed took effect
     * @param <T> the result type
     * @return the result
     */
    public <T> T statement(String what, Work<T> work, Outcome<T> outcome) {
        if (dialect == Dialect.SQLITE) {
            throw new IllegalStateException("SQLite writes run in BEGIN IMMEDIATE transactions");
        }
        RetryPolicy.Attempts attempts = retries.start();
        while (true) {
            try (Connection c = dataSource.getConnection()) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                return work.run(c);
            } catch (SQLException e) {
                retryOrThrow(what, e, attempts);
                Optional<T> applied = checkOutcome(what, outcome, attempts);
                if (applied.isPresent()) {
                    return applied.get();
                }
            }
        }
    }

    private <T> T write(String what, Work<T> work, Optional<Outcome<T>> outcome) {
        RetryPolicy.Attempts attempts = retries.start();
        while (true) {
            try {
                return writeOnce(work);
            } catch (SQLException e) {
                retryOrThrow(what, e, attempts);
                if (outcome.isPresent()) {
                    Optional<T> applied = checkOutcome(what, outcome.get(), attempts);
                    if (applied.isPresent()) {
                        return applied.get();
                    }
                }
            }
        }
    }

    private <T> Optional<T> checkOutcome(String what, Outcome<T> outcome, RetryPolicy.Attempts attempts) {
        while (true) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                return outcome.ifApplied(c);
            } catch (SQLException e) {
                retryOrThrow(what + " (checking whether it took effect)", e, attempts);
            }
        }
    }

    private <T> T writeOnce(Work<T> work) throws SQLException {
        if (writeLock.isEmpty()) {
            return writeOnceLocked(work);
        }
        // This process's writers of the file queue here, first come first served, instead of polling SQLite's lock
        // from its busy handler; the lock is held across BEGIN IMMEDIATE ... COMMIT (or ROLLBACK) and no longer.
        Lock lock = writeLock.get();
        lock.lock();
        try {
            return writeOnceLocked(work);
        } finally {
            lock.unlock();
        }
    }

    private <T> T writeOnceLocked(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (dialect == Dialect.SQLITE) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                try (Statement s = c.createStatement()) {
                    // No secure_delete here: ordinary writes do not pay for zeroing what they free. An erasure
                    // rebuilds the file afterwards instead, which reaches every stale copy (PhysicalErasure).
                    s.execute("BEGIN IMMEDIATE");
                }
                // Holding the write lock now: mark the write in progress for readers in every process (see
                // ChangeCounter), and mark it over after COMMIT or ROLLBACK, whichever happens.
                long odd = counter.map(ChangeCounter::beginWrite).orElse(0L);
                boolean done = false;
                try {
                    T result = work.run(c);
                    try (Statement s = c.createStatement()) {
                        s.execute("COMMIT");
                    }
                    done = true;
                    return result;
                } finally {
                    if (!done) {
                        rollbackQuietly(c, true);
                    }
                    if (odd != 0) {
                        counter.get().endWrite(odd);
                    }
                }
            }
            c.setAutoCommit(false);
            boolean done = false;
            try {
                T result = work.run(c);
                c.commit();
                done = true;
                return result;
            } finally {
                if (!done) {
                    rollbackQuietly(c, false);
                }
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // a broken connection is evicted by the pool
                }
            }
        }
    }

    private static void rollbackQuietly(Connection c, boolean sqlite) {
        try {
            if (sqlite) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
            } else {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the transaction is gone with the connection, or was never begun
        }
    }

    private void retryOrThrow(String what, SQLException e, RetryPolicy.Attempts attempts) {
        if (!isTransient(e)) {
            throw new StorageException(what + " failed: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
        }
        if (attempts.failed() % 20 == 0) {
            LOG.debug("{}: transient failure, retrying ({})", what, e.toString());
        }
        if (!attempts.pause()) {
            throw new StorageException(what + " failed: the database stayed busy or unreachable for "
                    + retries.budget().toSeconds() + " s (" + e.getMessage() + "); retry later", e);
        }
    }

    /**
     * Tells whether a failure may go away by itself: a busy or locked SQLite database, a PostgreSQL serialization
     * failure, deadlock, lock timeout, shutdown of the server process or a lost connection.
     *
     * @param e the failure
     * @return true if retrying may help
     */
    public boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (dialect == Dialect.SQLITE) {
                    int code = s.getErrorCode() & 0xFF;
                    String msg = String.valueOf(s.getMessage());
                    if (code == 5 || code == 6 || msg.contains("SQLITE_BUSY") || msg.contains("database is locked")
                            || msg.contains("SQLITE_LOCKED")) {
                        return true;
                    }
                } else if (state != null && (state.startsWith("08") || state.equals("40001")
                        || state.equals("40P01") || state.equals("55P03") || state.equals("57P01")
                        || state.equals("57P02") || state.equals("57P03"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
