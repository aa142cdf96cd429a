package dev.agentmemory.testkit;

import dev.agentmemory.spi.MemoryBackend;

/**
 * What a backend module gives the contract suites: a way to open fresh, empty backends, and the capability flags
 * where the backend legitimately differs from the reference. Implementations clean up whatever they created (files,
 * schemas) in {@link #close()}.
 *
 * <pre>{@code
 * class InMemoryContractTest extends MemoryContract {
 *     protected BackendFixture fixture() { return BackendFixture.of(InMemoryBackend::create); }
 * }
 * }</pre>
 */
public interface BackendFixture extends AutoCloseable {

    /**
     * Opens a new, empty backend. Each call returns an independent backend; the suite closes it.
     *
     * @return the backend
     */
    MemoryBackend open();

    /**
     * Returns what this backend can do beyond the minimum.
     *
     * @return the capabilities
     */
    default Capabilities capabilities() {
        return Capabilities.reference();
    }

    /** Releases whatever the fixture created. */
    @Override
    default void close() {
    }

    /**
     * Returns a fixture that opens backends with a supplier and needs no cleanup.
     *
     * @param opener makes a new, empty backend
     * @return the fixture
     */
    static BackendFixture of(java.util.function.Supplier<? extends MemoryBackend> opener) {
        return opener::get;
    }
}
