package dev.agentmemory.testkit;

import dev.agentmemory.inmemory.InMemoryBackend;

/** The concurrency suite against the in-memory reference backend. */
class InMemoryConcurrencyTest extends ConcurrencyTest {

    @Override
    protected BackendFixture fixture() {
        return BackendFixture.of(InMemoryBackend::create);
    }
}
