package dev.agentmemory.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A separate process for {@link SchemaMigrationTest}: creates {@code <go>.ready-<pid>}, waits (at most 60 s) for the
 * file {@code <go>} to appear, opens a backend (which migrates the schema) on the database given, closes it, prints
 * {@code OPENED <dialect>} and exits 0; on any failure it prints the stack trace and exits 1.
 *
 * <p>Arguments: {@code sqlite <file> <go>} or {@code postgresql <jdbcUrl> <go>}.
 */
public final class MigrationRaceMain {

    private MigrationRaceMain() {
    }

    /**
     * Runs the child.
     *
     * @param args the dialect, the database and the start file
     * @throws Exception if the start signal cannot be awaited
     */
    public static void main(String[] args) throws Exception {
        Path go = Path.of(args[2]);
        Files.createFile(Path.of(args[2] + ".ready-" + ProcessHandle.current().pid()));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                System.out.println("no start signal");
                System.exit(2);
            }
            Thread.sleep(1);
        }
        try (JdbcBackend backend = args[0].equals("sqlite") ? JdbcBackend.sqlite(Path.of(args[1]))
                : JdbcBackend.postgres(args[1], "postgres", "")) {
            System.out.println("OPENED " + backend.dialect());
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            System.exit(1);
        } catch (Error e) {
            throw new IOException(e);
        }
        System.exit(0);
    }
}
