package dev.agentmemory.jdbc;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.internal.BackendSettings;
import dev.agentmemory.jdbc.internal.Pools;
import dev.agentmemory.jdbc.internal.SqlBackend;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.spi.MemoryBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A durable backend on a relational database: SQLite, the embedded default (one file, safe for several processes on
 * one machine, inspectable with {@code sqlite3}), or PostgreSQL, for many processes and machines sharing stores.
 *
 * <pre>{@code
 * try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(Path.of("memory.db"))).build()) { ... }
 * JdbcBackend pg = JdbcBackend.postgres("jdbc:postgresql://db.internal/app", "app", password);
 * JdbcBackend own = JdbcBackend.builder().dataSource(hostPool).dialect(Dialect.POSTGRESQL).migrate(false).build();
 * JdbcBackend existing = JdbcBackend.sqlite(Path.of("memory.db"), OpenMode.EXISTING); // never creates
 * }</pre>
 *
 * <p>Dependencies: the database drivers and HikariCP are optional dependencies of this module. Add
 * {@code org.xerial:sqlite-jdbc} for SQLite or {@code org.postgresql:postgresql} for PostgreSQL, and
 * {@code com.zaxxer:HikariCP} when the library opens the pool ({@link #sqlite(Path)}, {@link #postgres}); a host that
 * passes its own data source to the {@link #builder()} needs only its driver.
 *
 * <p>On open it brings the schema up to date ({@link OpenMode}): versioned scripts, recorded with
 * checksums in {@code agent_memory_schema_history}. Every write is one transaction; the compare-and-set of a store's
 * sequence is an {@code UPDATE ... WHERE seq = ?} in that transaction, so conditional writes are enforced by the
 * database, across processes. Transient failures ("database is locked", serialization failures, lost connections)
 * are retried within a bound and never surface as raw SQL errors.
 *
 * <p>Erasure is physical, and says how far it got. A redaction, retention purge or store deletion makes the content
 * unreachable in its commit; then the backend makes the bytes leave storage by itself, in the background (SQLite:
 * the file is rebuilt with {@code VACUUM} and the write-ahead log checkpointed and emptied; PostgreSQL:
 * {@code VACUUM FULL} of the library's tables once no older transaction can see the erased rows), retrying while
 * readers of older snapshots hold it up. {@link #erasureStatus()} reports where it stands. Ordinary writes do not
 * zero what they free, so they do not pay for erasure.
 *
 * <p>Thread-safe; close it to release its connections (a data source given to the builder is closed only if it was
 * asked to be). The library implements this interface; open one with the static factories or the {@link #builder()}.
 */
public interface JdbcBackend extends MemoryBackend {

    /**
     * Opens (creating if need be) a SQLite database file with the settings the library relies on: WAL journal,
     * {@code synchronous=NORMAL}, a 10 s busy timeout, {@code secure_delete} off, and a small connection pool. Needs
     * {@code org.xerial:sqlite-jdbc} and {@code com.zaxxer:HikariCP} on the class path.
     *
     * @param file the database file; its directory is created if missing
     * @return the backend
     */
    static JdbcBackend sqlite(Path file) {
        return sqlite(file, OpenMode.CREATE);
    }

    /**
     * Opens a SQLite database file as {@link #sqlite(Path)} does, creating it only if {@code mode} says so. With
     * {@link OpenMode#EXISTING} or {@link OpenMode#VALIDATE} a missing file, a directory, a file that cannot be
     * written, a damaged file and a SQLite database of another application are each refused with an error naming the
     * file, and nothing is created or changed (no file, directory, table or side file).
     *
     * @param file the database file
     * @param mode what opening may create
     * @return the backend
     * @throws StorageException if the file cannot be opened as asked; {@link SchemaException} if it is not an
     *     agent-memory database or its schema cannot be used
     */
    static JdbcBackend sqlite(Path file, OpenMode mode) {
        Objects.requireNonNull(mode, "mode");
        Pools.requireSqlite();
        Path absolute = file.toAbsolutePath();
        if (mode == OpenMode.CREATE) {
            try {
                Path parent = absolute.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new StorageException("cannot create the directory of " + file + ": " + e.getMessage(), e);
            }
        } else {
            SqliteFiles.checkExisting(file);
        }
        String what = "the SQLite database " + file;
        try {
            return builder().dataSource(pool(what, () -> Pools.sqlite(absolute, mode != OpenMode.CREATE)))
                    .dialect(Dialect.SQLITE).closeDataSource(true).openMode(mode).describe(file.toString()).build();
        } catch (SchemaException e) {
            throw e;
        } catch (StorageException e) {
            throw SqliteFiles.explain(file, e);
        }
    }

    /**
     * Opens a pooled connection to PostgreSQL (HikariCP, at most 10 connections), creating or migrating the schema.
     * Needs {@code org.postgresql:postgresql} and {@code com.zaxxer:HikariCP} on the class path.
     *
     * @param jdbcUrl for example {@code jdbc:postgresql://localhost:5432/app}
     * @param user the user
     * @param password the password
     * @return the backend
     */
    static JdbcBackend postgres(String jdbcUrl, String user, String password) {
        return postgres(jdbcUrl, user, password, OpenMode.CREATE);
    }

    /**
     * Opens a pooled connection to PostgreSQL as {@link #postgres(String, String, String)} does; with
     * {@link OpenMode#EXISTING} or {@link OpenMode#VALIDATE} a database without the agent-memory schema is refused
     * and left without a table added.
     *
     * @param jdbcUrl for example {@code jdbc:postgresql://localhost:5432/app}
     * @param user the user, or null to take it from the URL
     * @param password the password, or null
     * @param mode what opening may create
     * @return the backend
     */
    static JdbcBackend postgres(String jdbcUrl, String user, String password, OpenMode mode) {
        Objects.requireNonNull(mode, "mode");
        return builder().dataSource(pool("PostgreSQL at " + jdbcUrl, () -> Pools.postgres(jdbcUrl, user, password)))
                .dialect(Dialect.POSTGRESQL).closeDataSource(true).openMode(mode)
                .describe("the PostgreSQL database at " + jdbcUrl).build();
    }

    /**
     * Returns a pooled SQLite data source with the settings the library relies on, for hosts that build the backend
     * themselves. Needs {@code org.xerial:sqlite-jdbc} and {@code com.zaxxer:HikariCP} on the class path.
     *
     * @param file the database file (created on first connection if missing)
     * @return the data source; close it when done
     */
    static PooledDataSource sqliteDataSource(Path file) {
        return Pools.sqlite(file.toAbsolutePath(), false);
    }

    /**
     * Starts a backend on a data source of the host's.
     *
     * @return a builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Tells which database this backend is on.
     *
     * @return the dialect
     */
    Dialect dialect();

    /**
     * Makes erased content (redacted versions, purged versions, deleted stores) leave the database's storage now,
     * instead of leaving it to the background finisher ({@link #erasureStatus()}): it asks the finisher and waits for
     * it, at most the retry budget. On SQLite the finisher rebuilds the file and checkpoints it; on PostgreSQL it runs a
     * {@code VACUUM FULL} of the library's tables, which rewrites them and takes an exclusive lock on each for as long
     * as that takes.
     *
     * <p>A {@code VACUUM FULL} keeps the row versions that a transaction still open in the same database might see.
     * So on PostgreSQL this first waits, for at most the retry budget, until no other session of the database holds
     * a transaction or snapshot older than the call (as far as {@code pg_stat_activity} lets the user see).
     *
     * @throws StorageException if such a transaction (on SQLite: a reader of an older snapshot) stays open for longer
     *     than the retry budget; the erasure then stays pending: end it and call again, or let the finisher finish
     */
    void compact();

    /**
     * Reports whether the bytes of everything erased so far (redacted and purged versions, deleted stores) have left
     * the database's storage. After such a commit the backend rebuilds or compacts by itself, in the background,
     * retrying while readers hold older snapshots, and logs when an erasure that had to wait is finished; an erasure
     * left unfinished when a backend closed is finished by the next backend that opens the database. On SQLite,
     * done covers the database file and its write-ahead log. On PostgreSQL, done covers the heap, TOAST and index
     * files of the library's tables; the server's write-ahead log, WAL archives, replicas and backups are out of the
     * library's reach ({@code docs/operations.md}).
     *
     * @return the status now
     */
    @Override
    ErasureStatus erasureStatus();

    /** Starts a pool, reporting a database that cannot be reached or opened as a {@link StorageException}. */
    private static PooledDataSource pool(String what, Supplier<PooledDataSource> start) {
        try {
            return start.get();
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StorageException("cannot open " + what + ": " + cause.getMessage()
                    + "; check that it exists, is reachable and that the credentials are right", e);
        }
    }

    /** Builds a {@link JdbcBackend} on a data source. Each setting may be made once. Not thread-safe. */
    final class Builder {
        private DataSource dataSource;
        private Dialect dialect;
        private OpenMode mode;
        private String describe = "the database";
        private Boolean closeSet;
        private boolean closeDataSource;
        private Long cacheSet;
        private long cacheBytes = 64L * 1024 * 1024;
        private Duration retryBudget;
        private Clock clock;

        private Builder() {
        }

        /**
         * Sets the clock that stamps when an erasure became pending ({@link ErasureStatus#pendingSince()}); the
         * system clock by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            if (this.clock != null) {
                throw new IllegalStateException("clock was already set");
            }
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the data source. Required. For SQLite, see {@link #sqliteDataSource(Path)} for the settings the
         * library relies on.
         *
         * @param dataSource any data source
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            if (this.dataSource != null) {
                throw new IllegalStateException("dataSource was already set");
            }
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Sets the dialect. Required.
         *
         * @param dialect SQLite or PostgreSQL
         * @return this builder
         */
        public Builder dialect(Dialect dialect) {
            if (this.dialect != null) {
                throw new IllegalStateException("dialect was already set");
            }
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Whether to bring the schema up to date on open (on by default). Off, the backend only checks that the
         * schema is complete and unedited, for hosts that apply the scripts with their own tools: the same as
         * {@code openMode(OpenMode.VALIDATE)}.
         *
         * @param migrate whether to migrate
         * @return this builder
         */
        public Builder migrate(boolean migrate) {
            return openMode(migrate ? OpenMode.CREATE : OpenMode.VALIDATE);
        }

        /**
         * Sets what opening may create or change ({@link OpenMode#CREATE} by default). Set it, or
         * {@link #migrate(boolean)}, once.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder openMode(OpenMode mode) {
            if (this.mode != null) {
                throw new IllegalStateException("openMode (or migrate) was already set");
            }
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Names the database in errors (the SQLite file, the PostgreSQL URL). */
        Builder describe(String what) {
            this.describe = what;
            return this;
        }

        /**
         * Whether {@link JdbcBackend#close()} closes the data source (off by default for a host's data source).
         *
         * @param close whether to close it
         * @return this builder
         */
        public Builder closeDataSource(boolean close) {
            if (closeSet != null) {
                throw new IllegalStateException("closeDataSource was already set");
            }
            closeSet = close;
            this.closeDataSource = close;
            return this;
        }

        /**
         * Sets how much decoded content to keep in memory (64 MiB by default; 0 turns the cache off).
         *
         * @param bytes the cache's weight limit
         * @return this builder
         */
        public Builder cacheBytes(long bytes) {
            if (cacheSet != null) {
                throw new IllegalStateException("cacheBytes was already set");
            }
            if (bytes < 0) {
                throw new IllegalArgumentException("cacheBytes cannot be negative: " + bytes);
            }
            cacheSet = bytes;
            this.cacheBytes = bytes;
            return this;
        }

        /**
         * Sets how long transient failures are retried before a {@link StorageException} (30 s by default).
         *
         * @param budget the retry budget
         * @return this builder
         */
        public Builder retryBudget(Duration budget) {
            if (retryBudget != null) {
                throw new IllegalStateException("retryBudget was already set");
            }
            if (budget.isNegative()) {
                throw new IllegalArgumentException("retryBudget cannot be negative: " + budget);
            }
            this.retryBudget = budget;
            return this;
        }

        /**
         * Opens the backend, migrating or checking the schema.
         *
         * @return the backend
         * @throws SchemaException if the schema cannot be used
         */
        public JdbcBackend build() {
            if (dataSource == null || dialect == null) {
                throw new IllegalStateException("a data source and a dialect are required");
            }
            if (retryBudget == null) {
                retryBudget = Duration.ofSeconds(30);
            }
            if (mode == null) {
                mode = OpenMode.CREATE;
            }
            if (clock == null) {
                clock = Clock.systemUTC();
            }
            return new SqlBackend(new BackendSettings(dataSource, dialect, mode, describe, closeDataSource,
                    cacheBytes, retryBudget, clock));
        }
    }
}
