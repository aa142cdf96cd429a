package dev.agentmemory.checkout;

/** {@link LifecycleContract} on the Sqlite backend. */
class LifecycleSqliteTest extends LifecycleContract {
    @Override
    Backend backend() {
        return Backend.SQLITE;
    }
}
