package dev.agentmemory.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
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
 * Whether reads stay cheap as a store grows: the same four reads in a large store (10,000 memories, 1,000,000
 * versions) and in a small one (100 memories, 199 versions), on SQLite and PostgreSQL. With the right indexes each
 * costs about the same in both.
 *
 * <p>Both stores hold the directory {@value #DIR} with the same shape: 90 memories directly in it and 10 in
 * {@code archive/} under it; one of its memories, the target, has 100 versions. So every read returns the same
 * number of rows in both stores: a depth-1 listing page of {@value #DIR} (91 entries: the 90 memories and the
 * {@code archive/} prefix, found by two range scans), the target's version page (100 versions, limit 100), the
 * store's version page (limit 100: a full page) and {@code getByPath} round-robin over the directory's 100 memories
 * (content cached after the first read). The large store has 99 more such directories ({@code /projects/p000/} to
 * {@code /projects/p099/}), and every one of its memories has 100 versions; the small store has one version for each
 * memory but the target. Contents are 128-byte texts.
 *
 * <p>The large store is written straight through {@link JdbcBackend#commit} in commits of 10,000 versions (a
 * minute or two) and kept between runs: SQLite in {@code <java.io.tmpdir>/agent-memory-bench/}, PostgreSQL in a
 * schema {@code am_bench_large_<hash>}, named after a hash of the library's schema script so that a schema change
 * makes a new one (the old one is removed then). PostgreSQL gets an {@code ANALYZE} after the build, as autovacuum
 * would do soon after. The small store is made fresh for each trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class LargeStoreBenchmark {

    /** The directory every read looks at. */
    static final String DIR = "/projects/p042/";
    /** How many directories like {@link #DIR} the large store has. */
    static final int LARGE_DIRS = 100;
    /** Memories per directory: 90 directly in it and 10 in {@code archive/}. */
    static final int PER_DIR = 100;
    /** Versions of each memory of the large store, and of the target in both. */
    static final int VERSIONS = 100;
    /** Versions per commit while building. */
    static final int BATCH = 10_000;
    /** Bump to rebuild cached stores when the way they are built changes. */
    static final String BUILD = "b1";
    static final String COMPLETE = "large-complete";

    private static final int TEXT_BYTES = 128;
    private static final int VARIANTS = 8;

    /** The store to read, opened once per trial. */
    @State(Scope.Benchmark)
    public static class Data {

        /** The database: {@code sqlite} or {@code postgresql}. */
        @Param({"sqlite", "postgresql"})
        public String dialect;

        /** {@code small}: 100 memories and 199 versions; {@code large}: 10,000 memories and 1,000,000 versions. */
        @Param({"small", "large"})
        public String store;

        JdbcBench.Db db;
        JdbcBackend backend;
        AgentMemory agentMemory;
        Memories memories;
        MemoryId target;
        final String[] paths = new String[PER_DIR];
        ListQuery listQuery;
        VersionQuery memoryVersions;
        VersionQuery storeVersions;

        /** Opens (building if need be) the store and checks that it has the expected shape. */
        @Setup(Level.Trial)
        public void open() {
            boolean large = store.equals("large");
            if (large) {
                Dialect d = JdbcBench.dialect(dialect);
                db = JdbcBench.cached(dialect, "large_" + BUILD + "_" + JdbcBench.schemaHash(d));
                openLarge();
            } else {
                db = JdbcBench.fresh(dialect, "small");
                backend = db.backend();
                agentMemory = AgentMemory.builder().backend(backend).limits(Bench.LIMITS).build();
                var ws = agentMemory.workspace("bench");
                MemoryStore s = ws.stores().create(NewStore.named("small").build());
                build(backend, s.id(), new int[] {42}, false);
                memories = ws.memories(s.id(), JdbcBench.ACTOR);
            }
            for (int k = 0; k < PER_DIR; k++) {
                paths[k] = path(42, k);
            }
            target = memories.getByPath(paths[0]).id();
            listQuery = ListQuery.under(DIR).depth(1).limit(100).build();
            memoryVersions = VersionQuery.ofMemory(target).limit(100).build();
            storeVersions = VersionQuery.builder().limit(100).build();
            check(large);
        }

        private void openLarge() {
            if (db.exists()) {
                backend = db.backend();
                agentMemory = AgentMemory.builder().backend(backend).limits(Bench.LIMITS).build();
                var ws = agentMemory.workspace("bench");
                Optional<MemoryStore> done = ws.stores().list(StoreQuery.firstPage()).items().stream()
                        .filter(s -> s.name().equals(COMPLETE)).findFirst();
                if (done.isPresent()) {
                    memories = ws.memories(done.get().id(), JdbcBench.ACTOR);
                    return;
                }
                agentMemory.close();
                System.out.println("# " + db.where() + " is incomplete; building it again");
                db.discard();
            }
            removeStaleCaches();
            db.prepare();
            long t0 = System.nanoTime();
            backend = db.backend();
            agentMemory = AgentMemory.builder().backend(backend).limits(Bench.LIMITS).build();
            var ws = agentMemory.workspace("bench");
            MemoryStore s = ws.stores().create(NewStore.named("large-building").build());
            int[] dirs = new int[LARGE_DIRS];
            for (int i = 0; i < dirs.length; i++) {
                dirs[i] = i;
            }
            build(backend, s.id(), dirs, true);
            if (db.dialect() == Dialect.POSTGRESQL) {
                try (HikariDataSource raw = db.rawPool(); Connection c = raw.getConnection();
                        Statement st = c.createStatement()) {
                    st.execute("ANALYZE am_memory");
                    st.execute("ANALYZE am_version");
                    st.execute("ANALYZE am_store");
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot analyze " + db.where(), e);
                }
            }
            ws.stores().update(s.id(), StoreUpdate.builder().name(COMPLETE).build());
            memories = ws.memories(s.id(), JdbcBench.ACTOR);
            System.out.printf("# built the large store in %s in %.0f s%n", db.where(),
                    (System.nanoTime() - t0) / 1e9);
        }

        private void removeStaleCaches() {
            // Other builds or schema hashes of the large store: remove them, they are big.
            if (db.dialect() == Dialect.SQLITE) {
                Path dir = Path.of(System.getProperty("java.io.tmpdir"),
                        "agent-memory-bench");
                if (Files.isDirectory(dir)) {
                    try (var files = Files.list(dir)) {
                        for (var f : files.toList()) {
                            if (f.getFileName().toString().startsWith("large_")) {
                                Files.deleteIfExists(f);
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            } else {
                List<String> stale = new ArrayList<>();
                try (Connection c = DriverManager.getConnection(JdbcBench.pgUrl());
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT schema_name FROM information_schema"
                                + ".schemata WHERE schema_name LIKE 'am\\_bench\\_large\\_%'")) {
                    while (rs.next()) {
                        stale.add(rs.getString(1));
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot list the benchmark schemas", e);
                }
                for (String schema : stale) {
                    JdbcBench.execute(JdbcBench.pgUrl(), "DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }

        private void check(boolean large) {
            long memoryCount = backend.countMemories(memories.storeId());
            long versionCount;
            try (HikariDataSource raw = db.rawPool(); Connection c = raw.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM am_version WHERE store_id = ?")) {
                ps.setString(1, memories.storeId().value());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    versionCount = rs.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot count the versions in " + db.where(), e);
            }
            long expectedMemories = large ? (long) LARGE_DIRS * PER_DIR : PER_DIR;
            long expectedVersions = large ? expectedMemories * VERSIONS : VERSIONS + PER_DIR - 1;
            if (memoryCount != expectedMemories || versionCount != expectedVersions) {
                throw new IllegalStateException(db.where() + " holds " + memoryCount + " memories and " + versionCount
                        + " versions, not " + expectedMemories + " and " + expectedVersions);
            }
            Page<ListEntry> list = memories.list(listQuery);
            Page<MemoryVersion> mv = memories.versions(memoryVersions);
            Page<MemoryVersion> sv = memories.versions(storeVersions);
            if (list.items().size() != 91 || mv.items().size() != VERSIONS || sv.items().size() != 100) {
                throw new IllegalStateException("unexpected page sizes: list " + list.items().size()
                        + ", memory versions " + mv.items().size() + ", store versions " + sv.items().size());
            }
            System.out.printf("# %s store on %s: %,d memories, %,d versions%n", store, db.where(), memoryCount,
                    versionCount);
        }

        /** Closes the library; removes a small store's database, keeps a large one. */
        @TearDown(Level.Trial)
        public void close() {
            agentMemory.close();
            db.close();
        }
    }

    /**
     * The path of memory {@code k} of directory {@code dir}.
     *
     * @param dir the directory number
     * @param k 0 to 99: 0 to 89 directly in it, 90 to 99 in {@code archive/}
     * @return the path
     */
    static String path(int dir, int k) {
        String d = String.format("/projects/p%03d/", dir);
        return k < 90 ? d + String.format("note-%02d.md", k) : d + String.format("archive/old-%02d.md", k);
    }

    /**
     * Writes the store straight through the backend: versions in commits of {@value #BATCH}, round by round (every
     * memory's first version, then every memory's second, ...), then one commit that puts every memory at its newest
     * version. Memory 0 of each directory (the target in {@link #DIR}) gets {@value #VERSIONS} versions; the others as
     * many if {@code allVersions}, else one.
     */
    static void build(MemoryBackend backend, StoreId store, int[] dirs, boolean allVersions) {
        build(backend, store, dirs, k -> allVersions || k == 0 ? VERSIONS : 1);
    }

    /**
     * Writes a store of {@code dirs.length} directories of {@value #PER_DIR} memories straight through the backend, as
     * {@link #build(MemoryBackend, StoreId, int[], boolean)} does, memory {@code k} of each directory with
     * {@code versionsOf.applyAsInt(k)} versions (1 to {@value #VERSIONS}).
     */
    static void build(MemoryBackend backend, StoreId store, int[] dirs, IntUnaryOperator versionsOf) {
        String[] texts = new String[VARIANTS];
        String[] shas = new String[VARIANTS];
        for (int v = 0; v < VARIANTS; v++) {
            texts[v] = Texts.of(TEXT_BYTES, v);
            shas[v] = HexFormat.of().formatHex(Bench.sha256().digest(texts[v].getBytes(StandardCharsets.UTF_8)));
        }
        int memoryCount = dirs.length * PER_DIR;
        MemoryId[] ids = new MemoryId[memoryCount];
        String[] paths = new String[memoryCount];
        int[] versionCount = new int[memoryCount];
        for (int i = 0; i < memoryCount; i++) {
            int dir = dirs[i / PER_DIR];
            int k = i % PER_DIR;
            ids[i] = MemoryId.of(MemoryId.PREFIX + String.format("bench%019d%03d%02d", 0, dir, k));
            paths[i] = path(dir, k);
            versionCount[i] = versionsOf.applyAsInt(k);
        }
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        long n = 0;
        VersionId[] head = new VersionId[memoryCount];
        Instant[] created = new Instant[memoryCount];
        Instant[] updated = new Instant[memoryCount];
        int[] headVariant = new int[memoryCount];
        List<MemoryVersion> batch = new ArrayList<>(BATCH);
        for (int round = 0; round < VERSIONS; round++) {
            for (int i = 0; i < memoryCount; i++) {
                if (round >= versionCount[i]) {
                    continue;
                }
                VersionId vid = VersionId.of(VersionId.PREFIX + String.format("bench%024d", n));
                Instant at = base.plusNanos(1000 * n);
                n++;
                int variant = (i + round) % VARIANTS;
                batch.add(new MemoryVersion(vid, store, ids[i], round == 0 ? Operation.CREATED : Operation.MODIFIED,
                        Optional.of(paths[i]), Optional.of(texts[variant]), Optional.of(shas[variant]),
                        Optional.of((long) TEXT_BYTES), JdbcBench.ACTOR, at, Optional.empty(), Optional.empty()));
                head[i] = vid;
                headVariant[i] = variant;
                updated[i] = at;
                if (round == 0) {
                    created[i] = at;
                }
                if (batch.size() == BATCH) {
                    commit(backend, store, List.of(), batch);
                    batch.clear();
                }
            }
        }
        List<Memory> puts = new ArrayList<>(memoryCount);
        for (int i = 0; i < memoryCount; i++) {
            puts.add(new Memory(ids[i], store, paths[i], Optional.of(texts[headVariant[i]]), shas[headVariant[i]],
                    TEXT_BYTES, head[i], created[i], updated[i]));
        }
        commit(backend, store, puts, batch);
    }

    private static void commit(MemoryBackend backend, StoreId store, List<Memory> puts, List<MemoryVersion> versions) {
        long seq = backend.findStore(store).orElseThrow().sequence();
        Commit c = new Commit(store, seq, Optional.empty(), List.of(), puts, versions, List.of(), List.of());
        if (!backend.commit(c)) {
            throw new IllegalStateException("a build commit was overtaken: nothing else should write here");
        }
    }

    private int next;

    /**
     * A depth-1 listing page of {@link #DIR}, limit 100.
     *
     * @param d the store
     * @return the page
     */
    @Benchmark
    public Page<ListEntry> listPage(Data d) {
        return d.memories.list(d.listQuery);
    }

    /**
     * The first page (limit 100) of the target memory's versions.
     *
     * @param d the store
     * @return the page
     */
    @Benchmark
    public Page<MemoryVersion> memoryVersionPage(Data d) {
        return d.memories.versions(d.memoryVersions);
    }

    /**
     * The first page (limit 100) of the store's versions.
     *
     * @param d the store
     * @return the page
     */
    @Benchmark
    public Page<MemoryVersion> storeVersionPage(Data d) {
        return d.memories.versions(d.storeVersions);
    }

    /**
     * A memory of {@link #DIR} by path, round-robin over its 100 memories.
     *
     * @param d the store
     * @return the memory, with its content
     */
    @Benchmark
    public Memory getByPath(Data d) {
        next = next == PER_DIR - 1 ? 0 : next + 1;
        return d.memories.getByPath(d.paths[next]);
    }
}
