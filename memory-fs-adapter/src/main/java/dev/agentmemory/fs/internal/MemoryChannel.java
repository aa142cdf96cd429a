package dev.agentmemory.fs.internal;

import dev.agentmemory.model.Limits;
import dev.agentmemory.model.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.util.Arrays;

/**
 * An open file: a snapshot of the content at open time, edited in memory and committed as one version when closed
 * (if it was opened for writing and it created the file or changed its bytes). Thread-safe.
 */
final class MemoryChannel implements SeekableByteChannel {

    private final MemoryFileSystem fs;
    private final Loc loc;
    private final OpenOptions options;
    private final Memory existing;
    private byte[] buf;
    private boolean shared;
    private int size;
    private long position;
    private boolean dirty;
    private boolean open = true;

    MemoryChannel(MemoryFileSystem fs, Loc loc, OpenOptions options, Memory existing, byte[] content, int size,
            boolean dirty) {
        this.fs = fs;
        this.loc = loc;
        this.options = options;
        this.existing = existing;
        this.buf = content;
        this.shared = true;
        this.size = size;
        this.dirty = dirty;
        this.position = options.append ? size : 0;
    }

    private void checkOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        checkOpen();
        if (!options.read) {
            throw new NonReadableChannelException();
        }
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        dst.put(buf, (int) position, n);
        position += n;
        return n;
    }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        checkOpen();
        if (!options.write) {
            throw new NonWritableChannelException();
        }
        if (options.append) {
            position = size;
        }
        int n = src.remaining();
        long end = position + n;
        if (end > Limits.CONTENT_BYTES_CEILING) {
            throw new FileSystemException(loc.str(), null, "limit content_size_bytes exceeded: " + end
                    + " bytes is more than any store allows (" + Limits.CONTENT_BYTES_CEILING + "); nothing written");
        }
        ensureCapacity((int) end);
        if (position > size) {
            Arrays.fill(buf, size, (int) position, (byte) 0);
        }
        src.get(buf, (int) position, n);
        position = end;
        size = Math.max(size, (int) end);
        dirty = true;
        return n;
    }

    private void ensureCapacity(int needed) {
        if (shared || needed > buf.length) {
            int cap = Math.max(needed, shared ? buf.length : buf.length * 2);
            buf = Arrays.copyOf(buf, Math.max(cap, 64));
            shared = false;
        }
    }

    @Override
    public synchronized long position() throws IOException {
        checkOpen();
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
        checkOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public synchronized long size() throws IOException {
        checkOpen();
        return size;
    }

    @Override
    public synchronized SeekableByteChannel truncate(long newSize) throws IOException {
        checkOpen();
        if (newSize < 0) {
            throw new IllegalArgumentException("negative size " + newSize);
        }
        if (!options.write) {
            throw new NonWritableChannelException();
        }
        if (newSize < size) {
            size = (int) newSize;
            dirty = true;
        }
        if (position > newSize) {
            position = newSize;
        }
        return this;
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    /** Closes the channel; if it wrote, commits the content as one version (or throws, and nothing is written). */
    @Override
    public synchronized void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        fs.released(this);
        if (options.write && (dirty || existing == null)) {
            fs.commit(loc, existing, buf, size, options);
        }
    }

    @Override
    public String toString() {
        return "MemoryChannel[" + loc.str() + "]";
    }
}
