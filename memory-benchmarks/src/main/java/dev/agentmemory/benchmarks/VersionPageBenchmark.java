package dev.agentmemory.benchmarks;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spi.MemoryBackend;
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
 * The store-wide version page ({@code Memories.versions} without a memory) in a large store, 10,000 memories and
 * 1,000,000 versions, against the same page in a small store of 100 memories and 100 versions, on the in-memory
 * backend, SQLite and PostgreSQL. The target: a page of the large store costs at most 1.5x the same page of the small
 * one.
 *
 * <p>Two pages, each of {@value #PAGE} versions (so both stores return the same number of rows): the first (newest)
 * page, and the page in the middle of the store's history, reached with the cursor of the page before it (for the
 * large store, the page after the 500,000th version; for the small one, after the 50th). The middle cursor is found
 * once per trial by walking the pages from the start, as a client would.
 *
 * <p>Both stores are written straight through {@link MemoryBackend#commit} in commits of 10,000 versions (the stores'
 * shape is {@link LargeStoreBenchmark}'s: directories of 100 memories, 128-byte texts). The large SQLite and PostgreSQL
 * stores are the very ones {@link LargeStoreBenchmark} keeps between runs (built by whichever runs first; a minute or
 * more); the in-memory large store is built in each trial's set-up (the time is printed). The small stores are made
 * fresh for each trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Thread)
public class VersionPageBenchmark {

    /** Versions per page. */
    static final int PAGE = 50;
    /** Versions per page while walking to the middle (the largest page the library serves). */
    private static final int WALK_PAGE = 100;

    /** The store to read, opened once per trial. */
    @State(Scope.Benchmark)
    public static class Data {

        /** The backend: {@code memory}, {@code sqlite} or {@code postgresql} ({@code AGENT_MEMORY_PG_URL}). */
        @Param({"memory", "sqlite"})
        public String backend;

        /** {@code small}: 100 memories, 100 versions; {@code large}: 10,000 memories, 1,000,000 versions. */
        @Param({"small", "large"})
        public String store;

        JdbcBench.Db db;
        AgentMemory agentMemory;
        Memories memories;
        VersionQuery first;
        VersionQuery middle;

        /** Opens (building if need be) the store, checks its size and finds the middle page's cursor. */
        @Setup(Level.Trial)
        public void open() {
            boolean large = store.equals("large");
            long t0 = System.nanoTime();
            MemoryBackend b;
            if (backend.equals("memory")) {
                b = InMemoryBackend.create();
            } else if (large) {
                db = JdbcBench.cached(backend, "large_" + LargeStoreBenchmark.BUILD + "_"
                        + JdbcBench.schemaHash(JdbcBench.dialect(backend)));
                b = openCachedLarge();
            } else {
                db = JdbcBench.fresh(backend, "versionpage");
                b = db.backend();
            }
            if (agentMemory == null) {
                agentMemory = AgentMemory.builder().backend(b).limits(Bench.LIMITS).build();
                var ws = agentMemory.workspace("bench");
                MemoryStore s = ws.stores().create(NewStore.named(large ? "large-building" : "small").build());
                int[] dirs = new int[large ? LargeStoreBenchmark.LARGE_DIRS : 1];
                for (int i = 0; i < dirs.length; i++) {
                    dirs[i] = large ? i : 42;
                }
                LargeStoreBenchmark.build(b, s.id(), dirs, k -> large ? LargeStoreBenchmark.VERSIONS : 1);
                if (large && db != null && db.dialect() == Dialect.POSTGRESQL) {
                    JdbcBench.execute(db.url(), "ANALYZE am_memory", "ANALYZE am_version", "ANALYZE am_store");
                }
                if (large) {
                    ws.stores().update(s.id(), StoreUpdate.builder().name(LargeStoreBenchmark.COMPLETE).build());
                }
                memories = ws.memories(s.id(), JdbcBench.ACTOR);
                System.out.printf("# built the %s store on %s in %.1f s%n", store, db == null ? "the heap" : db.where(),
                        (System.nanoTime() - t0) / 1e9);
            }
            long versions = large ? (long) LargeStoreBenchmark.LARGE_DIRS * LargeStoreBenchmark.PER_DIR
                    * LargeStoreBenchmark.VERSIONS : LargeStoreBenchmark.PER_DIR;
            first = VersionQuery.builder().limit(PAGE).build();
            middle = first.page(cursorAfter(versions / 2));
            Page<MemoryVersion> p1 = memories.versions(first);
            Page<MemoryVersion> p2 = memories.versions(middle);
            if (p1.items().size() != PAGE || p2.items().size() != PAGE
                    || p2.items().get(0).id().compareTo(p1.items().get(PAGE - 1).id()) >= 0) {
                throw new IllegalStateException("unexpected pages: " + p1.items().size() + " and "
                        + p2.items().size() + " versions");
            }
        }

        /** Opens the large store {@link LargeStoreBenchmark} keeps, if it is complete; else returns a new backend. */
        private MemoryBackend openCachedLarge() {
            if (db.exists()) {
                JdbcBackend b = db.backend();
                AgentMemory am = AgentMemory.builder().backend(b).limits(Bench.LIMITS).build();
                var ws = am.workspace("bench");
                Optional<MemoryStore> done = ws.stores().list(StoreQuery.firstPage()).items().stream()
                        .filter(s -> s.name().equals(LargeStoreBenchmark.COMPLETE)).findFirst();
                if (done.isPresent()) {
                    agentMemory = am;
                    memories = ws.memories(done.get().id(), JdbcBench.ACTOR);
                    return b;
                }
                am.close();
                db.discard();
            }
            db.prepare();
            return db.backend();
        }

        /** The cursor of the page that ends with the {@code n}th newest version, found by walking from the start. */
        private String cursorAfter(long n) {
            VersionQuery q = VersionQuery.builder().limit(n % WALK_PAGE == 0 ? WALK_PAGE : PAGE).build();
            long seen = 0;
            while (true) {
                Page<MemoryVersion> p = memories.versions(q);
                seen += p.items().size();
                String next = p.nextCursor().orElseThrow(() -> new IllegalStateException("the store has fewer than "
                        + n + " versions"));
                if (seen >= n) {
                    if (seen != n) {
                        throw new IllegalStateException("walk overshot: " + seen + " versions for " + n);
                    }
                    return next;
                }
                q = q.page(next);
            }
        }

        /** Closes the library; removes a small store's database, keeps a large one. */
        @TearDown(Level.Trial)
        public void close() {
            agentMemory.close();
            if (db != null) {
                db.close();
            }
        }
    }

    /**
     * The store's newest {@value #PAGE} versions.
     *
     * @param d the store
     * @return the page
     */
    @Benchmark
    public Page<MemoryVersion> firstPage(Data d) {
        return d.memories.versions(d.first);
    }

    /**
     * The {@value #PAGE} versions after the middle of the store's history, by cursor.
     *
     * @param d the store
     * @return the page
     */
    @Benchmark
    public Page<MemoryVersion> middlePage(Data d) {
        return d.memories.versions(d.middle);
    }
}
