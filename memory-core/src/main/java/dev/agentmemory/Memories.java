package dev.agentmemory;

import dev.agentmemory.error.MemoryException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.Change;
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
import java.util.function.UnaryOperator;

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
     * Applies one change atomically and tells whether it made a version. Unlike {@link #update}, which returns the
     * memory either way, the result says whether this call wrote ({@link dev.agentmemory.model.WriteOutcome#APPLIED})
     * or found the stored state already equal to what it asked for and wrote nothing
     * ({@link dev.agentmemory.model.WriteOutcome#ALREADY_CURRENT}), for example because a concurrent writer made the
     * same change first.
     *
     * @param change the change, with its own precondition
     * @return what the change did
     * @throws MemoryException the change's failure; nothing was written
     */
    ChangeResult apply(Change change);

    /**
     * Reads the memory at a path, computes its new content from the current one, and writes it, all in one atomic
     * write: the read and the write see the same state, and if another writer commits in between, the memory is read
     * again and {@code edit} runs again. {@code edit} may therefore run more than once and must have no side effects;
     * an exception it throws ends the write, nothing is written, and the exception reaches the caller. If it returns
     * the current content, nothing is written ({@link dev.agentmemory.model.WriteOutcome#ALREADY_CURRENT}).
     *
     * @param path the memory's path
     * @param edit computes the new content from the current one
     * @return what the write did; {@link ChangeResult#memory()} is the memory after it, with content
     * @throws NotFoundException if no memory has that path
     * @throws LimitExceededException if the new content is too large
     * @throws ReadOnlyException if this handle is read-only or the store archived
     */
    ChangeResult edit(String path, UnaryOperator<String> edit);

    /**
     * Deletes every memory under a directory in one atomic write, one {@code deleted} version each.
     *
     * @param prefix the directory, ending in {@code /}; not the store's root
     * @return one result per deleted memory, ordered by path
     * @throws NotFoundException if no memory is under {@code prefix}
     * @throws InvalidArgumentException if the prefix breaks a rule or is the root
     * @throws ReadOnlyException if this handle is read-only or the store archived
     */
    List<ChangeResult> deleteDirectory(String prefix);

    /**
     * Returns a path as this store keeps it (normalised to Unicode NFC), for a surface that names files by paths it
     * did not get from the store (a directory scan, say) and must match them with stored paths.
     *
     * @param path an absolute path
     * @return the stored form of the path
     * @throws InvalidArgumentException if the path breaks a rule
     * @throws LimitExceededException if it is too long or too deep
     */
    String normalizePath(String path);

    /**
     * Checks, without writing, that a write through this handle would be accepted as far as access goes: for a
     * surface that accepts a write now and makes it later (a file opened for writing, written when it is closed), so
     * that it can refuse early. The write itself checks everything again.
     *
     * @throws ReadOnlyException if this handle is read-only
     * @throws ArchivedException if the store is archived
     * @throws NotFoundException if the store was deleted
     */
    void checkWritable();

    /**
     * Checks, without writing, {@link #checkWritable()} and that a memory's content has the expected SHA-256: what a
     * conditional write made later will require.
     *
     * @param memoryId the memory
     * @param expectedContentSha256 the SHA-256 its content must have
     * @throws PreconditionFailedException if it has another
     * @throws NotFoundException if the memory does not exist
     * @throws InvalidArgumentException if the SHA-256 is malformed
     */
    void checkWritable(MemoryId memoryId, String expectedContentSha256);

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
