package dev.agentmemory.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the pages a SQLite write appends to the write-ahead log, per write and per b-tree (table or index), for the
 * writes of {@link JdbcWriteBenchmark} on SQLite: the library's {@code update}, {@code floor} and
 * {@code floorIndexed}. A commit in WAL mode costs in proportion to the pages it appends (and the checkpoint that
 * later copies them), so this tells where a write's cost lies independently of the machine's load, which timings do
 * not. Run {@code java -cp memory-benchmarks/target/benchmarks.jar dev.agentmemory.benchmarks.WalFramesMain
 * [update|floor|floorIndexed ...]}; docs/performance.md has the figures.
 *
 * <p>How: each write runs {@value #WARM_UP} times, the log is checkpointed empty, one more write runs, and a second
 * connection then holds a read snapshot so that no checkpoint can restart the log; the next {@value #WRITES} writes'
 * frames are read back from the {@code -wal} file (those of the current log generation only, by their salts) and each
 * frame's page is attributed to its b-tree through SQLite's {@code dbstat} table.
 */
public final class WalFramesMain {

    static final int WARM_UP = 2000;
    static final int WRITES = 1000;
    private static final int WAL_HEADER = 32;
    private static final int FRAME_HEADER = 24;

    private WalFramesMain() {
    }

    /** One write of the benchmark. */
    @FunctionalInterface
    interface Write {
        void run() throws SQLException;
    }

    /**
     * Counts the frames of the named writes (all three if none is named).
     *
     * @param args {@code update}, {@code floor}, {@code floorIndexed}
     * @throws Exception if a write or the reading of the log fails
     */
    public static void main(String[] args) throws Exception {
        String[] targets = args.length > 0 ? args : new String[] {"update", "floor", "floorIndexed"};
        for (String target : targets) {
            JdbcWriteBenchmark b = new JdbcWriteBenchmark();
            b.dialect = "sqlite";
            b.open();
            try {
                Write write = switch (target) {
                    case "update" -> b::update;
                    case "floor" -> b::floor;
                    case "floorIndexed" -> b::floorIndexed;
                    default -> throw new IllegalArgumentException("unknown write " + target
                            + "; use update, floor or floorIndexed");
                };
                count(b, write, WARM_UP, WRITES).print(target);
            } finally {
                b.close();
            }
        }
    }

    /**
     * What the writes appended to the log.
     *
     * @param commits the commits counted
     * @param pageSize the database's page size
     * @param framesByTree frames by the b-tree their page belongs to ({@code page 1 (database header)} for page 1)
     */
    record Frames(int commits, int pageSize, Map<String, Integer> framesByTree) {

        /** @return the frames appended per commit */
        double perCommit() {
            return framesByTree.values().stream().mapToInt(Integer::intValue).sum() / (double) commits;
        }

        /**
         * @param tree a table or index name, with its page type in parentheses, as {@code am_store (leaf)}
         * @return that b-tree's frames per commit
         */
        double perCommit(String tree) {
            return framesByTree.getOrDefault(tree, 0) / (double) commits;
        }

        void print(String target) {
            System.out.printf("%s: %d commits, %.2f WAL frames (pages of %d bytes) per commit%n", target, commits,
                    perCommit(), pageSize);
            framesByTree.keySet().forEach(tree -> System.out.printf("  %-45s %5.2f%n", tree, perCommit(tree)));
        }
    }

    /**
     * Runs a write {@code warmUp} times, then counts what the next {@code writes} append to the log.
     *
     * @param b the benchmark, opened on SQLite
     * @param write one of its writes
     * @param warmUp writes before counting
     * @param writes writes counted
     * @return the frames they appended
     * @throws SQLException if a write fails
     * @throws IOException if the log cannot be read
     */
    static Frames count(JdbcWriteBenchmark b, Write write, int warmUp, int writes) throws SQLException, IOException {
        for (int i = 0; i < warmUp; i++) {
            write.run();
        }
        Path db;
        try (Connection c = b.raw.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA database_list")) {
            rs.next();
            db = Path.of(rs.getString("file"));
        }
        Path wal = Path.of(db + "-wal");
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = reader.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            write.run();
            reader.setAutoCommit(false);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
                rs.next(); // the snapshot is held from here until the commit below: the log cannot restart
            }
            long before = Files.size(wal);
            for (int i = 0; i < writes; i++) {
                write.run();
            }
            byte[] log = Files.readAllBytes(wal);
            reader.commit(); // the pages' owners as the writes left them, not as the snapshot saw them
            Map<Integer, String> owner = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT name, pageno, pagetype FROM dbstat")) {
                while (rs.next()) {
                    owner.put(rs.getInt(2), rs.getString(1) + " (" + rs.getString(3) + ")");
                }
            }
            reader.commit();
            reader.setAutoCommit(true);
            return frames(log, before, owner);
        }
    }

    private static Frames frames(byte[] log, long before, Map<Integer, String> owner) {
        ByteBuffer bb = ByteBuffer.wrap(log).order(ByteOrder.BIG_ENDIAN);
        int pageSize = bb.getInt(8);
        int salt1 = bb.getInt(16);
        int salt2 = bb.getInt(20);
        int frame = FRAME_HEADER + pageSize;
        Map<String, Integer> byTree = new TreeMap<>();
        int commits = 0;
        for (long off = WAL_HEADER + (before - WAL_HEADER) / frame * frame; off + frame <= log.length; off += frame) {
            int o = (int) off;
            if (bb.getInt(o + 8) != salt1 || bb.getInt(o + 12) != salt2) {
                break; // a frame of an older generation of the log
            }
            int page = bb.getInt(o);
            byTree.merge(page == 1 ? "page 1 (database header)" : owner.getOrDefault(page, "freed page"), 1,
                    Integer::sum);
            if (bb.getInt(o + 4) != 0) {
                commits++;
            }
        }
        return new Frames(commits, pageSize, byTree);
    }
}
