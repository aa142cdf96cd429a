package dev.agentmemory.benchmarks;

import dev.agentmemory.internal.SealProbe;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.ChainUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
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
 * The cost of the hash chain on a write: sealing one version (a fresh 32-byte salt from {@code SecureRandom}, SHA-256
 * over the salted path and content, SHA-256 over the link's metadata), beside the same write through the library on
 * the in-memory backend and on SQLite, in the same run. The library always seals, so the write cannot be measured
 * without it; {@link #seal()} is the sealing part of {@link #updateInMemory()} and {@link #updateSqlite()}, and the
 * write without it is the difference. What sealing adds in storage (three hash columns on the version's row, the head
 * kept on the store's row that the commit updates anyway) is not separated here.
 *
 * <ul>
 *   <li>{@link #seal()}: the library's sealer on one version of the content.
 *   <li>{@link #updateInMemory()}: {@code Memories.update} of one memory, alternating two contents of the size (a
 *       fresh store every 10,000 updates, as the in-memory backend keeps every version).
 *   <li>{@link #updateSqlite()}: the same on a SQLite file ({@code JdbcBackend.sqlite}: WAL, synchronous=NORMAL).
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class ChainSealBenchmark {

    /** The content's size in UTF-8 bytes: 1 KiB and 100 KiB. */
    @Param({"1024", "102400"})
    public int sizeBytes;

    private MemoryVersion version;
    private ChainHead head;
    private Instant now;
    private String contentA;
    private String contentB;
    private Bench.Store inMemory;
    private MemoryId inMemoryId;
    private JdbcBench.Db db;
    private JdbcBench.Library sqlite;
    private MemoryId sqliteId;
    private boolean flipInMemory;
    private long inMemoryWrites;
    private boolean flipSqlite;

    /** Makes the contents, the version to seal, and the two stores with one memory each. */
    @Setup(Level.Trial)
    public void setUp() {
        contentA = Texts.of(sizeBytes, 0);
        contentB = Texts.of(sizeBytes, 1);
        byte[] bytes = contentA.getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(Bench.sha256().digest(bytes));
        now = Instant.parse("2026-12-03T12:00:00.123456Z");
        version = new MemoryVersion(VersionId.of("memver_01benchseal"), StoreId.of("memstore_01benchseal"),
                MemoryId.of("mem_01benchseal"), Operation.MODIFIED, Optional.of("/notes/bench.md"),
                Optional.of(contentA), Optional.of(sha), Optional.of((long) bytes.length), Actor.user("bench-user"), now,
                Optional.empty(), Optional.empty());
        head = new ChainHead(41, "ab".repeat(32));
        inMemory = Bench.openStore();
        inMemoryId = inMemory.memories().create("/notes/bench.md", contentA).id();
        db = JdbcBench.fresh("sqlite", "seal");
        sqlite = JdbcBench.Library.withNewStore(db, "bench-seal");
        sqliteId = sqlite.memories().create("/notes/bench.md", contentA).id();
    }

    /** Closes the stores and removes the SQLite file. */
    @TearDown(Level.Trial)
    public void tearDown() {
        inMemory.close();
        sqlite.close();
        db.close();
    }

    /**
     * Seals one version of the content.
     *
     * @return the chain update
     */
    @Benchmark
    public ChainUpdate seal() {
        return SealProbe.seal(version, head, now);
    }

    /**
     * Updates a memory on the in-memory backend (one version, sealed).
     *
     * @return the memory
     */
    @Benchmark
    public Memory updateInMemory() {
        if (++inMemoryWrites % 10_000 == 0) { // the in-memory backend keeps every version: start a fresh store
            inMemory.close();
            inMemory = Bench.openStore();
            inMemoryId = inMemory.memories().create("/notes/bench.md", contentA).id();
        }
        flipInMemory = !flipInMemory;
        return inMemory.memories().update(inMemoryId,
                dev.agentmemory.model.MemoryUpdate.content(flipInMemory ? contentB : contentA));
    }

    /**
     * Updates a memory on SQLite (one version, sealed).
     *
     * @return the memory
     */
    @Benchmark
    public Memory updateSqlite() {
        flipSqlite = !flipSqlite;
        return sqlite.memories().update(sqliteId,
                dev.agentmemory.model.MemoryUpdate.content(flipSqlite ? contentB : contentA));
    }
}
