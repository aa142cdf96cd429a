package dev.agentmemory.benchmarks;

import dev.agentmemory.jdbc.JdbcBackend;
import java.nio.file.Path;

/**
 * Opens and closes a SQLite database once, for timing a cold open as a whole process (JVM start included), e.g.
 * {@code /usr/bin/time -f '%e s %U user' java -cp memory-benchmarks/target/benchmarks.jar
 * dev.agentmemory.benchmarks.SqliteOpenMain memory.db}. docs/performance.md has the figures.
 */
public final class SqliteOpenMain {

    private SqliteOpenMain() {
    }

    /**
     * Opens {@code args[0]} with {@link JdbcBackend#sqlite(Path)} and closes it.
     *
     * @param args the database file
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        try (JdbcBackend backend = JdbcBackend.sqlite(Path.of(args[0]))) {
            System.out.printf("opened %s in %.1f ms%n", backend, (System.nanoTime() - start) / 1e6);
        }
    }
}
