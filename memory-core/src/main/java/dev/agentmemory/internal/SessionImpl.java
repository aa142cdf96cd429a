package dev.agentmemory.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.NotFoundException;
import dev.agentmemory.Session;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A session's handle. Thread-safe: its state is immutable. */
final class SessionImpl implements Session {

    private final MemoryService svc;
    private final SessionInfo info;
    private final Map<String, Memories> bySlug = new LinkedHashMap<>();
    private final Map<StoreId, Memories> byStore = new LinkedHashMap<>();

    SessionImpl(MemoryService svc, SessionInfo info) {
        this.svc = svc;
        this.info = info;
        Actor actor = Actor.session(info.id());
        for (Attachment a : info.attachments()) {
            Memories m = new MemoriesImpl(svc, info.workspaceId(), a.storeId(), actor, a.access(), a.mountPath());
            bySlug.put(a.slug(), m);
            byStore.put(a.storeId(), m);
        }
    }

    @Override
    public SessionId id() {
        return info.id();
    }

    @Override
    public SessionInfo info() {
        return info;
    }

    @Override
    public Memories mount(String slug) {
        Memories m = bySlug.get(slug);
        if (m == null) {
            throw new NotFoundException("session " + info.id() + " has no mount named '" + Ids.printable(slug)
                    + "'; its mounts are " + bySlug.keySet());
        }
        return m;
    }

    @Override
    public Memories mount(StoreId storeId) {
        Memories m = byStore.get(storeId);
        if (m == null) {
            throw new NotFoundException("store " + storeId + " is not attached to session " + info.id());
        }
        return m;
    }

    @Override
    public String systemPrompt() {
        Map<StoreId, Optional<MemoryStore>> now = new LinkedHashMap<>();
        for (Attachment a : info.attachments()) {
            now.put(a.storeId(), svc.backend().findStore(a.storeId()).map(r -> r.store()));
        }
        return SystemPrompt.render(info, now);
    }

    @Override
    public String toString() {
        return "Session{" + info.id() + ", mounts=" + bySlug.keySet() + "}";
    }
}
