package dev.agentmemory.fuse;

/** Two mounts of one store on SQLite. */
class TwoMountsSqliteTest extends TwoMountsContract {

    @Override
    Backend backend() {
        return Backend.SQLITE;
    }
}
