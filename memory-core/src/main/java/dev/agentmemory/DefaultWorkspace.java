package dev.agentmemory;

import dev.agentmemory.internal.WorkspaceEngine;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import java.util.Objects;

/** A {@link Workspace}: the service's engine for one workspace seen through the API. Thread-safe. */
final class DefaultWorkspace implements Workspace {

    private final WorkspaceEngine engine;

    DefaultWorkspace(WorkspaceEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    public WorkspaceId id() {
        return engine.id();
    }

    @Override
    public StoreAdmin stores() {
        return new DefaultStoreAdmin(engine.stores());
    }

    @Override
    public Sessions sessions() {
        return new DefaultSessions(engine.sessions());
    }

    @Override
    public Memories memories(StoreId storeId, Actor actor) {
        return new DefaultMemories(engine.memories(storeId, actor));
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
