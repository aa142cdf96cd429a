package dev.agentmemory.benchmarks;

import java.security.NoSuchAlgorithmException;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.fs.MemoryFileSystems;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/**
 * The {@code java.nio} view ({@code memory-fs-adapter}) on the in-memory backend beside its baseline, Google Jimfs,
 * in the same run ({@code @Param fileSystem}: {@code memory}, {@code jimfs}), through the same {@link Files} calls
 * on the same layout ({@code /mnt/memory/bench/...}).
 *
 * <p>Targets: reads at least 1x Jimfs, listing at least 0.5x; writes at least 0.5x of {@link #writeFloor()} (UTF-8
 * check, SHA-256 and a Jimfs write of the same bytes), read from the {@code memory} rows of the same run. The
 * directory move has no target.
 *
 * <p>The writes go to a file system of their own ({@link Writes}) holding only the written file, which starts over
 * every {@code rotateEvery} writes as {@code CreateBenchmark} and {@code UpdateBenchmark} do, so that the history the
 * memory view keeps of every version stays at a size retention would keep.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Thread)
public class NioBenchmark {

    /** How many 1 KiB files the reads go round; a power of two. */
    static final int READ_FILES = 64;
    /** How many files the listed directory holds. */
    static final int LIST_FILES = 1000;
    /** How many files the moved directory holds. */
    static final int MOVE_FILES = 100;

    /** Which file system: this library's view on the in-memory backend, or Jimfs. */
    @Param({"memory", "jimfs"})
    public String fileSystem;

    AgentMemory agentMemory;
    FileSystem fs;
    Path[] readPaths;
    byte[][] writeContents;
    Path listDir;
    Path moveA;
    Path moveB;
    /** A Jimfs file system of its own for the write floor, opened whatever {@link #fileSystem} is. */
    FileSystem floorFs;
    Path floorPath;
    private final Bench.ChainFloor chain = new Bench.ChainFloor();
    private static final byte[] WRITE_PATH_BYTES = "/write.md".getBytes(StandardCharsets.UTF_8);
    private int next;
    private boolean moved;

    /**
     * Opens the file system and lays out the files.
     *
     * @throws IOException if writing them fails
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
        if (fileSystem.equals("memory")) {
            agentMemory = AgentMemory.builder().backend(InMemoryBackend.create()).limits(Bench.LIMITS).build();
            var ws = agentMemory.workspace("bench");
            MemoryStore store = ws.stores().create(NewStore.named("bench").build());
            fs = MemoryFileSystems.newFileSystem(ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id()))));
        } else if (fileSystem.equals("jimfs")) {
            fs = Jimfs.newFileSystem(Configuration.unix());
            Files.createDirectories(fs.getPath("/mnt/memory/bench"));
        } else {
            throw new IllegalArgumentException("fileSystem is memory or jimfs, not " + fileSystem);
        }
        floorFs = Jimfs.newFileSystem(Configuration.unix());
        floorPath = floorFs.getPath("/floor.md");
        Path root = fs.getPath("/mnt/memory/bench");
        Files.createDirectories(root.resolve("read"));
        readPaths = new Path[READ_FILES];
        for (int i = 0; i < READ_FILES; i++) {
            readPaths[i] = root.resolve("read/n" + i + ".md");
            Files.write(readPaths[i], Texts.of(1024, i % 8).getBytes(StandardCharsets.UTF_8));
        }
        writeContents = new byte[][] {
            Texts.of(1024, 1).getBytes(StandardCharsets.UTF_8), Texts.of(1024, 2).getBytes(StandardCharsets.UTF_8)};
        listDir = root.resolve("list");
        Files.createDirectories(listDir);
        byte[] small = "x".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < LIST_FILES; i++) {
            Files.write(listDir.resolve(String.format("f%04d.md", i)), small);
        }
        moveA = root.resolve("move/a");
        moveB = root.resolve("move/b");
        Files.createDirectories(moveA);
        for (int i = 0; i < MOVE_FILES; i++) {
            Files.write(moveA.resolve(String.format("f%03d.md", i)), small);
        }
    }

    /**
     * Closes the file system.
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        fs.close();
        floorFs.close();
        if (agentMemory != null) {
            agentMemory.close();
        }
    }

    /**
     * Reads a 1 KiB file, round-robin over {@value #READ_FILES}.
     *
     * @return the bytes
     * @throws IOException if reading fails
     */
    @Benchmark
    public byte[] readFile() throws IOException {
        next = (next + 1) & (READ_FILES - 1);
        return Files.readAllBytes(readPaths[next]);
    }

    /**
     * The file system the writes go to, of the same kind as the benchmark's ({@link #fileSystem}) and holding only the
     * written file: {@code /mnt/memory/bench/write.md}, in a fresh store for the memory view.
     */
    @State(Scope.Thread)
    public static class Writes {
        /**
         * After how many writes the written file starts over in a fresh file system (a fresh store for the memory
         * view): 10000, as for {@code UpdateBenchmark}, so that the history of the file stays at a size retention
         * would keep and old history becomes garbage; or 0, never, so that the history grows for the whole trial.
         */
        @Param({"10000", "0"})
        public int rotateEvery;

        private String fileSystem;
        private byte[] first;
        private AgentMemory agentMemory;
        private FileSystem fs;
        /** The written file. */
        Path path;
        private long count;

        /**
         * Opens the writes' file system.
         *
         * @param b the benchmark, for its kind of file system and its contents
         * @throws IOException if writing the file fails
         */
        @Setup(Level.Trial)
        public void open(NioBenchmark b) throws IOException {
            fileSystem = b.fileSystem;
            first = b.writeContents[0];
            openFileSystem();
        }

        private void openFileSystem() throws IOException {
            if (fileSystem.equals("memory")) {
                agentMemory = AgentMemory.builder().backend(InMemoryBackend.create()).limits(Bench.LIMITS).build();
                var ws = agentMemory.workspace("bench");
                MemoryStore store = ws.stores().create(NewStore.named("bench").build());
                fs = MemoryFileSystems.newFileSystem(
                        ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id()))));
            } else {
                fs = Jimfs.newFileSystem(Configuration.unix());
                Files.createDirectories(fs.getPath("/mnt/memory/bench"));
            }
            path = fs.getPath("/mnt/memory/bench/write.md");
            Files.write(path, first);
        }

        /** Starts over in a fresh file system every {@link #rotateEvery} writes. */
        void beforeWrite() throws IOException {
            if (rotateEvery > 0 && ++count % rotateEvery == 0) {
                close();
                openFileSystem();
            }
        }

        /**
         * Closes the writes' file system.
         *
         * @throws IOException if closing fails
         */
        @TearDown(Level.Trial)
        public void close() throws IOException {
            fs.close();
            if (agentMemory != null) {
                agentMemory.close();
                agentMemory = null;
            }
        }
    }

    /**
     * Writes a 1 KiB file over itself, alternating two texts (so every write of the memory view is a new version).
     *
     * @param w the file system written to
     * @return the path written
     * @throws IOException if writing fails
     */
    @Benchmark
    public Path writeFile(Writes w) throws IOException {
        w.beforeWrite();
        next++;
        return Files.write(w.path, writeContents[next & 1]);
    }

    /**
     * The floor of a write through the memory view: the least work it cannot avoid, with plain JDK parts and Jimfs,
     * written here independently of the library. Check that the 1 KiB is UTF-8 (memories hold UTF-8 text only), compute
     * its SHA-256 (every version records it), and write it over a file of a Jimfs file system of its own (a file
     * system write, which is what the view does with the bytes). The target is a view write at 0.5x of this.
     *
     * @return the digest
     * @throws IOException never: Jimfs holds the file in memory
     * @throws NoSuchAlgorithmException never: every JDK has SHA-256
     */
    @Benchmark
    public byte[] writeFloor() throws IOException, NoSuchAlgorithmException {
        next++;
        byte[] content = writeContents[next & 1];
        StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(content));
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(content);
        Files.write(floorPath, content);
        return digest;
    }

    /**
     * The floor of a write through the memory view with the hash chain's work added: {@link #writeFloor()} plus a
     * fresh salt, the salted leaf hash of the path and content and the link hash ({@link Bench.ChainFloor}), as every
     * version the view writes is chained.
     *
     * @return the link hash
     * @throws IOException never: Jimfs holds the file in memory
     * @throws NoSuchAlgorithmException never: every JDK has SHA-256
     */
    @Benchmark
    public byte[] writeChainedFloor() throws IOException, NoSuchAlgorithmException {
        writeFloor();
        return chain.chain(WRITE_PATH_BYTES, writeContents[next & 1])[1];
    }

    /**
     * Lists a directory of {@value #LIST_FILES} files.
     *
     * @return how many entries it has
     * @throws IOException if listing fails
     */
    @Benchmark
    public long listDirectory() throws IOException {
        try (Stream<Path> s = Files.list(listDir)) {
            return s.count();
        }
    }

    /**
     * Moves a directory of {@value #MOVE_FILES} files, back and forth between two names.
     *
     * @return the new path
     * @throws IOException if moving fails
     */
    @Benchmark
    public Path moveDirectory() throws IOException {
        Path to = moved ? moveA : moveB;
        Files.move(moved ? moveB : moveA, to);
        moved = !moved;
        return to;
    }
}
