package dev.agentmemory.internal;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.StoreRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this service knows a store looked like just after its own last commit there: the store and its sequence, and
 * the heads that commit wrote or its transaction read. A write starts from that snapshot instead of reading the store
 * and its memories again, which saves a round trip or two per write on a database server.
 *
 * <p>A snapshot is only ever a guess: the write that uses it commits on condition that the store's sequence is still
 * the snapshot's, so a snapshot made stale by another writer (another process, another service on the same
 * database) makes that commit fail, and the service then forgets it and reads everything again. Correctness never
 * depends on it. What keeps a snapshot exact is that it is derived only from a commit that applied: the state after a
 * commit is the state at its expected sequence with the commit's changes, and everything the transaction read was
 * read at that sequence (otherwise the commit would have failed).
 *
 * <p>Bounded: at most {@value #MAX_STORES} stores and about {@value #MAX_CHARS} characters of content per store.
 * Thread-safe; snapshots are immutable and replaced whole.
 */
final class WriteSnapshots {

    static final int MAX_STORES = 256;
    static final int MAX_CHARS = 1 << 18;

    /** A store at one sequence, with some of its heads at that sequence, by id and by path. */
    record Snapshot(StoreRecord record, Map<MemoryId, Memory> heads, Map<String, MemoryId> paths, long chars) {

        static final Snapshot NONE = new Snapshot(null, Map.of(), Map.of(), 0);

        /** @return the head with this id at the snapshot's sequence, if the snapshot has it */
        Optional<Memory> byId(MemoryId id) {
            return Optional.ofNullable(heads.get(id));
        }

        /** @return the head at this path at the snapshot's sequence, if the snapshot has it */
        Optional<Memory> byPath(String path) {
            MemoryId id = paths.get(path);
            return id == null ? Optional.empty() : Optional.ofNullable(heads.get(id));
        }
    }

    private final ConcurrentHashMap<StoreId, Snapshot> byStore = new ConcurrentHashMap<>();

    /**
     * Returns the snapshot of a store, if there is one.
     *
     * @param store the store
     * @return its snapshot
     */
    Optional<Snapshot> get(StoreId store) {
        return Optional.ofNullable(byStore.get(store));
    }

    /**
     * Returns the heads of a store's snapshot if it is at this sequence, or none.
     *
     * @param rec the store as a write read it
     * @return the snapshot to read heads from; {@link Snapshot#NONE} if there is none at that sequence
     */
    Snapshot at(StoreRecord rec) {
        Snapshot s = byStore.get(rec.store().id());
        return s != null && s.record().sequence() == rec.sequence() ? s : Snapshot.NONE;
    }

    /**
     * Forgets a store's snapshot: a commit from it failed, so it may be stale.
     *
     * @param store the store
     */
    void forget(StoreId store) {
        byStore.remove(store);
    }

    /**
     * Records the state after a commit that applied.
     *
     * @param rec the store as the commit's transaction saw it
     * @param base the snapshot the transaction started from ({@link Snapshot#NONE} if none)
     * @param read the heads the transaction read from the backend (valid at {@code rec}'s sequence, since the commit
     *     applied)
     * @param commit the commit
     */
    void committed(StoreRecord rec, Snapshot base, Map<MemoryId, Memory> read, Commit commit) {
        long seq = rec.sequence() + 1;
        MemoryStore store = commit.store().orElse(rec.store());
        Map<MemoryId, Memory> heads = new HashMap<>();
        Map<String, MemoryId> paths = new HashMap<>();
        long[] chars = {0};
        java.util.function.Consumer<Memory> add = m -> {
            Memory old = heads.put(m.id(), m);
            if (old != null) {
                paths.remove(old.path(), old.id());
                chars[0] -= old.text().length();
            }
            paths.put(m.path(), m.id());
            chars[0] += m.text().length();
        };
        if (base.record() != null && base.record().sequence() == rec.sequence()) {
            base.heads().values().forEach(add);
        }
        read.values().forEach(add);
        for (MemoryId gone : commit.removeMemories()) {
            Memory old = heads.remove(gone);
            if (old != null) {
                paths.remove(old.path(), gone);
                chars[0] -= old.text().length();
            }
        }
        for (Memory m : commit.putMemories()) {
            Memory old = heads.remove(m.id());
            if (old != null) {
                paths.remove(old.path(), m.id());
                chars[0] -= old.text().length();
            }
        }
        if (chars[0] > MAX_CHARS) { // keep only what this commit wrote
            heads.clear();
            paths.clear();
            chars[0] = 0;
        }
        commit.putMemories().forEach(add);
        if (chars[0] > MAX_CHARS) {
            heads.clear();
            paths.clear();
            chars[0] = 0;
        }
        Snapshot next = new Snapshot(new StoreRecord(store, seq), Map.copyOf(heads), Map.copyOf(paths), chars[0]);
        if (byStore.size() >= MAX_STORES && !byStore.containsKey(store.id())) {
            byStore.clear();
        }
        byStore.merge(store.id(), next, (cur, mine) -> cur.record().sequence() >= seq ? cur : mine);
    }
}
