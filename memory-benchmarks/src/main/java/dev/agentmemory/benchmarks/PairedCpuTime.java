package dev.agentmemory.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The 1 KiB writes against their floors by thread CPU time, for a machine too loaded for JMH's wall-clock throughput:
 * for each write (create, update, NIO write), chunks of 2,000 of the library's write, of its floor and of its chained
 * floor alternate, and each floor's CPU time per operation is divided by the library's in the chunk next to it; the
 * median of those ratios holds while the load changes between chunks. Also prints the bytes each allocates per
 * operation. Arguments: rounds (default 60) and which write ({@code create}, {@code update}, {@code nio.write}; default
 * all). Run with {@code java -Xms3g -Xmx3g -cp benchmarks.jar dev.agentmemory.benchmarks.PairedCpuTime 100}.
 *
 * <p>{@code policy} (not part of "all"; a third argument sets the content's size in UTF-8 bytes, default 1024) pairs
 * {@link PolicyBenchmark#create()} with {@link PolicyBenchmark#guardedCreate()} the same way and prints the guarded
 * write's CPU time over the plain one's, the chain's alone ({@link PolicyBenchmark#chain()}), and beside them the CPU time the JVM's other threads (the garbage collector,
 * the compiler) spent during each chunk, which thread CPU time leaves out but wall-clock throughput pays.
 */
public final class PairedCpuTime {

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final int CHUNK = 2000;
    private static final int WARM_UP_ROUNDS = 20;

    /** One operation to time. */
    private interface Op {
        Object run() throws Exception;
    }

    /** Keeps results alive so that nothing is optimised away. */
    static volatile Object sink;
    private static long allocated;
    /** The other threads' CPU time per operation during the last chunk (process CPU time less this thread's). */
    private static double other;

    private PairedCpuTime() {
    }

    /**
     * Runs the measurement.
     *
     * @param args rounds, then which write
     * @throws Exception if a write fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        String only = args.length > 1 ? args[1] : "all";
        if (only.equals("policy")) {
            policy(rounds, args.length > 2 ? Integer.parseInt(args[2]) : 1024);
            return;
        }
        // one benchmark instance per operation, so that each starts over after 10,000 of its own operations
        CreateBenchmark[] creates = new CreateBenchmark[3];
        for (int i = 0; i < 3; i++) {
            creates[i] = new CreateBenchmark();
            creates[i].sizeBytes = 1024;
            creates[i].rotateEvery = 10000;
            creates[i].makeContent();
            creates[i].openStore();
        }
        UpdateBenchmark u = new UpdateBenchmark();
        u.sizeBytes = 1024;
        u.rotateEvery = 10000;
        u.makeContent();
        u.openStore();
        NioBenchmark nio = new NioBenchmark();
        nio.fileSystem = "memory";
        nio.open();
        NioBenchmark.Writes writes = new NioBenchmark.Writes();
        writes.rotateEvery = 10000;
        writes.open(nio);
        String[] names = {"create", "update", "nio.write"};
        Op[][] ops = {
            {creates[0]::create, creates[1]::floor, creates[2]::chainedFloor},
            {u::update, u::floor, u::chainedFloor},
            {() -> nio.writeFile(writes), nio::writeFloor, nio::writeChainedFloor}};
        for (int k = 0; k < names.length; k++) {
            if (only.equals("all") || names[k].equals(only)) {
                measure(names[k], ops[k], rounds);
            }
        }
    }

    private static void measure(String name, Op[] ops, int rounds) throws Exception {
        for (int w = 0; w < WARM_UP_ROUNDS; w++) {
            for (Op op : ops) {
                time(op);
            }
        }
        double[] lib = new double[rounds];
        double[] floor = new double[rounds];
        double[] chained = new double[rounds];
        double[] toFloor = new double[rounds];
        double[] toChained = new double[rounds];
        long[] bytes = new long[3];
        for (int i = 0; i < rounds; i++) {
            lib[i] = time(ops[0]);
            bytes[0] = allocated;
            floor[i] = time(ops[1]);
            bytes[1] = allocated;
            chained[i] = time(ops[2]);
            bytes[2] = allocated;
            toFloor[i] = floor[i] / lib[i];
            toChained[i] = chained[i] / lib[i];
        }
        System.out.printf("%-9s lib %6.0f ns  floor %6.0f ns  chained %6.0f ns (medians) | ratio lib/floor %.3f"
                + "  lib/chained %.3f (median of paired) | B/op %d %d %d%n", name, median(lib), median(floor),
                median(chained), median(toFloor), median(toChained), bytes[0], bytes[1], bytes[2]);
    }

    private static void policy(int rounds, int sizeBytes) throws Exception {
        // one benchmark instance per operation, each with its own stores, as in JMH's separate forks
        PolicyBenchmark plain = new PolicyBenchmark();
        PolicyBenchmark guarded = new PolicyBenchmark();
        PolicyBenchmark chain = new PolicyBenchmark();
        for (PolicyBenchmark b : new PolicyBenchmark[] {plain, guarded, chain}) {
            b.sizeBytes = sizeBytes;
            b.makeContent();
            b.openStore();
        }
        Op[] ops = {guarded::guardedCreate, plain::create, chain::chain};
        for (int w = 0; w < WARM_UP_ROUNDS; w++) {
            for (Op op : ops) {
                time(op);
            }
        }
        double[] g = new double[rounds];
        double[] p = new double[rounds];
        double[] c = new double[rounds];
        double[] ratio = new double[rounds];
        double gOther = 0;
        double pOther = 0;
        long[] bytes = new long[2];
        for (int i = 0; i < rounds; i++) {
            g[i] = time(ops[0]);
            gOther += other;
            bytes[0] = allocated;
            p[i] = time(ops[1]);
            pOther += other;
            bytes[1] = allocated;
            ratio[i] = g[i] / p[i];
            c[i] = time(ops[2]);
        }
        System.out.printf("policy %d B: guardedCreate %6.0f ns  create %6.0f ns (medians of thread CPU) | guarded/plain"
                + " %.3f (median of paired) | chain alone %5.0f ns | other threads %5.0f ns  %5.0f ns (means) | B/op %d %d%n",
                sizeBytes, median(g), median(p), median(ratio), median(c), gOther / rounds, pOther / rounds,
                bytes[0], bytes[1]);
    }

    /** Thread CPU time per operation of one chunk; sets {@link #allocated} to its bytes per operation. */
    private static double time(Op op) throws Exception {
        long tid = Thread.currentThread().getId();
        long a0 = MX.getThreadAllocatedBytes(tid);
        long p0 = OS.getProcessCpuTime();
        long t0 = MX.getCurrentThreadCpuTime();
        for (int i = 0; i < CHUNK; i++) {
            sink = op.run();
        }
        long t1 = MX.getCurrentThreadCpuTime();
        double t = (t1 - t0) / (double) CHUNK;
        other = (OS.getProcessCpuTime() - p0 - (t1 - t0)) / (double) CHUNK;
        allocated = (MX.getThreadAllocatedBytes(tid) - a0) / CHUNK;
        return t;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
