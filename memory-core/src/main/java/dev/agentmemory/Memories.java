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
import dev.agentmemory.model.EditTarget;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.PutResult;
import dev.agentmemory.model.SearchMatch;
import dev.agentmemory.model.SearchQuery;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

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
     * changed in between, so a view or cache can poll this cheaply and re-read only when it moved. That holds across
     * a store's deletion too: a store created again with the same id (an import keeps ids) starts past every revision
     * the deleted one reached. Revisions of different stores are unrelated.
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
     * Creates a memory from content given as UTF-8 bytes, for a surface that holds bytes (a file view): the bytes
     * are checked and hashed as they are, with no round trip through a {@code String} on the caller's side. Never
     * overwrites.
     *
     * @param path the new memory's path
     * @param content its content as UTF-8 bytes, possibly empty; not modified, not kept
     * @return the new memory, with content
     * @throws PathConflictException if the path, or a clashing prefix, is taken
     * @throws LimitExceededException if the content is too large or the store is full
     * @throws InvalidArgumentException if the path breaks a rule or the bytes are not well-formed UTF-8
     *     ({@code content.utf8})
     * @throws ReadOnlyException if this handle is read-only or the store archived
     */
    Memory create(String path, byte[] content);

    /**
     * Replaces a memory's content with content given as UTF-8 bytes. If the content is already that, nothing is
     * written and the call succeeds.
     *
     * @param memoryId the memory
     * @param content the new content as UTF-8 bytes; not modified, not kept
     * @return the memory after the change, with content
     * @throws NotFoundException if the memory does not exist
     * @throws LimitExceededException if the content is too large
     * @throws InvalidArgumentException if the bytes are not well-formed UTF-8 ({@code content.utf8})
     * @throws ReadOnlyException if this handle is read-only or the store archived
     */
    Memory update(MemoryId memoryId, byte[] content);

    /**
     * Replaces a memory's content with content given as UTF-8 bytes, if its current content has the expected
     * SHA-256. If the content is already the new one, nothing is written and the call succeeds, whatever the
     * precondition.
     *
     * @param memoryId the memory
     * @param content the new content as UTF-8 bytes; not modified, not kept
     * @param expectedContentSha256 the SHA-256 the stored content must have
     * @return the memory after the change, with content
     * @throws PreconditionFailedException if the stored content's SHA-256 is another
     * @throws NotFoundException if the memory does not exist
     * @throws LimitExceededException if the content is too large
     * @throws InvalidArgumentException if the bytes are not well-formed UTF-8 or the SHA-256 is malformed
     * @throws ReadOnlyException if this handle is read-only or the store archived
     */
    Memory update(MemoryId memoryId, byte[] content, String expectedContentSha256);

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
     * Lists memories as {@link #list} does, as a stream that reads the first page now and each further page only when
     * the stream has consumed the one before, using the query's page size as the batch size. Each page is read as the
     * store is at that moment, as paging by hand would.
     *
     * @param query the prefix, depth, page size, optional starting cursor and whether to include content
     * @return every entry from the query's position to the end, ordered by path
     * @throws InvalidArgumentException if the query breaks a rule (checked when the first page is read, here)
     */
    default Stream<ListEntry> listStream(ListQuery query) {
        return dev.agentmemory.internal.PagedStream.of(list(query), c -> list(query.page(c)));
    }

    /**
     * Creates the memory at a path, or replaces its content if there is one, in one atomic write: the lookup and the
     * write see the same state, so of several writers putting the same new path exactly one creates it and the others
     * update it (or find it already current); none fails because another created it first. Content equal to what is
     * stored writes nothing.
     *
     * @param path the memory's path
     * @param content its content, possibly empty
     * @return whether the memory was created, updated or already current, and the memory after the put
     * @throws PathConflictException if a clashing prefix is taken (a memory at {@code /a} blocks {@code /a/b})
     * @throws LimitExceededException if the content is too large or, when creating, the store is full
     * @throws InvalidArgumentException if the path or content breaks a rule
     * @throws ReadOnlyException if this handle is read-only or the store archived
     */
    PutResult put(String path, String content);

    /**
     * Replaces the content of the memory at a path if its stored content has the expected SHA-256, in one atomic
     * write. As with {@link #update}, content already equal to what is stored succeeds without writing, whatever the
     * precondition ({@link dev.agentmemory.model.PutOutcome#ALREADY_CURRENT}).
     *
     * @param path the memory's path
     * @param content the new content
     * @param expectedContentSha256 the SHA-256 the stored content must have
     * @return {@code UPDATED} or {@code ALREADY_CURRENT}, and the memory after the put
     * @throws NotFoundException if no memory has that path (a precondition cannot create one)
     * @throws PreconditionFailedException if the stored content has another SHA-256
     */
    PutResult put(String path, String content, String expectedContentSha256);

    /**
     * Changes the content and/or path of the memory at a path, as {@link #update} does for an id, in one atomic write.
     *
     * @param path the memory's current path
     * @param update the change and its optional precondition
     * @return what the change did; {@link ChangeResult#memory()} is the memory after it, with content
     * @throws NotFoundException if no memory has that path
     * @throws PreconditionFailedException if the stored content's SHA-256 is not the expected one
     * @throws PathConflictException if the new path is taken
     */
    ChangeResult updateByPath(String path, MemoryUpdate update);

    /**
     * Deletes the memory at a path; its versions stay.
     *
     * @param path the memory's path
     * @return the deletion, with the {@code deleted} version
     * @throws NotFoundException if no memory has that path
     */
    ChangeResult deleteByPath(String path);

    /**
     * Deletes the memory at a path if its content is the expected one, in one atomic write.
     *
     * @param path the memory's path
     * @param expectedContentSha256 the SHA-256 the stored content must have
     * @return the deletion, with the {@code deleted} version
     * @throws NotFoundException if no memory has that path
     * @throws PreconditionFailedException if it has another
     */
    ChangeResult deleteByPath(String path, String expectedContentSha256);

    /**
     * Searches the current content of the store's memories line by line, as {@link SearchQuery} describes, in path
     * order and then line order. The stream is lazy: it reads memories a small batch at a time as it is consumed, so
     * {@code findFirst()} or a {@link SearchQuery#limit()} stops reading early. Each memory is matched as it is when
     * its batch is read; a memory written while the stream runs may be seen before or after that write. The query is
     * checked, and the store looked up, when this method is called.
     *
     * <p>A regular expression's work on each memory is bounded; one that would backtrack without end stops the
     * stream with an {@link InvalidArgumentException} (rule {@code search.too_costly}) instead of occupying the
     * thread.
     *
     * @param query the pattern, its syntax, case, path filters and limit
     * @return the matching lines
     * @throws InvalidArgumentException if the pattern, prefix, glob or limit breaks a rule
     * @throws NotFoundException if the store was deleted
     */
    Stream<SearchMatch> search(SearchQuery query);

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
     * Reads a memory's content as UTF-8 bytes, computes new bytes from them, and writes them, all in one atomic
     * write, as {@link #edit(String, UnaryOperator)} does: if another writer commits in between, the memory is read
     * again and {@code edit} runs again, so it may run more than once and must have no side effects. The target names
     * the memory by id (followed through renames) or by path, and may create it from empty content when it is
     * missing; for example a file appended to while another process renamed or deleted it. If {@code edit} returns
     * the current content, nothing is written.
     *
     * @param target which memory, and whether to create it when missing
     * @param edit computes the new UTF-8 bytes from the current ones; it must not modify its argument
     * @return what the write did; {@link ChangeResult#memory()} is the memory after it, with content
     * @throws NotFoundException if no memory is found and the target does not create one
     * @throws LimitExceededException if the new content is too large, or the store is full for a create
     * @throws InvalidArgumentException if the new bytes are not well-formed UTF-8, or the path breaks a rule
     * @throws PathConflictException if a create finds a clashing prefix
     * @throws ReadOnlyException if this handle is read-only or the store archived
     */
    ChangeResult edit(EditTarget target, UnaryOperator<byte[]> edit);

    /**
     * Checks, without writing, whether a write of these bytes as the whole content of the memory at a path would be
     * accepted now: an update if a memory is there, a create otherwise. It throws what that write would throw: for a
     * surface that must answer for a write it makes later (a temporary file that waits for its rename, a file closed
     * before anything was written to it). The write itself checks everything again; a concurrent writer may still
     * change the answer in between.
     *
     * @param path the path
     * @param content the content as UTF-8 bytes; not modified, not kept
     * @throws LimitExceededException if the content is too large ({@code content_size_bytes}), the store is full for
     *     a create ({@code memories_per_store}), or the path too long or deep
     * @throws InvalidArgumentException if the bytes are not well-formed UTF-8 ({@code content.utf8}) or the path
     *     breaks a rule
     * @throws PathConflictException if a create would clash with a memory at a prefix of the path or below it
     * @throws ReadOnlyException if this handle is read-only
     * @throws ArchivedException if the store is archived
     * @throws NotFoundException if the store was deleted
     */
    void checkWrite(String path, byte[] content);

    /**
     * Checks, without writing, whether bytes would be accepted as a memory's content through this handle now,
     * wherever they are written: the content rules and the access, not the path. For a surface holding bytes whose
     * destination is not known yet (a temporary file that will be renamed over a memory).
     *
     * @param content the content as UTF-8 bytes; not modified, not kept
     * @throws LimitExceededException if the content is too large ({@code content_size_bytes})
     * @throws InvalidArgumentException if the bytes are not well-formed UTF-8 ({@code content.utf8})
     * @throws ReadOnlyException if this handle is read-only
     * @throws ArchivedException if the store is archived
     * @throws NotFoundException if the store was deleted
     */
    void checkContent(byte[] content);

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
     * Lists versions as {@link #versions} does, as a stream that reads the first page now and each further page only
     * when the stream has consumed the one before.
     *
     * @param query the filters, page size and optional starting cursor
     * @return every version from the query's position on, newest first
     * @throws InvalidArgumentException if the query breaks a rule (checked when the first page is read, here)
     */
    default Stream<MemoryVersion> versionStream(VersionQuery query) {
        return dev.agentmemory.internal.PagedStream.of(versions(query), c -> versions(query.page(c)));
    }

    /**
     * Returns a version with its content (none for deletions and redacted versions).
     *
     * @param versionId the version
     * @return the version
     * @throws NotFoundException if it does not exist in this store
     */
    MemoryVersion version(VersionId versionId);
}
