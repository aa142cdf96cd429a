package dev.agentmemory.fs.internal;

import dev.agentmemory.model.Memory;
import java.util.Optional;

/** What is at a location right now: a file (with its memory), a directory, or nothing. Immutable. */
final class Node {

    static final Node NONE = new Node(Optional.empty(), false);
    static final Node DIR = new Node(Optional.empty(), true);

    private final Optional<Memory> memory;
    final boolean directory;

    private Node(Optional<Memory> memory, boolean directory) {
        this.memory = memory;
        this.directory = directory;
    }

    static Node file(Memory memory) {
        return new Node(Optional.of(memory), false);
    }

    /** The file's memory; empty for a directory or nothing. */
    Optional<Memory> memory() {
        return memory;
    }

    /**
     * The file's memory, for a node known to be a file.
     *
     * @return the memory
     * @throws IllegalStateException if the node is not a file
     */
    Memory file() {
        return memory.orElseThrow(() -> new IllegalStateException("not a file: " + this));
    }

    boolean exists() {
        return memory.isPresent() || directory;
    }

    boolean isFile() {
        return memory.isPresent();
    }

    @Override
    public String toString() {
        return memory.map(m -> "file " + m.path()).orElse(directory ? "directory" : "nothing");
    }
}
