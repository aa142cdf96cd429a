package dev.agentmemory.jdbc;

import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.MemoryContract;

/** The whole rule-by-rule contract suite on SQLite files. */
class SqliteContractTest extends MemoryContract {

    @Override
    protected BackendFixture fixture() {
        return new SqliteFixture();
    }
}
