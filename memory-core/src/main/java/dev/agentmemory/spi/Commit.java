package dev.agentmemory.spi;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One atomic change to one store: the only write primitive of the SPI besides creating and deleting stores and
 * sessions. A backend applies a commit all at once or not at all, in this order:
 *
 * <ol>
 *   <li>if the store does not exist, change nothing and return {@code false}; if its sequence differs from
 *       {@link #expectedSequence()}, change nothing and return {@code false}, unless the commit carries a
 *       {@link #condition() head condition} that holds, in which case it applies at the store's actual sequence as
 *       {@link HeadCondition} describes;
 *   <li>replace the store with {@link #store()}, if present;
 *   <li>remove the memories in {@link #removeMemories()};
 *   <li>put (insert, or replace by id) the memories in {@link #putMemories()}, which always carry their content;
 *   <li>insert the versions in {@link #addVersions()}, replace those in {@link #replaceVersions()} (redactions: the
 *       old content must be gone from storage afterwards, not hidden), and remove those in
 *       {@link #removeVersions()} (retention);
 *   <li>if {@link #releasesQuarantine()} names a quarantined write, remove it; if the store holds no such write,
 *       change nothing and return {@code false} (another operator released or discarded it first);
 *   <li>store the chain update {@link #chainAt chainAt(actual sequence, actual chain head)}, if present (the
 *       commit's own {@link #chain()} when it applies at its expected sequence): each seal with its version, the gap
 *       records, and the new chain head with the store;
 *   <li>raise the store's sequence by one and return {@code true}.
 * </ol>
 *
 * <p>The service has already checked every rule against the state at the expected sequence: paths are unique in the
 * store after the commit, every put memory's head is a version of the commit, and so on. A backend may check such
 * invariants again (a unique index on the path, say) and fail with an exception, but it never needs to.
 *
 * @param storeId the store
 * @param expectedSequence the sequence the store must have for the commit to apply
 * @param store the store's new state, if it changes
 * @param removeMemories memories to remove
 * @param putMemories memories to insert or replace, with content
 * @param addVersions versions to insert
 * @param replaceVersions versions to replace by id
 * @param removeVersions versions to remove
 * @param releasesQuarantine the quarantined write this commit applies, which must still be held and is removed with
 *     the commit; empty for every other commit
 * @param chain what the commit adds to the store's hash chain at its expected sequence; empty only for commits made
 *     without the service
 * @param condition the per-memory compare-and-set that lets the commit apply at a later sequence; empty for a commit
 *     that applies only at its expected sequence
 */
public record Commit(
        StoreId storeId,
        long expectedSequence,
        Optional<MemoryStore> store,
        List<MemoryId> removeMemories,
        List<Memory> putMemories,
        List<MemoryVersion> addVersions,
        List<MemoryVersion> replaceVersions,
        List<VersionId> removeVersions,
        Optional<String> releasesQuarantine,
        Optional<ChainUpdate> chain,
        Optional<HeadCondition> condition) {

    /** Checks the fields and copies the lists. */
    public Commit {
        Objects.requireNonNull(releasesQuarantine, "releasesQuarantine");
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(store, "store");
        removeMemories = List.copyOf(removeMemories);
        putMemories = List.copyOf(putMemories);
        addVersions = List.copyOf(addVersions);
        replaceVersions = List.copyOf(replaceVersions);
        removeVersions = List.copyOf(removeVersions);
        for (Memory m : putMemories) {
            if (m.content().isEmpty()) {
                throw new IllegalArgumentException("a put memory carries its content: " + m.id());
            }
        }
        Objects.requireNonNull(condition, "condition");
        if (condition.isPresent()) {
            HeadCondition c = condition.get();
            if (store.isPresent() || !removeMemories.isEmpty() || !replaceVersions.isEmpty()
                    || !removeVersions.isEmpty() || releasesQuarantine.isPresent()) {
                throw new IllegalArgumentException("a head-conditioned commit only puts memories and adds their"
                        + " versions; store changes, removals, redactions and quarantine releases depend on more");
            }
            for (Memory m : putMemories) {
                if (!c.expectedHeads().containsKey(m.id())) {
                    throw new IllegalArgumentException("a head-conditioned commit names the head of every memory it"
                            + " puts: " + m.id());
                }
            }
            for (MemoryVersion v : addVersions) {
                if (!c.expectedHeads().containsKey(v.memoryId())) {
                    throw new IllegalArgumentException("a head-conditioned commit adds versions only of the memories"
                            + " it names: " + v.id());
                }
            }
        }
    }

    /**
     * A commit that applies only at its expected sequence.
     *
     * @param storeId the store
     * @param expectedSequence the sequence the store must have for the commit to apply
     * @param store the store's new state, if it changes
     * @param removeMemories memories to remove
     * @param putMemories memories to insert or replace, with content
     * @param addVersions versions to insert
     * @param replaceVersions versions to replace by id
     * @param removeVersions versions to remove
     * @param releasesQuarantine the quarantined write this commit applies, if any
     * @param chain what the commit adds to the store's hash chain
     */
    public Commit(StoreId storeId, long expectedSequence, Optional<MemoryStore> store, List<MemoryId> removeMemories,
            List<Memory> putMemories, List<MemoryVersion> addVersions, List<MemoryVersion> replaceVersions,
            List<VersionId> removeVersions, Optional<String> releasesQuarantine, Optional<ChainUpdate> chain) {
        this(storeId, expectedSequence, store, removeMemories, putMemories, addVersions, replaceVersions,
                removeVersions, releasesQuarantine, chain, Optional.empty());
    }

    /**
     * A commit that releases no quarantined write and adds nothing to the hash chain: its versions stay unchained, as
     * versions written before chains existed.
     *
     * @param storeId the store
     * @param expectedSequence the sequence the store must have for the commit to apply
     * @param store the store's new state, if it changes
     * @param removeMemories memories to remove
     * @param putMemories memories to insert or replace, with content
     * @param addVersions versions to insert
     * @param replaceVersions versions to replace by id
     * @param removeVersions versions to remove
     */
    public Commit(StoreId storeId, long expectedSequence, Optional<MemoryStore> store, List<MemoryId> removeMemories,
            List<Memory> putMemories, List<MemoryVersion> addVersions, List<MemoryVersion> replaceVersions,
            List<VersionId> removeVersions) {
        this(storeId, expectedSequence, store, removeMemories, putMemories, addVersions, replaceVersions,
                removeVersions, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Returns the chain update to store when the commit applies on top of a given store state: {@link #chain()} at
     * the expected sequence, and the {@link HeadCondition#relink() relinked} update at any other (which only a commit
     * whose condition holds may reach).
     *
     * @param sequence the store's sequence when the commit applies (before it is raised)
     * @param head the store's chain head at that moment
     * @return the chain update to store, if any
     * @throws IllegalStateException if the sequence is not the expected one and the commit carries no condition
     */
    public Optional<ChainUpdate> chainAt(long sequence, ChainHead head) {
        if (sequence == expectedSequence) {
            return chain;
        }
        if (condition.isEmpty()) {
            throw new IllegalStateException("commit to store " + storeId + " expected sequence " + expectedSequence
                    + " and has no head condition to apply at " + sequence);
        }
        return chain.isEmpty() ? Optional.empty() : Optional.of(condition.get().relink().at(sequence, head));
    }

    /**
     * Tells whether the commit may apply on a store in the given state, as step 1 above says.
     *
     * @param sequence the store's sequence
     * @param current the store's record
     * @param headOf the current head version of a memory of the store, or empty if there is no such memory
     * @return true if the sequence is the expected one, or the commit's condition holds
     */
    public boolean appliesOn(long sequence, MemoryStore current,
            Function<MemoryId, Optional<VersionId>> headOf) {
        return sequence == expectedSequence || condition.map(c -> c.holds(current, headOf)).orElse(false);
    }

    /**
     * Tells whether the commit changes nothing.
     *
     * @return true if every part is empty, the chain update included
     */
    public boolean isEmpty() {
        return store.isEmpty() && removeMemories.isEmpty() && putMemories.isEmpty() && addVersions.isEmpty()
                && replaceVersions.isEmpty() && removeVersions.isEmpty() && releasesQuarantine.isEmpty()
                && chain.isEmpty();
    }
}
