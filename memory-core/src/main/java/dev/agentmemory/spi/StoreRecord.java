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
 * <p>The chain head is the end of the store's hash chain (see {@link ChainUpdate}); it moves only with commits, so
 * the head a write reads with the sequence is the one its commit extends.
 *
 * @param store the store
 * @param sequence the number of commits made to it; 0 when created
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
