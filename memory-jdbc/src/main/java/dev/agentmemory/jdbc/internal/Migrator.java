package dev.agentmemory.jdbc.internal;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.SchemaException;
import dev.agentmemory.jdbc.schema.ScriptSeries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link ScriptSeries} to a database and records it in the series' history table: by default the library's
 * own scripts of a dialect, recorded in {@code agent_memory_schema_history}, which never collides with the host's
 * tables or its own migration tool. Scripts applied earlier are checked against their checksum on every open: an
 * edited script is an error, never silently re-run. Migration runs in one transaction under a lock, so processes
 * opening the same database at once apply each script once.
 */
public final class Migrator {

    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    /** The library's history table's name. */
    public static final String HISTORY_TABLE = "agent_memory_schema_history";

    /** The library's scripts, in order. A new version is appended here and as a file; an applied one is never edited. */
    static final List<String> SCRIPTS = List.of("V1__initial_schema.sql", "V2__content_once.sql",
            "V3__hash_chain.sql", "V4__write_policies.sql", "V5__erasure_state.sql", "V6__version_index_slim.sql",
            "V7__sequence_floor.sql");

    /** The library's own series. */
    public static final ScriptSeries LIBRARY = ScriptSeries.builder("agent-memory schema", HISTORY_TABLE)
            .scripts(Migrator.class, d -> "/dev/agentmemory/jdbc/schema/" + d.folder() + "/", SCRIPTS)
            .upgradeHint("upgrade agent-memory")
            .build();

    /** The advisory lock every series' migration takes on PostgreSQL, so that migrations never interleave. */
    private static final long LOCK_KEY = 7461626;

    /** One script: its version, name and text. */
    record Script(int version, String name, String sql, String checksum) {
    }

    private final Transactions tx;
    private final Dialect dialect;
    private final ScriptSeries series;
    private final String history;
    private final Clock clock;

    /**
     * Creates a migrator of the library's scripts that stamps applied scripts with the system clock.
     *
     * @param tx the transaction runner
     */
    public Migrator(Transactions tx) {
        this(tx, Clock.systemUTC());
    }

    /**
     * Creates a migrator of the library's scripts.
     *
     * @param tx the transaction runner
     * @param clock the clock that stamps each applied script's {@code installed_at}
     */
    public Migrator(Transactions tx, Clock clock) {
        this(tx, LIBRARY, clock);
    }

    /**
     * Creates a migrator of a series.
     *
     * @param tx the transaction runner
     * @param series the scripts and their history table
     * @param clock the clock that stamps each applied script
     */
    public Migrator(Transactions tx, ScriptSeries series, Clock clock) {
        this.tx = tx;
        this.dialect = tx.dialect();
        this.series = series;
        this.history = series.historyTable();
        this.clock = clock;
    }

    /** @return the scripts of this dialect, in order */
    List<Script> scripts() {
        List<Script> out = new ArrayList<>();
        for (String name : series.scripts()) {
            String resource = series.folder(dialect) + name;
            try (InputStream in = series.anchor().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("schema script missing from the jar: " + resource);
                }
                String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
                out.add(new Script(ScriptSeries.version(name), name, sql, sha256(sql)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + resource, e);
            }
        }
        return out;
    }

    /**
     * Brings the schema up to date: checks the scripts applied already and applies the others.
     *
     * @return the versions applied now
     */
    public List<Integer> migrate() {
        return migrate(Integer.MAX_VALUE);
    }

    /**
     * Brings the schema up to a version and no further: what an older library made, for tests that upgrade such a
     * database. The library itself always migrates to its newest version.
     *
     * @param upToVersion the newest version to apply
     * @return the versions applied now
     */
    public List<Integer> migrate(int upToVersion) {
        List<Script> scripts = scripts().stream().filter(s -> s.version() <= upToVersion).toList();
        return tx.write(series.label() + " migration", c -> {
            lock(c);
            createHistory(c);
            Map<Integer, String[]> applied = applied(c);
            check(scripts, applied);
            List<Integer> done = new ArrayList<>();
            for (Script s : scripts) {
                if (applied.containsKey(s.version())) {
                    continue;
                }
                for (String statement : statements(s.sql())) {
                    try (Statement st = c.createStatement()) {
                        st.execute(statement);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + history + " (version, "
                        + series.scriptColumn() + ", checksum, " + series.stampColumn() + ") VALUES (?, ?, ?, ?)")) {
                    ps.setInt(1, s.version());
                    ps.setString(2, s.name());
                    ps.setString(3, s.checksum());
                    ps.setLong(4, series.stampUnit() == ChronoUnit.MILLIS ? clock.millis() : clock.millis() * 1000);
                    ps.executeUpdate();
                }
                LOG.info("applied {} script {}", series.label(), s.name());
                done.add(s.version());
            }
            return done;
        });
    }

    /**
     * Checks, without changing anything, that the database already is an agent-memory database: that it has the
     * library's schema history table.
     *
     * @param database names the database in the error, e.g. the SQLite file
     * @throws SchemaException if it has none
     */
    public void requireHistory(String database) {
        boolean present = tx.read("schema check", this::historyExists);
        if (!present) {
            throw new SchemaException(database + " is not an agent-memory database: the agent-memory schema is not"
                    + " installed (there is no " + history + " table), so it was left unchanged; check the name, or create an agent-memory database there"
                    + " explicitly (memctl init, or open it with OpenMode.CREATE)");
        }
    }

    /** Checks, without changing anything, that the schema is complete and unedited. */
    public void verify() {
        List<Script> scripts = scripts();
        tx.read("schema check", c -> {
            if (!historyExists(c)) {
                throw new SchemaException("the agent-memory schema is not installed in this database and"
                        + " migrations are turned off; turn them on, or apply the scripts under"
                        + " " + series.folder(dialect).substring(1) + " and record them in " + history);
            }
            Map<Integer, String[]> applied = applied(c);
            check(scripts, applied);
            for (Script s : scripts) {
                if (!applied.containsKey(s.version())) {
                    throw new SchemaException("schema script " + s.name() + " has not been applied and migrations"
                            + " are turned off; apply it, or open the backend with migrations on");
                }
            }
            return null;
        });
    }

    private void check(List<Script> scripts, Map<Integer, String[]> applied) {
        int newest = scripts.get(scripts.size() - 1).version();
        for (Map.Entry<Integer, String[]> e : applied.entrySet()) {
            if (e.getKey() > newest) {
                throw new SchemaException("the database's " + series.label() + " is at version " + e.getKey()
                        + " (" + e.getValue()[0] + "), newer than this software knows (" + newest + "); "
                        + series.upgradeHint());
            }
        }
        for (Script s : scripts) {
            String[] row = applied.get(s.version());
            if (row != null && !row[1].equals(s.checksum())) {
                throw new SchemaException(series.label() + " script " + s.name() + " was changed after it was applied to this"
                        + " database (checksum " + s.checksum() + ", recorded " + row[1] + "); applied scripts must"
                        + " never change: restore the original script, and put new changes in a new version");
            }
        }
    }

    private void lock(Connection c) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
        }
        // SQLite: BEGIN IMMEDIATE has taken the database's write lock already.
    }

    private void createHistory(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + history + " (version INTEGER NOT NULL PRIMARY KEY, "
                    + series.scriptColumn() + " TEXT NOT NULL, checksum TEXT NOT NULL, " + series.stampColumn()
                    + " BIGINT NOT NULL)");
        }
    }

    private boolean historyExists(Connection c) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            // Only the schemas on the search path count: another schema's copy of the library is not ours.
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT to_regclass('" + history + "') IS NOT NULL")) {
                return rs.next() && rs.getBoolean(1);
            }
        }
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, null, history, null)) {
            return rs.next();
        }
    }

    private Map<Integer, String[]> applied(Connection c) throws SQLException {
        Map<Integer, String[]> out = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, "
                + series.scriptColumn() + ", checksum FROM " + history)) {
            while (rs.next()) {
                out.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return out;
    }

    /** Splits a script into statements: each ends with a ';' at the end of a line; '--' lines are comments. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            cur.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String st = cur.toString().strip();
                out.add(st.substring(0, st.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            throw new StorageException("schema script has a statement without a final ';': " + cur, null);
        }
        return out;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
