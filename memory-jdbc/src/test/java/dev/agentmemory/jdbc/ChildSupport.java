package dev.agentmemory.jdbc;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the test mains that run in their own JVM share: opening a database named by a location string, printing lines
 * the parent test reads, and making sure a child never outlives its parent or its time.
 */
final class ChildSupport {

    /** The prefix of a SQLite location; a PostgreSQL location is its JDBC URL. */
    static final String SQLITE = "sqlite:";

    private static final PrintStream OUT = new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);

    private ChildSupport() {
    }

    /**
     * Returns the location string of a SQLite file.
     *
     * @param file the database file
     * @return {@code sqlite:} and its absolute path
     */
    static String sqlite(Path file) {
        return SQLITE + file.toAbsolutePath();
    }

    /**
     * Opens the backend at a location: {@code sqlite:<file>}, or a PostgreSQL JDBC URL with the user in it.
     *
     * @param location the location
     * @return the backend
     */
    static JdbcBackend open(String location) {
        if (location.startsWith(SQLITE)) {
            return JdbcBackend.sqlite(Path.of(location.substring(SQLITE.length())));
        }
        if (location.startsWith("jdbc:postgresql:")) {
            return JdbcBackend.postgres(location, "postgres", "");
        }
        throw new IllegalArgumentException("not a database location: " + location);
    }

    /**
     * Prints one line to standard output and flushes it, whole: lines of several threads never interleave.
     *
     * @param line the line
     */
    static void println(String line) {
        synchronized (OUT) {
            OUT.print(line + "\n");
            OUT.flush();
        }
    }

    /**
     * Ends this JVM when its parent (the test) ends, or when it has run for {@code maxLife}, whichever comes first,
     * so that no child is left running whatever happens to the test.
     *
     * @param maxLife how long this JVM may live
     */
    static void guard(Duration maxLife) {
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> {
            System.err.println("parent process ended; exiting");
            Runtime.getRuntime().halt(3);
        }));
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(maxLife.toMillis());
                System.err.println("ran for " + maxLife + "; exiting");
                Runtime.getRuntime().halt(4);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "child-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * Reports a failure on standard error and ends the JVM with status 1.
     *
     * @param e the failure
     */
    static void die(Throwable e) {
        System.err.println("child failed: " + e);
        e.printStackTrace();
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }
}
