package dev.agentmemory.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the physical erasure of erased content stands: whether the bytes of every version redacted, purged or deleted
 * so far have left the backend's storage, or are still there and why.
 *
 * <p>Erasure has two parts. The logical part happens at once, in the same atomic commit as the redaction, purge or
 * deletion: from then on no read of any surface returns the content. The physical part, making the bytes leave the
 * database's files, may have to wait (for example for a reader of an older snapshot of a SQLite file to finish); the
 * backend then finishes it by itself as soon as it can and logs when it has. This value reports that physical part.
 * It covers everything erased so far through the backend, not only the caller's last change: {@link State#DONE}
 * means none of it is left in what {@link #detail()} names.
 *
 * @param state done, pending, or not reported by the backend
 * @param detail in plain words: when done, what storage the content has left (and what the backend cannot reach);
 *     when pending, why the bytes are still there and what will finish the erasure
 * @param pendingSince when the oldest unfinished erasure was asked for; empty when done or unknown
 */
public record ErasureStatus(State state, String detail, Optional<Instant> pendingSince) {

    /**
     * How long redaction, purge and store deletion wait for the physical erasure before they return its status: two
     * seconds. The erasure goes on in the background after that.
     */
    public static final java.time.Duration CALLER_WAIT = java.time.Duration.ofSeconds(2);

    /** The states of physical erasure. */
    public enum State {
        /** The erased content's bytes are gone from the storage that {@link ErasureStatus#detail()} names. */
        DONE,
        /** Some erased content's bytes are still in storage; the backend is finishing the erasure. */
        PENDING,
        /** The backend does not report physical erasure: treat the bytes as possibly still there. */
        UNKNOWN;

        /** @return the lower-case name used on the wire and on the command line ({@code done}, ...) */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Checks the fields: a pending time only when pending. */
    public ErasureStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(pendingSince, "pendingSince");
        if (pendingSince.isPresent() != (state == State.PENDING)) {
            throw new IllegalArgumentException("a pending time goes with the PENDING state only: " + state);
        }
    }

    /**
     * Physical erasure is complete.
     *
     * @param detail what storage the content has left, and what the backend cannot reach
     * @return the status
     */
    public static ErasureStatus done(String detail) {
        return new ErasureStatus(State.DONE, detail, Optional.empty());
    }

    /**
     * Physical erasure is not finished.
     *
     * @param reason why the bytes are still in storage and what will finish the erasure
     * @param since when the oldest unfinished erasure was asked for
     * @return the status
     */
    public static ErasureStatus pending(String reason, Instant since) {
        return new ErasureStatus(State.PENDING, reason, Optional.of(since));
    }

    /**
     * The backend does not say.
     *
     * @param detail which backend, and that it does not report erasure
     * @return the status
     */
    public static ErasureStatus unknown(String detail) {
        return new ErasureStatus(State.UNKNOWN, detail, Optional.empty());
    }

    /** @return true if the erased content's bytes are known to be gone */
    public boolean isDone() {
        return state == State.DONE;
    }
}
