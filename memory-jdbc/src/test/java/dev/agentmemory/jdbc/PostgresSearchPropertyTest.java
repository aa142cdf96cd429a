package dev.agentmemory.jdbc;

import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.SearchPropertyTest;

/** The testkit's search property on Postgres: the database's pre-filter must never drop a match. */
class PostgresSearchPropertyTest extends SearchPropertyTest {

    @Override
    protected BackendFixture fixture() {
        return new PostgresFixture();
    }
}
