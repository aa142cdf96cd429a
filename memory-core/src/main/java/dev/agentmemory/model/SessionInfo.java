package dev.agentmemory.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A session as recorded: its id, workspace, creation time and attachments, which never change.
 *
 * @param id the session's id
 * @param workspaceId its workspace
 * @param attachments its attached stores, in the order they were given
 * @param createdAt when it was created
 */
public record SessionInfo(SessionId id, WorkspaceId workspaceId, List<Attachment> attachments, Instant createdAt) {

    /** Checks that every field is present and copies the attachments. */
    public SessionInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
