package dev.agentmemory.model;

import java.util.Objects;

/**
 * What an export or import moved.
 *
 * @param storeId the store
 * @param memories how many memories
 * @param versions how many versions
 */
public record TransferSummary(StoreId storeId, long memories, long versions) {
    /** Checks that the store id is present. */
    public TransferSummary {
        Objects.requireNonNull(storeId, "storeId");
    }
}
