package dev.agentmemory.jdbc.internal;

import dev.agentmemory.error.StorageException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A seqlock shared by every process that writes one SQLite database through this library: a 64-bit counter in the
 * memory-mapped side file {@code <database>-amseq}, next to SQLite's own {@code -wal} and {@code -shm} files.
 *
 * <p>A writer, while it holds SQLite's write lock ({@code BEGIN IMMEDIATE}), makes the counter odd before it
 * commits and even again after. A reader that sees the same even value before and after reading the database knows
 * no write committed in between; while the value stays the same, what it read is still what the database holds, in
 * every process. That lets heads and store rows be served from memory with no database round trip and still never
 * stale.
 *
 * <p>A writer that dies between the two steps leaves the counter odd: readers then go to the database until the next
 * write, which repairs it. Writes by programs other than this library (the {@code sqlite3} shell, say) do not move
 * the counter; see {@code docs/backends.md}. Thread-safe.
 */
public final class ChangeCounter {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Path file;
    private final MappedByteBuffer map;

    private ChangeCounter(Path file, MappedByteBuffer map) {
        this.file = file;
        this.map = map;
    }

    /**
     * Opens (creating if need be) the counter beside a database file.
     *
     * @param database the SQLite database file
     * @return the counter
     * @throws StorageException if the side file cannot be created or mapped
     */
    public static ChangeCounter beside(Path database) {
        Path side = database.resolveSibling(database.getFileName() + "-amseq");
        try (FileChannel ch = FileChannel.open(side, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            // The mapping outlives the channel; mapping past the end grows the file, zero-filled (an even counter).
            return new ChangeCounter(side, ch.map(FileChannel.MapMode.READ_WRITE, 0, 64));
        } catch (IOException | UnsupportedOperationException e) {
            throw new StorageException("cannot map the change counter " + side + " beside the SQLite database: "
                    + e.getMessage() + "; check the directory is writable", e);
        }
    }

    /**
     * Returns the counter's current value.
     *
     * @return the value; odd while a write may be committing
     */
    public long stamp() {
        return (long) LONGS.getVolatile(map, 0);
    }

    /**
     * Tells whether a value was read while no write was committing.
     *
     * @param stamp a value from {@link #stamp()}
     * @return true if it is even
     */
    public static boolean stable(long stamp) {
        return (stamp & 1) == 0;
    }

    /**
     * Marks a write as about to commit. Call while holding the database's write lock.
     *
     * @return the odd value written, to pass to {@link #endWrite(long)}
     */
    public long beginWrite() {
        while (true) {
            long c = stamp();
            long odd = stable(c) ? c + 1 : c + 2;
            if (LONGS.compareAndSet(map, 0, c, odd)) {
                return odd;
            }
        }
    }

    /**
     * Marks a write as committed or abandoned. If another writer has moved the counter since, it is left alone:
     * that writer will make it even.
     *
     * @param odd the value {@link #beginWrite()} returned
     */
    public void endWrite(long odd) {
        LONGS.compareAndSet(map, 0, odd, odd + 1);
    }

    @Override
    public String toString() {
        return "ChangeCounter{" + file + " = " + stamp() + "}";
    }
}
