package dev.agentmemory.testkit;

/**
 * Capability flags: where a backend legitimately differs, the suites ask these instead of the backend's type.
 *
 * @param persistent whether data survives closing a backend and opening another on the same storage
 * @param concurrencyScale a multiplier for the concurrency suites' sizes; 1.0 runs them at the sizes the suite
 *     demands, a slower durable backend may lower the per-thread operation count but never below the minimums
 */
public record Capabilities(boolean persistent, double concurrencyScale) {

    /**
     * The reference backend's capabilities: not persistent, full concurrency sizes.
     *
     * @return the capabilities
     */
    public static Capabilities reference() {
        return new Capabilities(false, 1.0);
    }
}
