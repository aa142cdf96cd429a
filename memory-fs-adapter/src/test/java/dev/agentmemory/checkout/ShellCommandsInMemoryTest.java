package dev.agentmemory.checkout;

/** {@link ShellCommandsContract} on the InMemory backend. */
class ShellCommandsInMemoryTest extends ShellCommandsContract {
    @Override
    Backend backend() {
        return Backend.IN_MEMORY;
    }
}
