package dev.agentmemory.benchmarks;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ConcurrentHashMap;
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
 * {@code Memories.update} of an existing memory with new content, against its floor: UTF-8 encoding and SHA-256 of
 * the same content and a {@link ConcurrentHashMap} put of the text and digest over the existing key; and against the
 * floor of a hash-chained update ({@link #chainedFloor()}), which adds the chain's two hashes.
 *
 * <p>The update alternates between two different texts of the same size, so no update is a no-op: each one makes a
 * new version. Each iteration starts from a fresh store holding just that one memory, so its version history holds
 * only that iteration's updates. Thread-scoped: with {@code -t N} every thread updates its own store.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Thread)
public class UpdateBenchmark {

    private static final String PATH = "/notes/user-profile.md";

    /** The content's size in UTF-8 bytes: 1 KiB and 100 KiB. */
    @Param({"1024", "102400"})
    public int sizeBytes;

    /**
     * After how many updates the benchmark starts over on a fresh store: 10000, so that the memory's history stays
     * at a size retention would keep in use and old history becomes garbage; or 0, never, so that one memory's
     * history grows for the whole iteration and every young collection copies it.
     */
    @Param({"10000", "0"})
    public int rotateEvery;

    private long count;
    private String contentA;
    private String contentB;
    private MemoryUpdate toA;
    private MemoryUpdate toB;
    private MessageDigest digest;
    /** The iteration's store; package-private for the tests. */
    Bench.Store store;
    private MemoryId id;
    private ConcurrentHashMap<String, Object> floorMap;
    private Bench.ChainFloor chain;
    private static final byte[] PATH_BYTES = PATH.getBytes(StandardCharsets.UTF_8);
    private boolean flip;

    /** Makes the two contents. */
    @Setup(Level.Trial)
    public void makeContent() {
        contentA = Texts.of(sizeBytes, 1);
        contentB = Texts.of(sizeBytes, 2);
        toA = MemoryUpdate.content(contentA);
        toB = MemoryUpdate.content(contentB);
        digest = Bench.sha256();
        chain = new Bench.ChainFloor();
    }

    /** Opens a fresh store holding the memory with content A, and a floor map holding A under the same path. */
    @Setup(Level.Iteration)
    public void openStore() {
        store = Bench.openStore();
        id = store.memories().create(PATH, contentA).id();
        floorMap = new ConcurrentHashMap<>();
        floorMap.put(PATH, new Bench.Stored(contentA, digest.digest(contentA.getBytes(StandardCharsets.UTF_8))));
        flip = false;
        count = 0;
    }

    /** Closes the iteration's store. */
    @TearDown(Level.Iteration)
    public void closeStore() {
        store.close();
    }

    /**
     * Replaces the memory's content with the other text.
     *
     * @return the memory after the update
     */
    @Benchmark
    public Memory update() {
        if (rotateEvery > 0 && ++count % rotateEvery == 0) {
            store.close();
            openStore();
        }
        flip = !flip;
        return store.memories().update(id, flip ? toB : toA);
    }

    /**
     * The floor of {@link #update()}: encode, hash, put over the existing key.
     *
     * @return what was put
     */
    @Benchmark
    public Bench.Stored floor() {
        flip = !flip;
        String content = flip ? contentB : contentA;
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Bench.Stored stored = new Bench.Stored(content, digest.digest(bytes));
        floorMap.put(PATH, stored);
        return stored;
    }

    /**
     * The floor of a hash-chained update: {@link #floor()} plus what chaining the new version cannot avoid (a fresh
     * salt, the salted leaf hash of the path and content, the link hash; {@link Bench.ChainFloor}), stored over the
     * existing key.
     *
     * @return what was put
     */
    @Benchmark
    public Bench.ChainedStored chainedFloor() {
        flip = !flip;
        String content = flip ? contentB : contentA;
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        byte[] sha = digest.digest(bytes);
        byte[][] links = chain.chain(PATH_BYTES, bytes);
        Bench.ChainedStored stored = new Bench.ChainedStored(content, sha, links[0], links[1]);
        floorMap.put(PATH, stored);
        return stored;
    }
}
