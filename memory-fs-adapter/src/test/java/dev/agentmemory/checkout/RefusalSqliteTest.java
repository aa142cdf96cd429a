package dev.agentmemory.checkout;

/** {@link RefusalContract} on the Sqlite backend. */
class RefusalSqliteTest extends RefusalContract {
    @Override
    Backend backend() {
        return Backend.SQLITE;
    }
}
