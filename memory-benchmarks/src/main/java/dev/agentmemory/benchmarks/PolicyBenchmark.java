package dev.agentmemory.benchmarks;

import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.policy.InjectionDetector;
import dev.agentmemory.policy.SecretScanner;
import dev.agentmemory.policy.Verdict;
import dev.agentmemory.policy.WritePolicyChain;
import dev.agentmemory.policy.WriteRequest;
import java.time.Clock;
import java.util.Map;
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
 * The cost of the default write-policy chain ({@link WritePolicyChain#defaults}: reference store, session quota,
 * secret scanner, injection detector) on a write's content, beside the in-memory backend's {@code Memories.create}
 * of the same content without policies, in the same run.
 *
 * <ul>
 *   <li>{@link #create()}: the write without policies, as {@link CreateBenchmark#create()} (a fresh store every
 *       10,000 creates).
 *   <li>{@link #chain()}: building the {@link WriteRequest} for a session's create and evaluating the chain on it;
 *       the content is a clean note ({@link Texts}), so every policy runs to the end and allows it.
 *   <li>{@link #scanners()}: the secret scanner and the injection detector alone on the same request, the part of
 *       the chain whose cost grows with the content.
 *   <li>{@link #chainThenCreate()}: both, one after the other, outside the pipeline.
 *   <li>{@link #guardedCreate()}: {@code Memories.create} on a service built with
 *       {@code writePolicies(WritePolicyChain.defaults(..))}: the chain run inside the write pipeline, as every
 *       surface gets it. The writer is a user (an operator), so the quota lets it through without counting; the
 *       scanners run in full.
 * </ul>
 *
 * <p>The quota's counters stay empty (the benchmark never reports a commit), so its cost here is one lookup in an
 * empty map; with a busy session it adds a pass over that session's last minute of writes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Thread)
public class PolicyBenchmark {

    /** The content's size in UTF-8 bytes: 1 KiB and 100 KiB. */
    @Param({"1024", "102400"})
    public int sizeBytes;

    private static final StoreId STORE = StoreId.of("memstore_01benchpolicy");
    private static final Actor SESSION = Actor.session(SessionId.of("sesn_01benchpolicy"));
    private static final Map<String, String> METADATA = Map.of("team", "bench");
    private static final SecretScanner SCANNER = SecretScanner.defaults();
    private static final InjectionDetector DETECTOR = InjectionDetector.defaults();

    private String content;
    private WritePolicyChain chain;
    private Bench.Store store;
    private Bench.Store guarded;
    private long counter;
    private long guardedCounter;

    /** Makes the content and the chain. */
    @Setup(Level.Trial)
    public void makeContent() {
        content = Texts.of(sizeBytes, 0);
        chain = WritePolicyChain.defaults(Clock.systemUTC());
    }

    /** Opens an empty store. */
    @Setup(Level.Iteration)
    public void openStore() {
        store = Bench.openStore();
        counter = 0;
        guarded = Bench.openGuardedStore(WritePolicyChain.defaults(Clock.systemUTC()));
        guardedCounter = 0;
    }

    /** Closes the iteration's store. */
    @TearDown(Level.Iteration)
    public void closeStore() {
        store.close();
        guarded.close();
    }

    private String nextPath() {
        long n = counter++;
        if (n > 0 && n % 10_000 == 0) {
            store.close();
            store = Bench.openStore();
        }
        return "/notes/" + (n % 100) + "/n" + n + ".md";
    }

    /**
     * Creates one memory, without policies.
     *
     * @return the memory
     */
    @Benchmark
    public Memory create() {
        String path = nextPath();
        return store.memories().create(path, content);
    }

    /**
     * Evaluates the default chain on a session's create of the content.
     *
     * @return the verdict
     */
    @Benchmark
    public Verdict chain() {
        return chain.evaluate(WriteRequest.create(STORE, METADATA, "/notes/n.md", content, SESSION));
    }

    /**
     * Evaluates the secret scanner and the injection detector on a session's create of the content.
     *
     * @return the injection detector's verdict (the secret scanner's must allow)
     */
    @Benchmark
    public Verdict scanners() {
        WriteRequest request = WriteRequest.create(STORE, METADATA, "/notes/n.md", content, SESSION);
        Verdict v = SCANNER.evaluate(request);
        if (!(v instanceof Verdict.Allow)) {
            throw new IllegalStateException("the benchmark's content must be allowed: " + v);
        }
        return DETECTOR.evaluate(request);
    }

    /**
     * Evaluates the default chain, then creates the memory.
     *
     * @return the memory
     */
    @Benchmark
    public Memory chainThenCreate() {
        String path = nextPath();
        Verdict v = chain.evaluate(WriteRequest.create(STORE, METADATA, path, content, SESSION));
        if (!(v instanceof Verdict.Allow)) {
            throw new IllegalStateException("the benchmark's content must be allowed: " + v);
        }
        return store.memories().create(path, content);
    }

    /**
     * Creates one memory through a write pipeline that runs the default chain.
     *
     * @return the memory
     */
    @Benchmark
    public Memory guardedCreate() {
        long n = guardedCounter++;
        if (n > 0 && n % 10_000 == 0) {
            guarded.close();
            guarded = Bench.openGuardedStore(WritePolicyChain.defaults(Clock.systemUTC()));
        }
        return guarded.memories().create("/notes/" + (n % 100) + "/n" + n + ".md", content);
    }
}
