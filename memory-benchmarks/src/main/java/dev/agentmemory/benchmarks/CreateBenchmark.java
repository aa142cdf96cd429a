package dev.agentmemory.benchmarks;

import dev.agentmemory.model.Memory;
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
 * {@code Memories.create} of a new memory at a fresh path, against its floor: UTF-8 encoding and SHA-256 of the same
 * content and a {@link ConcurrentHashMap} put of the text and digest under the same fresh path; and against the floor
 * of a hash-chained create ({@link #chainedFloor()}), which adds the chain's two hashes.
 *
 * <p>Each iteration starts from an empty store (and an empty floor map), so the store holds only the memories made in
 * that iteration; {@link Bench#LIMITS} raises the memory limit to 10,000,000 so no iteration reaches it. Paths are
 * {@code /notes/<n mod 100>/n<n>.md}, so the store grows as a 100-directory tree. Thread-scoped: with {@code -t N}
 * every thread writes to its own store.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Thread)
public class CreateBenchmark {

    /** The content's size in UTF-8 bytes: 1 KiB and 100 KiB. */
    @Param({"1024", "102400"})
    public int sizeBytes;

    /**
     * After how many creates the benchmark starts over on a fresh store (and a fresh floor map): 10000, the default
     * size limit of a store, so that old stores become garbage as they would in use; or 0, never, so that one store
     * grows for the whole iteration and every young collection copies its whole history.
     */
    @Param({"10000", "0"})
    public int rotateEvery;

    private String content;
    private MessageDigest digest;
    private Bench.Store store;
    private ConcurrentHashMap<String, Object> floorMap;
    private Bench.ChainFloor chain;
    private long counter;

    /** Makes the content. */
    @Setup(Level.Trial)
    public void makeContent() {
        content = Texts.of(sizeBytes, 0);
        digest = Bench.sha256();
        chain = new Bench.ChainFloor();
    }

    /** Opens an empty store and an empty floor map. */
    @Setup(Level.Iteration)
    public void openStore() {
        store = Bench.openStore();
        floorMap = new ConcurrentHashMap<>();
        counter = 0;
    }

    /** Closes the iteration's store. */
    @TearDown(Level.Iteration)
    public void closeStore() {
        store.close();
    }

    private String nextPath() {
        long n = counter++;
        if (rotateEvery > 0 && n > 0 && n % rotateEvery == 0) {
            store.close();
            store = Bench.openStore();
            floorMap = new ConcurrentHashMap<>();
        }
        return "/notes/" + (n % 100) + "/n" + n + ".md";
    }

    /**
     * Creates one memory.
     *
     * @return the memory
     */
    @Benchmark
    public Memory create() {
        String path = nextPath(); // may start a fresh store, so take the path before the store
        return store.memories().create(path, content);
    }

    /**
     * The floor of {@link #create()}: encode, hash, put under a fresh key.
     *
     * @return what was put
     */
    @Benchmark
    public Bench.Stored floor() {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Bench.Stored stored = new Bench.Stored(content, digest.digest(bytes));
        String path = nextPath();
        floorMap.put(path, stored);
        return stored;
    }

    /**
     * The floor of a hash-chained create: {@link #floor()} plus what chaining the version cannot avoid (a fresh salt,
     * the salted leaf hash of the path and content, the link hash; {@link Bench.ChainFloor}), stored with the text.
     *
     * @return what was put
     */
    @Benchmark
    public Bench.ChainedStored chainedFloor() {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        byte[] sha = digest.digest(bytes);
        String path = nextPath();
        byte[][] links = chain.chain(path.getBytes(StandardCharsets.UTF_8), bytes);
        Bench.ChainedStored stored = new Bench.ChainedStored(content, sha, links[0], links[1]);
        floorMap.put(path, stored);
        return stored;
    }
}
