package dev.agentmemory.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
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

/**
 * Reading a memory's head on SQLite and PostgreSQL: {@code Memories.get} by id through the library with a warm content
 * cache, against a raw {@code SELECT content FROM am_memory WHERE store_id = ? AND id = ?} and the UTF-8 decode of the
 * bytes, each on a connection borrowed from a pool configured as the library's.
 *
 * <p>{@link #rawMetadata} is the statement the library issues for every read, cached or not: it reads the head's
 * metadata fresh so that a head changed by another process is never served stale, and takes only the content from the
 * cache (by the head version id the fresh row names). It shows where a cached read's time goes.
 *
 * <p>One store of {@value #COUNT} memories (eight different texts of the chosen size) per trial, on a fresh database,
 * read round-robin. Setup reads every memory once, so the library's cache holds every head.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class JdbcReadBenchmark {

    /** How many memories the store holds; a power of two. */
    public static final int COUNT = 64;

    /** A head's content: the head row names its version, whose row holds the content (schema version 2). */
    static final String SELECT_CONTENT = "SELECT v.content FROM am_memory m JOIN am_version v"
            + " ON v.store_id = m.store_id AND v.id = m.head_version_id WHERE m.store_id = ? AND m.id = ?";
    /** A head's metadata row. */
    static final String SELECT_MEMORY = "SELECT id, path, content_sha256, content_size, head_version_id, created_at,"
            + " updated_at FROM am_memory WHERE store_id = ? AND id = ?";

    /** The database, the library and the raw pool, shared by every thread. */
    @State(Scope.Benchmark)
    public static class Data {

        /** The database: {@code sqlite} or {@code postgresql}. */
        @Param({"sqlite", "postgresql"})
        public String dialect;

        /** The content's size in UTF-8 bytes: 1 KiB and 100 KiB. */
        @Param({"1024", "102400"})
        public int sizeBytes;

        JdbcBench.Db db;
        JdbcBench.Library lib;
        HikariDataSource raw;
        String storeId;
        final MemoryId[] ids = new MemoryId[COUNT];
        final String[] idValues = new String[COUNT];

        /** Fills a store on a fresh database, warms the library's cache, and opens the raw pool. */
        @Setup(Level.Trial)
        public void fill() {
            db = JdbcBench.fresh(dialect, "read");
            lib = JdbcBench.Library.withNewStore(db, "bench-read");
            storeId = lib.store().id().value();
            for (int i = 0; i < COUNT; i++) {
                ids[i] = lib.memories().create("/notes/" + (i % 8) + "/n" + i + ".md", Texts.of(sizeBytes, i % 8))
                        .id();
                idValues[i] = ids[i].value();
            }
            for (MemoryId id : ids) {
                lib.memories().get(id);
            }
            raw = db.rawPool();
        }

        /** Closes everything and removes the database. */
        @TearDown(Level.Trial)
        public void close() {
            raw.close();
            lib.close();
            db.close();
        }
    }

    private int next;

    private int nextIndex() {
        next = (next + 1) & (COUNT - 1);
        return next;
    }

    /**
     * Reads a memory's head through the library.
     *
     * @param d the store
     * @return the memory, with its content
     */
    @Benchmark
    public Memory get(Data d) {
        return d.lib.memories().get(d.ids[nextIndex()]);
    }

    /**
     * Reads a memory's content in raw JDBC and decodes it.
     *
     * @param d the store
     * @return the text
     * @throws SQLException if the database fails
     */
    @Benchmark
    public String raw(Data d) throws SQLException {
        try (Connection c = d.raw.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_CONTENT)) {
            ps.setString(1, d.storeId);
            ps.setString(2, d.idValues[nextIndex()]);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("memory not found");
                }
                return new String(rs.getBytes(1), StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * The statement the library issues for every read, in raw JDBC: the head's metadata row, without content.
     *
     * @param d the store
     * @return the head version id
     * @throws SQLException if the database fails
     */
    @Benchmark
    public String rawMetadata(Data d) throws SQLException {
        try (Connection c = d.raw.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_MEMORY)) {
            ps.setString(1, d.storeId);
            ps.setString(2, d.idValues[nextIndex()]);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("memory not found");
                }
                rs.getString(1);
                rs.getString(2);
                rs.getString(3);
                rs.getLong(4);
                String head = rs.getString(5);
                rs.getLong(6);
                rs.getLong(7);
                return head;
            }
        }
    }
}
