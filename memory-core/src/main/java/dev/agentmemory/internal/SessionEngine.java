package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A session: its attachments, each as the memories of its store, and its system prompt. The API package wraps it as
 * a {@code dev.agentmemory.Session}. Thread-safe: its state is immutable.
 */
public final class SessionEngine {

    private final MemoryService svc;
    private final SessionInfo info;
    private final Map<String, MemoriesEngine> bySlug = new LinkedHashMap<>();
    private final Map<StoreId, MemoriesEngine> byStore = new LinkedHashMap<>();

    SessionEngine(MemoryService svc, SessionInfo info) {
        this.svc = svc;
        this.info = info;
        Actor actor = Actor.session(info.id());
        for (Attachment a : info.attachments()) {
            MemoriesEngine m = new MemoriesEngine(svc, info.workspaceId(), a.storeId(), actor, a.access(), a.mountPath());
            bySlug.put(a.slug(), m);
            byStore.put(a.storeId(), m);
        }
    }

    public SessionId id() {
        return info.id();
    }

    public SessionInfo info() {
        return info;
    }

    public MemoriesEngine mount(String slug) {
        MemoriesEngine m = bySlug.get(slug);
        if (m == null) {
            throw new NotFoundException("session " + info.id() + " has no mount named '" + IdRules.printable(slug)
                    + "'; its mounts are " + bySlug.keySet());
        }
        return m;
    }

    public MemoriesEngine mount(StoreId storeId) {
        MemoriesEngine m = byStore.get(storeId);
        if (m == null) {
            throw new NotFoundException("store " + storeId + " is not attached to session " + info.id());
        }
        return m;
    }

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
