package dev.agentmemory.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * What zeroing freed space on every write costs an ordinary SQLite update of a 1 KiB memory. The library no longer
 * sets {@code secure_delete} (erasure rebuilds the file when content is erased instead); {@code secureDelete=on}
 * gives the backend a host data source whose connections zero on every write, as the library did before, so both
 * figures come from one run. Beside them, the floor on the same pool and pragmas: the least transaction that makes a
 * version ({@code BEGIN IMMEDIATE}, insert a 1 KiB row, update a 1 KiB row, {@code COMMIT}), written here, not
 * copied from the library.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class SecureDeleteBenchmark {

    /** Whether every connection zeroes what its writes free: {@code off} (the library's default now) or {@code on}. */
    @Param({"off", "on"})
    public String secureDelete;

    private Path dir;
    private HikariDataSource pool;
    private AgentMemory memory;
    private Memories memories;
    private MemoryId id;
    private MemoryUpdate toA;
    private MemoryUpdate toB;
    private byte[] rawA;
    private byte[] rawB;
    private boolean flip;
    private long floorCount;

    /** Opens a fresh SQLite file with the pragmas under test, the library on it and one 1 KiB memory. */
    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("bench-secure-delete");
        Path file = dir.resolve("memory.db");
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "on".equals(secureDelete) ? "true" : "false");
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setMaximumPoolSize(4);
        hikari.setPoolName("bench-secure-delete-" + secureDelete);
        pool = new HikariDataSource(hikari);
        memory = AgentMemory.builder().backend(JdbcBackend.builder().dataSource(pool).dialect(Dialect.SQLITE)
                .build()).build();
        var store = memory.workspace("bench").stores().create(NewStore.named("secure-delete").build());
        memories = memory.workspace("bench").memories(store.id(), Actor.user("bench"));
        String a = Texts.of(1024, 1);
        String b = Texts.of(1024, 2);
        id = memories.create("/notes/a.md", a).id();
        toA = MemoryUpdate.content(a);
        toB = MemoryUpdate.content(b);
        rawA = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        rawB = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE floor_version (id INTEGER PRIMARY KEY, content BLOB NOT NULL)");
            s.execute("CREATE TABLE floor_head (id INTEGER PRIMARY KEY, content BLOB NOT NULL)");
            s.execute("INSERT INTO floor_head VALUES (1, x'00')");
        }
    }

    /** Closes everything and removes the file. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        memory.close();
        pool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The library's update of a 1 KiB memory: one new version.
     *
     * @return the new head's version id
     */
    @Benchmark
    public Object update() {
        flip = !flip;
        return memories.update(id, flip ? toB : toA).headVersionId();
    }

    /**
     * The floor: insert a 1 KiB version row, update a 1 KiB head row, commit, on the same pool and pragmas.
     *
     * @return the rows changed
     * @throws SQLException if the database fails
     */
    @Benchmark
    public int floor() throws SQLException {
        flip = !flip;
        byte[] content = flip ? rawB : rawA;
        try (Connection c = pool.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            int n;
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO floor_version VALUES (?, ?)");
                    PreparedStatement up = c.prepareStatement("UPDATE floor_head SET content = ? WHERE id = 1")) {
                ins.setLong(1, ++floorCount);
                ins.setBytes(2, content);
                up.setBytes(1, content);
                n = ins.executeUpdate() + up.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
            return n;
        }
    }
}
