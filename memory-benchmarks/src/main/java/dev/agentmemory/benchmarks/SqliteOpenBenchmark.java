package dev.agentmemory.benchmarks;

import dev.agentmemory.jdbc.JdbcBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cold open of a SQLite file, once per fresh JVM (single shot, no warm-up: what a command-line tool or a process
 * start pays once the driver is loaded). The set-up creates the file with the driver alone, which loads the driver and
 * its native library in every fork before either benchmark runs. {@code open} is {@link JdbcBackend#sqlite(Path)}
 * then close: the library's classes, the pool, the change counter and the schema check, which on this file installs
 * the schema (the first open of a new database). Its floor, {@code rawConnection}, is one more connection of the
 * driver to the same file and one row read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(10)
public class SqliteOpenBenchmark {

    private Path dir;
    private Path file;

    /**
     * Creates the file with the driver alone, so that nothing of the library is loaded before the measured call.
     *
     * @throws IOException if the directory cannot be made
     */
    @Setup(Level.Trial)
    public void create() throws IOException {
        dir = Files.createTempDirectory("open-bench");
        file = dir.resolve("memory.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x INTEGER)");
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    /** Removes the database. */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * The library's open and close of the file, installing the schema.
     *
     * @return the backend's dialect, so the work is not dead code
     */
    @Benchmark
    public Object open() {
        try (JdbcBackend backend = JdbcBackend.sqlite(file)) {
            return backend.dialect();
        }
    }

    /**
     * The floor: one connection of the driver to the same file and one row read.
     *
     * @return the row
     * @throws SQLException if the database fails
     */
    @Benchmark
    public int rawConnection() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
