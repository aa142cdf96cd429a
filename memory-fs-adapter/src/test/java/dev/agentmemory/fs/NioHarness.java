package dev.agentmemory.fs;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * One file system under test, with two writable mounts {@code /mnt/memory/notes} and {@code /mnt/memory/other}, and
 * the capability flags where it may legitimately differ from the oracle (Jimfs).
 */
interface NioHarness extends AutoCloseable {

    /** Where a file system deliberately differs from Jimfs; each difference is listed in docs/nio-view.md. */
    enum Cap {
        /** Symbolic links exist. */
        SYMLINKS,
        /** POSIX attributes (owner, permissions) exist. */
        POSIX,
        /** Anything outside {@code /mnt/memory/<slug>} can be written. */
        WRITABLE_ROOT,
        /** An empty directory outlives the file system instance that created it. */
        EMPTY_DIRS_PERSIST,
        /** A file may be of any size (no content limit). */
        UNLIMITED_SIZE,
        /** A file may hold any bytes (not only UTF-8 text). */
        BINARY_CONTENT,
        /** The mounts are directories of one store, so atomic and non-empty directory moves cross them. */
        ONE_STORE_ACROSS_MOUNTS,
        /** A file opened for writing exists before the stream is closed. */
        CREATED_ON_OPEN,
        /** Jimfs's quirk: APPEND with TRUNCATE_EXISTING is accepted, where the JDK's file systems reject it. */
        LAX_APPEND_TRUNCATE
    }

    FileSystem fs();

    /** Returns a file system over the same data, as a new process would see it (Jimfs: the same instance). */
    FileSystem reopen() throws IOException;

    Set<Cap> caps();

    @Override
    void close() throws IOException;

    default boolean has(Cap cap) {
        return caps().contains(cap);
    }

    default Path notes() {
        return fs().getPath("/mnt/memory/notes");
    }

    default Path other() {
        return fs().getPath("/mnt/memory/other");
    }

    static Set<Cap> none() {
        return EnumSet.noneOf(Cap.class);
    }
}
