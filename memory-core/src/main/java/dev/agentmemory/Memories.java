package dev.agentmemory;

import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import java.util.List;
import java.util.Optional;

/**
 * The memories and history of one store, as seen by one actor with one access mode: through a session's mount or
 * through {@link Workspace#memories}. Every write is one atomic change that writes exactly one version per memory it
 * changes, attributed to {@link #actor()}; a no-op writes none. Thread-safe.
 *
 * <p>Paths are absolute ({@code /notes/java.md}), at most 1,024 UTF-8 bytes and 32 segments, in Unicode NFC (other
 * forms are normalised), without empty, {@code .} or {@code ..} segments, trailing {@code /}, control or format
 * characters. Content is UTF-8 text of at most the store's content limit (100 KiB by default).
 */
public interface Memories {

    /**
     * Returns the store's id.
     *
     * @return the id
     */
    StoreId storeId();

    /**
     * Returns who writes through this handle.
     *
     * @return the actor versions are attributed to
     */
    Actor actor();

    /**
     * Returns the access this handle was given. An archived store refuses writes even through a read-write handle.
     *
     * @return the access
     */
    Access access();

    /**
     * Returns the store as it is now.
     *
     * @return the store
     * @throws NotFoundException if it was deleted
     */
    MemoryStore store();

    /**
     * Returns the store's revision: a number that grows by at least one with every change committed to the store, by
     * any writer in any process (memory writes, redactions, purges, store updates). Two equal revisions mean nothing
     * changed in between, so a view or cache can poll this cheaply and re-read only when it moved. Revisions of
     * different stores are unrelated.
     *
     * @return the current revision
     * @throws NotFoundException if the store was deleted
     */
    long revision();

    /**
     * Creates a memory. Never overwrites.
     *
     * @param path the new memory's path
     * @param content its content, possibly empty
     * @return the new memory, with content
     * @throws PathConflictException if the path, or a clashing prefix, is taken
     * @throws LimitExceededException if the content is too large or the store is full
     * @throws InvalidArgumentException if the path or content breaks a rule
     * @throws ReadOnlyException if this handle is read-only or the store archived
     */
    Memory create(String path, String content);

    /**
     * Returns a memory with its content.
     *
     * @param memoryId the memory
     * @return the memory
     * @throws NotFoundException if it does not exist in this store
     */
    Memory get(MemoryId memoryId);

    /**
     * Returns the memory at a path, with its content.
     *
     * @param path the path
     * @return the memory
     * @throws NotFoundException if no memory has that path
     */
    Memory getByPath(String path);

    /**
     * Returns the memory at a path, with its content, if there is one.
     *
     * @param path the path
     * @return the memory, or empty
     * @throws InvalidArgumentException if the path breaks a rule
     */
    Optional<Memory> findByPath(String path);

    /**
     * Lists memories (and, at depth 1, directory prefixes) under a prefix, ordered by path.
     *
     * @param query the prefix, depth, page and whether to include content
     * @return one page
     */
    Page<ListEntry> list(ListQuery query);

    /**
     * Changes a memory's content and/or path. A rename keeps the id. If the stored state already equals what is asked
     * for, nothing is written and the call succeeds, whatever the precondition.
     *
     * @param memoryId the memory
     * @param update the change and its optional precondition
     * @return the memory after the change, with content
     * @throws PreconditionFailedException if the stored content's SHA-256 is not the expected one
     * @throws PathConflictException if the new path is taken
     */
    Memory update(MemoryId memoryId, MemoryUpdate update);

    /**
     * Deletes a memory; its versions stay.
     *
     * @param memoryId the memory
     * @throws NotFoundException if it does not exist
     */
    void delete(MemoryId memoryId);

    /**
     * Deletes a memory if its content is the expected one.
     *
     * @param memoryId the memory
     * @param expectedContentSha256 the SHA-256 the stored content must have
     * @throws PreconditionFailedException if it has another
     */
    void delete(MemoryId memoryId, String expectedContentSha256);

    /**
     * Moves every memory under one directory to another, keeping their ids: all move, or none do. Each moved memory
     * gets one {@code modified} version.
     *
     * @param fromPrefix the directory, ending in {@code /}
     * @param toPrefix the new directory, ending in {@code /}; it must hold no memory and not be inside
     *     {@code fromPrefix}
     * @return the moved memories, without content, ordered by their new paths
     * @throws NotFoundException if no memory is under {@code fromPrefix}
     * @throws PathConflictException if a memory is in the way at the destination
     */
    List<Memory> move(String fromPrefix, String toPrefix);

    /**
     * Applies changes atomically: all of them in order, or none.
     *
     * @param batch the changes, each with its own precondition
     * @return one result per change, in order
     * @throws MemoryException the first change's failure; nothing was written
     */
    List<ChangeResult> apply(Batch batch);

    /**
     * Lists the store's versions, newest first.
     *
     * @param query the filters and the page
     * @return one page
     */
    Page<MemoryVersion> versions(VersionQuery query);

    /**
     * Returns a version with its content (none for deletions and redacted versions).
     *
     * @param versionId the version
     * @return the version
     * @throws NotFoundException if it does not exist in this store
     */
    MemoryVersion version(VersionId versionId);
}
