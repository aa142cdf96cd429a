package dev.agentmemory.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.Sessions;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import java.util.Objects;

/** A workspace's handle. Thread-safe: it holds no mutable state. */
final class WorkspaceImpl implements Workspace {

    private final MemoryService svc;
    private final WorkspaceId id;

    WorkspaceImpl(MemoryService svc, WorkspaceId id) {
        this.svc = svc;
        this.id = Objects.requireNonNull(id, "id");
    }

    @Override
    public WorkspaceId id() {
        return id;
    }

    @Override
    public StoreAdmin stores() {
        return new StoreAdminImpl(svc, id);
    }

    @Override
    public Sessions sessions() {
        return new SessionsImpl(svc, id);
    }

    @Override
    public Memories memories(StoreId storeId, Actor actor) {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(actor, "actor");
        svc.store(id, storeId);
        return new MemoriesImpl(svc, id, storeId, actor, Access.READ_WRITE, "store " + storeId);
    }

    @Override
    public String toString() {
        return "Workspace{" + id + "}";
    }
}
