package dev.agentmemory.fuse;

/** The refusals on the in-memory backend. */
class RefusalInMemoryTest extends RefusalContract {

    @Override
    Backend backend() {
        return Backend.IN_MEMORY;
    }
}
