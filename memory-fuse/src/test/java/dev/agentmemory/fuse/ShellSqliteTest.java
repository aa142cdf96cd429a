package dev.agentmemory.fuse;

/** The shell suite on SQLite. */
class ShellSqliteTest extends ShellContract {

    @Override
    Backend backend() {
        return Backend.SQLITE;
    }
}
