package dev.agentmemory.checkout;

/** {@link ConflictContract} on the InMemory backend. */
class ConflictInMemoryTest extends ConflictContract {
    @Override
    Backend backend() {
        return Backend.IN_MEMORY;
    }
}
