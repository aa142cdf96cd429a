package dev.agentmemory.spi;

/**
 * Links a commit's versions onto the hash chain at the place where the commit actually applies, when a backend applies
 * a {@link HeadCondition head-conditioned} commit at a later sequence than the one it was made at. The service makes
 * one per such commit; a backend only calls it.
 *
 * <p>Each version link hashes the previous link and its own position (see {@link VersionSeal}), so the seals a commit
 * carries in {@link Commit#chain()} hold only on top of the chain head the commit read. Applied elsewhere, the same
 * versions are linked again onto the head the store has then, keeping their leaves and salts; the result is what the
 * backend stores instead of {@link Commit#chain()}.
 */
@FunctionalInterface
public interface ChainRelink {

    /**
     * Returns the chain update of the commit applied on top of a given store state. The backend calls it inside its
     * transaction, after it has taken the store's write lock (so the state cannot move before the commit lands) and
     * checked the {@link HeadCondition}, with the store's sequence and chain head as they are at that moment, and
     * stores exactly what it returns. It may call it again (a retried transaction); the last call before the commit
     * lands must be the one for the state the commit landed on. Pure computation: it reads nothing, and is cheap
     * (one SHA-256 per version the commit adds).
     *
     * @param sequence the store's sequence at the moment the commit applies (before it is raised by one)
     * @param head the store's chain head at that moment
     * @return the chain update to store with the commit: the seals of the commit's versions at their new positions
     *     and the chain's new head
     */
    ChainUpdate at(long sequence, ChainHead head);

    /**
     * Forgets the calls to {@link #at} made so far: the backend is about to try the commit again from the start (the
     * transaction or savepoint they were made in was rolled back, or the commit is written again on its own after a
     * group it was part of failed), and this time it may land at its expected sequence, storing {@link Commit#chain()}
     * without calling {@link #at} at all. A backend that may call {@link #at} in an attempt that does not last calls
     * this before each new attempt. The default does nothing.
     */
    default void restart() {
    }
}
