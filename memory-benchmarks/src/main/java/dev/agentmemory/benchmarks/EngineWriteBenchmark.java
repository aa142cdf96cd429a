package dev.agentmemory.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.jdbc.JdbcBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The embedded engine choice (why SQLite and not H2): writing a version of a 1 KiB memory, as raw JDBC (a version insert and the
 * memory's head update in one transaction), on a SQLite file set up as the library sets it up (WAL,
 * {@code synchronous=NORMAL}, {@code secure_delete}, {@code BEGIN IMMEDIATE}) and on an H2 file.
 *
 * <p>H2 runs twice: with its defaults ({@code h2}), where a commit reaches the file up to {@code WRITE_DELAY}
 * (500 ms) later, so a killed process can lose acknowledged commits; and with {@code WRITE_DELAY=0}
 * ({@code h2-durable}), where each commit is written before it returns, which is the crash safety SQLite gives with
 * {@code synchronous=NORMAL} (durable across a process crash; neither fsyncs every commit).
 */
@State(Scope.Benchmark)
public class EngineWriteBenchmark {

    /** The engine: {@code sqlite}, {@code h2} or {@code h2-durable}. */
    @Param({"sqlite", "h2", "h2-durable"})
    public String engine;

    private Path dir;
    private HikariDataSource pool;
    private byte[][] contents;
    private long next;

    /**
     * Creates the database with one memory to update.
     *
     * @throws Exception if the database cannot be set up
     */
    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("engine-bench");
        if (engine.equals("sqlite")) {
            pool = JdbcBackend.sqliteDataSource(dir.resolve("bench.db")).unwrap(HikariDataSource.class);
        } else {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("bench").toAbsolutePath()
                    + (engine.equals("h2-durable") ? ";WRITE_DELAY=0" : ""));
            config.setMaximumPoolSize(4);
            pool = new HikariDataSource(config);
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE memory (id VARCHAR(64) PRIMARY KEY, head VARCHAR(64) NOT NULL,"
                    + " content BLOB NOT NULL)");
            s.execute("CREATE TABLE version (id VARCHAR(64) PRIMARY KEY, memory_id VARCHAR(64) NOT NULL,"
                    + " content BLOB NOT NULL)");
            s.execute("CREATE INDEX version_memory ON version (memory_id, id)");
            s.execute("INSERT INTO memory (id, head, content) VALUES ('mem_1', 'memver_0', X'00')");
        }
        contents = new byte[][] {Texts.of(1024, 0).getBytes(StandardCharsets.UTF_8),
                Texts.of(1024, 1).getBytes(StandardCharsets.UTF_8)};
    }

    /** @return the pool on the database, for checks */
    HikariDataSource pool() {
        return pool;
    }

    /** Closes the pool and removes the files. */
    @TearDown(Level.Trial)
    public void close() {
        pool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes one version: insert it and move the memory's head to it, in one transaction.
     *
     * @return the new version's number
     * @throws SQLException if the database fails
     */
    @Benchmark
    public long writeVersion() throws SQLException {
        long n = ++next;
        String version = "memver_" + n;
        byte[] content = contents[(int) (n & 1)];
        try (Connection c = pool.getConnection()) {
            boolean sqlite = engine.equals("sqlite");
            if (sqlite) {
                try (Statement s = c.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                }
            } else {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO version (id, memory_id, content) VALUES (?, 'mem_1', ?)");
                    PreparedStatement upd = c.prepareStatement(
                            "UPDATE memory SET head = ?, content = ? WHERE id = 'mem_1'")) {
                ins.setString(1, version);
                ins.setBytes(2, content);
                ins.executeUpdate();
                upd.setString(1, version);
                upd.setBytes(2, content);
                upd.executeUpdate();
            }
            if (sqlite) {
                try (Statement s = c.createStatement()) {
                    s.execute("COMMIT");
                }
            } else {
                c.commit();
                c.setAutoCommit(true);
            }
        }
        return n;
    }
}
