package dev.agentmemory.internal;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.StoreRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * <p>That holds across a store's deletion too: a store created again with the id of a deleted one (an import that
 * keeps ids, by another process) starts past every sequence the deleted one reached
 * ({@link dev.agentmemory.spi.MemoryBackend#createStore}), so a snapshot of the deleted store never matches the new
 * one's sequence, and a write never applies on an earlier incarnation of its store. Comparing sequences alone is
 * enough; nothing here needs to know about incarnations.
 *
 * <p>Besides heads, a snapshot keeps the store's memory count and the paths found empty, when the commit's transaction
 * knew them: the next create then reads neither the count nor the ancestors of its path (which the previous create
 * in the same directory already found empty) again.
 *
 * <p>Commits land in a store's order, but the threads that made them may record them in another (the members of a
 * backend's group commit wake in any order): a commit that lands after sequences this service has not recorded yet
 * makes the snapshot's other heads only pending ({@link Pending}), each exact at its own sequence, and a commit
 * recorded late fills its sequence in; once no sequence after a pending head is unknown, the head is exact at the
 * snapshot's sequence again and served. A head is never served while a commit this service has not recorded may
 * have moved it.
 *
 * <p>Bounded: at most {@value #MAX_STORES} stores, and per store at most {@value #MAX_HEADS} heads,
 * {@value #MAX_CHARS} characters of content and {@value #MAX_ABSENT} absent paths; deriving a snapshot costs a
 * bounded amount per commit.
 * Thread-safe; snapshots are immutable and replaced whole.
 */
final class WriteSnapshots {

    static final int MAX_STORES = 256;
    static final int MAX_CHARS = 1 << 18;
    static final int MAX_HEADS = 8;
    /** The most paths a snapshot remembers as holding no memory (a create looks up its path and its ancestors). */
    static final int MAX_ABSENT = 32;
    /**
     * The most sequences a snapshot waits for (counted from the earliest it does not know to its own): beyond that it
     * drops its pending heads, as a commit by another writer (whose sequence never comes) would otherwise keep them.
     */
    static final int MAX_WINDOW = 64;
    /**
     * The most memories a commit may change for the snapshot to keep waiting for the commits missing before it (it
     * keeps each recent commit's changed ids); a larger one ends the wait, keeping only the heads exact at its sequence.
     */
    static final int MAX_CHANGED = 64;

    /**
     * A head known exact at sequence {@code at}, not yet at the snapshot's own.
     *
     * @param memory the memory as it was at {@code at}
     * @param at the sequence at which it is known
     */
    record Held(Memory memory, long at) {
    }

    /**
     * What a snapshot knows besides its exact heads while commits landed before its sequence are not recorded yet.
     *
     * @param held heads exact at an earlier sequence, each served once no sequence after it is missing
     * @param missing the sequences (each the store's sequence after a commit) whose commits are not recorded yet
     * @param recent the memories the recorded commits after the earliest missing sequence put or removed, by the
     *     sequence after each: a commit recorded late adds no head that a later one changed
     */
    record Pending(List<Held> held, NavigableSet<Long> missing, Map<Long, Set<MemoryId>> recent) {

        static final Pending NONE = new Pending(List.of(), Collections.emptyNavigableSet(), Map.of());
    }

    /**
     * A store at one sequence, with a few of its heads at that sequence, its memory count at that sequence if known
     * ({@code -1} if not), and a few paths known to hold no memory at that sequence.
     */
    record Snapshot(StoreRecord record, List<Memory> heads, long count, Set<String> absent, Pending pending) {

        static final Snapshot NONE = new Snapshot(null, List.of(), -1, Set.of());

        /** A snapshot that waits for no commit. */
        Snapshot(StoreRecord record, List<Memory> heads, long count, Set<String> absent) {
            this(record, heads, count, absent, Pending.NONE);
        }

        /** @return the head with this id at the snapshot's sequence, if the snapshot has it */
        Optional<Memory> byId(MemoryId id) {
            for (Memory m : heads) {
                if (m.id().equals(id)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }

        /** @return the head at this path at the snapshot's sequence, if the snapshot has it */
        Optional<Memory> byPath(String path) {
            for (Memory m : heads) {
                if (m.path().equals(path)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    private final ConcurrentHashMap<StoreId, Snapshot> byStore = new ConcurrentHashMap<>();

    /**
     * Returns the snapshot of a store, or null if there is none (the write path's lookup, without an
     * {@code Optional} per write).
     *
     * @param store the store
     * @return its snapshot, or null
     */
    Snapshot getOrNull(StoreId store) {
        return byStore.get(store);
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
     * @param countAfter the store's memory count after the commit, or {@code -1} if the transaction did not know it
     * @param absent paths the transaction found holding no memory at {@code rec}'s sequence (from the backend or from
     *     {@code base})
     * @param commit the commit
     */
    void committed(StoreRecord rec, Snapshot base, Map<MemoryId, Memory> read, long countAfter, Set<String> absent,
            Commit commit) {
        long seq = rec.sequence() + 1;
        MemoryStore store = commit.store().orElse(rec.store());
        // The heads at seq: what the commit put first, then what its transaction read, then what the snapshot it
        // started from held, skipping what the commit removed or replaced, up to MAX_HEADS and MAX_CHARS (so that
        // deriving a snapshot costs a small, bounded amount per commit, however large the store or the commit).
        List<Memory> heads = new ArrayList<>(MAX_HEADS);
        long chars = 0;
        for (Memory m : commit.putMemories()) {
            if (heads.size() >= MAX_HEADS || chars + m.text().length() > MAX_CHARS) {
                break;
            }
            heads.add(m);
            chars += m.text().length();
        }
        boolean carry = base.record() != null && base.record().sequence() == rec.sequence();
        if (!read.isEmpty()) {
            chars = carry(read.values(), heads, chars, commit);
        }
        if (carry) {
            carry(base.heads(), heads, chars, commit);
        }
        // the chain head moves with the sequence: the next commit links onto the head this one left
        ChainHead chain = commit.chain().isPresent() ? commit.chain().get().head() : rec.chain();
        // Still empty after the commit: every path found empty except those the commit put a memory at (a removed
        // memory's path is not added: its old path is not at hand here, and leaving it out only costs a read).
        Set<String> stillAbsent = new HashSet<>();
        for (String p : absent) {
            if (stillAbsent.size() >= MAX_ABSENT) {
                break;
            }
            if (!putsPath(commit, p)) {
                stillAbsent.add(p);
            }
        }
        Snapshot next = new Snapshot(new StoreRecord(store, seq, chain), Collections.unmodifiableList(heads),
                countAfter, Collections.unmodifiableSet(stillAbsent));
        if (byStore.size() >= MAX_STORES && !byStore.containsKey(store.id())) {
            byStore.clear();
        }
        byStore.compute(store.id(), (id, cur) -> land(cur, next, commit));
    }

    /**
     * Adds to {@code heads} the memories of {@code from} a commit left as they were, within the bounds. The memories
     * of {@code from} have distinct ids (a snapshot's heads, or heads read by id), so each is checked against the
     * heads that were there before, not against those this call adds.
     */
    private static long carry(Collection<Memory> from, List<Memory> heads, long chars, Commit commit) {
        int before = heads.size();
        for (Memory m : from) {
            if (heads.size() >= MAX_HEADS) {
                break;
            }
            if (chars + m.text().length() > MAX_CHARS || contains(heads, before, m) || touched(commit, m)
                    || commit.removeMemories().contains(m.id())) {
                continue;
            }
            heads.add(m);
            chars += m.text().length();
        }
        return chars;
    }

    /**
     * Records a commit's snapshot {@code next} (at the sequence after it) over the store's current one: a later
     * snapshot keeps what it knows and learns the commit if it waited for it ({@link #late}); an earlier one leaves
     * its heads pending for the sequences between them, if there are any, or carries its own pending heads on.
     */
    private static Snapshot land(Snapshot cur, Snapshot next, Commit commit) {
        long seq = next.record().sequence();
        if (cur == null) {
            return next;
        }
        if (cur.record().sequence() >= seq) {
            return late(cur, seq, commit);
        }
        Pending p = cur.pending();
        long gap = seq - 1 - cur.record().sequence();
        if (gap == 0 && p.missing().isEmpty()) {
            return next;
        }
        if (changedCount(commit) > MAX_CHANGED) {
            return next; // too large to remember what it changed: start again from the exact heads
        }
        TreeSet<Long> missing = new TreeSet<>(p.missing());
        for (long s = cur.record().sequence() + 1; s < seq && missing.size() <= MAX_WINDOW; s++) {
            missing.add(s);
        }
        if (seq - missing.first() > MAX_WINDOW) {
            return next; // waited too long for sequences that may never come: start again from the exact heads
        }
        List<Held> held = new ArrayList<>();
        long chars = 0;
        List<Held> from = new ArrayList<>();
        if (gap > 0) {
            // the current snapshot's heads are exact at its sequence, not after the commits missing since
            for (Memory m : cur.heads()) {
                from.add(new Held(m, cur.record().sequence()));
            }
        }
        from.addAll(p.held());
        for (Held h : from) {
            Memory m = h.memory();
            if (held.size() >= 2 * MAX_HEADS || chars + m.text().length() > MAX_CHARS || contains(next.heads(), m)
                    || touched(commit, m) || commit.removeMemories().contains(m.id())) {
                continue;
            }
            held.add(h);
            chars += m.text().length();
        }
        Map<Long, Set<MemoryId>> recent = new HashMap<>(p.recent());
        recent.put(seq, changed(commit));
        return new Snapshot(next.record(), next.heads(), next.count(), next.absent(), pending(held, missing, recent));
    }

    /**
     * Learns a commit recorded after a later one: if the snapshot waited for its sequence, the memories it put are
     * pending heads at that sequence (unless a later commit changed them or a newer head of them is known), the ones
     * it removed are no longer pending, and every pending head after which no sequence is missing any more is served.
     */
    private static Snapshot late(Snapshot cur, long seq, Commit commit) {
        Pending p = cur.pending();
        if (!p.missing().contains(seq)) {
            return cur; // recorded already, or from before what the snapshot waits for
        }
        if (changedCount(commit) > MAX_CHANGED) {
            // too large to hold what it put: stop waiting, keeping the heads exact at the snapshot's sequence
            return new Snapshot(cur.record(), cur.heads(), cur.count(), cur.absent(), Pending.NONE);
        }
        TreeSet<Long> missing = new TreeSet<>(p.missing());
        missing.remove(seq);
        Map<MemoryId, Held> held = new LinkedHashMap<>();
        long heldChars = 0;
        for (Held h : p.held()) {
            held.put(h.memory().id(), h);
            heldChars += h.memory().text().length();
        }
        for (MemoryId id : commit.removeMemories()) {
            held.computeIfPresent(id, (k, h) -> h.at() < seq ? null : h);
        }
        for (Memory m : commit.putMemories()) {
            if (cur.byId(m.id()).isPresent()) {
                continue; // exact at the snapshot's sequence already: newer than this
            }
            Held h = held.get(m.id());
            if (h != null && h.at() > seq) {
                continue;
            }
            if (changedAfter(p.recent(), seq, m.id())) {
                held.remove(m.id());
                continue;
            }
            Held old = held.remove(m.id()); // an older pending head of it is stale now, whether or not this one is held
            if (old != null) {
                heldChars -= old.memory().text().length();
            }
            if (held.size() < 2 * MAX_HEADS && heldChars + m.text().length() <= MAX_CHARS) {
                held.put(m.id(), new Held(m, seq));
                heldChars += m.text().length();
            }
        }
        List<Memory> heads = new ArrayList<>(cur.heads());
        long chars = 0;
        for (Memory m : heads) {
            chars += m.text().length();
        }
        List<Held> still = new ArrayList<>();
        for (Held h : held.values()) {
            if (missing.higher(h.at()) != null) {
                still.add(h);
            } else if (heads.size() < MAX_HEADS && chars + h.memory().text().length() <= MAX_CHARS
                    && !contains(heads, h.memory())) {
                heads.add(h.memory()); // no commit after it is unknown: exact at the snapshot's sequence
                chars += h.memory().text().length();
            }
        }
        Map<Long, Set<MemoryId>> recent = new HashMap<>(p.recent());
        recent.put(seq, changed(commit));
        return new Snapshot(cur.record(), Collections.unmodifiableList(heads), cur.count(), cur.absent(),
                pending(still, missing, recent));
    }

    /** A snapshot's pending part, with only the recent changes that a commit still missing may need checked. */
    private static Pending pending(List<Held> held, TreeSet<Long> missing, Map<Long, Set<MemoryId>> recent) {
        if (missing.isEmpty()) {
            return Pending.NONE;
        }
        long first = missing.first();
        recent.keySet().removeIf(s -> s <= first);
        return new Pending(List.copyOf(held), Collections.unmodifiableNavigableSet(missing), Map.copyOf(recent));
    }

    /** How many memories a commit puts or removes (an upper bound when it does both to one). */
    private static int changedCount(Commit commit) {
        return commit.putMemories().size() + commit.removeMemories().size();
    }

    /** The memories a commit put or removed. */
    private static Set<MemoryId> changed(Commit commit) {
        Set<MemoryId> ids = new HashSet<>(commit.removeMemories());
        for (Memory m : commit.putMemories()) {
            ids.add(m.id());
        }
        return Set.copyOf(ids);
    }

    /** Whether a recorded commit after sequence {@code seq} put or removed the memory. */
    private static boolean changedAfter(Map<Long, Set<MemoryId>> recent, long seq, MemoryId id) {
        for (Map.Entry<Long, Set<MemoryId>> e : recent.entrySet()) {
            if (e.getKey() > seq && e.getValue().contains(id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records the state after a head-conditioned commit that the backend applied at a later sequence than its
     * transaction read: the commit's own heads are exact there, and so are the heads of a snapshot taken at exactly the
     * sequence the commit applied on (nothing else committed in between), except the ones the commit replaced.
     * Heads read at the transaction's older sequence are not carried: they may have moved since. Recorded after a
     * commit that landed later, it fills in what that snapshot waited for ({@link #land}).
     *
     * @param rec the store as the commit's transaction saw it
     * @param commit the commit
     * @param landing where it landed: the sequence and chain head after it
     */
    void relinked(StoreRecord rec, Commit commit, Relinker.Landing landing) {
        long seq = landing.sequence();
        StoreRecord after = new StoreRecord(rec.store(), seq, landing.chain());
        if (byStore.size() >= MAX_STORES && !byStore.containsKey(rec.store().id())) {
            byStore.clear();
        }
        byStore.compute(rec.store().id(), (id, cur) -> {
            if (cur != null && cur.record().sequence() >= seq) {
                return late(cur, seq, commit);
            }
            List<Memory> heads = new ArrayList<>(MAX_HEADS);
            long chars = 0;
            for (Memory m : commit.putMemories()) {
                if (heads.size() < MAX_HEADS && chars + m.text().length() <= MAX_CHARS) {
                    heads.add(m);
                    chars += m.text().length();
                }
            }
            if (cur != null && cur.record().sequence() == seq - 1) {
                for (Memory m : cur.heads()) {
                    if (heads.size() < MAX_HEADS && chars + m.text().length() <= MAX_CHARS && !contains(heads, m)
                            && !touched(commit, m)) {
                        heads.add(m);
                        chars += m.text().length();
                    }
                }
            }
            // landed after other commits: neither the count nor any absence is known at that sequence
            return land(cur, new Snapshot(after, Collections.unmodifiableList(heads), -1, Set.of()), commit);
        });
    }

    private static boolean contains(List<Memory> heads, Memory m) {
        return contains(heads, heads.size(), m);
    }

    /** Whether one of the first {@code n} heads is {@code m}'s memory. */
    private static boolean contains(List<Memory> heads, int n, Memory m) {
        for (int i = 0; i < n; i++) {
            if (heads.get(i).id().equals(m.id())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a commit put a memory at this path. */
    private static boolean putsPath(Commit commit, String path) {
        for (Memory put : commit.putMemories()) {
            if (put.path().equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a commit put the memory (so its state before the commit is not its state after). */
    private static boolean touched(Commit commit, Memory m) {
        for (Memory put : commit.putMemories()) {
            if (put.id().equals(m.id())) {
                return true;
            }
        }
        return false;
    }
}
