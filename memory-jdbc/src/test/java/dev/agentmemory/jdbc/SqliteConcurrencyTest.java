package dev.agentmemory.jdbc;

import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.ConcurrencyTest;

/** The testkit's ConcurrencyTest on Sqlite. */
class SqliteConcurrencyTest extends ConcurrencyTest {

    @Override
    protected BackendFixture fixture() {
        return new SqliteFixture();
    }
}
