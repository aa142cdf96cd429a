package dev.agentmemory;

import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.RetentionSummary;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.VersionId;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The stores of one workspace, and the operator's tools on them: redaction, retention, export and import. Thread-safe.
 * An archived store's archived state is part of its exported data: importing it gives an archived store.
 */
public interface StoreAdmin {

    /**
     * Creates a store.
     *
     * @param spec the name (1 to 255 characters, no control characters), description (at most 1,024 characters) and
     *     metadata (at most 16 pairs, key at most 64 and value at most 512 characters)
     * @return the new store
     * @throws InvalidArgumentException if a field breaks its rule
     * @throws LimitExceededException if a field is too long or there is too much metadata
     */
    MemoryStore create(NewStore spec);

    /**
     * Returns a store of this workspace, archived or not.
     *
     * @param storeId the store
     * @return the store
     * @throws NotFoundException if it does not exist in this workspace
     */
    MemoryStore get(StoreId storeId);

    /**
     * Lists stores, newest first.
     *
     * @param query the filters and the page
     * @return one page
     * @throws InvalidArgumentException for a page size outside 1 to 100 or a cursor from another query
     */
    Page<MemoryStore> list(StoreQuery query);

    /**
     * Changes a store's name, description, metadata (as a patch) or limits. Archived stores cannot be changed.
     *
     * @param storeId the store
     * @param update the change
     * @return the store after the change
     * @throws NotFoundException if it does not exist in this workspace
     * @throws ArchivedException if it is archived
     */
    MemoryStore update(StoreId storeId, StoreUpdate update);

    /**
     * Archives a store: it becomes read-only for everyone, keeps its memories and versions, and can no longer be
     * attached to new sessions. One-way; archiving an archived store returns it unchanged.
     *
     * @param storeId the store
     * @return the archived store
     * @throws NotFoundException if it does not exist in this workspace
     */
    MemoryStore archive(StoreId storeId);

    /**
     * Deletes a store with all its memories and versions, for good.
     *
     * @param storeId the store
     * @throws NotFoundException if it does not exist in this workspace
     */
    void delete(StoreId storeId);

    /**
     * Redacts a version: clears its content, SHA-256, size and path, and records who redacted it and when. The
     * operation, actor and timestamps stay; the version can still be read. Redacting a redacted version returns it
     * unchanged.
     *
     * @param storeId the store
     * @param versionId the version
     * @param redactedBy who redacts
     * @return the redacted version
     * @throws NotFoundException if the version does not exist in that store
     * @throws InvalidArgumentException if it is the head of a live memory: write a new version or delete the memory
     *     first
     * @throws ArchivedException if the store is archived
     */
    MemoryVersion redact(StoreId storeId, VersionId versionId, Actor redactedBy);

    /**
     * Removes versions older than the library's retention window, except each live memory's head and its most recent
     * versions.
     *
     * @param storeId the store
     * @param progress told how far the purge is
     * @return what was examined and removed
     * @throws ArchivedException if the store is archived (archived stores keep all their versions)
     */
    PurgeResult purge(StoreId storeId, ProgressListener progress);

    /**
     * Removes versions as {@link #purge(StoreId, ProgressListener)} does, without reporting progress.
     *
     * @param storeId the store
     * @return what was examined and removed
     * @throws ArchivedException if the store is archived
     */
    default PurgeResult purge(StoreId storeId) {
        return purge(storeId, ProgressListener.NONE);
    }

    /**
     * Removes versions as {@link #purge(StoreId, RetentionPolicy, ProgressListener)} does, without reporting
     * progress.
     *
     * @param storeId the store
     * @param policy the window and how many recent versions per live memory to keep
     * @return what was examined and removed
     */
    default PurgeResult purge(StoreId storeId, RetentionPolicy policy) {
        return purge(storeId, policy, ProgressListener.NONE);
    }

    /**
     * Applies retention to every store of this workspace, one store after the other (each store's purge is atomic;
     * the whole is not). Archived stores keep all their versions and are skipped. Stores created while it runs may be
     * left for the next run. Progress is reported per store as phase {@code stores} (done, total) and, within a
     * store, as {@link #purge(StoreId, RetentionPolicy, ProgressListener)} reports it.
     *
     * @param policy the window and how many recent versions per live memory to keep; the library's is
     *     {@code AgentMemory.limits().retention()}
     * @param progress told how far it is
     * @return what was done, in all
     */
    RetentionSummary purgeAll(RetentionPolicy policy, ProgressListener progress);

    /**
     * Removes versions as {@link #purge(StoreId, ProgressListener)} does, under a policy of the caller's.
     *
     * @param storeId the store
     * @param policy the window and how many recent versions per live memory to keep
     * @param progress told how far the purge is
     * @return what was examined and removed
     */
    PurgeResult purge(StoreId storeId, RetentionPolicy policy, ProgressListener progress);

    /**
     * Writes a store as JSON Lines: one line for the store, then one per memory, then one per version (redacted ones
     * without content). The stream is not closed.
     *
     * @param storeId the store
     * @param out where to write, UTF-8
     * @param progress told how far the export is
     * @return what was written
     * @throws StorageException if writing fails
     */
    TransferSummary exportStore(StoreId storeId, OutputStream out, ProgressListener progress);

    /**
     * Writes a store as {@link #exportStore(StoreId, OutputStream, ProgressListener)} does, without reporting
     * progress.
     *
     * @param storeId the store
     * @param out where to write, UTF-8; not closed
     * @return what was written
     */
    default TransferSummary exportStore(StoreId storeId, OutputStream out) {
        return exportStore(storeId, out, ProgressListener.NONE);
    }

    /**
     * Reads a store written by {@link #exportStore} into this workspace, with the same ids, timestamps, actors and
     * redactions. Either the whole store is imported or nothing is.
     *
     * @param in the JSON Lines, UTF-8; not closed
     * @param progress told how far the import is
     * @return what was read
     * @throws InvalidArgumentException if the input is malformed or breaks a rule
     * @throws ConflictException if a store with the same id exists already
     */
    TransferSummary importStore(InputStream in, ProgressListener progress);

    /**
     * Reads a store as {@link #importStore(InputStream, ProgressListener)} does, without reporting progress.
     *
     * @param in the JSON Lines, UTF-8; not closed
     * @return what was read
     */
    default TransferSummary importStore(InputStream in) {
        return importStore(in, ProgressListener.NONE);
    }
}
