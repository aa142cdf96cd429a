package dev.agentmemory.fs;

import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributeView;

/**
 * The {@code memory} attribute view: the basic view plus the memory's id, content SHA-256 and head version. Times
 * cannot be set: they are the store's record of when a memory was created and changed.
 */
public interface MemoryFileAttributeView extends BasicFileAttributeView {

    /** The view's name, {@value}. */
    String NAME = "memory";

    /**
     * Reads the attributes.
     *
     * @return a snapshot
     * @throws IOException if the file does not exist or cannot be read
     */
    @Override
    MemoryFileAttributes readAttributes() throws IOException;
}
