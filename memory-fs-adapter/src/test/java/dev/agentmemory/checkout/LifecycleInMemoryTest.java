package dev.agentmemory.checkout;

/** {@link LifecycleContract} on the InMemory backend. */
class LifecycleInMemoryTest extends LifecycleContract {
    @Override
    Backend backend() {
        return Backend.IN_MEMORY;
    }
}
