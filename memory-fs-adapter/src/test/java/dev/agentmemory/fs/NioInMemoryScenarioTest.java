package dev.agentmemory.fs;

/** The scenario suite against the memory file system over the in-memory backend. */
class NioInMemoryScenarioTest extends NioScenarioSuite {
    @Override
    protected NioHarness open() {
        return MemoryHarness.inMemory();
    }
}
