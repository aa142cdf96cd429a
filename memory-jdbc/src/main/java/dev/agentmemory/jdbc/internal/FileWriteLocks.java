package dev.agentmemory.jdbc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One fair lock per SQLite database file in this JVM, shared by every backend and pool that opens the file, whatever
 * path it was opened by. A writer takes it before {@code BEGIN IMMEDIATE} and releases it after {@code COMMIT} or
 * {@code ROLLBACK}, so the writers of one process queue here, in arrival order, and are handed the database the
 * moment the previous one is done. SQLite's own busy handler, which sleeps in growing steps (1, 2, 5, 10 ... 100 ms)
 * and lets a late writer overtake an early one, is then only met when another process holds the write lock.
 *
 * <p>The lock only orders this JVM's writers; SQLite's file lock still decides between processes. A lock is kept for
 * as long as the JVM runs (one small object per distinct database file). Thread-safe.
 */
public final class FileWriteLocks {

    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private FileWriteLocks() {
    }

    /**
     * Returns the lock of a database file.
     *
     * @param database the database file, by any path that names it
     * @return the same lock for every path that names the same file (its real path once the file exists, otherwise
     *     its directory's real path and its name)
     */
    public static ReentrantLock of(Path database) {
        return LOCKS.computeIfAbsent(canonical(database), p -> new ReentrantLock(true));
    }

    static Path canonical(Path database) {
        Path abs = database.toAbsolutePath().normalize();
        try {
            if (Files.exists(abs)) {
                return abs.toRealPath();
            }
            // not created yet: the real path of its directory, so that the name is the same before and after the
            // file exists (a directory reached through a symbolic link resolves either way)
            Path dir = abs.getParent();
            return dir != null && Files.isDirectory(dir) ? dir.toRealPath().resolve(abs.getFileName()) : abs;
        } catch (IOException e) {
            return abs; // unreadable now: the absolute path is the best name there is
        }
    }
}
