package dev.agentmemory.checkout.internal;

import dev.agentmemory.checkout.SyncReport.ConflictKind;
import dev.agentmemory.checkout.internal.LocalScan.Content;
import dev.agentmemory.checkout.internal.LocalScan.Odd;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The second phase of a sync, between scanning and applying: from the manifest, what the scan found and the store's
 * listing, the steps that bring the two sides together, in the order they are carried out. A pure function of its
 * inputs (it reads no file and calls no store), deciding each file with {@link SyncDecisions}.
 */
final class SyncPlan {

    private SyncPlan() {
    }

    /**
     * The store as listed in this sync, by memory id and by path.
     *
     * @param byId the listed memories by id
     * @param byPath the listed memories by path
     */
    record Listing(Map<String, Memory> byId, Map<String, Memory> byPath) {

        /** Copies both maps. */
        Listing {
            byId = Map.copyOf(byId);
            byPath = Map.copyOf(byPath);
        }
    }

    /**
     * A manifest entry at its path.
     *
     * @param path the memory path the manifest records
     * @param entry the entry
     */
    record Tracked(String path, Manifest.Entry entry) {

        MemoryId memoryId() {
            return MemoryId.of(entry.memoryId());
        }
    }

    /** The kind of change a push makes; a batch applies deletes, then renames, then updates, then creates. */
    enum Kind { DELETE, RENAME, UPDATE, CREATE }

    /**
     * A local change to push.
     *
     * @param kind what it does
     * @param path the path it is at after the push
     * @param was the manifest entry it changes (empty for a create)
     * @param content the local file it pushes (empty for a delete)
     * @param change the change
     */
    record Push(Kind kind, String path, Optional<Tracked> was, Optional<Content> content, Change change) {

        /** The path the local file had: the entry's for a rename, update or delete, the new one for a create. */
        String previous() {
            return was.map(Tracked::path).orElse(path);
        }
    }

    /** One step of a sync, carried out in order. */
    sealed interface Step {

        /**
         * Hands this step to the method of the applier that carries it out.
         *
         * @param applier the applying phase
         * @throws IOException if the host directory cannot be changed
         */
        void applyTo(Applier applier) throws IOException;
    }

    /** Carries out steps: one method per kind of step, so that a new kind does not compile until it is applied. */
    interface Applier {
        void reportOdd(ReportOdd step);

        void removeOdd(RemoveOdd step) throws IOException;

        void aside(Aside step);

        void adopt(Adopt step);

        void refuseContent(RefuseContent step);

        void settle(Settle step);

        void forget(Forget step);

        void pull(Pull step);

        void conflict(Conflict step);

        void pushAll(PushAll step);

        void deleteLocal(DeleteLocal step);

        void pullUntouched(PullUntouched step);

        void removeCreated(RemoveCreated step) throws IOException;

        void restore(Restore step);

        void removeExtraDirs(RemoveExtraDirs step) throws IOException;
    }

    /** A read-write mount's link or special file: refused, left as it is. */
    record ReportOdd(Odd odd) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.reportOdd(this);
        }
    }

    /** A read-only mount's link or special file: removed. */
    record RemoveOdd(Odd odd) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.removeOdd(this);
        }
    }

    /** Move a local file aside to its conflict name, and report why. */
    record Aside(String path, Path host, ConflictKind kind, String why) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.aside(this);
        }
    }

    /** Record a new local file as the store's memory with the same content at the same path. */
    record Adopt(String path, Memory memory, Content local) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.adopt(this);
        }
    }

    /** Refuse a local file that is not UTF-8 text, and keep it. */
    record RefuseContent(String path, Content local) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.refuseContent(this);
        }
    }

    /** Make the local side equal the store's for a memory: pull it, or forget it if the store has none. */
    record Settle(Tracked was, Optional<Memory> memory) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.settle(this);
        }
    }

    /** Drop a manifest entry (if it is still the manifest's). */
    record Forget(Tracked was) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.forget(this);
        }
    }

    /** Write the store's memory into the checkout; {@code was} is its entry, empty for a memory new here. */
    record Pull(Optional<Tracked> was, Memory memory) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.pull(this);
        }
    }

    /** Report a conflict that sets nothing aside. */
    record Conflict(String path, ConflictKind kind, String why) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.conflict(this);
        }
    }

    /** Push the local changes, as one batch if they all succeed. */
    record PushAll(List<Push> pushes) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.pushAll(this);
        }
    }

    /** The store deleted an entry no local change touched: delete the local file (if the entry is still there). */
    record DeleteLocal(Tracked was) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.deleteLocal(this);
        }
    }

    /** The store changed or moved an entry no local change touched: pull it (if the entry is still there). */
    record PullUntouched(Tracked was, Memory memory) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.pullUntouched(this);
        }
    }

    /** A read-only mount's new file: removed, its content saved unless it is a renamed file's. */
    record RemoveCreated(String path, Content local, boolean save) implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.removeCreated(this);
        }
    }

    /**
     * A read-only mount's edited or deleted file: restored from the store ({@code local} is the edit, saved first).
     *
     * @param was the entry
     * @param local the edited content, empty for a deleted file
     * @param storeListed whether the store was listed (then {@code memory} is the listing's, else it is read)
     * @param memory the listed memory, if any
     */
    record Restore(Tracked was, Optional<Content> local, boolean storeListed, Optional<Memory> memory)
            implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.restore(this);
        }
    }

    /** A read-only mount's directories that no memory needs: removed if empty. */
    record RemoveExtraDirs() implements Step {

        @Override
        public void applyTo(Applier applier) throws IOException {
            applier.removeExtraDirs(this);
        }
    }

    private static Optional<Memory> remoteOf(Optional<Listing> listing, Manifest.Entry e) {
        return listing.flatMap(l -> Optional.ofNullable(l.byId().get(e.memoryId())));
    }

    private static SyncDecisions.Remote remoteState(Optional<Listing> listing, String path, Manifest.Entry e) {
        return SyncDecisions.remote(path, e.sha(), listing.isPresent(), remoteOf(listing, e));
    }

    /**
     * Plans the sync of a read-write mount.
     *
     * @param entries the manifest's entries, by path
     * @param local what the scan found
     * @param listing the store's listing, if its revision moved since the last sync
     * @return the steps, in order
     */
    static List<Step> readWrite(Map<String, Manifest.Entry> entries, LocalScan.State local,
            Optional<Listing> listing) {
        List<Step> steps = new ArrayList<>();
        local.odd().forEach(o -> steps.add(new ReportOdd(o)));
        Set<String> handled = new HashSet<>();
        Set<String> renameTargets = new HashSet<>(local.renames().values());
        List<Push> pushes = new ArrayList<>();
        Set<String> knownIds = new HashSet<>();
        entries.values().forEach(e -> knownIds.add(e.memoryId()));

        for (Map.Entry<String, Content> ce : local.created().entrySet()) {
            String q = ce.getKey();
            Content c = ce.getValue();
            if (renameTargets.contains(q)) {
                continue;
            }
            Optional<Memory> at = listing.flatMap(l -> Optional.ofNullable(l.byPath().get(q)));
            boolean known = at.isPresent() && knownIds.contains(at.get().id().value());
            switch (SyncDecisions.created(at, c.sha(), c.text().isPresent(), known)) {
                case ASIDE_BOTH_CREATED -> steps.add(new Aside(q, c.host(), ConflictKind.BOTH_CREATED,
                        "another writer created " + q + " with other content; the store keeps theirs"));
                case ADOPT -> {
                    steps.add(new Adopt(q, at.get(), c));
                    handled.add(at.get().id().value());
                }
                case KNOWN -> {
                    // the memory is the manifest's: the rest of the sync settles it
                }
                case REFUSE_CONTENT -> steps.add(new RefuseContent(q, c));
                case PUSH -> pushes.add(new Push(Kind.CREATE, q, Optional.empty(), Optional.of(c),
                        new Change.Create(q, c.text().get())));
            }
        }

        for (Map.Entry<String, String> rn : local.renames().entrySet()) {
            String p = rn.getKey();
            String q = rn.getValue();
            Tracked t = new Tracked(p, entries.get(p));
            Optional<Memory> r = remoteOf(listing, t.entry());
            handled.add(t.entry().memoryId());
            switch (SyncDecisions.renamed(remoteState(listing, p, t.entry()))) {
                case ASIDE_AND_SETTLE -> {
                    steps.add(new Aside(q, local.created().get(q).host(), ConflictKind.LOCAL_MOVED_REMOTE_CHANGED,
                            "you moved " + p + " to " + q + " while another writer "
                            + (r.isEmpty() ? "deleted" : "changed") + " it; the store keeps their change"));
                    steps.add(new Settle(t, r));
                }
                case PUSH -> pushes.add(new Push(Kind.RENAME, q, Optional.of(t),
                        Optional.of(local.created().get(q)),
                        new Change.Update(t.memoryId(), MemoryUpdate.path(q).ifContentSha256(t.entry().sha()))));
            }
        }

        for (Map.Entry<String, Content> me : local.modified().entrySet()) {
            String p = me.getKey();
            Content c = me.getValue();
            Tracked t = new Tracked(p, entries.get(p));
            Optional<Memory> r = remoteOf(listing, t.entry());
            handled.add(t.entry().memoryId());
            switch (SyncDecisions.modified(remoteState(listing, p, t.entry()), r.map(Memory::contentSha256), c.sha(),
                    c.text().isPresent())) {
                case ASIDE_AND_FORGET -> {
                    steps.add(new Aside(p, c.host(), ConflictKind.LOCAL_MODIFIED_REMOTE_DELETED, "you edited " + p
                            + " while another writer deleted it; the store keeps the deletion"));
                    steps.add(new Forget(t));
                }
                case ASIDE_AND_PULL -> {
                    steps.add(new Aside(p, c.host(), ConflictKind.BOTH_MODIFIED, "you and another writer both edited "
                            + p + "; the store keeps theirs"));
                    steps.add(new Pull(Optional.of(t), r.get()));
                }
                case PULL -> steps.add(new Pull(Optional.of(t), r.get()));
                case REFUSE_CONTENT -> steps.add(new RefuseContent(p, c));
                case PUSH -> pushes.add(new Push(Kind.UPDATE, r.map(Memory::path).orElse(p), Optional.of(t),
                        Optional.of(c), new Change.Update(t.memoryId(),
                                MemoryUpdate.content(c.text().get()).ifContentSha256(t.entry().sha()))));
            }
        }

        for (String p : local.deleted()) {
            if (local.renames().containsKey(p)) {
                continue;
            }
            Tracked t = new Tracked(p, entries.get(p));
            Optional<Memory> r = remoteOf(listing, t.entry());
            handled.add(t.entry().memoryId());
            switch (SyncDecisions.deleted(remoteState(listing, p, t.entry()))) {
                case FORGET -> steps.add(new Forget(t));
                case CONFLICT_AND_PULL -> {
                    steps.add(new Conflict(p, ConflictKind.LOCAL_DELETED_REMOTE_MODIFIED,
                            "you deleted " + p + " while another writer edited it; their version is restored"));
                    steps.add(new Pull(Optional.of(t), r.get()));
                }
                case PUSH -> pushes.add(new Push(Kind.DELETE, p, Optional.of(t), Optional.empty(),
                        new Change.Delete(t.memoryId(), Optional.of(t.entry().sha()))));
            }
        }
        if (!pushes.isEmpty()) {
            List<Push> ordered = new ArrayList<>();
            for (Kind k : Kind.values()) {
                pushes.stream().filter(p -> p.kind() == k).forEach(ordered::add);
            }
            steps.add(new PushAll(ordered));
        }
        untouched(entries, listing, handled, steps);
        return List.copyOf(steps);
    }

    /**
     * Plans the sync of a read-only mount: every local change is undone (new files removed, edited and deleted files
     * restored, their content saved), then the store's changes are pulled.
     *
     * @param entries the manifest's entries, by path
     * @param local what the scan found
     * @param listing the store's listing, if its revision moved since the last sync
     * @return the steps, in order
     */
    static List<Step> readOnly(Map<String, Manifest.Entry> entries, LocalScan.State local,
            Optional<Listing> listing) {
        List<Step> steps = new ArrayList<>();
        Set<String> handled = new HashSet<>();
        Set<String> renamedShas = new HashSet<>();
        local.renames().keySet().forEach(p -> renamedShas.add(entries.get(p).sha()));
        local.odd().forEach(o -> steps.add(new RemoveOdd(o)));
        local.created().forEach((path, c) -> steps.add(new RemoveCreated(path, c, !renamedShas.contains(c.sha()))));
        local.modified().forEach((p, c) -> {
            Tracked t = new Tracked(p, entries.get(p));
            handled.add(t.entry().memoryId());
            steps.add(new Restore(t, Optional.of(c), listing.isPresent(), remoteOf(listing, t.entry())));
        });
        for (String p : local.deleted()) {
            Tracked t = new Tracked(p, entries.get(p));
            handled.add(t.entry().memoryId());
            steps.add(new Restore(t, Optional.empty(), listing.isPresent(), remoteOf(listing, t.entry())));
        }
        untouched(entries, listing, handled, steps);
        steps.add(new RemoveExtraDirs());
        return List.copyOf(steps);
    }

    /**
     * The entries no local change touched: the store's deletions first (they free paths), then its changes, then
     * the memories new to the checkout, in path order.
     */
    private static void untouched(Map<String, Manifest.Entry> entries, Optional<Listing> listing,
            Set<String> handled, List<Step> steps) {
        if (listing.isEmpty()) {
            return;
        }
        Set<String> known = new HashSet<>(handled);
        entries.values().forEach(e -> known.add(e.memoryId()));
        for (Map.Entry<String, Manifest.Entry> me : entries.entrySet()) {
            Manifest.Entry e = me.getValue();
            if (!handled.contains(e.memoryId()) && SyncDecisions.untouched(remoteState(listing, me.getKey(), e))
                    == SyncDecisions.Untouched.DELETE_LOCAL) {
                steps.add(new DeleteLocal(new Tracked(me.getKey(), e)));
            }
        }
        for (Map.Entry<String, Manifest.Entry> me : entries.entrySet()) {
            Manifest.Entry e = me.getValue();
            if (!handled.contains(e.memoryId()) && SyncDecisions.untouched(remoteState(listing, me.getKey(), e))
                    == SyncDecisions.Untouched.PULL) {
                steps.add(new PullUntouched(new Tracked(me.getKey(), e), remoteOf(listing, e).orElseThrow()));
            }
        }
        for (Memory m : new TreeMap<>(listing.get().byPath()).values()) {
            if (!known.contains(m.id().value())) {
                steps.add(new Pull(Optional.empty(), m));
            }
        }
    }
}
