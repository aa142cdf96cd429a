package dev.agentmemory.jdbc.schema;

import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.SchemaException;
import dev.agentmemory.jdbc.internal.Migrator;
import dev.agentmemory.jdbc.internal.Transactions;
import dev.agentmemory.spi.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A series of versioned SQL scripts and the history table that records which of them a database has: the way
 * agent-memory brings its own tables up to date, offered to a component that keeps tables of its own beside them (a
 * server's API keys, for example).
 *
 * <p>Scripts are classpath resources named {@code V<n>__<what>.sql}, applied in the order given. Each applied script
 * is recorded with its version, its name, the SHA-256 of its text and when it was applied. On every migration the
 * scripts applied earlier are checked against their checksum: an edited script is a {@link SchemaException}, never
 * silently run again; so is a database that records a version newer than the series knows. A script's statements each
 * end with a {@code ;} at the end of a line; lines starting with {@code --} are comments. Migration runs in one
 * transaction under a lock (the database's write lock on SQLite, an advisory transaction lock on PostgreSQL), so
 * processes migrating the same database at once apply each script once.
 *
 * <p>Immutable and thread-safe.
 */
public final class ScriptSeries {

    private static final Pattern SCRIPT_NAME = Pattern.compile("V([1-9][0-9]*)__[A-Za-z0-9_]+\\.sql");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    private final String label;
    private final String upgradeHint;
    private final String historyTable;
    private final String scriptColumn;
    private final String stampColumn;
    private final ChronoUnit stampUnit;
    private final Class<?> anchor;
    private final Function<Dialect, String> folder;
    private final List<String> scripts;

    private ScriptSeries(Builder b) {
        this.label = b.label;
        this.upgradeHint = b.upgradeHint;
        this.historyTable = b.historyTable;
        this.scriptColumn = b.scriptColumn;
        this.stampColumn = b.stampColumn;
        this.stampUnit = b.stampUnit;
        this.anchor = b.anchor;
        this.folder = b.folder;
        this.scripts = b.scripts;
    }

    /**
     * Starts describing a series.
     *
     * @param label what the series is, for messages: for example {@code "memory-server schema"}
     * @param historyTable the table that records the applied scripts; lowercase letters, digits and {@code _}
     * @return a builder
     */
    public static Builder builder(String label, String historyTable) {
        return new Builder(label, historyTable);
    }

    /**
     * Brings a database up to date: checks the scripts applied already and applies the others, retrying transient
     * failures (a locked SQLite database, a serialization failure) for up to 30 seconds.
     *
     * @param dataSource the database
     * @param dialect its dialect
     * @return the versions applied now, in order; empty if the database was up to date
     * @throws SchemaException if an applied script changed, or the database records a version newer than the series
     * @throws dev.agentmemory.error.StorageException if the database fails
     */
    public List<Integer> migrate(DataSource dataSource, Dialect dialect) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(dialect, "dialect");
        Transactions tx = new Transactions(dataSource, dialect, RetryPolicy.transientFailures(Duration.ofSeconds(30)),
                Optional.empty());
        return new Migrator(tx, this, Clock.systemUTC()).migrate();
    }

    /** @return what the series is, for messages */
    public String label() {
        return label;
    }

    /** @return what to do when a database is newer than the series, for messages */
    public String upgradeHint() {
        return upgradeHint;
    }

    /** @return the table that records the applied scripts */
    public String historyTable() {
        return historyTable;
    }

    /** @return the history table's column that holds a script's name */
    public String scriptColumn() {
        return scriptColumn;
    }

    /** @return the history table's column that holds when a script was applied */
    public String stampColumn() {
        return stampColumn;
    }

    /** @return the unit of {@link #stampColumn()}, counted from the epoch */
    public ChronoUnit stampUnit() {
        return stampUnit;
    }

    /** @return the scripts' names, in the order they are applied */
    public List<String> scripts() {
        return scripts;
    }

    /**
     * Returns where a dialect's scripts are.
     *
     * @param dialect the dialect
     * @return the classpath folder, absolute, ending with {@code /}
     */
    public String folder(Dialect dialect) {
        return folder.apply(dialect);
    }

    /** @return the class whose class loader finds the scripts */
    public Class<?> anchor() {
        return anchor;
    }

    /** Describes a series step by step. Not thread-safe. */
    public static final class Builder {

        private final String label;
        private final String historyTable;
        private String upgradeHint = "use a newer version of the software that made it";
        private String scriptColumn = "script";
        private String stampColumn = "installed_at";
        private ChronoUnit stampUnit = ChronoUnit.MICROS;
        private Class<?> anchor;
        private Function<Dialect, String> folder;
        private List<String> scripts;

        private Builder(String label, String historyTable) {
            this.label = Objects.requireNonNull(label, "label");
            this.historyTable = identifier(historyTable, "historyTable");
        }

        /**
         * Sets the scripts, the same for every dialect.
         *
         * @param anchor the class whose class loader finds them
         * @param folder the classpath folder, absolute, for example {@code /com/example/schema/}
         * @param names the scripts' names, {@code V<n>__<what>.sql}, in increasing version order
         * @return this builder
         */
        public Builder scripts(Class<?> anchor, String folder, List<String> names) {
            Objects.requireNonNull(folder, "folder");
            return scripts(anchor, d -> folder, names);
        }

        /**
         * Sets the scripts, in a folder per dialect.
         *
         * @param anchor the class whose class loader finds them
         * @param folder a dialect's classpath folder, absolute
         * @param names the scripts' names, {@code V<n>__<what>.sql}, in increasing version order
         * @return this builder
         * @throws IllegalArgumentException if there are none, a name is not of that form, or the versions do not
         *     increase
         */
        public Builder scripts(Class<?> anchor, Function<Dialect, String> folder, List<String> names) {
            this.anchor = Objects.requireNonNull(anchor, "anchor");
            this.folder = Objects.requireNonNull(folder, "folder").andThen(f -> f.endsWith("/") ? f : f + "/");
            List<String> copy = List.copyOf(names);
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("a script series needs at least one script");
            }
            int last = 0;
            for (String name : copy) {
                if (!SCRIPT_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("a script's name is V<n>__<what>.sql, not '" + name + "'");
                }
                int version = version(name);
                if (version <= last) {
                    throw new IllegalArgumentException("script versions must increase: " + name + " after V" + last);
                }
                last = version;
            }
            this.scripts = copy;
            return this;
        }

        /**
         * Names the history table's columns for a script's name and for when it was applied (default
         * {@code script} and {@code installed_at} in microseconds), for a table made by an earlier release.
         *
         * @param scriptColumn the column of a script's name
         * @param stampColumn the column of when it was applied
         * @param stampUnit the stamp's unit, counted from the epoch: milliseconds or microseconds
         * @return this builder
         */
        public Builder columns(String scriptColumn, String stampColumn, ChronoUnit stampUnit) {
            this.scriptColumn = identifier(scriptColumn, "scriptColumn");
            this.stampColumn = identifier(stampColumn, "stampColumn");
            if (stampUnit != ChronoUnit.MILLIS && stampUnit != ChronoUnit.MICROS) {
                throw new IllegalArgumentException("stamps are in milliseconds or microseconds, not " + stampUnit);
            }
            this.stampUnit = stampUnit;
            return this;
        }

        /**
         * Sets what the error tells a user whose database is newer than the series.
         *
         * @param hint for example {@code "run a newer memory-server"}
         * @return this builder
         */
        public Builder upgradeHint(String hint) {
            this.upgradeHint = Objects.requireNonNull(hint, "hint");
            return this;
        }

        /**
         * Builds the series.
         *
         * @return the series
         * @throws IllegalStateException if no scripts were set
         */
        public ScriptSeries build() {
            if (scripts == null) {
                throw new IllegalStateException("a script series needs its scripts");
            }
            return new ScriptSeries(this);
        }
    }

    /**
     * Returns a script's version.
     *
     * @param name the script's name, {@code V<n>__<what>.sql}
     * @return n
     */
    public static int version(String name) {
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static String identifier(String name, String what) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be lowercase letters, digits and '_', not '" + name + "'");
        }
        return name;
    }
}
