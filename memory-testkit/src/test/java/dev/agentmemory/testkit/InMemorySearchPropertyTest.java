package dev.agentmemory.testkit;

import dev.agentmemory.inmemory.InMemoryBackend;

/** The search property on the in-memory reference backend. */
class InMemorySearchPropertyTest extends SearchPropertyTest {

    @Override
    protected BackendFixture fixture() {
        return BackendFixture.of(InMemoryBackend::create);
    }
}
