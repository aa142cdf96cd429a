package dev.agentmemory.policy;

/**
 * Decides whether a proposed write may be stored, and how: allowed, redacted, quarantined or blocked.
 *
 * <p>A policy decides from the {@link WriteRequest} alone (and, for stateful policies such as {@link SessionQuota},
 * from counters it keeps in memory): it does no I/O, so it can be tested with a table of requests and expected
 * verdicts. Implementations must be thread-safe: a write pipeline calls them from every writing thread at once.
 *
 * <p>A write pipeline calls {@link #evaluate} before anything is stored, and {@link #committed} once the write (or
 * its redacted or quarantined form) has been stored. A policy that counts writes counts them in {@code committed},
 * so a write that another policy blocks, or that fails later, is not counted.
 */
public interface WritePolicy {

    /**
     * Returns the policy's name, as verdicts, audit events and {@link dev.agentmemory.error.WriteBlockedException} report
     * it.
     *
     * @return a short lowercase name, for example {@code secret-scanner}
     */
    String name();

    /**
     * Decides about a write. Never throws for any content: a policy that cannot decide returns its most cautious
     * verdict.
     *
     * @param request the proposed write
     * @return the verdict
     */
    Verdict evaluate(WriteRequest request);

    /**
     * Tells the policy that a write it allowed has been stored. The default does nothing.
     *
     * @param request the write as it was evaluated
     * @param verdict the verdict the write was stored under (the chain's, which may be more severe than this
     *     policy's own)
     */
    default void committed(WriteRequest request, Verdict verdict) {
    }
}
