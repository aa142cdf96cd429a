package dev.agentmemory;

import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.ChainCheckpoint;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.QuarantinedWrite;
import dev.agentmemory.model.RedactionReport;
import dev.agentmemory.model.RetentionSummary;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.VersionId;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The stores of one workspace, and the operator's tools on them: redaction, retention, export and import. Thread-safe.
 * An archived store's archived state is part of its exported data: importing it gives an archived store.
 *
 * <p>Redaction, purge and deletion erase content in two steps. The content is unreachable through every surface as
 * soon as the call's commit is made. Its bytes leave the backend's storage when the backend can make them leave: each
 * of these calls waits for that for at most {@link #ERASURE_WAIT} and then reports where it stands
 * ({@link ErasureStatus}); a pending erasure is finished by the backend in the background, which logs when it is done.
 * {@link #awaitErasure(Duration)} waits longer, {@link #erasureStatus()} only looks.
 */
public interface StoreAdmin {

    /** How long redaction, purge and deletion wait for the physical erasure before they return its status. */
    Duration ERASURE_WAIT = ErasureStatus.CALLER_WAIT;

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
     * Lists stores as {@link #list} does, as a stream that reads the first page now and each further page only when
     * the stream has consumed the one before.
     *
     * @param query the filters, page size and optional starting cursor
     * @return every store from the query's position on, newest first
     * @throws InvalidArgumentException if the query breaks a rule (checked when the first page is read, here)
     */
    default Stream<MemoryStore> listStream(StoreQuery query) {
        return dev.agentmemory.internal.PagedStream.of(list(query), c -> list(query.page(c)));
    }

    /**
     * Finds the one live (not archived) store with exactly this name. For several stores that may share a name, list
     * them with {@link StoreQuery.Builder#name}.
     *
     * @param name the name, compared exactly
     * @return the store, or empty if no live store has that name
     * @throws ConflictException if more than one live store has that name
     */
    default Optional<MemoryStore> findByName(String name) {
        return dev.agentmemory.internal.StoreLookup.one(q -> list(q).items(), StoreQuery.builder().name(name),
                "name " + name);
    }

    /**
     * Finds the one live (not archived) store whose metadata maps {@code key} to exactly {@code value}: the lookup
     * for one store per end user ({@code user_id = u_123}). For several, list them with
     * {@link StoreQuery.Builder#metadata}.
     *
     * @param key the metadata key
     * @param value its value, compared exactly
     * @return the store, or empty if no live store has that pair
     * @throws ConflictException if more than one live store has that pair
     */
    default Optional<MemoryStore> findByMetadata(String key, String value) {
        return dev.agentmemory.internal.StoreLookup.one(q -> list(q).items(), StoreQuery.builder().metadata(key, value),
                "metadata " + key + " = " + value);
    }

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
     * Deletes a store with all its memories and versions, for good. They are unreachable at once; the returned status
     * says whether their bytes have left storage too.
     *
     * @param storeId the store
     * @return where the physical erasure of the store's content stood when the call returned (after waiting at most
     *     {@link #ERASURE_WAIT})
     * @throws NotFoundException if it does not exist in this workspace
     */
    ErasureStatus delete(StoreId storeId);

    /**
     * Redacts a version: clears its content, SHA-256, size and path, and records who redacted it and when. The
     * operation, actor and timestamps stay; the version can still be read. Redacting a redacted version returns it
     * unchanged (with the erasure status as it is now).
     *
     * <p>The content is unreachable through every surface when this returns. Its bytes leave storage as soon as the
     * backend can make them: the call waits for that for at most {@link #ERASURE_WAIT}, and the report says whether
     * they have, or why not yet.
     *
     * @param storeId the store
     * @param versionId the version
     * @param redactedBy who redacts
     * @return the redacted version and where the physical erasure stood
     * @throws NotFoundException if the version does not exist in that store
     * @throws InvalidArgumentException if it is the head of a live memory: write a new version or delete the memory
     *     first
     * @throws ArchivedException if the store is archived
     */
    RedactionReport redact(StoreId storeId, VersionId versionId, Actor redactedBy);

    /**
     * Reports, without waiting, whether everything erased so far (by redaction, purge or deletion, in any workspace of
     * this library's backend) has left storage.
     *
     * @return the status
     */
    ErasureStatus erasureStatus();

    /**
     * Waits until everything erased before the call has left storage, or until {@code timeout} has passed.
     *
     * @param timeout the longest wait; zero to only look
     * @return the status when done, or when the time is up
     * @throws InvalidArgumentException if the timeout is negative
     */
    ErasureStatus awaitErasure(Duration timeout);

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

    /**
     * Lists the writes that write policies refused or held for review in a store, newest first: who tried to write
     * which path, which policy and rule decided, and when (never the content).
     *
     * @param storeId the store
     * @param cursor the previous page's {@link Page#nextCursor()}, or empty for the first page
     * @param limit the page size, 1 to 100
     * @return one page
     * @throws NotFoundException if the store does not exist in this workspace
     * @throws InvalidArgumentException for a page size out of range or a cursor from another listing
     */
    Page<PolicyEvent> policyEvents(StoreId storeId, Optional<String> cursor, int limit);

    /**
     * Lists the writes held in quarantine in a store, newest first. Sessions never see them.
     *
     * @param storeId the store
     * @param cursor the previous page's {@link Page#nextCursor()}, or empty for the first page
     * @param limit the page size, 1 to 100
     * @return one page
     * @throws NotFoundException if the store does not exist in this workspace
     * @throws InvalidArgumentException for a page size out of range or a cursor from another listing
     */
    Page<QuarantinedWrite> quarantined(StoreId storeId, Optional<String> cursor, int limit);

    /**
     * Reads one write held in quarantine, with the content it would store.
     *
     * @param storeId the store
     * @param quarantineId the held write's id
     * @return the held write
     * @throws NotFoundException if the store holds no such write
     */
    QuarantinedWrite quarantinedWrite(StoreId storeId, String quarantineId);

    /**
     * Releases a held write: applies its changes now, through the same checks as any write (paths, limits, the
     * preconditions it was made under), attributed to the actor that wrote it, and removes it from quarantine in the
     * same atomic commit. The write policies are not asked again: the operator's review is the decision, and the
     * redactions made when it was held are kept and recorded on the versions. Either every change is applied or none
     * is, and it stays held.
     *
     * @param storeId the store
     * @param quarantineId the held write's id
     * @return what each change did, in order
     * @throws NotFoundException if the store holds no such write (released or discarded already)
     * @throws ArchivedException if the store is archived
     * @throws PreconditionFailedException if a memory it changes was changed since it was held
     */
    List<ChangeResult> releaseQuarantined(StoreId storeId, String quarantineId);

    /**
     * Discards a held write for good: none of it is applied, and its content leaves storage.
     *
     * @param storeId the store
     * @param quarantineId the held write's id
     * @throws NotFoundException if the store holds no such write
     */
    void discardQuarantined(StoreId storeId, String quarantineId);

    /**
     * Verifies a store's hash chain: walks it from the first link to the head kept with the store, recomputing each
     * version's link from its metadata and its salted path and content, each redaction's and each purge record's link,
     * and reports the first link that fails. Reading only; it can run while the store is written (it verifies the
     * chain up to the head it read first). Progress is reported as phase {@code links} (done, total).
     *
     * <p>A verified chain proves that storage still holds what was written through the library, in commit order,
     * except what redaction and retention removed through it. Without a published checkpoint it does not prove that
     * someone able to rewrite the database did not recompute the chain after a change: verify against a
     * {@link ChainCheckpoint} published elsewhere for that.
     *
     * @param storeId the store
     * @param progress told how far the walk is
     * @return the report; {@link ChainReport#intact()} tells whether the chain verified
     * @throws NotFoundException if the store does not exist in this workspace
     */
    ChainReport verify(StoreId storeId, ProgressListener progress);

    /**
     * Verifies a store's hash chain, as {@link #verify(StoreId, ProgressListener)} does, without reporting progress.
     *
     * @param storeId the store
     * @return the report
     */
    default ChainReport verify(StoreId storeId) {
        return verify(storeId, ProgressListener.NONE);
    }

    /**
     * Verifies a store's hash chain as {@link #verify(StoreId, ProgressListener)} does, and also that the chain passes
     * through a checkpoint published earlier: at the checkpoint's length its hash is the checkpoint's head. This
     * detects a history rewritten up to the checkpoint even when every hash was recomputed, and a chain cut off before
     * it; it cannot detect changes to links appended after the checkpoint by someone who recomputed them (publish
     * checkpoints regularly).
     *
     * @param storeId the store
     * @param published the checkpoint, whose signature the caller has checked ({@link Checkpoints#verifySignature})
     * @param progress told how far the walk is
     * @return the report
     * @throws NotFoundException if the store does not exist in this workspace
     */
    ChainReport verify(StoreId storeId, ChainCheckpoint published, ProgressListener progress);

    /**
     * Returns the store's current chain head as a checkpoint to sign and publish. It is only worth publishing if the
     * chain verifies: call {@link #verify(StoreId, ProgressListener)} and publish its {@link ChainReport#head()}.
     *
     * @param storeId the store
     * @return the head
     * @throws NotFoundException if the store does not exist in this workspace
     */
    ChainCheckpoint checkpoint(StoreId storeId);
}
