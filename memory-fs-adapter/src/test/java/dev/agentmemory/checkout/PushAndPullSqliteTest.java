package dev.agentmemory.checkout;

/** {@link PushAndPullContract} on the Sqlite backend. */
class PushAndPullSqliteTest extends PushAndPullContract {
    @Override
    Backend backend() {
        return Backend.SQLITE;
    }
}
