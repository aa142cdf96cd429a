package dev.agentmemory.fuse.internal;

import dev.agentmemory.model.Memory;
import java.util.Arrays;
import java.util.Optional;

/**
 * One open file: its bytes as this opener sees them, the version they started from, and whether they changed. Guarded
 * by its own monitor.
 */
final class OpenFile {

    /** Beyond this the buffer refuses to grow (EFBIG) whatever the store's limit: a guard on the JVM's heap. */
    static final int MAX_BUFFER = 64 * 1024 * 1024;

    final long fh;
    final boolean write;
    /** Created as mkstemp does (O_CREAT|O_EXCL|O_RDWR): held back until its rename, or a moment after its last close. */
    final boolean exclusive;
    String path;
    /** The memory these bytes started from; empty for a file not yet in the store. */
    Optional<Memory> base;
    byte[] buf;
    int size;
    /** Bytes [0, baseSize) are the base's content; later bytes were appended, if {@link #appendOnly}. */
    int baseSize;
    /** Opened with O_APPEND and never truncated: a write that lost a race is re-applied on top. */
    boolean appendOnly;
    boolean dirty;
    /** A write or truncation came after the open (O_TRUNC and O_CREAT alone do not count). */
    boolean written;
    /** Removed (unlinked, or renamed away and committed) while open: nothing more is written for it. */
    boolean detached;
    boolean released;
    /**
     * The store revision at which the core accepted this file's write before any byte was written (at open), or
     * {@link Long#MIN_VALUE}: while the store stays at that revision and nothing is written, the answer stands.
     */
    long checkedAtRevision = Long.MIN_VALUE;

    OpenFile(long fh, String path, boolean write, boolean exclusive, Optional<Memory> base, byte[] content,
            boolean append) {
        this.fh = fh;
        this.path = path;
        this.write = write;
        this.exclusive = exclusive;
        this.base = base;
        this.buf = content;
        this.size = content.length;
        this.baseSize = content.length;
        this.appendOnly = append;
    }

    boolean isNew() {
        return base.isEmpty();
    }

    /** Writes bytes at a position (the end, for an O_APPEND opener); false if the buffer would grow too large. */
    boolean write(byte[] data, long offset) {
        long pos = appendOnly ? size : offset;
        long end = pos + data.length;
        if (end > MAX_BUFFER) {
            return false;
        }
        ensure((int) end);
        System.arraycopy(data, 0, buf, (int) pos, data.length);
        size = Math.max(size, (int) end);
        dirty = true;
        written = true;
        return true;
    }

    /** Cuts or zero-extends to a size; false if too large. */
    boolean truncate(long newSize) {
        if (newSize > MAX_BUFFER) {
            return false;
        }
        ensure((int) newSize);
        if (newSize > size) {
            Arrays.fill(buf, size, (int) newSize, (byte) 0);
        }
        size = (int) newSize;
        appendOnly = false;
        dirty = true;
        written = true;
        return true;
    }

    private void ensure(int capacity) {
        if (capacity > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(capacity, Math.min(MAX_BUFFER, buf.length * 2 + 64)));
        }
    }

    byte[] bytes() {
        return Arrays.copyOf(buf, size);
    }

    byte[] appended() {
        return Arrays.copyOfRange(buf, Math.min(baseSize, size), size);
    }

    /** The store now holds these bytes as the given memory. */
    void committed(Memory m, byte[] content) {
        base = Optional.of(m);
        buf = content;
        size = content.length;
        baseSize = content.length;
        dirty = false;
    }
}
