package dev.agentmemory.checkout;

/** {@link ShellCommandsContract} on the Sqlite backend. */
class ShellCommandsSqliteTest extends ShellCommandsContract {
    @Override
    Backend backend() {
        return Backend.SQLITE;
    }
}
