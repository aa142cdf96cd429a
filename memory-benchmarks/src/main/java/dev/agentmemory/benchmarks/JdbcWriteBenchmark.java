package dev.agentmemory.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
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
 * Writing a new version of an existing 1 KiB memory on SQLite and PostgreSQL through the library, beside the floors
 * of that write on the same database in the same run. The floors are written here, on tables of their own
 * ({@value #FLOOR_VERSION}, {@value #FLOOR_HEAD}, {@value #FLOOR1_VERSION}, {@value #FLOOR1_HEAD},
 * {@value #FLOOR_KV}, {@value #FLOORX_STORE}, {@value #FLOORX_VERSION}, {@value #FLOORX_HEAD}), and share nothing
 * with the library's SQL:
 *
 * <ul>
 *   <li>{@link #floor()}: the least transaction that makes a version: insert the version (with its content), upsert
 *       the head (which names the version), commit. {@code BEGIN IMMEDIATE} on SQLite; on PostgreSQL one
 *       transaction. Same connection settings as the library (the library's own data source on SQLite).
 *   <li>{@link #floorOneStatement()}: the same two rows written by one auto-commit statement on PostgreSQL (a
 *       data-modifying CTE): the least one round trip that makes a version, the floor for a one-statement update.
 *   <li>{@link #floorIndexed()}: the least version transaction that also does the work a versioned store with this
 *       contract cannot drop: versions and heads keyed by their store, the store's sequence moved by a
 *       compare-and-set (the order of a store's versions, and the precondition of a write), and the version indexed
 *       for the listings it must serve by index (a memory's history, an actor's versions, an operation's versions,
 *       each newest first) and for the walk of the store's chain by position. No hash chain, no service, no cache.
 *   <li>{@link #upsert()}: one statement in auto-commit that upserts a key's value: what a store without versions or
 *       preconditions does per put (LangGraph's {@code PostgresStore} does this), the peer design the library's
 *       update is compared with on PostgreSQL.
 * </ul>
 *
 * <p>Each encodes the text and hashes it (as the library must) and borrows one pooled connection. All alternate
 * between two different texts of the same size, so every write makes a version. Each trial runs on a fresh database.
 * Run PostgreSQL with stock durability ({@code fsync=on}, {@code synchronous_commit=on}:
 * {@code PG_TEST_DURABLE=1 scripts/pg-test-server.sh start}); the test server's {@code fsync=off} makes a commit
 * nearly free and hides what a write costs.
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

    /** The floor's version table. */
    static final String FLOOR_VERSION = "floor_version";
    /** The floor's head table. */
    static final String FLOOR_HEAD = "floor_head";
    /** The one-statement floor's version table. */
    static final String FLOOR1_VERSION = "floor1_version";
    /** The one-statement floor's head table. */
    static final String FLOOR1_HEAD = "floor1_head";
    /** The peer design's key-value table. */
    static final String FLOOR_KV = "floor_kv";
    /** The indexed floor's store table (one row per store, with its sequence). */
    static final String FLOORX_STORE = "floorx_store";
    /** The indexed floor's version table. */
    static final String FLOORX_VERSION = "floorx_version";
    /** The indexed floor's head table. */
    static final String FLOORX_HEAD = "floorx_head";

    private static final HexFormat HEX = HexFormat.of();
    /** The indexed floor's one store, named as long as the library's store ids. */
    private static final String FLOORX_STORE_ID = "floorstore_0000000000000000000001";

    /** The database: {@code sqlite} (a file in a temporary directory) or {@code postgresql} ({@value JdbcBench#PG_URL_ENV}). */
    @Param({"sqlite", "postgresql"})
    public String dialect;

    private JdbcBench.Db db;
    /** The library on the database; package-private for the tests. */
    JdbcBench.Library lib;
    /** The floors' pool; package-private for the tests. */
    HikariDataSource raw;
    private boolean sqlite;
    private MemoryId libMemory;
    private String contentA;
    private String contentB;
    private MemoryUpdate toA;
    private MemoryUpdate toB;
    private MessageDigest digest;
    private String versionIdBase;
    private long floorCount;
    private long floor1Count;
    private long floorxSeq;
    private boolean flipFloorx;
    private boolean flipFloor1;
    private boolean flipLib;
    private boolean flipFloor;
    private boolean flipUpsert;

    /** Opens a fresh database, the library on it with one store and one memory, and the floors' tables and pool. */
    @Setup(Level.Trial)
    public void open() throws SQLException {
        contentA = Texts.of(SIZE_BYTES, 1);
        contentB = Texts.of(SIZE_BYTES, 2);
        toA = MemoryUpdate.content(contentA);
        toB = MemoryUpdate.content(contentB);
        digest = Bench.sha256();
        db = JdbcBench.fresh(dialect, "write");
        sqlite = db.dialect() == Dialect.SQLITE;
        lib = JdbcBench.Library.withNewStore(db, "bench-write");
        libMemory = lib.memories().create("/notes/library.md", contentA).id();
        raw = db.rawPool();
        String blob = sqlite ? "BLOB" : "BYTEA";
        String integer = sqlite ? "INTEGER" : "BIGINT";
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + FLOOR_VERSION + " (id TEXT NOT NULL PRIMARY KEY, memory_id TEXT NOT NULL,"
                    + " content " + blob + " NOT NULL, sha256 TEXT NOT NULL, created_at " + integer + " NOT NULL)");
            s.execute("CREATE TABLE " + FLOOR_HEAD + " (id TEXT NOT NULL PRIMARY KEY, version_id TEXT NOT NULL,"
                    + " sha256 TEXT NOT NULL, updated_at " + integer + " NOT NULL)");
            s.execute("CREATE TABLE " + FLOOR1_VERSION + " (id TEXT NOT NULL PRIMARY KEY, memory_id TEXT NOT NULL,"
                    + " content " + blob + " NOT NULL, sha256 TEXT NOT NULL, created_at " + integer + " NOT NULL)");
            s.execute("CREATE TABLE " + FLOOR1_HEAD + " (id TEXT NOT NULL PRIMARY KEY, version_id TEXT NOT NULL,"
                    + " sha256 TEXT NOT NULL, updated_at " + integer + " NOT NULL)");
            s.execute("CREATE TABLE " + FLOOR_KV + " (prefix TEXT NOT NULL, key TEXT NOT NULL, value " + blob
                    + " NOT NULL, updated_at " + integer + " NOT NULL, PRIMARY KEY (prefix, key))");
            s.execute("CREATE TABLE " + FLOORX_STORE + " (id TEXT NOT NULL PRIMARY KEY, seq " + integer
                    + " NOT NULL)");
            s.execute("CREATE TABLE " + FLOORX_VERSION + " (store TEXT NOT NULL, id TEXT NOT NULL, memory_id TEXT"
                    + " NOT NULL, actor TEXT NOT NULL, operation TEXT NOT NULL, position " + integer + " NOT NULL,"
                    + " content " + blob + " NOT NULL, sha256 TEXT NOT NULL, created_at " + integer + " NOT NULL,"
                    + " PRIMARY KEY (store, id))");
            s.execute("CREATE INDEX floorx_by_memory ON " + FLOORX_VERSION + " (store, memory_id, id)");
            s.execute("CREATE INDEX floorx_by_actor ON " + FLOORX_VERSION + " (store, actor, id)");
            s.execute("CREATE INDEX floorx_by_operation ON " + FLOORX_VERSION + " (store, operation, id)");
            s.execute("CREATE INDEX floorx_by_position ON " + FLOORX_VERSION + " (store, position)");
            s.execute("CREATE TABLE " + FLOORX_HEAD + " (store TEXT NOT NULL, id TEXT NOT NULL, version_id TEXT"
                    + " NOT NULL, sha256 TEXT NOT NULL, updated_at " + integer + " NOT NULL, PRIMARY KEY (store, id))");
            s.execute("INSERT INTO " + FLOORX_STORE + " (id, seq) VALUES ('" + FLOORX_STORE_ID + "', 0)");
        }
        versionIdBase = "floor" + Long.toString(System.nanoTime(), 36) + "x";
        floorCount = 0;
        floor();
        floorOneStatement();
        floorxSeq = 0;
        floorIndexed();
        upsert();
    }

    /** Closes the library and the floors' pool and removes the database. */
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
     * The least version transaction: insert the version, upsert the head, commit.
     *
     * @return the new version's id
     * @throws SQLException if the database fails
     */
    @Benchmark
    public String floor() throws SQLException {
        flipFloor = !flipFloor;
        byte[] bytes = (flipFloor ? contentB : contentA).getBytes(StandardCharsets.UTF_8);
        String sha = HEX.formatHex(digest.digest(bytes));
        String versionId = versionIdBase + floorCount++;
        long now = JdbcBench.micros(Instant.now());
        try (Connection c = raw.getConnection()) {
            versionTransaction(c, FLOOR_VERSION, FLOOR_HEAD, versionId, bytes, sha, now);
        }
        return versionId;
    }

    /**
     * Inserts a version and upserts the head that names it in one transaction on the given tables ({@code BEGIN
     * IMMEDIATE} on SQLite), and commits: the least transaction that makes a version.
     */
    private void versionTransaction(Connection c, String versionTable, String headTable, String versionId,
            byte[] bytes, String sha, long now) throws SQLException {
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
        } else {
            c.setAutoCommit(false);
        }
        boolean done = false;
        try {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + versionTable
                    + " (id, memory_id, content, sha256, created_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, versionId);
                ps.setString(2, "m1");
                ps.setBytes(3, bytes);
                ps.setString(4, sha);
                ps.setLong(5, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + headTable
                    + " (id, version_id, sha256, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    + " version_id = excluded.version_id, sha256 = excluded.sha256,"
                    + " updated_at = excluded.updated_at")) {
                ps.setString(1, "m1");
                ps.setString(2, versionId);
                ps.setString(3, sha);
                ps.setLong(4, now);
                ps.executeUpdate();
            }
            if (sqlite) {
                try (Statement s = c.createStatement()) {
                    s.execute("COMMIT");
                }
            } else {
                c.commit();
            }
            done = true;
        } finally {
            if (!done) {
                if (sqlite) {
                    try (Statement s = c.createStatement()) {
                        s.execute("ROLLBACK");
                    }
                } else {
                    c.rollback();
                }
            }
            if (!sqlite) {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * The least version write in one statement: on PostgreSQL one auto-commit statement whose data-modifying CTE
     * inserts the version and upserts the head that names it (two rows, one round trip, one commit), the floor of any
     * design that keeps a version per update. SQLite has no data-modifying CTE, and its {@code BEGIN} and
     * {@code COMMIT} are no round trips: there it is the same transaction as {@link #floor()}, on its own tables.
     *
     * @return the new version's id
     * @throws SQLException if the database fails
     */
    @Benchmark
    public String floorOneStatement() throws SQLException {
        flipFloor1 = !flipFloor1;
        byte[] bytes = (flipFloor1 ? contentB : contentA).getBytes(StandardCharsets.UTF_8);
        String sha = HEX.formatHex(digest.digest(bytes));
        String versionId = versionIdBase + "o" + floor1Count++;
        long now = JdbcBench.micros(Instant.now());
        try (Connection c = raw.getConnection()) {
            if (sqlite) {
                versionTransaction(c, FLOOR1_VERSION, FLOOR1_HEAD, versionId, bytes, sha, now);
                return versionId;
            }
            try (PreparedStatement ps = c.prepareStatement("WITH v AS (INSERT INTO " + FLOOR1_VERSION
                    + " (id, memory_id, content, sha256, created_at) VALUES (?, ?, ?, ?, ?)"
                    + " RETURNING id, memory_id, sha256, created_at)"
                    + " INSERT INTO " + FLOOR1_HEAD + " (id, version_id, sha256, updated_at)"
                    + " SELECT memory_id, id, sha256, created_at FROM v ON CONFLICT (id) DO UPDATE SET"
                    + " version_id = excluded.version_id, sha256 = excluded.sha256, updated_at = excluded.updated_at")) {
                ps.setString(1, versionId);
                ps.setString(2, "m1");
                ps.setBytes(3, bytes);
                ps.setString(4, sha);
                ps.setLong(5, now);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("the head did not move");
                }
            }
        }
        return versionId;
    }

    /**
     * The least version transaction that does the work the contract cannot drop (the class comment lists it):
     * compare-and-set the store's sequence, insert the version (with its four index entries),
     * upsert the head, commit. Version ids grow with time, as the library's do.
     *
     * @return the new version's id
     * @throws SQLException if the database fails
     */
    @Benchmark
    public String floorIndexed() throws SQLException {
        flipFloorx = !flipFloorx;
        byte[] bytes = (flipFloorx ? contentB : contentA).getBytes(StandardCharsets.UTF_8);
        String sha = HEX.formatHex(digest.digest(bytes));
        long seq = floorxSeq;
        String versionId = String.format("floorver_%020d", seq + 1);
        long now = JdbcBench.micros(Instant.now());
        try (Connection c = raw.getConnection()) {
            if (sqlite) {
                try (Statement s = c.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                }
            } else {
                c.setAutoCommit(false);
            }
            boolean done = false;
            try {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + FLOORX_STORE
                        + " SET seq = seq + 1 WHERE id = ? AND seq = ?")) {
                    ps.setString(1, FLOORX_STORE_ID);
                    ps.setLong(2, seq);
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("the store's sequence moved");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + FLOORX_VERSION
                        + " (store, id, memory_id, actor, operation, position, content, sha256, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, FLOORX_STORE_ID);
                    ps.setString(2, versionId);
                    ps.setString(3, "floormem_00000000000000000000001");
                    ps.setString(4, "user:bench");
                    ps.setString(5, "modified");
                    ps.setLong(6, seq + 1);
                    ps.setBytes(7, bytes);
                    ps.setString(8, sha);
                    ps.setLong(9, now);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + FLOORX_HEAD
                        + " (store, id, version_id, sha256, updated_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (store, id) DO UPDATE SET version_id = excluded.version_id,"
                        + " sha256 = excluded.sha256, updated_at = excluded.updated_at")) {
                    ps.setString(1, FLOORX_STORE_ID);
                    ps.setString(2, "floormem_00000000000000000000001");
                    ps.setString(3, versionId);
                    ps.setString(4, sha);
                    ps.setLong(5, now);
                    ps.executeUpdate();
                }
                if (sqlite) {
                    try (Statement s = c.createStatement()) {
                        s.execute("COMMIT");
                    }
                } else {
                    c.commit();
                }
                done = true;
            } finally {
                if (!done) {
                    if (sqlite) {
                        try (Statement s = c.createStatement()) {
                            s.execute("ROLLBACK");
                        }
                    } else {
                        c.rollback();
                    }
                }
                if (!sqlite) {
                    c.setAutoCommit(true);
                }
            }
        }
        floorxSeq = seq + 1;
        return versionId;
    }

    /**
     * The peer design: one upsert of the key's value in auto-commit, no version, no precondition.
     *
     * @return the value's hash
     * @throws SQLException if the database fails
     */
    @Benchmark
    public String upsert() throws SQLException {
        flipUpsert = !flipUpsert;
        byte[] bytes = (flipUpsert ? contentB : contentA).getBytes(StandardCharsets.UTF_8);
        String sha = HEX.formatHex(digest.digest(bytes));
        try (Connection c = raw.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + FLOOR_KV
                + " (prefix, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (prefix, key) DO UPDATE SET"
                + " value = excluded.value, updated_at = excluded.updated_at")) {
            ps.setString(1, "notes");
            ps.setString(2, "upsert.md");
            ps.setBytes(3, bytes);
            ps.setLong(4, JdbcBench.micros(Instant.now()));
            ps.executeUpdate();
        }
        return sha;
    }
}
