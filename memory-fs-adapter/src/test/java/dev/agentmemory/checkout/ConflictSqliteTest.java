package dev.agentmemory.checkout;

/** {@link ConflictContract} on the Sqlite backend. */
class ConflictSqliteTest extends ConflictContract {
    @Override
    Backend backend() {
        return Backend.SQLITE;
    }
}
