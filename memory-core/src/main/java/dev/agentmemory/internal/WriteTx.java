package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.LimitExceededException.Limit;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.EditTarget;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.PutOutcome;
import dev.agentmemory.model.PutResult;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.ChainUpdate;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.HeadCondition;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.spi.PathOrder;
import dev.agentmemory.spi.StoreRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One write, staged against a snapshot of a store: reads go to the staged changes first and to the backend second,
 * and every rule of paths, content, conflicts, limits and preconditions is checked here. Nothing reaches the backend until
 * {@link MemoryService#write} commits {@link #toCommit()} on condition that the store's sequence has not moved.
 * Confined to one thread.
 */
final class WriteTx {

    private static final int SCAN_BATCH = 64;

    private final MemoryService svc;
    private final MemoryBackend backend;
    private final StoreRecord rec;
    private final StoreId storeId;
    private final Instant now;
    /** {@link #now} in milliseconds: the time that leads the ids this transaction makes (one clock read for both). */
    private final long nowMillis;

    /** Memories this transaction changed: present = new state, empty = removed. */
    private final Map<MemoryId, Optional<Memory>> changed = new LinkedHashMap<>(4);
    /** Paths held by the memories this transaction changed. */
    private final Map<String, MemoryId> stagedPaths = new HashMap<>(4);
    private final List<MemoryVersion> addVersions = new ArrayList<>();
    private final List<MemoryVersion> replaceVersions = new ArrayList<>();
    private final List<VersionId> removeVersions = new ArrayList<>();
    private Optional<MemoryStore> newStore = Optional.empty();
    private ChainUpdate restoredChain;
    private long baseCount = -1;
    private long countDelta;
    /** Whether {@link #restore} staged memories (which {@link #countDelta} does not count). */
    private boolean restored;
    /** What the write policies decided, once one was asked. */
    private PolicyGate.Screening screening;

    /** Heads known at this transaction's sequence, from this service's last commit (see {@link WriteSnapshots}). */
    private final WriteSnapshots.Snapshot known;
    /** Heads read from the backend, by id; they describe the store at this sequence if the commit applies. */
    private final Map<MemoryId, Memory> read = new HashMap<>(4);
    /** Paths the backend held no memory at, at this sequence (what this transaction staged is looked up first). */
    private final Set<String> absent = new HashSet<>(8);
    /** Every head this transaction's rules looked at (from the snapshot or the backend), as it looked at it. */
    private final Map<MemoryId, VersionId> seen = new HashMap<>(4);
    /**
     * Whether a rule looked at more than the heads in {@link #seen}: an absence, a scan, the count, or a change of
     * something other than one memory's content. Such a write keeps the compare-and-set of the store's sequence.
     */
    private boolean broad;
    /** Relinks this transaction's versions when its commit applies at a later sequence; set by {@link #toCommit}. */
    private Relinker relinker;

    WriteTx(MemoryService svc, StoreRecord rec) {
        this(svc, rec, WriteSnapshots.Snapshot.NONE);
    }

    WriteTx(MemoryService svc, StoreRecord rec, WriteSnapshots.Snapshot known) {
        this.svc = svc;
        this.backend = svc.backend();
        this.rec = rec;
        this.storeId = rec.store().id();
        this.now = svc.now();
        this.nowMillis = now.toEpochMilli();
        this.known = known;
        // the count at this sequence, if the last commit's transaction knew it (see WriteSnapshots)
        this.baseCount = known.record() != null ? known.count() : -1;
    }

    /** @return the snapshot this transaction started from */
    WriteSnapshots.Snapshot known() {
        return known;
    }

    /** @return the heads this transaction read from the backend */
    Map<MemoryId, Memory> readHeads() {
        return read;
    }

    /**
     * @return the store's memory count after this transaction's changes, if it knows the count at its sequence (read,
     *     or from its snapshot) and its changes move it only as counted; otherwise {@code -1}
     */
    long countAfter() {
        return baseCount < 0 || restored ? -1 : baseCount + countDelta;
    }

    /** @return the paths this transaction found holding no memory at its sequence (from the backend or its snapshot) */
    Set<String> absentPaths() {
        return absent;
    }

    private Optional<Memory> remember(Optional<Memory> m) {
        m.ifPresent(x -> read.put(x.id(), x));
        return m;
    }

    /** @return the store as of this transaction, with staged changes */
    MemoryStore store() {
        return newStore.orElse(rec.store());
    }

    /** @return what the write policies decided so far, made on first use */
    PolicyGate.Screening screening() {
        if (screening == null) {
            screening = new PolicyGate.Screening();
        }
        return screening;
    }

    /** @return what the write policies decided so far, or null if none was asked */
    PolicyGate.Screening screeningOrNull() {
        return screening;
    }

    /** @return the transaction's timestamp */
    Instant now() {
        return now;
    }

    // ---------------------------------------------------------------- reads through the staged changes

    Optional<Memory> byId(MemoryId id) {
        Optional<Memory> staged = changed.get(id);
        if (staged != null) {
            return staged;
        }
        Optional<Memory> hit = known.byId(id);
        return seen(hit.isPresent() ? hit : remember(backend.findMemory(storeId, id)));
    }

    Optional<Memory> byPath(String path) {
        MemoryId id = stagedPaths.get(path);
        if (id != null) {
            return changed.get(id);
        }
        Optional<Memory> hit = known.byPath(path);
        if (hit.isEmpty() && (absent.contains(path) || known.absent().contains(path))) {
            absent.add(path);
            return seen(hit);
        }
        if (hit.isEmpty()) {
            hit = remember(backend.findMemoryByPath(storeId, path));
            if (hit.isEmpty()) {
                absent.add(path); // asked again by the path checks of the same write: no second read
            }
        }
        return seen(hit).filter(m -> !changed.containsKey(m.id()));
    }

    /** Records a head a rule looked at, or that a rule relied on an absence. */
    private Optional<Memory> seen(Optional<Memory> m) {
        if (m.isPresent()) {
            seen.putIfAbsent(m.get().id(), m.get().headVersionId());
        } else {
            broad = true;
        }
        return m;
    }

    /** The first memory (in path order) under a prefix, not counting those in {@code exclude}. */
    Optional<Memory> firstUnder(String prefix, Set<MemoryId> exclude) {
        broad = true;
        Memory best = null;
        for (Optional<Memory> staged : changed.values()) {
            if (staged.isPresent()) {
                Memory m = staged.get();
                if (m.path().startsWith(prefix) && !exclude.contains(m.id())
                        && (best == null || PathOrder.compare(m.path(), best.path()) < 0)) {
                    best = m;
                }
            }
        }
        String from = prefix;
        while (true) {
            List<Memory> batch = backend.scanMemories(storeId, prefix, from, SCAN_BATCH, false);
            for (Memory m : batch) {
                if (!changed.containsKey(m.id()) && !exclude.contains(m.id())) {
                    return Optional.of(best == null || PathOrder.compare(m.path(), best.path()) < 0 ? m : best);
                }
            }
            if (batch.size() < SCAN_BATCH) {
                return Optional.ofNullable(best);
            }
            from = PathOrder.successor(batch.get(batch.size() - 1).path());
        }
    }

    /** Every memory under a prefix, with content, as this transaction sees them. */
    List<Memory> allUnder(String prefix) {
        broad = true;
        Map<MemoryId, Memory> out = new LinkedHashMap<>();
        String from = prefix;
        while (true) {
            List<Memory> batch = backend.scanMemories(storeId, prefix, from, 1000, true);
            for (Memory m : batch) {
                if (!changed.containsKey(m.id())) {
                    out.put(m.id(), m);
                }
            }
            if (batch.size() < 1000) {
                break;
            }
            from = PathOrder.successor(batch.get(batch.size() - 1).path());
        }
        for (Optional<Memory> staged : changed.values()) {
            staged.filter(m -> m.path().startsWith(prefix)).ifPresent(m -> out.put(m.id(), m));
        }
        List<Memory> list = new ArrayList<>(out.values());
        list.sort((a, b) -> PathOrder.compare(a.path(), b.path()));
        return list;
    }

    long count() {
        broad = true;
        if (baseCount < 0) {
            baseCount = backend.countMemories(storeId);
        }
        return baseCount + countDelta;
    }

    // ---------------------------------------------------------------- staging

    private void put(Memory m) {
        Optional<Memory> before = changed.get(m.id());
        if (before != null && before.isPresent()) {
            stagedPaths.remove(before.get().path(), m.id());
        }
        changed.put(m.id(), Optional.of(m));
        stagedPaths.put(m.path(), m.id());
    }

    private void remove(Memory m) {
        stagedPaths.remove(m.path(), m.id());
        changed.put(m.id(), Optional.empty());
    }

    void setStore(MemoryStore store) {
        broad = true;
        newStore = Optional.of(store);
    }

    void replaceVersion(MemoryVersion v) {
        replaceVersions.add(v);
    }

    void removeVersion(VersionId id) {
        removeVersions.add(id);
    }

    /** Stages memories and versions as they are, for an import into a store that is empty at this snapshot. */
    void restore(List<Memory> memories, List<MemoryVersion> versions) {
        restored = true; // these memories are not counted in countDelta
        memories.forEach(this::put);
        addVersions.addAll(versions);
    }

    /** Stages an imported chain as it is, instead of sealing the restored versions anew. */
    void restoreChain(ChainUpdate chain) {
        restoredChain = chain;
    }

    /** @return the chain head of this transaction's snapshot */
    ChainHead chainHead() {
        return rec.chain();
    }

    Commit toCommit() {
        List<MemoryId> removes;
        List<Memory> puts;
        if (changed.size() == 1) { // the common write: one memory changed; immutable lists the commit keeps as they are
            Map.Entry<MemoryId, Optional<Memory>> only = changed.entrySet().iterator().next();
            puts = only.getValue().isPresent() ? List.of(only.getValue().get()) : List.of();
            removes = only.getValue().isPresent() ? List.of() : List.of(only.getKey());
        } else {
            List<MemoryId> removed = new ArrayList<>();
            List<Memory> put = new ArrayList<>();
            changed.forEach((id, m) -> {
                if (m.isPresent()) {
                    put.add(m.get());
                } else {
                    removed.add(id);
                }
            });
            removes = removed;
            puts = put;
        }
        List<MemoryVersion> added = List.copyOf(addVersions); // copied once, for the commit and the relinker alike
        List<MemoryVersion> replaced = replaceVersions.isEmpty() ? List.of() : replaceVersions;
        List<VersionId> removedVersions = removeVersions.isEmpty() ? List.of() : removeVersions;
        Optional<ChainUpdate> chain = restoredChain != null ? Optional.of(restoredChain)
                : ChainSealer.seal(backend, storeId, rec.chain(), added, replaced, removedVersions, now);
        Optional<String> releases = screening == null ? Optional.empty() : screening.releases();
        Optional<HeadCondition> condition = Optional.empty();
        if (chain.isPresent() && restoredChain == null && releases.isEmpty() && onlyOneMemorysContent(puts, removes)) {
            relinker = new Relinker(chain.get(), added);
            Memory put = puts.get(0); // the one memory, and the one head its rules looked at
            condition = Optional.of(new HeadCondition(rec.store(), Map.of(put.id(), seen.get(put.id())), relinker));
        }
        return new Commit(storeId, rec.sequence(), newStore, removes, puts, added, replaced, removedVersions,
                releases, chain, condition);
    }

    /**
     * Whether this transaction changed one memory's content and nothing else, and its rules looked at that memory's
     * head only (so that, while that head and the store's record are unchanged, every rule still holds at any later
     * sequence): then its commit carries a {@link HeadCondition}. A path change depends on every other path, a
     * create or delete on the count and the paths, a store change on everything, and a batch that also looked at
     * another memory (even one it left unchanged) on that memory's head; those keep the sequence's compare-and-set.
     */
    private boolean onlyOneMemorysContent(List<Memory> puts, List<MemoryId> removes) {
        if (broad || puts.size() != 1 || seen.size() != 1 || !removes.isEmpty() || newStore.isPresent()
                || !replaceVersions.isEmpty() || !removeVersions.isEmpty()) {
            return false;
        }
        Memory put = puts.get(0);
        VersionId before = seen.get(put.id());
        Memory old = read.get(put.id());
        if (old == null) {
            old = known.byId(put.id()).orElse(null);
        }
        if (before == null || old == null || !old.headVersionId().equals(before) || !old.path().equals(put.path())) {
            return false;
        }
        for (MemoryVersion v : addVersions) {
            if (!v.memoryId().equals(put.id())) {
                return false;
            }
        }
        return true;
    }

    /** @return where the commit landed if it was linked again at another sequence; empty if it was not */
    Optional<Relinker.Landing> relinked() {
        return relinker == null ? Optional.empty() : relinker.landing();
    }

    // ---------------------------------------------------------------- the operations

    ChangeResult create(String rawPath, String content, Actor actor) {
        String path = PathRules.normalize(rawPath, svc.limits());
        return create(path, content, encode(content), actor);
    }

    /** Creates a memory from UTF-8 bytes, checked and hashed as they are. */
    ChangeResult create(String rawPath, byte[] content, Actor actor) {
        String path = PathRules.normalize(rawPath, svc.limits());
        Contents.Utf8 utf8 = encode(content);
        return create(path, utf8.text(), utf8.encoded(), actor);
    }

    private ChangeResult create(String path, String content, Contents.Encoded enc, Actor actor) {
        checkPathFree(path, Set.of());
        checkRoomForOneMore();
        PolicyGate.Screened screened = screen(Operation.CREATED, Optional.empty(), path, Optional.empty(),
                Optional.of(content), Optional.empty(), actor);
        String stored = screened.content().orElse(content);
        if (screened.content().isPresent()) {
            enc = encode(stored);
        }
        MemoryId id = new MemoryId(svc.ids().next(MemoryId.PREFIX, nowMillis));
        VersionId vid = new VersionId(svc.ids().next(VersionId.PREFIX, nowMillis));
        Memory m = new Memory(id, storeId, path, Optional.of(stored), enc.sha256(), enc.sizeBytes(), vid, now, now);
        MemoryVersion v = version(vid, id, Operation.CREATED, m, actor, screened);
        put(m);
        addVersions.add(v);
        countDelta++;
        return new ChangeResult(id, Optional.of(m), Optional.of(v));
    }

    ChangeResult update(MemoryId id, MemoryUpdate update, Actor actor) {
        Optional<String> newPath = update.path().map(p -> PathRules.normalize(p, svc.limits()));
        Optional<Contents.Encoded> enc = update.content().map(this::encode);
        update.expectedContentSha256().ifPresent(Contents::checkSha256);
        if (newPath.isEmpty() && enc.isEmpty()) {
            throw new InvalidArgumentException("update.empty",
                    "an update of memory " + id + " needs new content, a new path, or both");
        }
        Memory cur = byId(id).orElseThrow(() -> memoryNotFound(id));
        return update(cur, newPath, enc, update, actor);
    }

    private ChangeResult update(Memory cur, Optional<String> newPath, Optional<Contents.Encoded> enc,
            MemoryUpdate update, Actor actor) {
        MemoryId id = cur.id();
        String path = newPath.orElse(cur.path());
        boolean samePath = path.equals(cur.path());
        boolean sameContent = enc.isEmpty() || enc.get().sha256().equals(cur.contentSha256());
        if (samePath && sameContent) {
            return new ChangeResult(id, Optional.of(cur), Optional.empty());
        }
        checkPrecondition(cur, update.expectedContentSha256());
        if (!samePath) {
            checkPathFree(path, Set.of(id));
        }
        Optional<String> content = sameContent ? Optional.empty() : update.content();
        PolicyGate.Screened screened = screen(Operation.MODIFIED, Optional.of(id), path,
                samePath ? Optional.empty() : Optional.of(cur.path()), content, update.expectedContentSha256(),
                actor);
        if (screened.content().isPresent()) {
            content = screened.content();
            enc = Optional.of(encode(content.get()));
            sameContent = enc.get().sha256().equals(cur.contentSha256());
            if (samePath && sameContent) {
                return new ChangeResult(id, Optional.of(cur), Optional.empty());
            }
        }
        VersionId vid = nextVersionId(cur);
        Memory m = new Memory(id, storeId, path, sameContent ? cur.content() : content,
                enc.map(Contents.Encoded::sha256).orElse(cur.contentSha256()),
                enc.map(Contents.Encoded::sizeBytes).orElse(cur.contentSizeBytes()), vid, cur.createdAt(), now);
        MemoryVersion v = version(vid, id, Operation.MODIFIED, m, actor, screened);
        put(m);
        addVersions.add(v);
        return new ChangeResult(id, Optional.of(m), Optional.of(v));
    }

    /** Replaces a memory's content with UTF-8 bytes, checked and hashed as they are. */
    ChangeResult update(MemoryId id, byte[] content, Optional<String> expectedSha, Actor actor) {
        Contents.Utf8 utf8 = encode(content);
        expectedSha.ifPresent(Contents::checkSha256);
        Memory cur = byId(id).orElseThrow(() -> memoryNotFound(id));
        MemoryUpdate u = new MemoryUpdate(Optional.of(utf8.text()), Optional.empty(), expectedSha);
        return update(cur, Optional.empty(), Optional.of(utf8.encoded()), u, actor);
    }

    ChangeResult delete(MemoryId id, Optional<String> expectedSha, Actor actor) {
        expectedSha.ifPresent(Contents::checkSha256);
        Memory cur = byId(id).orElseThrow(() -> memoryNotFound(id));
        checkPrecondition(cur, expectedSha);
        screen(Operation.DELETED, Optional.of(id), cur.path(), Optional.empty(), Optional.empty(), expectedSha,
                actor);
        VersionId vid = nextVersionId(cur);
        MemoryVersion v = new MemoryVersion(vid, storeId, id, Operation.DELETED, Optional.of(cur.path()),
                Optional.empty(), Optional.empty(), Optional.empty(), actor, now, Optional.empty(), Optional.empty());
        remove(cur);
        addVersions.add(v);
        countDelta--;
        return new ChangeResult(id, Optional.empty(), Optional.of(v));
    }

    /** Applies one change of any kind. */
    ChangeResult apply(Change change, Actor actor) {
        if (change instanceof Change.Create c) {
            return create(c.path(), c.content(), actor);
        } else if (change instanceof Change.Update u) {
            return update(u.memoryId(), u.update(), actor);
        } else if (change instanceof Change.Delete d) {
            return delete(d.memoryId(), d.expectedContentSha256(), actor);
        }
        throw new IllegalArgumentException("unknown change " + change);
    }

    /** Reads the memory at a path and replaces its content with what {@code edit} makes of it, in this snapshot. */
    ChangeResult edit(String rawPath, UnaryOperator<String> edit, Actor actor) {
        String path = PathRules.normalize(rawPath, svc.limits());
        Memory cur = byPath(path).orElseThrow(() -> new NotFoundException("no memory at " + IdRules.printable(path)
                + " in store " + storeId + "; list the store to see which paths exist"));
        String next = edit.apply(cur.text());
        if (next == null) {
            throw new InvalidArgumentException("content.required", "the edit of " + IdRules.printable(path)
                    + " returned no content (it may be empty, not null)");
        }
        return update(cur, Optional.empty(), Optional.of(encode(next)),
                MemoryUpdate.content(next).ifContentSha256(cur.contentSha256()), actor);
    }

    /**
     * Creates the memory at a path, or replaces its content if one is there, in this snapshot: the lookup and the
     * write are one atomic write, so two writers putting the same new path cannot both create it.
     */
    PutResult put(String rawPath, String content, Optional<String> expectedSha, Actor actor) {
        String path = PathRules.normalize(rawPath, svc.limits());
        expectedSha.ifPresent(Contents::checkSha256);
        Optional<Memory> cur = byPath(path);
        if (cur.isEmpty()) {
            if (expectedSha.isPresent()) {
                throw new NotFoundException("no memory at " + IdRules.printable(path) + " in store " + storeId
                        + " to check content_sha256 " + expectedSha.get() + " against; put without a precondition"
                        + " to create it");
            }
            ChangeResult r = create(path, content, actor);
            return new PutResult(PutOutcome.CREATED, r.memory().orElseThrow(), r.version());
        }
        MemoryUpdate u = MemoryUpdate.content(content);
        if (expectedSha.isPresent()) {
            u = u.ifContentSha256(expectedSha.get());
        }
        ChangeResult r = update(cur.get(), Optional.empty(), Optional.of(encode(content)), u, actor);
        return new PutResult(r.changed() ? PutOutcome.UPDATED : PutOutcome.ALREADY_CURRENT, r.memory().orElseThrow(),
                r.version());
    }

    /** Updates the memory at a path. */
    ChangeResult updateByPath(String rawPath, MemoryUpdate update, Actor actor) {
        String path = PathRules.normalize(rawPath, svc.limits());
        return update(memoryAt(path).id(), update, actor);
    }

    /** Deletes the memory at a path. */
    ChangeResult deleteByPath(String rawPath, Optional<String> expectedSha, Actor actor) {
        String path = PathRules.normalize(rawPath, svc.limits());
        expectedSha.ifPresent(Contents::checkSha256);
        return delete(memoryAt(path).id(), expectedSha, actor);
    }

    private Memory memoryAt(String path) {
        return byPath(path).orElseThrow(() -> new NotFoundException("no memory at " + IdRules.printable(path)
                + " in store " + storeId + "; list the store to see which paths exist"));
    }

    /**
     * Reads a memory's content as UTF-8 bytes and replaces it with what {@code edit} makes of them, in this snapshot:
     * the memory with the target's id wherever it is, else the one at the target's path, else (if the target says so)
     * a new memory there made from empty content.
     */
    ChangeResult edit(EditTarget target, UnaryOperator<byte[]> edit, Actor actor) {
        String path = PathRules.normalize(target.path(), svc.limits());
        Optional<Memory> cur = target.memoryId().flatMap(this::byId).or(() -> byPath(path));
        if (cur.isEmpty()) {
            if (!target.createIfMissing()) {
                throw new NotFoundException("no memory at " + IdRules.printable(path) + " in store " + storeId
                        + "; list the store to see which paths exist");
            }
            Contents.Utf8 utf8 = encode(edited(edit, new byte[0], path));
            return create(path, utf8.text(), utf8.encoded(), actor);
        }
        Memory m = cur.get();
        Contents.Utf8 utf8 = encode(edited(edit, Contents.utf8Bytes(m.text()), m.path()));
        return update(m, Optional.empty(), Optional.of(utf8.encoded()), MemoryUpdate.content(utf8.text()), actor);
    }

    private static byte[] edited(UnaryOperator<byte[]> edit, byte[] current, String path) {
        byte[] next = edit.apply(current);
        if (next == null) {
            throw new InvalidArgumentException("content.required", "the edit of " + IdRules.printable(path)
                    + " returned no content (it may be empty, not null)");
        }
        return next;
    }

    /**
     * Checks every rule a write of these bytes as the whole content at a path would meet now (an update of the
     * memory there, or a create), and stages nothing.
     */
    Void checkWrite(String rawPath, byte[] content) {
        String path = PathRules.normalize(rawPath, svc.limits());
        checkSize(content.length);
        Contents.checkUtf8(content);
        if (byPath(path).isEmpty()) {
            checkPathFree(path, Set.of());
            checkRoomForOneMore();
        }
        return null;
    }

    /** Checks the content rules for bytes written anywhere in this store, and stages nothing. */
    Void checkContent(byte[] content) {
        checkSize(content.length);
        Contents.checkUtf8(content);
        return null;
    }

    /** Checks a precondition on a memory without changing it. */
    Void checkPrecondition(MemoryId id, String expectedSha) {
        Contents.checkSha256(expectedSha);
        checkPrecondition(byId(id).orElseThrow(() -> memoryNotFound(id)), Optional.of(expectedSha));
        return null;
    }

    /** Deletes every memory under a directory. */
    List<ChangeResult> deleteDirectory(String rawPrefix, Actor actor) {
        String prefix = PathRules.normalizePrefix(rawPrefix, svc.limits());
        if (prefix.equals("/")) {
            throw new InvalidArgumentException("delete.root", "cannot delete the store's root as a directory; name a"
                    + " subdirectory such as /notes/, or delete memories one by one");
        }
        List<Memory> under = allUnder(prefix);
        if (under.isEmpty()) {
            throw new NotFoundException("no memory is under " + IdRules.printable(prefix) + " in store " + storeId
                    + "; list the store to find the directory to delete");
        }
        List<ChangeResult> out = new ArrayList<>();
        for (Memory m : under) {
            out.add(delete(m.id(), Optional.empty(), actor));
        }
        return out;
    }

    List<Memory> move(String rawFrom, String rawTo, Actor actor) {
        String from = PathRules.normalizePrefix(rawFrom, svc.limits());
        String to = PathRules.normalizePrefix(rawTo, svc.limits());
        if (from.equals("/") || to.equals("/")) {
            throw new InvalidArgumentException("move.root", "cannot move " + from + " to " + to
                    + ": the store's root is not a directory that moves; name a subdirectory such as /notes/");
        }
        if (to.startsWith(from) && !to.equals(from)) {
            throw new InvalidArgumentException("move.into_itself",
                    "cannot move " + from + " into its own subdirectory " + to);
        }
        List<Memory> moving = allUnder(from);
        if (moving.isEmpty()) {
            throw new NotFoundException("no memory is under " + from + " in store " + storeId
                    + "; list the store to find the directory to move");
        }
        if (to.equals(from)) {
            return moving.stream().map(Memory::withoutContent).toList();
        }
        Set<MemoryId> movingIds = new HashSet<>();
        moving.forEach(m -> movingIds.add(m.id()));
        String toDir = to.substring(0, to.length() - 1);
        for (String p : withAncestors(toDir)) {
            Optional<Memory> blocker = byPath(p);
            if (blocker.isPresent() && !movingIds.contains(blocker.get().id())) {
                throw new PathConflictException(toDir, blocker.get().id(), blocker.get().path());
            }
        }
        Optional<Memory> occupant = firstUnder(to, movingIds);
        if (occupant.isPresent()) {
            throw new PathConflictException(toDir, occupant.get().id(), occupant.get().path());
        }
        List<Memory> moved = new ArrayList<>();
        for (Memory cur : moving) {
            String path = PathRules.normalize(to + cur.path().substring(from.length()), svc.limits());
            PolicyGate.Screened screened = screen(Operation.MODIFIED, Optional.of(cur.id()), path,
                    Optional.of(cur.path()), Optional.empty(), Optional.empty(), actor);
            VersionId vid = nextVersionId(cur);
            Memory m = new Memory(cur.id(), storeId, path, cur.content(), cur.contentSha256(),
                    cur.contentSizeBytes(), vid, cur.createdAt(), now);
            moved.add(m);
            addVersions.add(version(vid, cur.id(), Operation.MODIFIED, m, actor, screened));
        }
        moved.forEach(m -> changed.put(m.id(), Optional.of(m)));
        moving.forEach(m -> stagedPaths.remove(m.path(), m.id()));
        moved.forEach(m -> stagedPaths.put(m.path(), m.id()));
        return moved.stream().map(Memory::withoutContent).toList();
    }

    // ---------------------------------------------------------------- rules

    private Contents.Encoded encode(String content) {
        if (content == null) {
            throw new InvalidArgumentException("content.required", "content is required (it may be empty)");
        }
        Contents.Encoded enc = Contents.encode(content);
        int max = svc.contentLimit(store());
        if (enc.sizeBytes() > max) {
            throw contentTooLarge(enc.sizeBytes(), max);
        }
        return enc;
    }

    /** Checks the size first (the cheap rule, and the one to report when both are broken), then the encoding. */
    private Contents.Utf8 encode(byte[] content) {
        checkSize(content.length);
        return Contents.fromUtf8(content);
    }

    private void checkSize(long bytes) {
        int max = svc.contentLimit(store());
        if (bytes > max) {
            throw contentTooLarge(bytes, max);
        }
    }

    private void checkRoomForOneMore() {
        int max = svc.memoryLimit(store());
        if (count() + 1 > max) {
            throw new LimitExceededException(Limit.MEMORIES_PER_STORE, count() + 1, max, "store " + storeId
                    + " is full; delete memories you no longer need (edits still work), or raise its memory limit");
        }
    }

    private LimitExceededException contentTooLarge(long bytes, int max) {
        return new LimitExceededException(Limit.CONTENT_SIZE_BYTES, bytes, max,
                "split the content into several smaller memories; nothing was written");
    }

    private void checkPrecondition(Memory cur, Optional<String> expectedSha) {
        if (expectedSha.isPresent() && !expectedSha.get().equals(cur.contentSha256())) {
            throw new PreconditionFailedException(cur.id(), expectedSha.get(), cur.contentSha256(),
                    cur.headVersionId());
        }
    }

    /** Checks that {@code path} can be held by a memory, ignoring the memories in {@code self}. */
    private void checkPathFree(String path, Set<MemoryId> self) {
        Optional<Memory> same = byPath(path);
        if (same.isPresent() && !self.contains(same.get().id())) {
            throw new PathConflictException(path, same.get().id(), same.get().path());
        }
        for (String ancestor : PathRules.ancestors(path)) {
            Optional<Memory> a = byPath(ancestor);
            if (a.isPresent() && !self.contains(a.get().id())) {
                throw new PathConflictException(path, a.get().id(), a.get().path());
            }
        }
        Optional<Memory> below = firstUnder(path + "/", self);
        if (below.isPresent()) {
            throw new PathConflictException(path, below.get().id(), below.get().path());
        }
    }

    private static List<String> withAncestors(String path) {
        List<String> all = new ArrayList<>(PathRules.ancestors(path));
        all.add(path);
        return all;
    }

    /** A new version id of a memory, sorting after its head version's. */
    private VersionId nextVersionId(Memory cur) {
        return new VersionId(svc.ids().nextAfter(VersionId.PREFIX, cur.headVersionId().value(), nowMillis));
    }

    private MemoryVersion version(VersionId vid, MemoryId id, Operation op, Memory m, Actor actor,
            PolicyGate.Screened screened) {
        return new MemoryVersion(vid, storeId, id, op, Optional.of(m.path()), m.content(),
                Optional.of(m.contentSha256()), Optional.of(m.contentSizeBytes()), actor, now, Optional.empty(),
                Optional.empty(), screened.policyRedactions());
    }

    /** Asks the write policies about one change, after the core's checks and before it is staged. */
    private PolicyGate.Screened screen(Operation op, Optional<MemoryId> id, String path, Optional<String> previousPath,
            Optional<String> content, Optional<String> expectedSha, Actor actor) {
        return svc.policies().screen(this, op, id, path, previousPath, content, expectedSha, actor);
    }

    NotFoundException memoryNotFound(MemoryId id) {
        return new NotFoundException("memory " + id + " does not exist in store " + storeId
                + " (it may have been deleted); list the store to find current memories");
    }
}
