package dev.agentmemory.fuse.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * The least a SQLite-backed mount must pay per closed file or unlink, written independently of the backend: one
 * durable transaction ({@code BEGIN IMMEDIATE} ... {@code COMMIT}) that inserts a version row and upserts (or, for a
 * delete, removes) the memory's head row, on its own database file with the pragmas the library sets on its SQLite
 * connections (WAL journal, {@code synchronous=NORMAL}, a busy timeout, {@code secure_delete} off), on one plain
 * connection (no pool). Two variants: {@code held} keeps its prepared statements across operations (the floor
 * proper); otherwise each operation prepares (SQLite parses and plans) its statements again, which shows what
 * statement compilation costs. No FUSE, no bash: time in the JVM only, so the SQLite mount's own floor is this plus
 * the FUSE pass-through's.
 */
final class SqliteFloor implements AutoCloseable {

    private static final String INSERT_VERSION = "INSERT INTO floor_version (store_id, id, memory_id, operation,"
            + " path, content, size_bytes, created_by, created_at) VALUES ('s', ?, ?, ?, ?, ?, ?, 'bench', ?)";
    private static final String UPSERT_HEAD = "INSERT INTO floor_head (store_id, memory_id, path, version_id,"
            + " size_bytes, updated_at) VALUES ('s', ?, ?, ?, ?, ?) ON CONFLICT (store_id, memory_id) DO UPDATE SET"
            + " path = excluded.path, version_id = excluded.version_id, size_bytes = excluded.size_bytes,"
            + " updated_at = excluded.updated_at";
    private static final String DELETE_HEAD = "DELETE FROM floor_head WHERE store_id = 's' AND memory_id = ?";

    private final Connection connection;
    private long nextVersion;
    private int run;

    SqliteFloor(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "false");
        config.setGetGeneratedKeys(false);
        this.connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS floor_version (store_id TEXT NOT NULL, id TEXT NOT NULL,"
                    + " memory_id TEXT NOT NULL, operation TEXT NOT NULL, path TEXT NOT NULL, content BLOB,"
                    + " size_bytes INTEGER NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL,"
                    + " PRIMARY KEY (store_id, id))");
            s.execute("CREATE TABLE IF NOT EXISTS floor_head (store_id TEXT NOT NULL, memory_id TEXT NOT NULL,"
                    + " path TEXT NOT NULL, version_id TEXT NOT NULL, size_bytes INTEGER NOT NULL,"
                    + " updated_at INTEGER NOT NULL, PRIMARY KEY (store_id, memory_id))");
            s.execute("CREATE UNIQUE INDEX IF NOT EXISTS floor_head_path ON floor_head (store_id, path)");
        }
    }

    /** What one phase does to each of the files. */
    enum Phase {
        /** A new file: a version and a new head. */
        WRITE,
        /** A changed file: a version and an updated head. */
        APPEND,
        /** A removed file: a version and the head's row gone. */
        DELETE
    }

    /**
     * Runs one phase over {@code files} files, each file one transaction.
     *
     * @param phase what each transaction does
     * @param files how many
     * @param held keep the prepared statements across transactions (true), or prepare them for each
     * @return milliseconds for the phase
     */
    double time(Phase phase, int files, boolean held) throws SQLException {
        if (phase == Phase.WRITE) {
            run++;
        }
        String headSql = phase == Phase.DELETE ? DELETE_HEAD : UPSERT_HEAD;
        long start = System.nanoTime();
        try (Statement tx = connection.createStatement()) {
            if (held) {
                try (PreparedStatement version = connection.prepareStatement(INSERT_VERSION);
                        PreparedStatement head = connection.prepareStatement(headSql)) {
                    for (int i = 1; i <= files; i++) {
                        one(tx, version, head, phase, i);
                    }
                }
            } else {
                for (int i = 1; i <= files; i++) {
                    try (PreparedStatement version = connection.prepareStatement(INSERT_VERSION);
                            PreparedStatement head = connection.prepareStatement(headSql)) {
                        one(tx, version, head, phase, i);
                    }
                }
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private void one(Statement tx, PreparedStatement version, PreparedStatement head, Phase phase, int i)
            throws SQLException {
        String memory = "m" + run + "-" + i;
        String path = "/w" + run + "/f" + i + ".md";
        String versionId = "v" + (++nextVersion);
        byte[] content = (phase == Phase.APPEND ? "note " + i + "\nmore\n" : "note " + i + "\n")
                .getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis() * 1000;
        tx.execute("BEGIN IMMEDIATE");
        boolean done = false;
        try {
            version.setString(1, versionId);
            version.setString(2, memory);
            version.setString(3, phase.name().toLowerCase(java.util.Locale.ROOT));
            version.setString(4, path);
            if (phase == Phase.DELETE) {
                version.setNull(5, java.sql.Types.BLOB);
                version.setLong(6, 0);
            } else {
                version.setBytes(5, content);
                version.setLong(6, content.length);
            }
            version.setLong(7, now);
            version.executeUpdate();
            head.setString(1, memory);
            if (phase != Phase.DELETE) {
                head.setString(2, path);
                head.setString(3, versionId);
                head.setLong(4, content.length);
                head.setLong(5, now);
            }
            if (head.executeUpdate() != 1) {
                throw new SQLException("the floor's head row of " + memory + " was not written");
            }
            tx.execute("COMMIT");
            done = true;
        } finally {
            if (!done) {
                tx.execute("ROLLBACK");
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
