package dev.agentmemory.testkit;

import dev.agentmemory.inmemory.InMemoryBackend;

class InMemoryContractTest extends MemoryContract {
    @Override
    protected BackendFixture fixture() {
        return BackendFixture.of(InMemoryBackend::create);
    }
}
