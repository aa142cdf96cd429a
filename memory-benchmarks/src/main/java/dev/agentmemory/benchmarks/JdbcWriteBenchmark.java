package dev.agentmemory.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.VersionId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.HexFormat;
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
 * Writing a new version of an existing 1 KiB memory on SQLite and PostgreSQL: {@code Memories.update} through the
 * library, against raw JDBC issuing the same statements on the same database.
 *
 * <p>{@link #raw()} does what the library's update does, by hand, with the statements of
 * {@code dev.agentmemory.jdbc.internal.SqlStore} copied verbatim: in auto-commit, the reads the service makes before
 * it writes (the store's row, for its sequence and archived state; the memory's row, for its current hash, path and
 * creation time), then one transaction ({@code BEGIN IMMEDIATE} on SQLite) of the compare-and-set of the store's
 * sequence, the update of the memory's row and the insert of the version's row. It also encodes the text and hashes it
 * (the statements need the hash) and borrows one connection from its own pool, configured as the library's. What the
 * library does beyond that is its overhead: rule checks, id making, three pool borrows instead of one, mapping rows to
 * records, and any extra statement (see the README).
 *
 * <p>Both alternate between two different texts of the same size, so every write makes a version. Each trial runs on
 * a fresh database; the library's and the raw writes go to two different memories of the same store.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class JdbcWriteBenchmark {

    /** The content's size in UTF-8 bytes. */
    static final int SIZE_BYTES = 1024;

    // ---- the statements of dev.agentmemory.jdbc.internal.SqlStore, verbatim (BenchmarksTest checks the columns)
    static final String MEMORY_META =
            "id, path, content_sha256, content_size, head_version_id, created_at, updated_at";
    static final String VERSION_META = "id, memory_id, operation, path, content_sha256, content_size,"
            + " actor_type, actor_id, created_at, redacted_at, redacted_by_type, redacted_by_id";
    static final String STORE_COLS = "id, workspace_id, name, description, metadata, content_limit_bytes,"
            + " memory_limit, created_at, updated_at, archived_at, seq";
    static final String SELECT_STORE = "SELECT " + STORE_COLS + " FROM am_store WHERE id = ?";
    static final String SELECT_MEMORY = "SELECT " + MEMORY_META + " FROM am_memory WHERE store_id = ? AND id = ?";
    static final String CAS_STORE = "UPDATE am_store SET seq = seq + 1 WHERE id = ? AND seq = ?";
    static final String UPDATE_MEMORY = "UPDATE am_memory SET path = ?, content = ?,"
            + " content_sha256 = ?, content_size = ?, head_version_id = ?, created_at = ?, updated_at = ?"
            + " WHERE store_id = ? AND id = ?";
    static final String INSERT_VERSION = "INSERT INTO am_version (store_id, " + VERSION_META
            + ", content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final HexFormat HEX = HexFormat.of();

    /** The database: {@code sqlite} (a file in a temporary directory) or {@code postgresql} ({@value JdbcBench#PG_URL_ENV}). */
    @Param({"sqlite", "postgresql"})
    public String dialect;

    private JdbcBench.Db db;
    /** The library on the database; package-private for the tests. */
    JdbcBench.Library lib;
    private HikariDataSource raw;
    private boolean sqlite;
    private String storeId;
    private MemoryId libMemory;
    /** The memory the raw writes change; package-private for the tests. */
    MemoryId rawMemory;
    private String contentA;
    private String contentB;
    private MemoryUpdate toA;
    private MemoryUpdate toB;
    private MessageDigest digest;
    private String actorType;
    private String actorId;
    private String versionIdBase;
    private long rawCount;
    private boolean flipLib;
    private boolean flipRaw;

    /** Opens a fresh database, the library on it with one store, two memories of content A, and the raw pool. */
    @Setup(Level.Trial)
    public void open() {
        contentA = Texts.of(SIZE_BYTES, 1);
        contentB = Texts.of(SIZE_BYTES, 2);
        toA = MemoryUpdate.content(contentA);
        toB = MemoryUpdate.content(contentB);
        digest = Bench.sha256();
        actorType = JdbcBench.ACTOR.type().wireName();
        actorId = JdbcBench.ACTOR.id();
        db = JdbcBench.fresh(dialect, "write");
        sqlite = db.dialect() == Dialect.SQLITE;
        lib = JdbcBench.Library.withNewStore(db, "bench-write");
        storeId = lib.store().id().value();
        libMemory = lib.memories().create("/notes/library.md", contentA).id();
        rawMemory = lib.memories().create("/notes/raw.md", contentA).id();
        raw = db.rawPool();
        // Distinct from the library's ids (which start with a time digit) and unique per trial.
        versionIdBase = VersionId.PREFIX + "raw" + Long.toString(System.nanoTime(), 36) + "x";
        rawCount = 0;
    }

    /** Closes the library and the raw pool and removes the database. */
    @TearDown(Level.Trial)
    public void close() {
        raw.close();
        lib.close();
        db.close();
    }

    /**
     * Replaces the memory's content through the library.
     *
     * @return the memory after the update
     */
    @Benchmark
    public Memory update() {
        flipLib = !flipLib;
        return lib.memories().update(libMemory, flipLib ? toB : toA);
    }

    /**
     * The same write in raw JDBC: the service's two reads, then one transaction of the library's three statements.
     *
     * @return the new version's id
     * @throws SQLException if the database fails
     */
    @Benchmark
    public String raw() throws SQLException {
        flipRaw = !flipRaw;
        String text = flipRaw ? contentB : contentA;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String sha = HEX.formatHex(digest.digest(bytes));
        String versionId = versionIdBase + rawCount++;
        long now = JdbcBench.micros(Instant.now());
        String memoryId = rawMemory.value();
        try (Connection c = raw.getConnection()) {
            long seq;
            try (PreparedStatement ps = c.prepareStatement(SELECT_STORE)) {
                ps.setString(1, storeId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no store " + storeId);
                    }
                    rs.getLong(10);
                    if (!rs.wasNull()) {
                        throw new IllegalStateException("store " + storeId + " is archived");
                    }
                    seq = rs.getLong(11);
                }
            }
            String path;
            long createdAt;
            try (PreparedStatement ps = c.prepareStatement(SELECT_MEMORY)) {
                ps.setString(1, storeId);
                ps.setString(2, memoryId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no memory " + memoryId);
                    }
                    path = rs.getString(2);
                    if (rs.getString(3).equals(sha)) {
                        throw new IllegalStateException("a no-op update: the content did not change");
                    }
                    createdAt = rs.getLong(6);
                }
            }
            begin(c);
            boolean done = false;
            try {
                try (PreparedStatement ps = c.prepareStatement(CAS_STORE)) {
                    ps.setString(1, storeId);
                    ps.setLong(2, seq);
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("the store's sequence moved: nothing else writes here");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(UPDATE_MEMORY)) {
                    ps.setString(1, path);
                    ps.setBytes(2, bytes);
                    ps.setString(3, sha);
                    ps.setLong(4, bytes.length);
                    ps.setString(5, versionId);
                    ps.setLong(6, createdAt);
                    ps.setLong(7, now);
                    ps.setString(8, storeId);
                    ps.setString(9, memoryId);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT_VERSION)) {
                    ps.setString(1, storeId);
                    ps.setString(2, versionId);
                    ps.setString(3, memoryId);
                    ps.setString(4, Operation.MODIFIED.wireName());
                    ps.setString(5, path);
                    ps.setString(6, sha);
                    ps.setLong(7, bytes.length);
                    ps.setString(8, actorType);
                    ps.setString(9, actorId);
                    ps.setLong(10, now);
                    ps.setNull(11, Types.BIGINT);
                    ps.setNull(12, Types.VARCHAR);
                    ps.setNull(13, Types.VARCHAR);
                    ps.setBytes(14, bytes);
                    ps.executeUpdate();
                }
                commit(c);
                done = true;
            } finally {
                if (!done) {
                    rollback(c);
                }
            }
        }
        return versionId;
    }

    private void begin(Connection c) throws SQLException {
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
        } else {
            c.setAutoCommit(false);
        }
    }

    private void commit(Connection c) throws SQLException {
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
        } else {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private void rollback(Connection c) throws SQLException {
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("ROLLBACK");
            }
        } else {
            c.rollback();
            c.setAutoCommit(true);
        }
    }
}
