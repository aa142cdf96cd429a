package dev.agentmemory;

import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.SessionId;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** Creates and reopens the sessions of one workspace. Thread-safe. */
public interface Sessions {

    /**
     * Creates a session with its attachments, which never change afterwards. Each attachment is mounted at
     * {@code /mnt/memory/<slug>/}, the slug made from the store's name, with {@code -2}, {@code -3}, ... on collision.
     *
     * @param attachments at most 8 stores of this workspace, none archived, none twice
     * @return the session's handle
     * @throws LimitExceededException for more than 8 attachments or instructions over 4,096 characters
     * @throws InvalidArgumentException if a store is attached twice
     * @throws NotFoundException if a store does not exist in this workspace
     * @throws ArchivedException if a store is archived
     */
    Session create(List<AttachmentSpec> attachments);

    /**
     * Returns the handle of an existing session, for example after the host process restarted.
     *
     * @param sessionId the session
     * @return its handle
     * @throws NotFoundException if there is no such session in this workspace
     */
    Session get(SessionId sessionId);

    /**
     * Writes every session of this workspace as JSON Lines, one {@code session} line each in id order: its id,
     * workspace, creation time and attachments (store id, access, instructions, slug, mount path, and the store's name
     * and description as they were when the session was created). For moving a deployment with its stores
     * ({@link StoreAdmin#exportStore}). The stream is not closed.
     *
     * @param out where to write, UTF-8
     * @param progress told how far it is (phase {@code sessions})
     * @return how many sessions were written
     * @throws StorageException if writing fails
     */
    long exportAll(OutputStream out, ProgressListener progress);

    /**
     * Reads sessions written by {@link #exportAll} into this workspace with the same ids, creation times and
     * attachments. The input is checked whole before anything is written; a session that exists already with the
     * same content is skipped (so an interrupted import can be run again), with other content it is a conflict.
     * The attached stores need not exist (a session outlives its stores); import them first to use the sessions.
     *
     * @param in the JSON Lines, UTF-8; not closed
     * @param progress told how far it is (phase {@code sessions})
     * @return how many sessions were created
     * @throws InvalidArgumentException if the input is malformed or a session belongs to another workspace
     * @throws ConflictException if a session with the same id but other content exists
     */
    long importAll(InputStream in, ProgressListener progress);
}
