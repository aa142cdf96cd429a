package dev.agentmemory.jdbc;

import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.MemoryContract;

/** The whole rule-by-rule contract suite on a real PostgreSQL server. */
class PostgresContractTest extends MemoryContract {

    @Override
    protected BackendFixture fixture() {
        return new PostgresFixture();
    }
}
