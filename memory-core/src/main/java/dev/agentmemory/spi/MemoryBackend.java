package dev.agentmemory.spi;

import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.QuarantinedWrite;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where stores, memories, versions and sessions are kept: the persistence SPI.
 *
 * <p>A backend owns storage and atomicity only. The service owns every rule (paths, limits, access, preconditions,
 * redaction, retention) and asks the backend for plain reads and for one atomic write primitive, {@link #commit}: a
 * compare-and-set of the store's sequence number together with all the changes of one operation. A database
 * implements each method as one statement or one transaction. Because every write to a store moves its sequence,
 * a write whose reads were overtaken by another write fails its commit, and the service reads again and retries; so
 * every operation is linearizable per store without the service holding a lock or a transaction across calls.
 *
 * <p>A write that depends only on the heads of the memories it changes and on the store's record (an update of one
 * memory's content) carries a {@link HeadCondition}: a per-memory compare-and-set. The backend then applies it at the
 * store's actual sequence when only other memories moved, still raising the sequence by one under the store's lock
 * and storing the chain update the condition's {@link ChainRelink} computes for that place; so writers of different
 * memories of one store wait for each other's commit instead of failing it. {@link Commit} gives the full procedure,
 * and {@link Commit#appliesOn} and {@link Commit#chainAt} do the deciding for a backend.
 *
 * <p>Orderings every backend follows:
 * <ul>
 *   <li>Paths are compared in Unicode code point order, which is the order of their UTF-8 bytes (not
 *       {@link String#compareTo}, which orders UTF-16 units).
 *   <li>Ids are compared as ASCII strings; ids made by the library sort by creation time.
 * </ul>
 *
 * <p>Values returned are snapshots; a backend must not let later changes show through them. Methods that take a
 * {@code withContent} flag may leave {@link Memory#content()} and {@link MemoryVersion#content()} empty when it is
 * false; all other reads return content. Implementations are thread-safe, and may be used by several processes at
 * once where their storage allows it. Failures of the storage itself are thrown as
 * {@link dev.agentmemory.error.StorageException}.
 *
 * <p>The in-memory backend, {@code dev.agentmemory.inmemory.InMemoryBackend}, is the reference implementation; the
 * contract suite in {@code memory-testkit} checks any other against the same rules.
 */
public interface MemoryBackend extends AutoCloseable {

    /**
     * Inserts a new store, at the sequence it is given or, if a store with the same id was deleted from this storage
     * before, at a greater sequence than any that deleted store reached, whichever is greater. A sequence thus names
     * one state of one store for good: a sequence a commit expects, or anything a service remembers, taken from an
     * earlier store with the same id (deleted, then imported again with its id by another process) never matches the
     * new one. A backend may keep one floor for all stores (past the last sequence of every store it deleted) rather
     * than one per id.
     *
     * @param store the store, with the sequence it asks for (the library asks for 0)
     * @return false, changing nothing, if a store with that id exists already
     */
    boolean createStore(StoreRecord store);

    /**
     * Reads a store and its sequence.
     *
     * @param storeId the store
     * @return the store, or empty if there is none
     */
    Optional<StoreRecord> findStore(StoreId storeId);

    /**
     * Lists a workspace's stores, newest (greatest id) first.
     *
     * @param workspaceId the workspace
     * @param filter which stores
     * @param before only stores whose id is less than this one (the previous page's last)
     * @param limit at most this many
     * @return the stores
     */
    List<MemoryStore> listStores(WorkspaceId workspaceId, StoreFilter filter, Optional<StoreId> before, int limit);

    /**
     * Deletes a store with all its memories and versions, leaving none of their content in storage. What it keeps is
     * only what {@link #createStore} needs to start a later store with the same id past this one's last sequence.
     *
     * @param storeId the store
     * @return false if there was no such store
     */
    boolean deleteStore(StoreId storeId);

    /**
     * Reads a memory, with content.
     *
     * @param storeId the store
     * @param memoryId the memory
     * @return the memory, or empty if the store has none with that id
     */
    Optional<Memory> findMemory(StoreId storeId, MemoryId memoryId);

    /**
     * Reads the memory at a path, with content.
     *
     * @param storeId the store
     * @param path the exact path (already in NFC)
     * @return the memory, or empty
     */
    Optional<Memory> findMemoryByPath(StoreId storeId, String path);

    /**
     * Returns memories whose path starts with {@code prefix} and is at least {@code fromInclusive}, in path order.
     *
     * @param storeId the store
     * @param prefix a path prefix ending in {@code /} ({@code /} for all)
     * @param fromInclusive the smallest path to return; at least {@code prefix}
     * @param limit at most this many
     * @param withContent whether to load content
     * @return the memories
     */
    List<Memory> scanMemories(StoreId storeId, String prefix, String fromInclusive, int limit, boolean withContent);

    /**
     * Returns memories, with content, whose path starts with {@code prefix} and is at least {@code fromInclusive} and
     * whose content passes {@code filter}, in path order: what a content search reads. A database evaluates the filter
     * in its query so that memories that cannot match are not loaded; the default scans with
     * {@link #scanMemories} and tests each memory with {@link ContentFilter#accepts}.
     *
     * @param storeId the store
     * @param prefix a path prefix ending in {@code /} ({@code /} for all)
     * @param fromInclusive the smallest path to return; at least {@code prefix}
     * @param limit at most this many
     * @param filter the test on the content
     * @return the memories that pass, with content
     */
    default List<Memory> scanMemoriesContaining(StoreId storeId, String prefix, String fromInclusive, int limit,
            ContentFilter filter) {
        List<Memory> out = new java.util.ArrayList<>();
        String from = fromInclusive;
        int batchSize = Math.max(limit, 64);
        while (out.size() < limit) {
            List<Memory> batch = scanMemories(storeId, prefix, from, batchSize, true);
            for (Memory m : batch) {
                if (filter.accepts(m.content().orElseThrow()) && out.size() < limit) {
                    out.add(m);
                }
            }
            if (batch.size() < batchSize) {
                break;
            }
            from = PathOrder.successor(batch.get(batch.size() - 1).path());
        }
        return out;
    }

    /**
     * Counts a store's memories.
     *
     * @param storeId the store
     * @return the count; 0 if there is no such store
     */
    long countMemories(StoreId storeId);

    /**
     * Reads a version, with content (if it has any).
     *
     * @param storeId the store
     * @param versionId the version
     * @return the version, or empty if the store has none with that id
     */
    Optional<MemoryVersion> findVersion(StoreId storeId, VersionId versionId);

    /**
     * Lists a store's versions, newest (greatest id) first.
     *
     * @param storeId the store
     * @param filter which versions
     * @param before only versions whose id is less than this one (the previous page's last)
     * @param limit at most this many
     * @param withContent whether to load content
     * @return the versions
     */
    List<MemoryVersion> listVersions(
            StoreId storeId, VersionFilter filter, Optional<VersionId> before, int limit, boolean withContent);

    /**
     * Returns the links of a store's hash chain whose positions lie in a range, in position order: each version link
     * with its version (and content, if it has any), each redaction link with its version, each gap record.
     * Positions whose link is gone (removed with its version by a purge) are simply absent.
     *
     * @param storeId the store
     * @param fromPosition the first position, at least 1
     * @param toPosition the last position, inclusive
     * @return the links, by ascending position
     */
    List<ChainEntry> listChain(StoreId storeId, long fromPosition, long toPosition);

    /**
     * Returns every gap record of a store's hash chain (one per run of links a purge removed), in position order.
     *
     * @param storeId the store
     * @return the records
     */
    List<ChainGap> listGaps(StoreId storeId);

    /**
     * Reads a version's seal.
     *
     * @param storeId the store
     * @param versionId the version
     * @return the seal, or empty if there is no such version or it is unchained
     */
    Optional<VersionSeal> findSeal(StoreId storeId, VersionId versionId);

    /**
     * Counts a store's versions that have no seal (written before the store had a chain).
     *
     * @param storeId the store
     * @return the count
     */
    long countUnchained(StoreId storeId);

    /**
     * Applies a commit atomically, as {@link Commit} describes.
     *
     * <p>In one transaction, holding the store's write lock from the moment it reads the store's sequence until the
     * commit lands: read the sequence {@code s}, chain head and record of the store; if
     * {@link Commit#appliesOn appliesOn(s, record, current heads)} is false, change nothing and return false;
     * otherwise store the commit's changes with {@link Commit#chainAt chainAt(s, chain head)} as its chain update,
     * set the sequence to {@code s + 1} and return true.
     *
     * @param commit the changes
     * @return true if applied; false, with nothing changed, if the store is gone, or its sequence is not the expected
     *     one and the commit carries no {@link HeadCondition} that holds
     */
    boolean commit(Commit commit);

    /**
     * Records a new session.
     *
     * @param session the session
     */
    void createSession(SessionInfo session);

    /**
     * Reads a session.
     *
     * @param sessionId the session
     * @return the session, or empty
     */
    Optional<SessionInfo> findSession(SessionId sessionId);

    /**
     * Lists a workspace's sessions in ascending id order (for export and migration).
     *
     * @param workspaceId the workspace
     * @param after only sessions with a greater id; empty for the first page
     * @param limit the most to return, at least 1
     * @return the sessions
     */
    List<SessionInfo> listSessions(WorkspaceId workspaceId, Optional<SessionId> after, int limit);

    /**
     * Lists the workspaces that hold at least one store (archived ones included, deleted ones not) or session, in
     * ascending id order.
     *
     * @return the workspaces
     */
    List<WorkspaceId> listWorkspaces();

    /**
     * Records that a write policy refused a write or held it for review. Events are kept until their store is
     * deleted.
     *
     * @param event the event; it holds no content
     * @return false, recording nothing, if the store does not exist
     */
    boolean recordPolicyEvent(PolicyEvent event);

    /**
     * Lists a store's policy events, newest (greatest id) first.
     *
     * @param storeId the store
     * @param before only events whose id is less than this one (the previous page's last)
     * @param limit at most this many
     * @return the events; none if the store does not exist
     */
    List<PolicyEvent> listPolicyEvents(StoreId storeId, Optional<String> before, int limit);

    /**
     * Keeps a write that a policy held for review. It is not a memory: no read, listing or scan of the store returns
     * it, and it does not move the store's sequence.
     *
     * @param write the held write
     * @return false, keeping nothing, if the store does not exist
     */
    boolean addQuarantined(QuarantinedWrite write);

    /**
     * Reads a held write.
     *
     * @param storeId the store
     * @param id the held write's id
     * @return the write, or empty if the store holds none with that id
     */
    Optional<QuarantinedWrite> findQuarantined(StoreId storeId, String id);

    /**
     * Lists a store's held writes, newest (greatest id) first.
     *
     * @param storeId the store
     * @param before only writes whose id is less than this one (the previous page's last)
     * @param limit at most this many
     * @return the writes; none if the store does not exist
     */
    List<QuarantinedWrite> listQuarantined(StoreId storeId, Optional<String> before, int limit);

    /**
     * Removes a held write for good (an operator discarded it), leaving none of its content in storage. A release
     * removes it through {@link Commit#releasesQuarantine()} instead, atomically with the changes it applies.
     *
     * @param storeId the store
     * @param id the held write's id
     * @return false if the store held no such write
     */
    boolean removeQuarantined(StoreId storeId, String id);

    /**
     * Reports where the physical erasure of everything erased so far stands: the content of versions replaced or
     * removed by commits and of deleted stores. A backend that must finish erasure after the commit (a database whose
     * files keep the bytes until a checkpoint or a rewrite) does so by itself, in the background, and reports
     * {@link ErasureStatus.State#PENDING} with the reason until it has. Never blocks for long.
     *
     * <p>The default says {@link ErasureStatus.State#UNKNOWN}: a backend that does not report erasure is never taken
     * for one that has finished it.
     *
     * @return the status now
     */
    default ErasureStatus erasureStatus() {
        return ErasureStatus.unknown(getClass().getSimpleName() + " does not report physical erasure; its storage"
                + " may still hold erased content");
    }

    /**
     * Waits, at most {@code timeout}, until the physical erasure of everything erased before the call is done, and
     * reports where it stands then. Returns at once when it is done already.
     *
     * @param timeout the longest wait; zero to only look
     * @return the status when done, or when the time is up
     */
    default ErasureStatus awaitErasure(Duration timeout) {
        return erasureStatus();
    }

    /** Releases the backend's resources. Further calls fail. Closing twice does nothing. */
    @Override
    void close();
}
