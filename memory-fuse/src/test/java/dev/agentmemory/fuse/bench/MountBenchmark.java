package dev.agentmemory.fuse.bench;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.checkout.Checkout;
import dev.agentmemory.fuse.MemoryMount;
import dev.agentmemory.fuse.MountOptions;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.jdbc.PooledDataSource;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.spi.MemoryBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseBuilder;

/**
 * A shell benchmark of the memory mount (run by memory-benchmarks/scripts/fuse-bench.sh): the same bash workload,
 * 1,000 small-file writes, 1,000 appends, 1,000 reads, a grep -r, a find and an rm -r, on tmpfs, on a checkout
 * directory (plus the sync that turns it into versions), on a trivial in-memory FUSE file system mounted through
 * the same binding with the same options (the FUSE floor), and on the memory mount over the in-memory backend and
 * SQLite. In the same rounds, the floor of the SQLite backend ({@link SqliteFloor}: one transaction per file that
 * inserts a version row and upserts or deletes a head row, with statements held and prepared anew). All in one run;
 * each phase is one bash process (builtins only inside its loop, so no fork per file); the median of the rounds is
 * reported, then what the SQLite mount asked of the database per file ({@link CountingDataSource}).
 *
 * <p>System properties: {@code bench.only} (run only the targets whose name contains it), {@code bench.files}
 * (files per phase, default 1,000), {@code bench.trace} (print every statement and the caller of every connection).
 */
public final class MountBenchmark {

    static final int FILES = Integer.getInteger("bench.files", 1000);
    static final Map<String, String> PHASES = new LinkedHashMap<>();

    static {
        PHASES.put("write", "mkdir w && for i in $(seq " + FILES + "); do echo \"note $i\" > w/f$i.md; done");
        PHASES.put("append", "for i in $(seq " + FILES + "); do echo more >> w/f$i.md; done");
        PHASES.put("read", "for i in $(seq " + FILES + "); do read -r l < w/f$i.md; done");
        PHASES.put("grep -r", "grep -r -c more w | wc -l");
        PHASES.put("find", "find w -name '*.md' | wc -l");
        PHASES.put("rm -r", "rm -r w");
    }

    static final String FUSE_FLOOR = "FUSE floor (HashMap fs)";
    static final String SQLITE_MOUNT = "memory mount, SQLite";
    static final String SQLITE_FLOOR = "SQLite txn floor, held stmts";
    static final String SQLITE_FLOOR_REPREPARED = "SQLite txn floor, re-prepared";
    /** The floor's phases, by the mount phase each stands for: one transaction per file. */
    static final Map<String, SqliteFloor.Phase> FLOOR_PHASES = new LinkedHashMap<>();

    static {
        FLOOR_PHASES.put("write", SqliteFloor.Phase.WRITE);
        FLOOR_PHASES.put("append", SqliteFloor.Phase.APPEND);
        FLOOR_PHASES.put("rm -r", SqliteFloor.Phase.DELETE);
    }

    private MountBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args the number of rounds (default 5) and a work directory (default a temporary one)
     * @throws Exception if a target cannot be set up
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("fuse-bench");
        Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Map<String, Path> targets = new LinkedHashMap<>();
            Path shm = Path.of("/dev/shm");
            targets.put("tmpfs", Files.createTempDirectory(Files.isDirectory(shm) ? shm : work, "bench"));

            targets.put("checkout dir", null); // set up below, with its own store

            FuseBuilder builder = Fuse.builder();
            builder.setLibraryPath("/usr/lib/x86_64-linux-gnu/libfuse3.so.3");
            Fuse floor = builder.build(new HashMapFs(builder.errno()));
            Path floorDir = Files.createDirectories(work.resolve("floor"));
            floor.mount("bench-floor", floorDir, "-o",
                    "fsname=bench-floor,attr_timeout=0,entry_timeout=0,negative_timeout=0");
            open.add(() -> {
                new ProcessBuilder("fusermount3", "-u", "-z", floorDir.toString()).start().waitFor();
                floor.close();
            });
            targets.put(FUSE_FLOOR, floorDir);

            AgentMemory inMemory = AgentMemory.builder().backend(InMemoryBackend.create()).build();
            open.add(inMemory);
            targets.put("memory mount, in-memory", mountOf(inMemory, work.resolve("m-mem"), open));
            // The SQLite backend as JdbcBackend.sqlite(file) builds it, through a data source that counts statements.
            PooledDataSource pool = JdbcBackend.sqliteDataSource(work.resolve("bench.db"));
            open.add(pool);
            CountingDataSource counting = new CountingDataSource(pool);
            AgentMemory sqlite = AgentMemory.builder().backend(JdbcBackend.builder()
                    .dataSource(counting.dataSource()).dialect(Dialect.SQLITE).build()).build();
            open.add(sqlite);
            targets.put(SQLITE_MOUNT, mountOf(sqlite, work.resolve("m-sqlite"), open));
            SqliteFloor sqliteFloor = new SqliteFloor(work.resolve("floor.db"));
            open.add(sqliteFloor);
            Map<String, CountingDataSource.Counts> counts = new LinkedHashMap<>();

            AgentMemory forCheckout = AgentMemory.builder()
                    .backend(JdbcBackend.sqlite(work.resolve("checkout.db"))).build();
            open.add(forCheckout);
            Session cs = session(forCheckout);
            Checkout checkout = Checkout.create(cs, work.resolve("checkout"));
            open.add(checkout);
            targets.put("checkout dir", checkout.directory().resolve("notes"));

            String only = System.getProperty("bench.only", "");
            targets.keySet().removeIf(t -> !t.contains(only));
            for (int r = 0; r < rounds; r++) {
                for (var t : targets.entrySet()) {
                    Map<String, List<Double>> byPhase = results.computeIfAbsent(t.getKey(),
                            k -> new LinkedHashMap<>());
                    for (var phase : PHASES.entrySet()) {
                        CountingDataSource.Counts before = counting.snapshot();
                        byPhase.computeIfAbsent(phase.getKey(), k -> new ArrayList<>())
                                .add(time(t.getValue(), phase.getValue()));
                        if (t.getKey().equals(SQLITE_MOUNT)) {
                            // settle first: the last closes may still be landing after bash returned
                            settleMounts();
                            counts.merge(phase.getKey(), counting.snapshot().minus(before),
                                    (a, b) -> new CountingDataSource.Counts(a.connections() + b.connections(),
                                            a.prepared() + b.prepared(), a.executed() + b.executed(),
                                            a.transactions() + b.transactions()));
                        }
                        if (t.getKey().equals("checkout dir") && phase.getKey().equals("append")) {
                            long start = System.nanoTime();
                            checkout.sync();
                            byPhase.computeIfAbsent("(sync after write+append)", k -> new ArrayList<>())
                                    .add((System.nanoTime() - start) / 1e6);
                        }
                    }
                    if (t.getKey().equals("checkout dir")) {
                        checkout.sync(); // the rm -r
                    }
                }
                if (only.isEmpty() || SQLITE_FLOOR.contains(only) || SQLITE_FLOOR_REPREPARED.contains(only)) {
                    for (boolean held : new boolean[] {true, false}) {
                        Map<String, List<Double>> byPhase = results.computeIfAbsent(
                                held ? SQLITE_FLOOR : SQLITE_FLOOR_REPREPARED, k -> new LinkedHashMap<>());
                        for (var phase : FLOOR_PHASES.entrySet()) {
                            byPhase.computeIfAbsent(phase.getKey(), k -> new ArrayList<>())
                                    .add(sqliteFloor.time(phase.getValue(), FILES, held));
                        }
                    }
                }
            }
            print(results, rounds);
            if (!counts.isEmpty()) {
                System.out.println("SQLite mount, per file (totals over " + rounds + " rounds / " + rounds * FILES
                        + "):");
                counts.forEach((phase, c) -> System.out.println("  " + phase + ": "
                        + c.perOperation(rounds * FILES)));
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    static Session session(AgentMemory memory) {
        Workspace ws = memory.workspace("bench");
        var store = ws.stores().create(NewStore.named("Notes").build());
        return ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
    }

    static Path mountOf(AgentMemory memory, Path root, List<AutoCloseable> open) {
        MemoryMount m = MemoryMount.mount(session(memory), root, MountOptions.defaults());
        open.add(m);
        MOUNTS.add(m);
        return m.mountPoints().get("notes");
    }

    static double time(Path dir, String script) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", "set -e; " + script).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("`" + script + "` failed in " + dir + ": " + out);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    static void print(Map<String, Map<String, List<Double>>> results, int rounds) {
        Map<String, List<Double>> floor = results.get(FUSE_FLOOR);
        System.out.printf(Locale.ROOT, "%d files per phase, median of %d rounds, milliseconds per phase"
                + " (x = ratio to the FUSE floor; for the SQLite mount also [ratio to the FUSE floor plus the SQLite"
                + " transaction floor with held statements])%n", FILES, rounds);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "| %-28s |", "target"));
        StringBuilder rule = new StringBuilder("|---|");
        for (String phase : PHASES.keySet()) {
            head.append(String.format(Locale.ROOT, " %s |", phase));
            rule.append("---:|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (var t : results.entrySet()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %-28s |", t.getKey()));
            for (String phase : PHASES.keySet()) {
                List<Double> xs = t.getValue().get(phase);
                if (xs == null) {
                    row.append(" - |");
                    continue;
                }
                double ms = median(xs);
                if (floor == null) {
                    row.append(String.format(Locale.ROOT, " %.0f |", ms));
                    continue;
                }
                double f = median(floor.get(phase));
                row.append(String.format(Locale.ROOT, " %.0f (%.1fx", ms, ms / f));
                Map<String, List<Double>> sqliteFloor = results.get(SQLITE_FLOOR);
                if (t.getKey().equals(SQLITE_MOUNT) && sqliteFloor != null && sqliteFloor.containsKey(phase)) {
                    row.append(String.format(Locale.ROOT, " [%.1fx]", ms / (f + median(sqliteFloor.get(phase)))));
                }
                row.append(") |");
            }
            System.out.println(row);
        }
        Map<String, List<Double>> checkout = results.get("checkout dir");
        if (checkout != null) {
            System.out.printf(Locale.ROOT, "checkout dir: sync after the write and append phases %.0f ms (median)%n",
                    median(checkout.get("(sync after write+append)")));
        }
    }

    /** Waits until every file closed through the memory mounts has landed. */
    static void settleMounts() {
        for (MemoryMount m : MOUNTS) {
            m.awaitSettled(java.time.Duration.ofSeconds(10));
        }
    }

    static final List<MemoryMount> MOUNTS = new ArrayList<>();
}
