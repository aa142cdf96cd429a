package dev.agentmemory.fuse;

/** Two mounts of one store on the in-memory backend. */
class TwoMountsInMemoryTest extends TwoMountsContract {

    @Override
    Backend backend() {
        return Backend.IN_MEMORY;
    }
}
