package dev.agentmemory.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One finished write, as a {@link dev.agentmemory.model.WriteListener} sees it: which store, what kind of write, how it
 * ended, how long it took and how many times it had to be tried because other writers of the same store committed
 * first.
 *
 * <p>A write is any call that changes a store's memories, history or settings through the service: a memory's
 * create, update, delete, move, a batch, a store update, an archive, a redaction, each chunk of a retention purge,
 * and each chunk of an import. Store creation and deletion are not writes in this sense, and calls refused before
 * they reach the store (a write through a read-only attachment, an empty batch) are not reported.
 *
 * @param workspaceId the workspace of the store
 * @param storeId the store written to
 * @param operation what was done, one of {@code create}, {@code update}, {@code delete}, {@code move},
 *     {@code batch}, {@code store update}, {@code archive}, {@code redaction}, {@code retention purge} and
 *     {@code import}; a small fixed set, fit to be a metric's tag
 * @param outcome how the write ended
 * @param failure the exception the caller received, present exactly when {@code outcome} is
 *     {@link Outcome#FAILED}: a {@link dev.agentmemory.error.ConflictException} for a failed precondition or a path
 *     conflict, another {@link dev.agentmemory.error.MemoryException} for a broken rule or a storage failure
 * @param attempts how many times the write was run against a fresh snapshot of the store (1 when no other writer
 *     got in between; each further attempt follows a commit another writer made first)
 * @param duration the time from the call's start to its end, retries and backoff included
 */
public record WriteEvent(WorkspaceId workspaceId, StoreId storeId, String operation, Outcome outcome,
        Optional<RuntimeException> failure, int attempts, Duration duration) {

    /** How a write ended. */
    public enum Outcome {
        /** A commit landed: the store moved to a new revision. */
        COMMITTED,
        /** The write succeeded without anything to commit, for example an update to the same path and content. */
        UNCHANGED,
        /** The write threw {@link WriteEvent#failure()} and changed nothing. */
        FAILED
    }

    /** Checks the fields: a failure is present exactly for a failed write, and there was at least one attempt. */
    public WriteEvent {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(duration, "duration");
        if (failure.isPresent() != (outcome == Outcome.FAILED)) {
            throw new IllegalArgumentException("a failure goes with the FAILED outcome and only with it: " + outcome
                    + (failure.isPresent() ? " with " : " without ") + "a failure");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("a write is attempted at least once: " + attempts);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration cannot be negative: " + duration);
        }
    }

    /**
     * Whether the write failed on a {@link dev.agentmemory.error.ConflictException}: a {@code content_sha256}
     * precondition that no longer held, or a path that clashes with another memory.
     *
     * @return whether it was a conflict
     */
    public boolean isConflict() {
        return failure.filter(f -> f instanceof dev.agentmemory.error.ConflictException).isPresent();
    }
}
