package dev.agentmemory.jdbc;

import dev.agentmemory.testkit.BackendFixture;

/** {@link GroupCommitTest} on a SQLite file: every commit of the file shares one lane. */
class SqliteGroupCommitTest extends GroupCommitTest {

    @Override
    BackendFixture fixture() {
        return new SqliteFixture();
    }
}
