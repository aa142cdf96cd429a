package dev.agentmemory.model;

/**
 * Whether one change of a write made a version. A write whose stored state already equals what it asks for succeeds
 * without writing anything (the idempotent success of the hosted API); callers that report what happened (an
 * operator's CLI, a sync report, a counter) need to tell that apart from a write that made its own version, in
 * particular when a concurrent writer made the same change first.
 */
public enum WriteOutcome {
    /** The change was written: it made a new version, attributed to the writer. */
    APPLIED,
    /**
     * The store already held exactly what the change asked for (the same path and content), so it made no version;
     * the memory's current version is someone else's, or an earlier one of the same writer.
     */
    ALREADY_CURRENT
}
