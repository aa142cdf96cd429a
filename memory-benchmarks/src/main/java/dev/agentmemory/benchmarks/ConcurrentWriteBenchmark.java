package dev.agentmemory.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.Memories;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
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
 * Several writers at once through one library: each JMH thread ({@code -t N}) updates a 1 KiB memory of its own, in
 * one shared store ({@code layout=shared}, every write moving that store's sequence) or in a store of its own
 * ({@code layout=own}). Compare the total throughput at {@code -t 4} and {@code -t 16} with {@code -t 1}.
 *
 * <p>At the end of each trial it checks, and fails the trial otherwise, that no acknowledged update was lost (each
 * memory has exactly one version per acknowledged write, plus the one that created it) and that every writer made
 * progress; it prints each writer's count, so that a starving writer shows.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ConcurrentWriteBenchmark {

    /** The most writers a trial may have. */
    static final int MAX_WRITERS = 16;

    /** The database, the library and the writers' memories. */
    @State(Scope.Benchmark)
    public static class Shared {
        /** {@code sqlite} or {@code postgresql} ({@value JdbcBench#PG_URL_ENV}). */
        @Param({"sqlite", "postgresql"})
        public String dialect;

        /** {@code shared}: every writer in one store; {@code own}: a store per writer. */
        @Param({"shared", "own"})
        public String layout;

        private JdbcBench.Db db;
        private JdbcBench.Library lib;
        private final List<Memories> handles = new ArrayList<>();
        private final List<MemoryId> memories = new ArrayList<>();
        private final List<StoreId> stores = new ArrayList<>();
        private final AtomicInteger nextWriter = new AtomicInteger();
        private final AtomicLongArray acknowledged = new AtomicLongArray(MAX_WRITERS);

        /** Opens a fresh database with a memory per possible writer. */
        @Setup(Level.Trial)
        public void open() {
            db = JdbcBench.fresh(dialect, "concurrent");
            lib = JdbcBench.Library.withNewStore(db, "bench-concurrent");
            String content = Texts.of(JdbcWriteBenchmark.SIZE_BYTES, 1);
            for (int i = 0; i < MAX_WRITERS; i++) {
                Memories m = lib.memories();
                if (layout.equals("own") && i > 0) {
                    MemoryStore s = lib.agentMemory().workspace("bench").stores()
                            .create(NewStore.named("bench-concurrent-" + i).build());
                    m = lib.agentMemory().workspace("bench").memories(s.id(), JdbcBench.ACTOR);
                }
                handles.add(m);
                stores.add(m.storeId());
                memories.add(m.create("/writers/w" + i + ".md", content).id());
            }
        }

        /**
         * Counts one acknowledged write that was never made, for the test that shows the trial's check fails then.
         *
         * @param writer the writer's index
         */
        void countForTest(int writer) {
            acknowledged.incrementAndGet(writer);
        }

        /** Checks that no acknowledged write was lost and every writer progressed; then removes the database. */
        @TearDown(Level.Trial)
        public void close() throws SQLException {
            int writers = nextWriter.get();
            StringBuilder counts = new StringBuilder();
            try (HikariDataSource raw = db.rawPool(); Connection c = raw.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "SELECT count(*) FROM am_version WHERE store_id = ? AND memory_id = ?")) {
                for (int i = 0; i < writers; i++) {
                    ps.setString(1, stores.get(i).value());
                    ps.setString(2, memories.get(i).value());
                    long versions;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        versions = rs.getLong(1);
                    }
                    long acked = acknowledged.get(i);
                    counts.append(i == 0 ? "" : ", ").append(acked);
                    if (versions != acked + 1) {
                        throw new IllegalStateException("writer " + i + ": " + acked + " acknowledged updates but "
                                + (versions - 1) + " versions after the first: updates were lost or invented");
                    }
                    if (acked == 0) {
                        throw new IllegalStateException("writer " + i + " made no progress: " + counts);
                    }
                }
            } finally {
                lib.close();
                db.close();
            }
            System.out.printf("%n# %d writers (%s): updates per writer %s; 0 lost%n", writers, layout, counts);
        }
    }

    /** One writer: its memory and two contents to alternate. */
    @State(Scope.Thread)
    public static class Writer {
        private int index;
        private Memories memories;
        private MemoryId memory;
        private MemoryUpdate toA;
        private MemoryUpdate toB;
        private boolean flip;
        private AtomicLongArray acknowledged;

        /**
         * Takes the next writer slot.
         *
         * @param s the shared state
         */
        @Setup(Level.Trial)
        public void take(Shared s) {
            index = s.nextWriter.getAndIncrement();
            if (index >= MAX_WRITERS) {
                throw new IllegalStateException("at most " + MAX_WRITERS + " writers");
            }
            memories = s.handles.get(index);
            memory = s.memories.get(index);
            toA = MemoryUpdate.content(Texts.of(JdbcWriteBenchmark.SIZE_BYTES, 1));
            toB = MemoryUpdate.content(Texts.of(JdbcWriteBenchmark.SIZE_BYTES, 2));
            acknowledged = s.acknowledged;
        }
    }

    /**
     * Replaces the writer's memory's content.
     *
     * @param w the writer
     * @return the new head's version id
     */
    @Benchmark
    public String update(Writer w) {
        w.flip = !w.flip;
        String head = w.memories.update(w.memory, w.flip ? w.toB : w.toA).headVersionId().value();
        w.acknowledged.incrementAndGet(w.index);
        return head;
    }
}
