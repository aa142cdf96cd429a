package dev.agentmemory.model;

import java.util.Objects;

/**
 * A point of a store's hash chain: after {@code length} links the chain's hash was {@code head}. An operator publishes
 * one (signed, see {@code dev.agentmemory.Checkpoints}) somewhere the database's users cannot change it, and later
 * verifies the store against it: any change to what the chain held up to that point is then detected, even by someone
 * who rewrote the whole database and recomputed every hash.
 *
 * @param storeId the store
 * @param length the number of links up to this point
 * @param head the hash of the link at position {@code length}, 64 lowercase hex digits (32 zero bytes for an empty
 *     chain)
 */
public record ChainCheckpoint(StoreId storeId, long length, String head) {

    /** Checks the fields. */
    public ChainCheckpoint {
        Objects.requireNonNull(storeId, "storeId");
        if (length < 0) {
            throw new IllegalArgumentException("a chain length cannot be negative: " + length);
        }
        Objects.requireNonNull(head, "head");
        if (head.length() != 64 || !head.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("a chain head is 64 lowercase hex digits: " + head);
        }
    }
}
