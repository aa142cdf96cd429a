package dev.agentmemory.server.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The library's store handles that requests act through, kept for the next request of the same caller, as an
 * embedding application keeps its handles. Making a handle is where the library checks that the store (or the
 * session) belongs to the caller's workspace, which costs a database read; a store never changes workspace and a
 * session's attachments never change, and every operation on a handle re-checks that its store still exists, so a
 * kept handle answers exactly as a new one would, without that read. A handle the library refuses to make is not
 * kept. At most {@link #MAX} handles are kept; past that all are dropped and made again as requests come.
 * Thread-safe.
 */
final class StoreHandles {

    /** The most handles kept at once. */
    static final int MAX = 10_000;

    private record Key(WorkspaceId workspace, StoreId store, Actor actor, Optional<SessionId> session) {
    }

    private final ConcurrentHashMap<Key, Memories> handles = new ConcurrentHashMap<>();

    /**
     * The kept handle of this caller and store, or a new one from {@code make}, kept if it was made.
     *
     * @param workspace the caller's workspace
     * @param store the store
     * @param actor the caller's actor (the key's)
     * @param session the session the caller acts through, if any
     * @param make makes the handle through the library, which checks the store and session
     * @return the handle
     */
    Memories get(WorkspaceId workspace, StoreId store, Actor actor, Optional<SessionId> session,
            Supplier<Memories> make) {
        Key key = new Key(workspace, store, actor, session);
        Memories kept = handles.get(key);
        if (kept != null) {
            return kept;
        }
        Memories made = make.get();   // throws, and keeps nothing, if the library refuses
        if (handles.size() >= MAX) {
            handles.clear();
        }
        handles.put(key, made);
        return made;
    }

    /** @return how many handles are kept */
    int size() {
        return handles.size();
    }
}
