package dev.agentmemory.jdbc;

import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.SearchPropertyTest;

/** The testkit's search property on Sqlite: the database's pre-filter must never drop a match. */
class SqliteSearchPropertyTest extends SearchPropertyTest {

    @Override
    protected BackendFixture fixture() {
        return new SqliteFixture();
    }
}
