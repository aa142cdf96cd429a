package dev.agentmemory.benchmarks;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.checkout.Checkout;
import dev.agentmemory.checkout.SyncReport;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
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
 * {@code Checkout.sync()} of a checkout of {@value #FILES} unchanged files, against its baseline: a plain
 * {@code Files.walkFileTree} that reads the same tree's attributes (one stat per file) and does nothing else.
 *
 * <p>The target is a sync of at most 100 ms. An unchanged sync does one stat per file and compares it with the
 * manifest (no hashing), and one {@code Memories.revision()} call per mount (no listing, since the revision did not
 * move); it writes nothing. So {@code sync / walkBaseline} shows the cost above the unavoidable stats.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class CheckoutSyncBenchmark {

    /** How many files the checkout holds. */
    public static final int FILES = 10_000;

    /** The backend: {@code inmemory}, or {@code sqlite} (a file in a temporary directory). */
    @Param({"inmemory", "sqlite"})
    public String backend;

    int files = FILES;
    Path tmp;
    AgentMemory agentMemory;
    Checkout checkout;

    /** Fills a store with the files (100 directories, 1 KiB texts), checks it out and syncs once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        tmp = Files.createTempDirectory("agent-memory-checkout-bench");
        agentMemory = AgentMemory.builder().limits(Bench.LIMITS)
                .backend(backend.equals("sqlite") ? JdbcBackend.sqlite(tmp.resolve("memory.db"))
                        : InMemoryBackend.create())
                .build();
        Workspace ws = agentMemory.workspace("bench");
        MemoryStore store = ws.stores().create(NewStore.named("bench").build());
        Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
        Memories memories = session.mount(session.attachments().get(0).slug());
        Batch.Builder batch = Batch.builder();
        for (int i = 0; i < files; i++) {
            batch.create("/notes/d" + (i % 100) + "/n" + i + ".md", Texts.of(1024, i % 8));
            if ((i + 1) % 500 == 0 || i == files - 1) {
                memories.apply(batch.build());
                batch = Batch.builder();
            }
        }
        checkout = Checkout.create(session, tmp.resolve("checkout"));
        SyncReport first = checkout.sync();
        if (!first.isEmpty()) {
            throw new IllegalStateException("the first sync of a fresh checkout should find nothing: " + first);
        }
    }

    /** Closes the checkout and the store and removes the files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        checkout.close();
        agentMemory.close();
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Syncs the unchanged checkout.
     *
     * @return the (empty) report
     */
    @Benchmark
    public SyncReport sync() {
        return checkout.sync();
    }

    /**
     * Reads every file's attributes in the checkout's mount, as the sync's scan must.
     *
     * @return how many regular files were seen
     * @throws IOException if the walk fails
     */
    @Benchmark
    public long walkBaseline() throws IOException {
        long[] count = {0};
        Files.walkFileTree(checkout.directory().resolve("bench"), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    count[0]++;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return count[0];
    }
}
