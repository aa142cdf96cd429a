package dev.agentmemory.inmemory;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.QuarantinedWrite;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.ChainEntry;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.ChainUpdate;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.spi.StoreFilter;
import dev.agentmemory.spi.StoreRecord;
import dev.agentmemory.spi.VersionFilter;
import dev.agentmemory.spi.VersionSeal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The reference backend: everything in the heap, lost when it closes. Use it for tests, demos and as the model any
 * other backend is checked against.
 *
 * <p>Thread-safe and linearizable per store: each store has a read-write lock; reads hold the read lock, a commit
 * holds the write lock while it checks the sequence and applies every change. Model values are immutable, so reads
 * hand out the stored objects themselves.
 */
public final class InMemoryBackend implements MemoryBackend {

    /** Stores by id; hashed, since every operation looks its store up and only listings need an order. */
    private final ConcurrentHashMap<StoreId, StoreState> stores = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SessionId, SessionInfo> sessions = new ConcurrentHashMap<>();
    /**
     * The least sequence a store may be created at: past every sequence a deleted store reached, so that a store
     * created again with a deleted one's id never repeats a sequence of the earlier one.
     */
    private final AtomicLong sequenceFloor = new AtomicLong();
    private volatile boolean closed;

    private InMemoryBackend() {
    }

    /**
     * Creates an empty backend.
     *
     * @return the backend
     */
    public static InMemoryBackend create() {
        return new InMemoryBackend();
    }

    /** One store's state, guarded by its lock. */
    private static final class StoreState {
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        MemoryStore store;
        long sequence;
        boolean deleted;
        /** Paths in code point order, for scans under a prefix. */
        final PathKeyOrder pathOrder = new PathKeyOrder();
        final NavigableMap<String, Memory> byPath = new TreeMap<>(pathOrder);
        /** The same memories by exact path: lookups need no ordered walk. */
        final Map<String, Memory> byExactPath = new HashMap<>();
        /** The directories of the paths in {@link #byPath}, each with how many memories are below it. */
        final Directories directories = new Directories();
        final Map<MemoryId, Memory> byId = new HashMap<>();
        /** Every version with its seal, in id order: one index entry per version. */
        final NavigableMap<VersionId, VersionRecord> versions = new TreeMap<>();
        /** Each memory's version ids in ascending order; ids grow with time, so adding is almost always appending. */
        final Map<MemoryId, SortedIds> versionsByMemory = new HashMap<>();
        /** Policy events by id. */
        final NavigableMap<String, PolicyEvent> policyEvents = new TreeMap<>();
        /** Writes held for review, by id. */
        final NavigableMap<String, QuarantinedWrite> quarantined = new TreeMap<>();

        /** The chain: its head, and what sits at each position (the seals are in {@link #versions}). */
        ChainHead chain;
        /** How many versions have a seal. */
        long sealed;
        /** Position to a {@link VersionRecord} (its version link or its redaction link) or a {@link ChainGap}. */
        final Positions links = new Positions();
        final List<ChainGap> gaps = new ArrayList<>();

        StoreState(StoreRecord rec) {
            this.store = rec.store();
            this.sequence = rec.sequence();
            this.chain = rec.chain();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("the in-memory backend is closed", null);
        }
    }

    private Optional<StoreState> state(StoreId id) {
        checkOpen();
        return Optional.ofNullable(stores.get(id));
    }

    @Override
    public boolean createStore(StoreRecord store) {
        checkOpen();
        // In the map's atomic step: a deleted store leaves the map only after it raised the floor, so a store that
        // takes its place reads the raised floor.
        StoreState[] created = new StoreState[1];
        stores.computeIfAbsent(store.store().id(), id -> created[0] = new StoreState(new StoreRecord(store.store(),
                Math.max(store.sequence(), sequenceFloor.get()), store.chain())));
        return created[0] != null;
    }

    @Override
    public Optional<StoreRecord> findStore(StoreId storeId) {
        return state(storeId).flatMap(s -> read(s, () -> s.deleted ? Optional.empty()
                : Optional.of(new StoreRecord(s.store, s.sequence, s.chain))));
    }

    @Override
    public List<MemoryStore> listStores(
            WorkspaceId workspaceId, StoreFilter filter, Optional<StoreId> before, int limit) {
        checkOpen();
        List<MemoryStore> matching = new ArrayList<>();
        for (StoreState s : stores.values()) {
            MemoryStore store = read(s, () -> s.deleted ? null : s.store);
            if (store == null || !store.workspaceId().equals(workspaceId)
                    || before.map(b -> store.id().compareTo(b) >= 0).orElse(false)
                    || !filter.accepts(store)) {
                continue;
            }
            matching.add(store);
        }
        matching.sort(Comparator.comparing(MemoryStore::id).reversed());
        return List.copyOf(matching.subList(0, Math.min(limit, matching.size())));
    }

    @Override
    public boolean deleteStore(StoreId storeId) {
        checkOpen();
        StoreState s = stores.get(storeId);
        if (s == null) {
            return false;
        }
        s.lock.writeLock().lock();
        try {
            if (s.deleted) {
                return false;
            }
            s.deleted = true;
            sequenceFloor.accumulateAndGet(s.sequence + 1, Math::max);
            s.byPath.clear();
            s.directories.clear();
            s.byExactPath.clear();
            s.byId.clear();
            s.versions.clear();
            s.versionsByMemory.clear();
            s.policyEvents.clear();
            s.quarantined.clear();
            s.sealed = 0;
            s.links.clear();
            s.gaps.clear();
        } finally {
            s.lock.writeLock().unlock();
        }
        stores.remove(storeId, s);
        return true;
    }

    // The two lookups every write makes are written out, with no lambda to allocate per call.

    @Override
    public Optional<Memory> findMemory(StoreId storeId, MemoryId memoryId) {
        checkOpen();
        StoreState s = stores.get(storeId);
        if (s == null) {
            return Optional.empty();
        }
        s.lock.readLock().lock();
        try {
            return Optional.ofNullable(s.byId.get(memoryId));
        } finally {
            s.lock.readLock().unlock();
        }
    }

    @Override
    public Optional<Memory> findMemoryByPath(StoreId storeId, String path) {
        checkOpen();
        StoreState s = stores.get(storeId);
        if (s == null) {
            return Optional.empty();
        }
        s.lock.readLock().lock();
        try {
            return Optional.ofNullable(s.byExactPath.get(path));
        } finally {
            s.lock.readLock().unlock();
        }
    }

    @Override
    public List<Memory> scanMemories(
            StoreId storeId, String prefix, String fromInclusive, int limit, boolean withContent) {
        return state(storeId).map(s -> read(s, () -> {
            // Most scans (is anything under this path?) find nothing: the directory counts answer them with a hash
            // lookup, else one tree descent does, without the view and iterator objects a tailMap walk makes.
            if (s.directories.nothingUnder(prefix)) {
                return List.<Memory>of();
            }
            Map.Entry<String, Memory> first = s.byPath.ceilingEntry(fromInclusive);
            if (first == null || !first.getKey().startsWith(prefix)) {
                return List.<Memory>of();
            }
            List<Memory> out = new ArrayList<>();
            for (Memory m : s.byPath.tailMap(first.getKey(), true).values()) {
                if (out.size() >= limit || !m.path().startsWith(prefix)) {
                    break;
                }
                out.add(withContent ? m : m.withoutContent());
            }
            return out;
        })).orElse(List.of());
    }

    @Override
    public long countMemories(StoreId storeId) {
        checkOpen();
        StoreState s = stores.get(storeId);
        if (s == null) {
            return 0;
        }
        s.lock.readLock().lock();
        try {
            return s.byId.size();
        } finally {
            s.lock.readLock().unlock();
        }
    }

    @Override
    public Optional<MemoryVersion> findVersion(StoreId storeId, VersionId versionId) {
        return state(storeId).flatMap(s -> read(s, () -> Optional.ofNullable(s.versions.get(versionId))
                .map(r -> r.version)));
    }

    @Override
    public List<MemoryVersion> listVersions(
            StoreId storeId, VersionFilter filter, Optional<VersionId> before, int limit, boolean withContent) {
        return state(storeId).map(s -> read(s, () -> {
            List<MemoryVersion> out = new ArrayList<>();
            Iterable<VersionId> ids;
            if (filter.memoryId().isPresent()) {
                SortedIds list = s.versionsByMemory.get(filter.memoryId().get());
                ids = list == null ? List.of() : list.descendingBefore(before);
            } else {
                ids = before.map(b -> s.versions.headMap(b, false)).orElse(s.versions).descendingKeySet();
            }
            for (VersionId id : ids) {
                if (out.size() >= limit) {
                    break;
                }
                MemoryVersion v = s.versions.get(id).version;
                if (matches(v, filter)) {
                    out.add(withContent ? v : v.withoutContent());
                }
            }
            return out;
        })).orElse(List.of());
    }

    private static boolean matches(MemoryVersion v, VersionFilter f) {
        return f.memoryId().map(id -> id.equals(v.memoryId())).orElse(true)
                && f.actor().map(a -> a.equals(v.createdBy())).orElse(true)
                && f.operation().map(op -> op == v.operation()).orElse(true)
                && f.createdAtOrAfter().map(t -> !v.createdAt().isBefore(t)).orElse(true)
                && f.createdAtOrBefore().map(t -> !v.createdAt().isAfter(t)).orElse(true);
    }

    @Override
    public boolean commit(Commit c) {
        Optional<StoreState> found = state(c.storeId());
        if (found.isEmpty()) {
            return false;
        }
        StoreState s = found.get();
        s.lock.writeLock().lock();
        try {
            if (s.deleted || !c.appliesOn(s.sequence, s.store, id -> Optional.ofNullable(s.byId.get(id))
                    .map(Memory::headVersionId))) {
                return false;
            }
            Optional<ChainUpdate> chainUpdate = c.chainAt(s.sequence, s.chain);
            if (c.releasesQuarantine().isPresent() && !s.quarantined.containsKey(c.releasesQuarantine().get())) {
                return false;
            }
            c.store().ifPresent(store -> s.store = store);
            checkPathsUnique(s, c);
            for (MemoryId id : c.removeMemories()) {
                unindex(s, s.byId.remove(id));
            }
            if (c.putMemories().size() == 1) {
                // The common write: one memory's new head. At the same path the indexes' entries are replaced in
                // place rather than removed and inserted again.
                Memory m = c.putMemories().get(0);
                Memory old = s.byId.put(m.id(), m);
                if (old != null && !old.path().equals(m.path())) {
                    unindex(s, old);
                }
                index(s, m);
                s.byExactPath.put(m.path(), m);
            } else {
                for (Memory m : c.putMemories()) {
                    unindex(s, s.byId.put(m.id(), m));
                }
                for (Memory m : c.putMemories()) {
                    index(s, m);
                    s.byExactPath.put(m.path(), m);
                }
            }
            VersionRecord added = null; // the last version added: in the common commit, the one its seal is for
            for (MemoryVersion v : c.addVersions()) {
                VersionRecord fresh = new VersionRecord(v);
                VersionRecord old = s.versions.putIfAbsent(v.id(), fresh); // one descent of the tree
                if (old != null) { // a version added again under its id replaces the version and keeps its seal
                    old.version = v;
                    added = old;
                } else {
                    added = fresh;
                }
                s.versionsByMemory.computeIfAbsent(v.memoryId(), k -> new SortedIds()).add(v.id());
            }
            for (MemoryVersion v : c.replaceVersions()) {
                VersionRecord r = s.versions.get(v.id());
                if (r != null) {
                    r.version = v;
                }
            }
            for (VersionId id : c.removeVersions()) {
                VersionRecord old = s.versions.remove(id);
                if (old != null) {
                    unseal(s, old);
                    SortedIds list = s.versionsByMemory.get(old.version.memoryId());
                    list.remove(id);
                    if (list.isEmpty()) {
                        s.versionsByMemory.remove(old.version.memoryId());
                    }
                }
            }
            c.releasesQuarantine().ifPresent(s.quarantined::remove);
            if (chainUpdate.isPresent()) {
                ChainUpdate chain = chainUpdate.get();
                for (Map.Entry<VersionId, VersionSeal> e : chain.seals().entrySet()) {
                    VersionRecord r = added != null && added.version.id().equals(e.getKey()) ? added
                            : s.versions.get(e.getKey());
                    if (r != null) {
                        seal(s, r, e.getValue());
                    }
                }
                for (ChainGap g : chain.gaps()) {
                    s.gaps.add(g);
                    s.links.put(g.position(), g);
                }
                s.chain = chain.head();
            }
            s.sequence++;
            return true;
        } finally {
            s.lock.writeLock().unlock();
        }
    }

    @Override
    public boolean recordPolicyEvent(PolicyEvent event) {
        return writeIfLive(event.storeId(), s -> s.policyEvents.put(event.id(), event));
    }

    @Override
    public List<PolicyEvent> listPolicyEvents(StoreId storeId, Optional<String> before, int limit) {
        return state(storeId).map(s -> read(s, () -> newestFirst(s.policyEvents, before, limit))).orElse(List.of());
    }

    @Override
    public boolean addQuarantined(QuarantinedWrite write) {
        return writeIfLive(write.storeId(), s -> s.quarantined.put(write.id(), write));
    }

    @Override
    public Optional<QuarantinedWrite> findQuarantined(StoreId storeId, String id) {
        return state(storeId).flatMap(s -> read(s, () -> Optional.ofNullable(s.quarantined.get(id))));
    }

    @Override
    public List<QuarantinedWrite> listQuarantined(StoreId storeId, Optional<String> before, int limit) {
        return state(storeId).map(s -> read(s, () -> newestFirst(s.quarantined, before, limit))).orElse(List.of());
    }

    @Override
    public boolean removeQuarantined(StoreId storeId, String id) {
        Optional<StoreState> found = state(storeId);
        if (found.isEmpty()) {
            return false;
        }
        StoreState s = found.get();
        s.lock.writeLock().lock();
        try {
            return !s.deleted && s.quarantined.remove(id) != null;
        } finally {
            s.lock.writeLock().unlock();
        }
    }

    /** Runs a change to a store's side tables under its write lock, unless the store is gone. */
    private boolean writeIfLive(StoreId storeId, java.util.function.Consumer<StoreState> change) {
        Optional<StoreState> found = state(storeId);
        if (found.isEmpty()) {
            return false;
        }
        StoreState s = found.get();
        s.lock.writeLock().lock();
        try {
            if (s.deleted) {
                return false;
            }
            change.accept(s);
            return true;
        } finally {
            s.lock.writeLock().unlock();
        }
    }

    private static <T> List<T> newestFirst(NavigableMap<String, T> byId, Optional<String> before, int limit) {
        List<T> out = new ArrayList<>();
        for (T t : before.map(b -> byId.headMap(b, false)).orElse(byId).descendingMap().values()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(t);
        }
        return out;
    }

    @Override
    public List<ChainEntry> listChain(StoreId storeId, long fromPosition, long toPosition) {
        return state(storeId).map(s -> read(s, () -> {
            List<ChainEntry> out = new ArrayList<>();
            s.links.forEach(fromPosition, toPosition, (position, at) -> {
                if (at instanceof ChainGap g) {
                    out.add(ChainEntry.gap(g));
                } else {
                    VersionRecord r = (VersionRecord) at;
                    out.add(r.seal.position() == position ? ChainEntry.version(r.version, r.seal)
                            : ChainEntry.redaction(r.version, r.seal));
                }
            });
            return out;
        })).orElse(List.of());
    }

    @Override
    public List<ChainGap> listGaps(StoreId storeId) {
        return state(storeId).map(s -> read(s, () -> List.copyOf(s.gaps))).orElse(List.of());
    }

    @Override
    public Optional<VersionSeal> findSeal(StoreId storeId, VersionId versionId) {
        return state(storeId).flatMap(s -> read(s, () -> Optional.ofNullable(s.versions.get(versionId))
                .map(r -> r.seal)));
    }

    @Override
    public long countUnchained(StoreId storeId) {
        return state(storeId).map(s -> read(s, () -> s.versions.size() - s.sealed)).orElse(0L);
    }

    @Override
    public void createSession(SessionInfo session) {
        checkOpen();
        if (sessions.putIfAbsent(session.id(), session) != null) {
            throw new StorageException("session id " + session.id() + " exists already", null);
        }
    }

    @Override
    public List<SessionInfo> listSessions(WorkspaceId workspaceId, Optional<SessionId> after, int limit) {
        checkOpen();
        return sessions.values().stream()
                .filter(s -> s.workspaceId().equals(workspaceId))
                .filter(s -> after.map(a -> s.id().compareTo(a) > 0).orElse(true))
                .sorted(Comparator.comparing(SessionInfo::id))
                .limit(limit)
                .toList();
    }

    @Override
    public List<WorkspaceId> listWorkspaces() {
        checkOpen();
        java.util.TreeSet<WorkspaceId> out = new java.util.TreeSet<>();
        for (StoreState s : stores.values()) {
            MemoryStore store = read(s, () -> s.deleted ? null : s.store);
            if (store != null) {
                out.add(store.workspaceId());
            }
        }
        sessions.values().forEach(s -> out.add(s.workspaceId()));
        return List.copyOf(out);
    }

    @Override
    public Optional<SessionInfo> findSession(SessionId sessionId) {
        checkOpen();
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public ErasureStatus erasureStatus() {
        return ErasureStatus.done("erased content was dropped from the backend's maps at the commit; the JVM reclaims"
                + " its memory at garbage collection");
    }

    @Override
    public void close() {
        closed = true;
        stores.clear();
        sessions.clear();
    }

    @Override
    public String toString() {
        return "InMemoryBackend{stores=" + stores.size() + "}";
    }

    /** Refuses, before changing anything, a commit that would give one path to two memories. */
    private static void checkPathsUnique(StoreState s, Commit c) {
        if (c.putMemories().isEmpty()) {
            return;
        }
        if (c.putMemories().size() == 1) {
            Memory m = c.putMemories().get(0);
            Memory clash = s.byExactPath.get(m.path());
            if (clash != null && !clash.id().equals(m.id()) && !c.removeMemories().contains(clash.id())) {
                throw new IllegalStateException("commit would give path " + m.path() + " to two memories;"
                        + " the service must never send such a commit");
            }
            return;
        }
        Set<MemoryId> touched = new HashSet<>(c.removeMemories());
        c.putMemories().forEach(m -> touched.add(m.id()));
        Set<String> paths = new HashSet<>();
        for (Memory m : c.putMemories()) {
            Memory clash = s.byExactPath.get(m.path());
            if (!paths.add(m.path()) || (clash != null && !touched.contains(clash.id()))) {
                throw new IllegalStateException("commit would give path " + m.path() + " to two memories;"
                        + " the service must never send such a commit");
            }
        }
    }

    /** Puts a memory in the path-ordered index (and counts its path if it is new there). */
    private static void index(StoreState s, Memory m) {
        s.pathOrder.admit(m.path());
        if (s.byPath.put(m.path(), m) == null) {
            s.directories.pathAdded(m.path());
        }
    }

    private static void unindex(StoreState s, Memory old) {
        if (old != null) {
            if (s.byPath.remove(old.path(), old)) {
                s.directories.pathRemoved(old.path());
            }
            s.byExactPath.remove(old.path(), old);
        }
    }

    /** Stores a version's seal, and its record at the seal's positions. */
    private static void seal(StoreState s, VersionRecord r, VersionSeal seal) {
        if (r.seal == null) {
            s.sealed++;
        }
        r.seal = seal;
        s.links.put(seal.position(), r);
        seal.redactionPosition().ifPresent(p -> s.links.put(p, r));
    }

    /** Forgets a version's seal and its positions. */
    private static void unseal(StoreState s, VersionRecord r) {
        if (r.seal != null) {
            s.sealed--;
            s.links.remove(r.seal.position());
            r.seal.redactionPosition().ifPresent(s.links::remove);
            r.seal = null;
        }
    }

    /** A version and its seal (null while unchained), guarded by its store's lock. */
    private static final class VersionRecord {
        MemoryVersion version;
        VersionSeal seal;

        VersionRecord(MemoryVersion version) {
            this.version = version;
        }
    }

    /**
     * What sits at each chain position, in an array indexed by position: positions are handed out one after the
     * other, so the array is dense, and appending is the common case. Removed positions (retention) hold null.
     */
    private static final class Positions {
        private Object[] at = new Object[16];
        /** One past the greatest position stored. */
        private long end = 1;

        void put(long position, Object value) {
            if (position < 1 || position >= Integer.MAX_VALUE - 8) {
                throw new StorageException("chain position " + position + " is beyond what the in-memory backend"
                        + " holds", null);
            }
            int i = (int) position;
            if (i >= at.length) {
                at = java.util.Arrays.copyOf(at, Math.max(i + 1, (int) Math.min(Integer.MAX_VALUE - 8,
                        2L * at.length)));
            }
            at[i] = value;
            end = Math.max(end, position + 1);
        }

        void remove(long position) {
            if (position >= 1 && position < end) {
                at[(int) position] = null;
            }
        }

        void clear() {
            at = new Object[16];
            end = 1;
        }

        /** Calls {@code action} for every position from {@code from} to {@code to} (inclusive) that holds something. */
        void forEach(long from, long to, java.util.function.BiConsumer<Long, Object> action) {
            long last = Math.min(to, end - 1);
            for (long p = Math.max(from, 1); p <= last; p++) {
                Object o = at[(int) p];
                if (o != null) {
                    action.accept(p, o);
                }
            }
        }
    }

    /** Version ids in ascending order, in an array list: appends are the common case. */
    private static final class SortedIds {
        private final ArrayList<VersionId> ids = new ArrayList<>(4);

        void add(VersionId id) {
            int n = ids.size();
            if (n == 0 || ids.get(n - 1).compareTo(id) < 0) {
                ids.add(id);
                return;
            }
            int at = Collections.binarySearch(ids, id);
            if (at < 0) {
                ids.add(-at - 1, id);
            }
        }

        void remove(VersionId id) {
            int at = Collections.binarySearch(ids, id);
            if (at >= 0) {
                ids.remove(at);
            }
        }

        boolean isEmpty() {
            return ids.isEmpty();
        }

        /** The ids less than {@code before} (all if empty), greatest first. */
        List<VersionId> descendingBefore(Optional<VersionId> before) {
            int end = ids.size();
            if (before.isPresent()) {
                int at = Collections.binarySearch(ids, before.get());
                end = at >= 0 ? at : -at - 1;
            }
            List<VersionId> out = new ArrayList<>(end);
            for (int i = end - 1; i >= 0; i--) {
                out.add(ids.get(i));
            }
            return out;
        }
    }

    private static <T> T read(StoreState s, java.util.function.Supplier<T> body) {
        s.lock.readLock().lock();
        try {
            return body.get();
        } finally {
            s.lock.readLock().unlock();
        }
    }
}
