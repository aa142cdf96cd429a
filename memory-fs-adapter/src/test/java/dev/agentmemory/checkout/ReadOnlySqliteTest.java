package dev.agentmemory.checkout;

/** {@link ReadOnlyContract} on the Sqlite backend. */
class ReadOnlySqliteTest extends ReadOnlyContract {
    @Override
    Backend backend() {
        return Backend.SQLITE;
    }
}
