package dev.agentmemory;

import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.SessionId;
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
}
