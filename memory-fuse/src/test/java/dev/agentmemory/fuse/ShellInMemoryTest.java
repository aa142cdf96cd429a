package dev.agentmemory.fuse;

/** The shell suite on the in-memory backend. */
class ShellInMemoryTest extends ShellContract {

    @Override
    Backend backend() {
        return Backend.IN_MEMORY;
    }
}
