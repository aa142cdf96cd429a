package dev.agentmemory.fs.internal;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A directory's entries, read eagerly when the stream opens (so no backend cursor stays open), filtered lazily.
 * After {@link #close()}, the iterator behaves as if it reached the end. Thread-safe.
 */
final class MemoryDirectoryStream implements DirectoryStream<Path> {

    private final MemoryFileSystem fs;
    private final List<MemoryPath> entries;
    private final Filter<? super Path> filter;
    private volatile boolean open = true;
    private boolean iterated;

    MemoryDirectoryStream(MemoryFileSystem fs, List<MemoryPath> entries, Filter<? super Path> filter) {
        this.fs = fs;
        this.entries = entries;
        this.filter = filter;
    }

    @Override
    public synchronized Iterator<Path> iterator() {
        if (!open) {
            throw new IllegalStateException("the directory stream is closed");
        }
        if (iterated) {
            throw new IllegalStateException("iterator() was already called on this directory stream");
        }
        iterated = true;
        Iterator<MemoryPath> it = entries.iterator();
        return new Iterator<>() {
            private Path next;

            @Override
            public boolean hasNext() {
                while (next == null && open && it.hasNext()) {
                    MemoryPath p = it.next();
                    try {
                        if (filter.accept(p)) {
                            next = p;
                        }
                    } catch (IOException e) {
                        throw new DirectoryIteratorException(e);
                    }
                }
                return next != null && open;
            }

            @Override
            public Path next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Path p = next;
                next = null;
                return p;
            }
        };
    }

    @Override
    public void close() {
        open = false;
        fs.released(this);
    }

    @Override
    public String toString() {
        return "MemoryDirectoryStream[" + entries.size() + " entries]";
    }
}
