package dev.agentmemory.internal;

import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import java.util.Objects;

/**
 * One workspace: its stores, its sessions and an operator's access to a store. The API package wraps it as
 * {@code dev.agentmemory.Workspace}. Thread-safe: it holds no mutable state.
 */
public final class WorkspaceEngine {

    private final MemoryService svc;
    private final WorkspaceId id;

    WorkspaceEngine(MemoryService svc, WorkspaceId id) {
        this.svc = svc;
        this.id = Objects.requireNonNull(id, "id");
    }

    public WorkspaceId id() {
        return id;
    }

    public StoreAdminEngine stores() {
        return new StoreAdminEngine(svc, id);
    }

    public SessionsEngine sessions() {
        return new SessionsEngine(svc, id);
    }

    public MemoriesEngine memories(StoreId storeId, Actor actor) {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(actor, "actor");
        svc.store(id, storeId);
        return new MemoriesEngine(svc, id, storeId, actor, Access.READ_WRITE, "store " + storeId);
    }

    @Override
    public String toString() {
        return "Workspace{" + id + "}";
    }
}
