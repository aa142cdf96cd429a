package dev.agentmemory.model;

import dev.agentmemory.error.ReadOnlyException;

/**
 * A write to an archived store, or an attempt to attach one to a new session. Archiving is one-way: an archived
 * store is read-only for everyone, for good. It is a {@link ReadOnlyException}, so code that handles read-only
 * mounts handles archived ones too.
 */
public class ArchivedException extends ReadOnlyException {

    private final StoreId storeId;

    /**
     * Creates the exception.
     *
     * @param storeId the archived store
     * @param what what was refused
     */
    public ArchivedException(StoreId storeId, String what) {
        super(Kind.ARCHIVED, what + " refused: store " + storeId
                + " is archived and read-only for good; create a new store to write to");
        this.storeId = storeId;
    }

    /**
     * Returns the archived store.
     *
     * @return its id
     */
    public StoreId storeId() {
        return storeId;
    }
}
