package dev.agentmemory.jdbc;

import dev.agentmemory.error.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Checks a SQLite file before it is opened without being created, and turns the driver's failures into errors that
 * name the file and say what to do. Decides from the file system and the SQLite result code only.
 */
final class SqliteFiles {

    private SqliteFiles() {
    }

    /**
     * Checks, before any connection, that an existing database can be opened for writing, so that a refusal leaves
     * nothing behind (SQLite would otherwise create the {@code -wal} and {@code -shm} files beside it first).
     *
     * @param file the database file
     * @throws StorageException naming the file and what to do
     */
    static void checkExisting(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        boolean exists = Files.exists(file);
        refusal(file, exists, exists && Files.isDirectory(file), exists && Files.isReadable(file),
                exists && Files.isWritable(file), dir == null || Files.isWritable(dir))
                .ifPresent(message -> {
                    throw new StorageException(message, null);
                });
    }

    /**
     * Decides whether an existing database may be opened, from what the file system says about it.
     *
     * @param file the file, for the message
     * @param exists whether it exists
     * @param directory whether it is a directory
     * @param readable whether this process may read it
     * @param writable whether this process may write it
     * @param directoryWritable whether this process may create files beside it
     * @return the refusal, naming the file and what to do; empty if it may be opened
     */
    static java.util.Optional<String> refusal(Path file, boolean exists, boolean directory, boolean readable,
            boolean writable, boolean directoryWritable) {
        if (!exists) {
            return java.util.Optional.of(file + " does not exist (nothing was created); check the path, or create an"
                    + " agent-memory database there explicitly");
        }
        if (directory) {
            return java.util.Optional.of(file + " is a directory; give the database file");
        }
        if (!readable) {
            return java.util.Optional.of(file + " cannot be read (permission denied); check its permissions");
        }
        if (!writable || !directoryWritable) {
            return java.util.Optional.of(file + " is read-only" + (writable ? " (its directory is)" : "")
                    + ": agent-memory needs to write the file and, beside it, its -wal, -shm and -amseq files, even"
                    + " to read; make the file and its directory writable, or work on a copy");
        }
        return java.util.Optional.empty();
    }

    /**
     * Explains why a SQLite database could not be opened.
     *
     * @param file the database file
     * @param e the failure
     * @return an exception naming the file, the cause and what to do
     */
    static StorageException explain(Path file, StorageException e) {
        int code = -1;
        String detail = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() > 0) {
                code = s.getErrorCode() & 0xFF;
                detail = s.getMessage();
                break;
            }
        }
        return switch (code) {
            case 26, 11 -> new StorageException(file + " is damaged or is not a SQLite database (" + detail
                    + "); check the path, or restore the file from a backup", e);
            case 8, 3, 23 -> new StorageException(file + " cannot be written (" + detail + "); agent-memory needs to"
                    + " write the file and its directory; check their permissions", e);
            case 14 -> new StorageException("cannot open " + file + " (" + detail + "); check that it exists and that"
                    + " its directory is accessible", e);
            default -> e.getMessage().contains(file.toString()) ? e
                    : new StorageException("cannot open the SQLite database " + file + ": " + e.getMessage(), e);
        };
    }
}
