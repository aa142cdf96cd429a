package dev.agentmemory.fs.internal;

import dev.agentmemory.model.Memory;

/** What is at a location right now: a file (with its memory), a directory, or nothing. */
final class Node {

    static final Node NONE = new Node(null, false);
    static final Node DIR = new Node(null, true);

    final Memory memory;
    final boolean directory;

    private Node(Memory memory, boolean directory) {
        this.memory = memory;
        this.directory = directory;
    }

    static Node file(Memory memory) {
        return new Node(memory, false);
    }

    boolean exists() {
        return memory != null || directory;
    }

    boolean isFile() {
        return memory != null;
    }
}
