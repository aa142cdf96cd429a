package dev.agentmemory.jdbc;

import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.StatefulModelTest;

/** The testkit's StatefulModelTest on Postgres. */
class PostgresStatefulModelTest extends StatefulModelTest {

    @Override
    protected BackendFixture fixture() {
        return new PostgresFixture();
    }
}
