package dev.agentmemory.server.internal;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.SchemaException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the server's own tables (its API keys and the shared rate-limit windows) up to date, beside the library's
 * tables and apart from them: versioned scripts recorded with a SHA-256 checksum each in
 * {@code agent_memory_server_schema_history}. An applied script whose text changed is an error, never silently re-run;
 * a database newer than this server is refused. Migration runs in one transaction under a lock (an exclusive table
 * lock on PostgreSQL, an immediate transaction on SQLite), so servers starting at once apply each script once.
 */
public final class ServerSchema {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSchema.class);

    /** The history table's name. */
    public static final String HISTORY_TABLE = "agent_memory_server_schema_history";

    /** The scripts, in order. A new version is appended here and as a file; an applied one is never edited. */
    static final List<String> SCRIPTS = List.of("V1__api_keys.sql", "V2__rate_windows.sql");

    /** One script. */
    record Script(int version, String name, String sql, String checksum) {
    }

    private ServerSchema() {
    }

    /** @return the scripts, in order, with their checksums */
    static List<Script> scripts() {
        List<Script> out = new ArrayList<>();
        for (String name : SCRIPTS) {
            String resource = "/dev/agentmemory/server/schema/" + name;
            try (InputStream in = ServerSchema.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("schema script missing from the jar: " + resource);
                }
                String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
                out.add(new Script(Integer.parseInt(name.substring(1, name.indexOf("__"))), name, sql, sha256(sql)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + resource, e);
            }
        }
        return out;
    }

    /**
     * Applies the scripts not applied yet, after checking the applied ones against their checksums.
     *
     * @param dataSource the database
     * @param dialect its dialect
     * @throws SchemaException if an applied script changed or the database is newer than this server
     * @throws StorageException if the database fails
     */
    public static void migrate(DataSource dataSource, Dialect dialect) {
        List<Script> scripts = scripts();
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + HISTORY_TABLE + " (version INTEGER NOT NULL PRIMARY KEY,"
                        + " name VARCHAR(255) NOT NULL, checksum VARCHAR(64) NOT NULL, applied_at BIGINT NOT NULL)");
            }
            boolean sqlite = dialect == Dialect.SQLITE;
            if (sqlite) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                }
            } else {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLE " + HISTORY_TABLE + " IN EXCLUSIVE MODE");
                }
            }
            boolean done = false;
            try {
                Map<Integer, String[]> applied = new TreeMap<>();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT version, name, checksum FROM " + HISTORY_TABLE)) {
                    while (rs.next()) {
                        applied.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
                    }
                }
                for (Map.Entry<Integer, String[]> e : applied.entrySet()) {
                    if (e.getKey() > scripts.size()) {
                        throw new SchemaException("the database has the server's schema version " + e.getKey()
                                + " (" + e.getValue()[0] + "), newer than this server knows (" + scripts.size()
                                + "); run a newer memory-server");
                    }
                }
                for (Script script : scripts) {
                    String[] row = applied.get(script.version());
                    if (row != null) {
                        if (!row[1].equals(script.checksum())) {
                            throw new SchemaException("the server's schema script " + script.name()
                                    + " differs from the one applied to this database (checksum " + row[1]
                                    + ", now " + script.checksum() + "); restore the original script");
                        }
                        continue;
                    }
                    LOG.info("applying the server's schema script {}", script.name());
                    for (String statement : script.sql().split(";")) {
                        String sql = statement.lines().filter(l -> !l.strip().startsWith("--"))
                                .reduce("", (a, b) -> a + "\n" + b).strip();
                        if (!sql.isEmpty()) {
                            try (Statement s = c.createStatement()) {
                                s.execute(sql);
                            }
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + HISTORY_TABLE
                            + " (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
                        ps.setInt(1, script.version());
                        ps.setString(2, script.name());
                        ps.setString(3, script.checksum());
                        ps.setLong(4, System.currentTimeMillis());
                        ps.executeUpdate();
                    }
                }
                done = true;
            } finally {
                finish(c, sqlite, done);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot bring the server's tables up to date: " + e.getMessage(), e);
        }
    }

    private static void finish(Connection c, boolean sqlite, boolean commit) throws SQLException {
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute(commit ? "COMMIT" : "ROLLBACK");
            }
        } else {
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
            c.setAutoCommit(true);
        }
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
