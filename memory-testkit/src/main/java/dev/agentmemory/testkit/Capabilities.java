package dev.agentmemory.testkit;

/**
 * Capability flags: where a backend legitimately differs, the suites ask these instead of the backend's type.
 *
 * @param concurrencyScale a multiplier for the concurrency suites' sizes; 1.0 runs them at the sizes the suite
 *     demands, a slower durable backend may lower the per-thread operation count but never below the minimums
 */
public record Capabilities(double concurrencyScale) {

    /**
     * The reference backend's capabilities: full concurrency sizes.
     *
     * @return the capabilities
     */
    public static Capabilities reference() {
        return new Capabilities(1.0);
    }
}
