package dev.agentmemory.fs;

/** The scenario suite against the oracle, Jimfs: proves each expectation is what a JDK file system does. */
class NioJimfsScenarioTest extends NioScenarioSuite {
    @Override
    protected NioHarness open() throws Exception {
        return new JimfsHarness();
    }
}
