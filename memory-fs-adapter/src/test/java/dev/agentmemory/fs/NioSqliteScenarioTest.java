package dev.agentmemory.fs;

/** The scenario suite against the memory file system over the SQLite backend. */
class NioSqliteScenarioTest extends NioScenarioSuite {
    @Override
    protected NioHarness open() throws Exception {
        return MemoryHarness.sqlite();
    }
}
