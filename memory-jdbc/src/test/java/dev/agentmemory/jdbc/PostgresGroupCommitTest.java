package dev.agentmemory.jdbc;

import dev.agentmemory.testkit.BackendFixture;

/** {@link GroupCommitTest} on PostgreSQL: the commits of one store share one lane. */
class PostgresGroupCommitTest extends GroupCommitTest {

    @Override
    BackendFixture fixture() {
        return new PostgresFixture();
    }
}
