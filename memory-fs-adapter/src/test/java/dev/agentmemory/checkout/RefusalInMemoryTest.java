package dev.agentmemory.checkout;

/** {@link RefusalContract} on the InMemory backend. */
class RefusalInMemoryTest extends RefusalContract {
    @Override
    Backend backend() {
        return Backend.IN_MEMORY;
    }
}
