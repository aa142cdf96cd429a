package dev.agentmemory.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.jdbc.OpenMode;
import dev.agentmemory.jdbc.PooledDataSource;
import dev.agentmemory.server.internal.ServerSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The database a server works on: one connection pool shared by the library (its stores, memories and versions) and
 * the server's own tables (its API keys). Opening brings both schemas up to date. Closing closes the library and then
 * the pool.
 *
 * <pre>{@code
 * try (ServerDatabase db = ServerDatabase.sqlite(Path.of("memory.db"))) {
 *     NewApiKey key = db.apiKeys().create(WorkspaceId.of("acme"), "ci");
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ServerDatabase implements AutoCloseable {

    private final DataSource dataSource;
    private final Runnable closePool;
    private final Dialect dialect;
    private final AgentMemory memory;
    private final ApiKeys apiKeys;
    private final boolean closeMemory;

    private ServerDatabase(DataSource dataSource, Runnable closePool, Dialect dialect, OpenMode mode) {
        this.dataSource = dataSource;
        this.closePool = closePool;
        this.dialect = dialect;
        AgentMemory opened = null;
        try {
            // The library opens first: under OpenMode.EXISTING it refuses, untouched, a database that is not
            // agent-memory's, before the server's key table is added to it.
            opened = AgentMemory.builder().backend(JdbcBackend.builder().dataSource(dataSource)
                    .dialect(dialect).closeDataSource(false).openMode(mode).build()).build();
            ServerSchema.migrate(dataSource, dialect);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            closePool.run();
            throw e;
        }
        this.memory = opened;
        this.apiKeys = new ApiKeys(dataSource, Clock.systemUTC());
        this.closeMemory = true;
    }

    private ServerDatabase(AgentMemory memory, DataSource dataSource, Dialect dialect) {
        ServerSchema.migrate(dataSource, dialect);
        this.dataSource = dataSource;
        this.closePool = () -> { };
        this.dialect = dialect;
        this.memory = memory;
        this.apiKeys = new ApiKeys(dataSource, Clock.systemUTC());
        this.closeMemory = false;
    }

    /**
     * Serves a library the host has open already, for a host that embeds the server beside its own use of the
     * library (and for tests that run the library with their own clock). The library's backend must be a
     * {@code JdbcBackend} on this same data source and dialect; the server's key table is added to that database.
     * Closing the returned database closes neither the library nor the data source.
     *
     * @param memory the library, open on {@code dataSource}
     * @param dataSource the database the library's backend uses
     * @param dialect its dialect
     * @return the database
     * @throws StorageException if the server's key table cannot be created or brought up to date
     */
    public static ServerDatabase over(AgentMemory memory, DataSource dataSource, Dialect dialect) {
        return new ServerDatabase(Objects.requireNonNull(memory, "memory"), Objects.requireNonNull(dataSource,
                "dataSource"), Objects.requireNonNull(dialect, "dialect"));
    }

    /**
     * Opens (creating if need be) a SQLite database file, the embedded default.
     *
     * @param file the file
     * @return the database
     * @throws StorageException if it cannot be opened
     */
    public static ServerDatabase sqlite(Path file) {
        return sqlite(file, OpenMode.CREATE);
    }

    /**
     * Opens a SQLite database file.
     *
     * @param file the file
     * @param mode {@link OpenMode#CREATE} to create or upgrade the library's schema, {@link OpenMode#EXISTING} to
     *     accept only an agent-memory database (the server's own key table is still added to it)
     * @return the database
     * @throws StorageException if it cannot be opened, or is refused under {@code mode}
     */
    public static ServerDatabase sqlite(Path file, OpenMode mode) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StorageException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        PooledDataSource ds;
        try {
            ds = JdbcBackend.sqliteDataSource(file);
        } catch (RuntimeException e) {
            throw new StorageException("cannot open the SQLite database " + file + ": " + e.getMessage(), e);
        }
        return new ServerDatabase(ds, ds::close, Dialect.SQLITE, mode);
    }

    /**
     * Opens a pool of connections to PostgreSQL, which many servers may share.
     *
     * @param jdbcUrl for example {@code jdbc:postgresql://db.internal:5432/memory}
     * @param user the user, or empty to take it from the URL
     * @param password the password, or empty
     * @param poolSize the most connections this server holds
     * @return the database
     * @throws StorageException if it cannot be reached
     */
    public static ServerDatabase postgres(String jdbcUrl, String user, String password, int poolSize) {
        return postgres(jdbcUrl, user, password, poolSize, OpenMode.CREATE);
    }

    /**
     * Opens a pool of connections to PostgreSQL.
     *
     * @param jdbcUrl for example {@code jdbc:postgresql://db.internal:5432/memory}
     * @param user the user, or empty to take it from the URL
     * @param password the password, or empty
     * @param poolSize the most connections this server holds
     * @param mode {@link OpenMode#CREATE} to create or upgrade the library's schema, {@link OpenMode#EXISTING} to
     *     accept only a schema the library already installed
     * @return the database
     * @throws StorageException if it cannot be reached, or is refused under {@code mode}
     */
    public static ServerDatabase postgres(String jdbcUrl, String user, String password, int poolSize,
            OpenMode mode) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (!user.isEmpty()) {
            config.setUsername(user);
        }
        if (!password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("memory-server-postgres");
        config.setConnectionTimeout(10_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StorageException("cannot open PostgreSQL at " + jdbcUrl + ": " + cause.getMessage()
                    + "; check that it is reachable and that the credentials are right", e);
        }
        return new ServerDatabase(ds, ds::close, Dialect.POSTGRESQL, mode);
    }

    /** @return the library on this database */
    public AgentMemory memory() {
        return memory;
    }

    /** @return the server's API keys on this database */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** @return the database itself, for the server's own tables */
    DataSource dataSource() {
        return dataSource;
    }

    /** @return the database's dialect */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Checks that the database answers, for the readiness probe.
     *
     * @return whether a connection could be taken and validated within two seconds
     */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Closes the library, then the pool (neither, for a database made by {@link #over}). */
    @Override
    public void close() {
        try {
            if (closeMemory) {
                memory.close();
            }
        } finally {
            closePool.run();
        }
    }
}
