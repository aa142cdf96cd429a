package dev.agentmemory.model;

/**
 * What a put by path did: {@link dev.agentmemory.Memories#put(String, String)} creates the memory if the path is free
 * and replaces its content otherwise, in one atomic write, and says which of the three things happened.
 */
public enum PutOutcome {
    /** No memory had the path: this call created it (one {@code created} version). */
    CREATED,
    /** A memory had the path with other content: this call replaced it (one {@code modified} version). */
    UPDATED,
    /**
     * A memory had the path with exactly this content already, so nothing was written (no version); for example
     * because a concurrent writer put the same content first.
     */
    ALREADY_CURRENT
}
