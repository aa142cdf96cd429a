package dev.agentmemory.jdbc.internal;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.PooledDataSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opens the connection pools of the backend's own factories. HikariCP and the database drivers are optional
 * dependencies of this module: each is touched only here (and in {@link SqliteSettings}), after a check that names the
 * missing artifact, so a host that passes its own data source needs none of them.
 */
public final class Pools {

    private Pools() {
    }

    /** What a factory needs on the class path: a class of it and the Maven coordinates to add. */
    private static void require(String className, String artifact, String what) {
        try {
            Class.forName(className, false, Pools.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new StorageException(what + " needs " + artifact + " on the class path, and it is missing; add that"
                    + " dependency to your build (docs/backends.md lists what each database needs)", e);
        }
    }

    /**
     * Checks that the SQLite driver and HikariCP are present.
     *
     * @throws StorageException naming the missing artifact
     */
    public static void requireSqlite() {
        require("org.sqlite.SQLiteDataSource", "org.xerial:sqlite-jdbc", "a SQLite database");
        require("com.zaxxer.hikari.HikariDataSource", "com.zaxxer:HikariCP",
                "the connection pool that JdbcBackend.sqlite opens");
    }

    /**
     * Checks that the PostgreSQL driver and HikariCP are present.
     *
     * @throws StorageException naming the missing artifact
     */
    public static void requirePostgres() {
        require("org.postgresql.Driver", "org.postgresql:postgresql", "a PostgreSQL database");
        require("com.zaxxer.hikari.HikariDataSource", "com.zaxxer:HikariCP",
                "the connection pool that JdbcBackend.postgres opens");
    }

    /**
     * Opens a pool of SQLite connections with the library's settings.
     *
     * @param file the database file
     * @param readOnlyExisting whether the connections may not create the file
     * @return the pool
     */
    public static PooledDataSource sqlite(Path file, boolean readOnlyExisting) {
        requireSqlite();
        DataSource sqlite = SqliteSettings.dataSource(file, readOnlyExisting);
        firstConnection(sqlite);
        return HikariPools.sqlite(sqlite);
    }

    /**
     * Opens and closes one connection, retrying while the database is busy. Processes or threads opening a fresh file
     * at once race to switch it to WAL, which needs a lock that the busy timeout does not cover; once one connection
     * succeeded the switch is done. Any other failure (a damaged or read-only file) is reported at once.
     */
    private static void firstConnection(DataSource sqlite) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int attempt = 0; ; attempt++) {
            try (Connection c = sqlite.getConnection()) {
                return;
            } catch (SQLException e) {
                int code = e.getErrorCode() & 0xFF;
                boolean busy = code == 5 || code == 6;
                if (!busy || System.nanoTime() > deadline) {
                    throw new StorageException("cannot open the SQLite database: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(Math.min(10L << Math.min(attempt, 5), 200));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted while opening the SQLite database", e);
                }
            }
        }
    }

    /**
     * Opens a pool of PostgreSQL connections.
     *
     * @param jdbcUrl the URL
     * @param user the user, or null to take it from the URL
     * @param password the password, or null
     * @return the pool
     */
    public static PooledDataSource postgres(String jdbcUrl, String user, String password) {
        requirePostgres();
        return HikariPools.postgres(jdbcUrl, user, password);
    }

    /** A pool seen through the library's own type; delegates everything. */
    static final class Wrapped implements PooledDataSource {
        private final DataSource pool;
        private final AutoCloseable closer;

        Wrapped(DataSource pool, AutoCloseable closer) {
            this.pool = pool;
            this.closer = closer;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return pool.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return pool.getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(pool) ? iface.cast(pool) : pool.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(pool) || pool.isWrapperFor(iface);
        }

        @Override
        public void close() {
            try {
                closer.close();
            } catch (Exception e) {
                throw new StorageException("closing the connection pool failed: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return pool.toString();
        }
    }
}
