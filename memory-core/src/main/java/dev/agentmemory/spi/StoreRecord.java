package dev.agentmemory.spi;

import dev.agentmemory.model.MemoryStore;
import java.util.Objects;

/**
 * A store as the backend keeps it: the store itself and its sequence number.
 *
 * <p>The sequence number counts the commits made to the store. Every successful {@link Commit} raises it by one,
 * atomically with the commit's changes. The service reads it before it reads anything else for a write and hands it
 * back in {@link Commit#expectedSequence()}; this is how every write is made linearizable without a lock held
 * across calls.
 *
 * <p>A sequence is never repeated by a store created again with the id of a deleted one: that store starts past
 * every sequence the deleted one reached (see {@link MemoryBackend#createStore}), so a sequence names one state of
 * one incarnation of a store, and a commit's expected sequence read from one incarnation never matches another (a
 * commit under a {@link HeadCondition} is decided on the record and heads it meets instead).
 *
 * <p>The chain head is the end of the store's hash chain (see {@link ChainUpdate}); it moves only with commits, so
 * the head a write reads with the sequence is the one its commit extends.
 *
 * @param store the store
 * @param sequence the number of commits made to it, counted from 0, or from where an earlier store with the same id
 *     left off
 * @param chain the head of its hash chain
 */
public record StoreRecord(MemoryStore store, long sequence, ChainHead chain) {
    /** Checks the fields. */
    public StoreRecord {
        Objects.requireNonNull(store, "store");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence cannot be negative: " + sequence);
        }
        Objects.requireNonNull(chain, "chain");
    }

    /**
     * A store with an empty chain, as created.
     *
     * @param store the store
     * @param sequence the number of commits made to it
     */
    public StoreRecord(MemoryStore store, long sequence) {
        this(store, sequence, ChainHead.GENESIS);
    }
}
