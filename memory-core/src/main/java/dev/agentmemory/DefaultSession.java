package dev.agentmemory;

import dev.agentmemory.internal.SessionEngine;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Session}: the service's engine for one session seen through the API. Each mount is wrapped once, so that a
 * session hands out the same {@link Memories} for a mount every time. Thread-safe: its state is immutable.
 */
final class DefaultSession implements Session {

    private final SessionEngine engine;
    private final Map<String, Memories> bySlug = new LinkedHashMap<>();
    private final Map<StoreId, Memories> byStore = new LinkedHashMap<>();

    DefaultSession(SessionEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        for (Attachment a : engine.info().attachments()) {
            Memories m = new DefaultMemories(engine.mount(a.slug()));
            bySlug.put(a.slug(), m);
            byStore.put(a.storeId(), m);
        }
    }

    @Override
    public SessionId id() {
        return engine.id();
    }

    @Override
    public SessionInfo info() {
        return engine.info();
    }

    @Override
    public Memories mount(String slug) {
        // the engine names the session's mounts in the NotFoundException for any other slug
        return Optional.ofNullable(bySlug.get(slug)).orElseGet(() -> new DefaultMemories(engine.mount(slug)));
    }

    @Override
    public Memories mount(StoreId storeId) {
        return Optional.ofNullable(byStore.get(storeId)).orElseGet(() -> new DefaultMemories(engine.mount(storeId)));
    }

    @Override
    public String systemPrompt() {
        return engine.systemPrompt();
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
