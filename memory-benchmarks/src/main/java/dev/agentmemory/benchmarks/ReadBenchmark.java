package dev.agentmemory.benchmarks;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
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
 * {@code Memories.get} by id and {@code Memories.getByPath}, against their floor: a {@link ConcurrentHashMap} get of
 * the stored record by its path.
 *
 * <p>One store of {@value #COUNT} memories (eight different texts of the chosen size) is shared by all threads; each
 * thread reads them round-robin. Reads return the stored content without copying it, so the size matters only
 * through the caches.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Thread)
public class ReadBenchmark {

    /** How many memories the store holds; a power of two. */
    public static final int COUNT = 1024;

    /** The store and the floor map, shared by every thread. */
    @State(Scope.Benchmark)
    public static class Data {

        /** The content's size in UTF-8 bytes: 1 KiB and 100 KiB. */
        @Param({"1024", "102400"})
        public int sizeBytes;

        Bench.Store store;
        final MemoryId[] ids = new MemoryId[COUNT];
        final String[] paths = new String[COUNT];
        final ConcurrentHashMap<String, Bench.Stored> floorMap = new ConcurrentHashMap<>();

        /** Fills the store and the floor map with the same memories. */
        @Setup(Level.Trial)
        public void fill() {
            store = Bench.openStore();
            MessageDigest digest = Bench.sha256();
            String[] texts = new String[8];
            for (int v = 0; v < texts.length; v++) {
                texts[v] = Texts.of(sizeBytes, v);
            }
            for (int i = 0; i < COUNT; i++) {
                String path = "/notes/" + (i % 32) + "/n" + i + ".md";
                String text = texts[i % texts.length];
                paths[i] = path;
                ids[i] = store.memories().create(path, text).id();
                floorMap.put(path, new Bench.Stored(text, digest.digest(text.getBytes(StandardCharsets.UTF_8))));
            }
        }

        /** Closes the store. */
        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    private int next;

    private int nextIndex() {
        next = (next + 1) & (COUNT - 1);
        return next;
    }

    /**
     * Reads a memory by id.
     *
     * @param d the store
     * @return the memory
     */
    @Benchmark
    public Memory get(Data d) {
        return d.store.memories().get(d.ids[nextIndex()]);
    }

    /**
     * Reads a memory by path.
     *
     * @param d the store
     * @return the memory
     */
    @Benchmark
    public Memory getByPath(Data d) {
        return d.store.memories().getByPath(d.paths[nextIndex()]);
    }

    /**
     * The floor of the reads: a map get by path.
     *
     * @param d the floor map
     * @return the record
     */
    @Benchmark
    public Bench.Stored floor(Data d) {
        return d.floorMap.get(d.paths[nextIndex()]);
    }
}
