package dev.agentmemory.fuse;

/** The refusals on SQLite. */
class RefusalSqliteTest extends RefusalContract {

    @Override
    Backend backend() {
        return Backend.SQLITE;
    }
}
