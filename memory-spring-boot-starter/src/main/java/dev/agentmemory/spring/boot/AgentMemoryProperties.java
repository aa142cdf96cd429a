package dev.agentmemory.spring.boot;

import dev.agentmemory.jdbc.Dialect;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code agent-memory.*} settings of an application: where memories are kept and when old versions are purged.
 * Bound once at startup; immutable.
 */
@ConfigurationProperties("agent-memory")
public final class AgentMemoryProperties {

    /**
     * Where memories are kept. "auto" (the default) takes a SQLite file when agent-memory.sqlite.path is set, else
     * the application's DataSource; "data-source" always the DataSource, "sqlite" always the file, "in-memory" keeps
     * everything in memory and loses it when the application stops (for tests and demos).
     */
    private final BackendType backend;

    /** The embedded SQLite database file, opened and pooled by the library. */
    private final Sqlite sqlite;

    /** How the JDBC backend treats its database, whether the file above or the application's DataSource. */
    private final Jdbc jdbc;

    /** The scheduled purge of old versions. */
    private final Retention retention;

    /**
     * Binds the settings.
     *
     * @param backend where memories are kept
     * @param sqlite the SQLite file settings
     * @param jdbc the JDBC backend settings
     * @param retention the retention schedule
     */
    public AgentMemoryProperties(@DefaultValue("auto") BackendType backend, @DefaultValue Sqlite sqlite,
            @DefaultValue Jdbc jdbc, @DefaultValue Retention retention) {
        this.backend = backend;
        this.sqlite = sqlite;
        this.jdbc = jdbc;
        this.retention = retention;
    }

    /** @return where memories are kept */
    public BackendType getBackend() {
        return backend;
    }

    /** @return the SQLite file settings */
    public Sqlite getSqlite() {
        return sqlite;
    }

    /** @return the JDBC backend settings */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /** @return the retention schedule */
    public Retention getRetention() {
        return retention;
    }

    /** Where memories are kept. */
    public enum BackendType {
        /** A SQLite file when {@code agent-memory.sqlite.path} is set, else the application's DataSource. */
        AUTO,
        /** The application's DataSource (SQLite or PostgreSQL). */
        DATA_SOURCE,
        /** The SQLite file at {@code agent-memory.sqlite.path}, pooled by the library. */
        SQLITE,
        /** In memory, lost when the application stops. */
        IN_MEMORY
    }

    /** The embedded SQLite database file. */
    public static final class Sqlite {

        /**
         * The database file; created with its directory if missing. The library opens it in WAL mode with a busy
         * timeout and a small pool of its own.
         */
        private final Path path;

        /**
         * Binds the settings.
         *
         * @param path the file, or null when not set
         */
        public Sqlite(Path path) {
            this.path = path;
        }

        /** @return the database file, if set */
        public Optional<Path> getPath() {
            return Optional.ofNullable(path);
        }
    }

    /** How the JDBC backend treats its database. */
    public static final class Jdbc {

        /**
         * The SQL dialect of the application's DataSource: sqlite or postgresql. Detected from the database when not
         * set.
         */
        private final Dialect dialect;

        /**
         * Whether to bring the library's tables up to date on startup. Off, the backend only checks that the schema
         * is complete, for applications that apply the library's scripts with their own migration tool.
         */
        private final boolean migrate;

        /** How much decoded content the backend keeps in memory; 0 turns the cache off. */
        private final DataSize cacheSize;

        /** How long transient database failures are retried before an operation fails. */
        private final Duration retryBudget;

        /**
         * Binds the settings.
         *
         * @param dialect the dialect, or null to detect it
         * @param migrate whether to migrate on startup
         * @param cacheSize the content cache's size
         * @param retryBudget the retry budget of transient failures
         */
        public Jdbc(Dialect dialect, @DefaultValue("true") boolean migrate, @DefaultValue("64MB") DataSize cacheSize,
                @DefaultValue("30s") Duration retryBudget) {
            this.dialect = dialect;
            this.migrate = migrate;
            this.cacheSize = cacheSize;
            this.retryBudget = retryBudget;
        }

        /** @return the dialect, if set */
        public Optional<Dialect> getDialect() {
            return Optional.ofNullable(dialect);
        }

        /** @return whether to migrate on startup */
        public boolean isMigrate() {
            return migrate;
        }

        /** @return the content cache's size */
        public DataSize getCacheSize() {
            return cacheSize;
        }

        /** @return the retry budget of transient failures */
        public Duration getRetryBudget() {
            return retryBudget;
        }
    }

    /** The scheduled purge of old versions in every store of the listed workspaces. */
    public static final class Retention {

        /**
         * Whether to purge old versions on a schedule. Off by default: a purge erases history for good, so an
         * application opts in.
         */
        private final boolean enabled;

        /** When to purge, as a Spring cron expression (second minute hour day month weekday). Daily at 03:30. */
        private final String cron;

        /** The time zone of the cron expression; the system's when not set. */
        private final ZoneId zone;

        /** The workspaces whose stores are purged; required when retention is enabled. */
        private final List<String> workspaces;

        /** Versions older than this may be removed; the library's limit (30 days) when not set. */
        private final Duration window;

        /**
         * How many most recent versions of each live memory are always kept, whatever their age; the library's limit
         * (10) when not set. The head is always kept.
         */
        private final Integer keepPerMemory;

        /**
         * Binds the settings.
         *
         * @param enabled whether to purge on a schedule
         * @param cron when
         * @param zone the cron's time zone, or null for the system's
         * @param workspaces the workspaces to purge
         * @param window the retention window, or null for the library's
         * @param keepPerMemory the versions always kept per live memory, or null for the library's
         */
        public Retention(@DefaultValue("false") boolean enabled, @DefaultValue("0 30 3 * * *") String cron,
                ZoneId zone, @DefaultValue List<String> workspaces, Duration window, Integer keepPerMemory) {
            this.enabled = enabled;
            this.cron = cron;
            this.zone = zone;
            this.workspaces = List.copyOf(workspaces);
            this.window = window;
            this.keepPerMemory = keepPerMemory;
        }

        /** @return whether to purge on a schedule */
        public boolean isEnabled() {
            return enabled;
        }

        /** @return the cron expression */
        public String getCron() {
            return cron;
        }

        /** @return the cron's time zone */
        public ZoneId getZone() {
            return zone == null ? ZoneId.systemDefault() : zone;
        }

        /** @return the workspaces to purge */
        public List<String> getWorkspaces() {
            return workspaces;
        }

        /** @return the retention window, if set */
        public Optional<Duration> getWindow() {
            return Optional.ofNullable(window);
        }

        /** @return the versions always kept per live memory, if set */
        public OptionalInt getKeepPerMemory() {
            return keepPerMemory == null ? OptionalInt.empty() : OptionalInt.of(keepPerMemory);
        }
    }
}
