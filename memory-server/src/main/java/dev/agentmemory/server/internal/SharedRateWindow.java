package dev.agentmemory.server.internal;

import dev.agentmemory.error.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * A key's request budget shared by every server on one PostgreSQL database: at most {@code perWindow} requests a key
 * in each one-second window (by each server's wall clock), whichever servers they reach. A server leases tokens from
 * the window's row in the table {@code agent_memory_server_rate_windows} in chunks of {@code chunk} and hands them
 * out locally, so it asks the database once per {@code chunk} requests of a key, not on every request. A lease is
 * taken under the row's lock and never grants past the budget, so the servers together never admit more than
 * {@code perWindow} requests of a key in a window; tokens leased but not used when the window ends are lost, so a key
 * busy on {@code n} servers may be refused up to {@code n × (chunk − 1)} requests early. Windows older than a minute
 * are deleted. Thread-safe.
 */
public final class SharedRateWindow {

    private static final long KEEP_SECONDS = 60;

    private final DataSource dataSource;
    private final long perWindow;
    private final long chunk;
    private final LongSupplier millis;
    private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
    private final AtomicLong lastCleanup = new AtomicLong();

    /** What this server holds of one key's current window. */
    private static final class Lease {
        volatile long window = Long.MIN_VALUE;
        long left;
        boolean exhausted;
    }

    /**
     * @param dataSource the shared PostgreSQL database, with the server schema applied
     * @param perWindow the most requests of a key in a one-second window, across servers; at least 1
     * @param millis the wall clock, {@link System#currentTimeMillis()} outside tests
     */
    public SharedRateWindow(DataSource dataSource, long perWindow, LongSupplier millis) {
        this.dataSource = dataSource;
        this.perWindow = Math.max(1, perWindow);
        this.chunk = Math.max(1, this.perWindow / 10);
        this.millis = millis;
    }

    /**
     * Takes one request of a key from the current window.
     *
     * @param keyId the key
     * @return 0 if the request may go ahead, else the seconds until the next window (1)
     * @throws StorageException if the database fails while leasing
     */
    public long acquire(String keyId) {
        long window = Math.floorDiv(millis.getAsLong(), 1000L);
        Lease lease = leases.computeIfAbsent(keyId, k -> new Lease());
        synchronized (lease) {
            if (lease.window != window) {
                lease.window = window;
                lease.left = 0;
                lease.exhausted = false;
            }
            if (lease.left == 0 && !lease.exhausted) {
                long granted = lease(keyId, window);
                lease.left = granted;
                lease.exhausted = granted == 0;
            }
            if (lease.left > 0) {
                lease.left--;
                return 0;
            }
            return 1;
        }
    }

    /** Leases up to {@code chunk} tokens of a window from the shared row; 0 when the window's budget is spent. */
    private long lease(String keyId, long window) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_memory_server_rate_windows"
                        + " (key_id, window_start, granted) VALUES (?, ?, 0) ON CONFLICT (key_id, window_start)"
                        + " DO NOTHING")) {
                    ps.setString(1, keyId);
                    ps.setLong(2, window);
                    ps.executeUpdate();
                }
                long already;
                try (PreparedStatement ps = c.prepareStatement("SELECT granted FROM agent_memory_server_rate_windows"
                        + " WHERE key_id = ? AND window_start = ? FOR UPDATE")) {
                    ps.setString(1, keyId);
                    ps.setLong(2, window);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        already = rs.getLong(1);
                    }
                }
                long granted = Math.max(0, Math.min(chunk, perWindow - already));
                if (granted > 0) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE agent_memory_server_rate_windows"
                            + " SET granted = granted + ? WHERE key_id = ? AND window_start = ?")) {
                        ps.setLong(1, granted);
                        ps.setString(2, keyId);
                        ps.setLong(3, window);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                cleanUp(c, window);
                return granted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot lease from the shared rate limit: " + e.getMessage(), e);
        }
    }

    /** At most once a minute per server: deletes windows older than a minute. */
    private void cleanUp(Connection c, long window) throws SQLException {
        long last = lastCleanup.get();
        if (window - last < KEEP_SECONDS || !lastCleanup.compareAndSet(last, window)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_memory_server_rate_windows"
                + " WHERE window_start < ?")) {
            ps.setLong(1, window - KEEP_SECONDS);
            ps.executeUpdate();
        }
        c.commit();
        // A lease dropped while in use only loses its unused tokens: a new one leases from the same row.
        leases.values().removeIf(l -> l.window < window - 1);
    }
}
