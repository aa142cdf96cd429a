package dev.agentmemory;

import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;

/**
 * One tenant's view of the library: its stores, its sessions, and direct access to a store's memories on behalf of an
 * operator. Nothing reaches another workspace through it.
 *
 * <p>Thread-safe; cheap to obtain from {@link AgentMemory#workspace(String)} and to share.
 */
public interface Workspace {

    /**
     * Returns the workspace's id.
     *
     * @return the id
     */
    WorkspaceId id();

    /**
     * Returns the store administration of this workspace: create, list, update, archive, delete, redact, purge,
     * export and import.
     *
     * @return the store administration
     */
    StoreAdmin stores();

    /**
     * Returns this workspace's sessions.
     *
     * @return the sessions
     */
    Sessions sessions();

    /**
     * Returns read-write access to a store's memories and history on behalf of an operator (an API key, a user or a
     * service account). Every write is a version attributed to {@code actor}. Agents should go through a
     * {@link Session} instead, which attributes writes to the session and enforces read-only attachments.
     *
     * @param storeId a store of this workspace
     * @param actor who the writes are attributed to
     * @return the store's memories
     * @throws NotFoundException if the store does not exist in this workspace
     */
    Memories memories(StoreId storeId, Actor actor);
}
