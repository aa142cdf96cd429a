package dev.agentmemory.fs;

/** The store's rules through the view, over the in-memory backend. */
class NioViewInMemoryTest extends NioViewSuite {
    @Override
    protected MemoryHarness open() {
        return MemoryHarness.inMemory();
    }
}
