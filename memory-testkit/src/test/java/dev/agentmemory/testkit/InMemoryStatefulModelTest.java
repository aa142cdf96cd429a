package dev.agentmemory.testkit;

import dev.agentmemory.inmemory.InMemoryBackend;

/** The stateful model test against the in-memory reference backend. */
class InMemoryStatefulModelTest extends StatefulModelTest {

    @Override
    protected BackendFixture fixture() {
        return BackendFixture.of(InMemoryBackend::create);
    }
}
