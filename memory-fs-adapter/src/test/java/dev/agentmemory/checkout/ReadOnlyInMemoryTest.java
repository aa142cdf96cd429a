package dev.agentmemory.checkout;

/** {@link ReadOnlyContract} on the InMemory backend. */
class ReadOnlyInMemoryTest extends ReadOnlyContract {
    @Override
    Backend backend() {
        return Backend.IN_MEMORY;
    }
}
