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
 */
public final class PairedCpuTime {

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int CHUNK = 2000;
    private static final int WARM_UP_ROUNDS = 20;

    /** One operation to time. */
    private interface Op {
        Object run() throws Exception;
    }

    /** Keeps results alive so that nothing is optimised away. */
    static volatile Object sink;
    private static long allocated;

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

    /** Thread CPU time per operation of one chunk; sets {@link #allocated} to its bytes per operation. */
    private static double time(Op op) throws Exception {
        long tid = Thread.currentThread().getId();
        long a0 = MX.getThreadAllocatedBytes(tid);
        long t0 = MX.getCurrentThreadCpuTime();
        for (int i = 0; i < CHUNK; i++) {
            sink = op.run();
        }
        double t = (MX.getCurrentThreadCpuTime() - t0) / (double) CHUNK;
        allocated = (MX.getThreadAllocatedBytes(tid) - a0) / CHUNK;
        return t;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
