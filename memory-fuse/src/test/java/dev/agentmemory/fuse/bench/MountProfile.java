package dev.agentmemory.fuse.bench;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.fuse.internal.Guarded;
import dev.agentmemory.fuse.internal.SpecialFiles;
import dev.agentmemory.fuse.internal.StoreFs;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.jdbc.PooledDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseBuilder;
import org.cryptomator.jfuse.api.FuseOperations;

/**
 * Where one SQLite-backed file's write, append and unlink go, per file (run by hand; see docs/performance.md, "FUSE
 * mount"): the memory mount's own file system ({@link StoreFs} behind {@link Guarded}, as {@code MemoryMount} mounts
 * it, with the same options) over a SQLite file, behind a proxy that counts the requests libfuse passes to it and the
 * time spent answering them. Then the benchmark's write, append and {@code rm -r} phases, each printed per file: the
 * requests and their handler time, the phase's wall time, this JVM's CPU time (in all, and by thread for the phase),
 * bash's own CPU time ({@code times}), and the WAL frames written (the WAL is truncated before each phase; shown only
 * if the phase stayed under the automatic checkpoint's 1,000 frames, so keep {@code profile.files} small for it).
 *
 * <p>System properties: {@code profile.files} (default 200), {@code profile.rounds} (default 1);
 * {@code profile.count=true} also counts connections and statements through {@link CountingDataSource} (off by
 * default, so that a JFR recording or an strace of this process does not see the counter);
 * {@code profile.direct=true} first times the same creates, appends and deletes through the session's handle, without
 * FUSE or bash; {@code profile.floor=true} mounts the FUSE floor ({@link HashMapFs}) instead, for its request counts;
 * {@code profile.debug=true} makes libfuse print every kernel request to stderr; {@code profile.keepWal=PREFIX} copies
 * each phase's WAL to {@code PREFIX-<phase>.wal} (its frame headers say which pages each commit wrote).
 */
public final class MountProfile {

    private MountProfile() {
    }

    /**
     * The same writes through the session's handle, without FUSE or bash: what the core and the backend cost per file
     * (create, an append through the core's edit by id, delete), timed per phase.
     */
    private static void direct(Memories memories, int files, int rounds) {
        for (int round = 0; round < rounds; round++) {
            java.util.List<dev.agentmemory.model.Memory> made = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 1; i <= files; i++) {
                String p = "/d/f" + i + ".md";
                memories.checkWrite(p, new byte[0]);
                made.add(memories.create(p, ("note " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            long t1 = System.nanoTime();
            for (var m : made) {
                memories.edit(dev.agentmemory.model.EditTarget.memory(m.id(), m.path()).orCreate(),
                        b -> concat(b, "more\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            long t2 = System.nanoTime();
            for (var m : made) {
                memories.delete(m.id());
            }
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "direct, ms per file: checkWrite+create %.3f, edit %.3f, delete %.3f%n",
                    (t1 - t0) / 1e6 / files, (t2 - t1) / 1e6 / files, (t3 - t2) / 1e6 / files);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** This process's CPU time by thread name (numbers folded), in ms, from /proc (clock ticks of 10 ms). */
    private static Map<String, Long> threadCpu() throws java.io.IOException {
        Map<String, Long> byName = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
            }
        }
        return byName;
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /**
     * Runs the profile.
     *
     * @param args a work directory (default a temporary one)
     * @throws Exception if the mount cannot be set up
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int files = Integer.getInteger("profile.files", 200);
        int rounds = Integer.getInteger("profile.rounds", 1);
        boolean count = Boolean.getBoolean("profile.count");
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("fuse-profile");
        Path db = work.resolve("profile.db");
        PooledDataSource pool = JdbcBackend.sqliteDataSource(db);
        CountingDataSource counting = count ? new CountingDataSource(pool) : null;
        AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.builder()
                .dataSource(count ? counting.dataSource() : pool).dialect(Dialect.SQLITE).build()).build();
        Session session = MountBenchmark.session(memory);
        Memories memories = session.mount("notes");
        FuseBuilder builder = Fuse.builder();
        builder.setLibraryPath("/usr/lib/x86_64-linux-gnu/libfuse3.so.3");
        StoreFs fs = new StoreFs(memories, "notes", builder.errno(), 0, 0);
        Map<String, LongAdder> calls = new ConcurrentHashMap<>();
        Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
        // -Dprofile.floor=true: the FUSE floor's file system instead, to count the requests the kernel sends it
        boolean floor = Boolean.getBoolean("profile.floor");
        FuseOperations guarded = floor ? new HashMapFs(builder.errno()) : new Guarded(fs);
        FuseOperations counted = (FuseOperations) Proxy.newProxyInstance(FuseOperations.class.getClassLoader(),
                new Class<?>[] {FuseOperations.class}, (p, m, a) -> {
                    long start = System.nanoTime();
                    try {
                        return m.invoke(guarded, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        calls.computeIfAbsent(m.getName(), k -> new LongAdder()).increment();
                        nanos.computeIfAbsent(m.getName(), k -> new LongAdder()).add(System.nanoTime() - start);
                    }
                });
        Fuse fuse = builder.build(counted);
        SpecialFiles.refuse(fuse);
        Path dir = Files.createDirectories(work.resolve("mnt"));
        String opts = "fsname=profile,attr_timeout=0,entry_timeout=0,negative_timeout=0"
                + (Boolean.getBoolean("profile.debug") ? ",debug" : "");
        fuse.mount("profile", dir, "-o", opts);
        System.out.println("pid " + ProcessHandle.current().pid() + ", " + files + " files per phase, " + rounds
                + " round(s)");
        if (Boolean.getBoolean("profile.direct")) {
            direct(memories, files, rounds);
        }
        try (Connection wal = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath())) {
            int pageSize;
            try (Statement s = wal.createStatement(); ResultSet r = s.executeQuery("PRAGMA page_size")) {
                r.next();
                pageSize = r.getInt(1);
            }
            for (int round = 0; round < rounds; round++) {
                for (var phase : MountBenchmark.PHASES.entrySet()) {
                    if (!Map.of("write", 0, "append", 0, "rm -r", 0).containsKey(phase.getKey())) {
                        continue;
                    }
                    fs.awaitSettled(10_000);
                    try (Statement s = wal.createStatement()) {
                        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                    }
                    calls.clear();
                    nanos.clear();
                    CountingDataSource.Counts before = count ? counting.snapshot() : null;
                    String script = phase.getValue().replace("seq " + MountBenchmark.FILES, "seq " + files)
                            + "; times";
                    long cpu = cpuNanos();
                    Map<String, Long> threadsBefore = threadCpu();
                    long t0 = System.nanoTime();
                    Process bash = new ProcessBuilder("bash", "-c", "set -e; " + script).directory(dir.toFile())
                            .redirectErrorStream(true).start();
                    String out = new String(bash.getInputStream().readAllBytes()).trim();
                    if (bash.waitFor() != 0) {
                        throw new IllegalStateException(script + " failed: " + out);
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    fs.awaitSettled(10_000);
                    double cpuMs = (cpuNanos() - cpu) / 1e6;
                    long walBytes = Files.size(work.resolve("profile.db-wal"));
                    String keepWal = System.getProperty("profile.keepWal", "");
                    if (!keepWal.isEmpty()) { // the WAL of the phase, to see which pages its commits wrote
                        Files.copy(work.resolve("profile.db-wal"), Path.of(keepWal + "-" + phase.getKey()
                                .replace(' ', '_') + ".wal"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    long frames = walBytes <= 32 ? 0 : (walBytes - 32) / (pageSize + 24);
                    double handler = nanos.values().stream().mapToLong(LongAdder::sum).sum() / 1e6;
                    System.out.printf(Locale.ROOT, "%s: %.3f ms per file wall, %.3f in the handlers, %.3f CPU"
                            + " of this JVM; %s WAL frames per file%n", phase.getKey(), ms / files, handler / files,
                            cpuMs / files, frames < 900 ? String.format(Locale.ROOT, "%.1f", (double) frames / files)
                                    : "n/a (checkpointed)");
                    Map<String, String> byOp = new TreeMap<>();
                    calls.forEach((op, n) -> byOp.put(op, String.format(Locale.ROOT, "%.2f (%.3f ms)",
                            n.sum() / (double) files, nanos.get(op).sum() / 1e6 / files)));
                    System.out.println("  requests per file: " + byOp);
                    Map<String, Long> threads = threadCpu();
                    threads.replaceAll((k, v) -> v - threadsBefore.getOrDefault(k, 0L));
                    threads.values().removeIf(v -> v == 0);
                    System.out.println("  CPU ms of this JVM by thread (whole phase): " + threads);
                    System.out.println("  bash's times (user system, then its children's): "
                            + out.replace('\n', ' '));
                    if (count) {
                        System.out.println("  database per file: "
                                + counting.snapshot().minus(before).perOperation(files));
                    }
                }
            }
        } finally {
            new ProcessBuilder("fusermount3", "-u", "-z", dir.toString()).start().waitFor();
            fuse.close();
            fs.shutdown();
            memory.close();
            pool.close();
        }
    }
}
