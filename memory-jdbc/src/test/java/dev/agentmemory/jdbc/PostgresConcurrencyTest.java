package dev.agentmemory.jdbc;

import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.ConcurrencyTest;

/** The testkit's ConcurrencyTest on Postgres. */
class PostgresConcurrencyTest extends ConcurrencyTest {

    @Override
    protected BackendFixture fixture() {
        return new PostgresFixture();
    }
}
