package dev.agentmemory.testkit;

import dev.agentmemory.inmemory.InMemoryBackend;

/** Runs the whole rule-by-rule contract suite against the in-memory reference backend. */
class InMemoryContractTest extends MemoryContract {

    @Override
    protected BackendFixture fixture() {
        return BackendFixture.of(InMemoryBackend::create);
    }
}
