package dev.agentmemory.checkout;

/** {@link PushAndPullContract} on the InMemory backend. */
class PushAndPullInMemoryTest extends PushAndPullContract {
    @Override
    Backend backend() {
        return Backend.IN_MEMORY;
    }
}
