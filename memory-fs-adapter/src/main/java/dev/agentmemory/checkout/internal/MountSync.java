package dev.agentmemory.checkout.internal;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.checkout.SyncReport.ConflictKind;
import dev.agentmemory.checkout.SyncReport.RefusalReason;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One sync of one mount, in three phases with nothing mutable passed between them: {@link LocalScan} walks the host
 * directory against the manifest, the store is listed if its revision moved, {@link SyncPlan} decides the steps (a
 * pure function of the manifest, the scan and the listing), and this class carries the steps out: pushes (as one
 * batch when they all succeed), pulls, files set aside, read-only restores. Not thread-safe: the engine runs one at a
 * time.
 */
final class MountSync {

    private final CheckoutEngine engine;
    private final Memories memories;
    private final Manifest.MountState mount;
    private final Report report;
    private final String slug;
    private final Path mountRoot;
    private final boolean readOnly;
    private final Instant now;
    private final long seenAt;

    MountSync(CheckoutEngine engine, Memories memories, Manifest.MountState mount, Report report) {
        this.engine = engine;
        this.memories = memories;
        this.mount = mount;
        this.report = report;
        this.slug = mount.slug;
        this.mountRoot = engine.root().resolve(mount.slug);
        this.readOnly = memories.access() == Access.READ_ONLY;
        this.now = engine.clock().instant();
        this.seenAt = HostFiles.nanos(now);
    }

    static Path hostPath(Path mountRoot, String memoryPath) throws IOException {
        Path p = mountRoot.resolve(memoryPath.substring(1));
        if (!p.normalize().startsWith(mountRoot) || p.equals(mountRoot)) {
            throw new IOException("memory path " + memoryPath + " does not map into " + mountRoot);
        }
        for (Path d = p.getParent(); d != null && !d.equals(mountRoot); d = d.getParent()) {
            if (Files.isSymbolicLink(d)) {
                throw new IOException("refusing to write or delete " + p + " through the symbolic link " + d
                        + "; replace the link with a directory");
            }
        }
        return p;
    }

    static Manifest.Entry entry(String memoryId, String sha, BasicFileAttributes attrs, long seenAt) {
        return new Manifest.Entry(memoryId, sha, attrs.size(), HostFiles.mtimeNanos(attrs), HostFiles.fileKey(attrs),
                HostFiles.isRacy(attrs, seenAt));
    }

    void run() throws IOException {
        if (Files.exists(mountRoot, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(mountRoot, LinkOption.NOFOLLOW_LINKS)) {
            return; // reported by the engine's check of the root
        }
        if (!Files.exists(mountRoot, LinkOption.NOFOLLOW_LINKS)) {
            // Most likely an accident (a clean-up one level too high): deleting every memory would be a surprise.
            report.failure(slug, "/", "mount_directory_missing", "the mount directory " + mountRoot + " is missing,"
                    + " so nothing of this mount was synchronised and nothing was deleted; recreate it (reopen the"
                    + " checkout elsewhere to get its files back), or to delete every memory, empty it instead");
            return;
        }
        LocalScan.State local = LocalScan.scan(memories, mountRoot, slug, readOnly, new LinkedHashMap<>(mount.entries),
                seenAt, report);
        refresh(local.refreshes());
        long revision = memories.revision();
        Optional<SyncPlan.Listing> listing = revision != mount.revision ? Optional.of(listRemote())
                : Optional.empty();
        if (!local.changed() && listing.isEmpty() && !(readOnly && hasExtraDirs(local.dirs()))) {
            return;
        }
        Map<String, Manifest.Entry> entries = new LinkedHashMap<>(mount.entries);
        List<SyncPlan.Step> steps = readOnly ? SyncPlan.readOnly(entries, local, listing)
                : SyncPlan.readWrite(entries, local, listing);
        new Apply(local).run(steps);
        if (mount.revision != revision) {
            mount.revision = revision;
            report.manifestDirty = true;
        }
    }

    /** Records the new entries of files whose content did not change (and keeps a read-only mount's files locked). */
    private void refresh(List<LocalScan.Refresh> refreshes) {
        for (LocalScan.Refresh r : refreshes) {
            if (readOnly) { // same content, but perhaps a new file with the default permissions
                HostFiles.setPermissions(r.host(), HostFiles.RO_FILE);
            }
            if (r.changed()) {
                mount.entries.put(r.path(), r.fresh());
                report.manifestDirty = true;
            }
        }
    }

    private SyncPlan.Listing listRemote() {
        Map<String, Memory> byId = new HashMap<>();
        Map<String, Memory> byPath = new HashMap<>();
        ListQuery query = ListQuery.builder().limit(100).build();
        while (true) {
            Page<ListEntry> page = memories.list(query);
            for (ListEntry entry : page.items()) {
                if (entry instanceof Memory m) {
                    byId.put(m.id().value(), m);
                    byPath.put(m.path(), m);
                }
            }
            if (page.nextCursor().isEmpty()) {
                return new SyncPlan.Listing(byId, byPath);
            }
            query = query.page(page.nextCursor().get());
        }
    }

    private String memoryPath(Path file) {
        return LocalScan.memoryPath(memories, mountRoot, file);
    }

    private boolean hasExtraDirs(List<Path> dirs) {
        Set<Path> needed = neededDirs(dirs);
        return dirs.stream().anyMatch(d -> !needed.contains(d));
    }

    private Set<Path> neededDirs(List<Path> dirs) {
        Set<String> needed = new HashSet<>();
        for (String path : mount.entries.keySet()) {
            for (int slash = path.lastIndexOf('/'); slash > 0 && needed.add(path.substring(0, slash));
                    slash = path.lastIndexOf('/', slash - 1)) {
                // collect every ancestor directory, as a memory path without the trailing slash
            }
        }
        Set<Path> dirsNeeded = new HashSet<>();
        for (Path d : dirs) {
            if (needed.contains(memoryPath(d))) {
                dirsNeeded.add(d);
            }
        }
        return dirsNeeded;
    }

    /**
     * The applying phase: carries out a plan's steps, in order, against the host directory, the store and the
     * manifest. Its one piece of state lives as long as the phase: whether a read-only mount's tree is unlocked. A
     * step about a manifest entry that an earlier step gave away (another memory pulled to its path) does nothing.
     */
    private final class Apply implements SyncPlan.Applier {

        private final LocalScan.State local;
        private boolean unlocked;

        Apply(LocalScan.State local) {
            this.local = local;
        }

        void run(List<SyncPlan.Step> steps) throws IOException {
            try {
                if (readOnly) {
                    unlock();
                }
                for (SyncPlan.Step step : steps) {
                    step.applyTo(this);
                }
            } finally {
                if (unlocked) {
                    HostFiles.lockTree(mountRoot);
                }
            }
        }

        @Override
        public void reportOdd(SyncPlan.ReportOdd s) {
            report.refused(slug, s.odd().path(), s.odd().reason(), false, Optional.empty(), s.odd().host() + " is "
                    + (s.odd().reason() == RefusalReason.SYMLINK ? "a symbolic link" : "not a regular file")
                    + "; it is never followed or synchronised (replace it with a regular file)");
        }

        @Override
        public void removeOdd(SyncPlan.RemoveOdd s) throws IOException {
            Files.deleteIfExists(s.odd().host());
            report.refused(slug, s.odd().path(), s.odd().reason(), true, Optional.empty(), "the mount " + slug
                    + " is read-only; " + s.odd().host() + " (" + (s.odd().reason() == RefusalReason.SYMLINK
                    ? "a symbolic link" : "a special file") + ") was removed");
        }

        @Override
        public void aside(SyncPlan.Aside s) {
            aside(s.path(), s.host(), s.kind(), s.why());
        }

        @Override
        public void adopt(SyncPlan.Adopt s) {
            mount.entries.put(s.path(), entry(s.memory().id().value(), s.memory().contentSha256(),
                    s.local().attrs(), seenAt));
            report.manifestDirty = true;
        }

        @Override
        public void refuseContent(SyncPlan.RefuseContent s) {
            report.refused(slug, s.path(), RefusalReason.INVALID_CONTENT, false, Optional.empty(), s.local().host()
                    + " is not valid UTF-8 text; memories are UTF-8 text, so it is not synchronised (the file is"
                    + " kept)");
        }

        @Override
        public void settle(SyncPlan.Settle s) {
            settle(s.was(), s.memory());
        }

        @Override
        public void forget(SyncPlan.Forget s) {
            forget(s.was());
        }

        @Override
        public void pull(SyncPlan.Pull s) {
            pull(s.was(), s.memory());
        }

        @Override
        public void conflict(SyncPlan.Conflict s) {
            report.conflict(slug, s.path(), s.kind(), Optional.empty(), s.why());
        }

        @Override
        public void pushAll(SyncPlan.PushAll s) {
            push(s.pushes());
        }

        @Override
        public void deleteLocal(SyncPlan.DeleteLocal s) {
            if (stillTracked(s.was())) {
                deleteLocal(s.was());
            }
        }

        @Override
        public void pullUntouched(SyncPlan.PullUntouched s) {
            if (stillTracked(s.was())) {
                pull(Optional.of(s.was()), s.memory());
            }
        }

        @Override
        public void removeCreated(SyncPlan.RemoveCreated s) throws IOException {
            Optional<Path> saved = s.save() ? save(s.path(), s.local()) : Optional.empty();
            Files.deleteIfExists(s.local().host());
            report.refused(slug, s.path(), RefusalReason.READ_ONLY, true, saved, "the mount " + slug
                    + " is read-only; the new file " + s.local().host() + " was removed"
                    + saved.map(f -> " (its content is kept in " + f + ")").orElse(""));
        }

        @Override
        public void restore(SyncPlan.Restore s) {
            String p = s.was().path();
            Optional<Path> saved = s.local().flatMap(c -> save(p, c));
            report.refused(slug, p, RefusalReason.READ_ONLY, true, saved, "the mount " + slug
                    + " is read-only; " + p + " was restored"
                    + saved.map(f -> " (your edit is kept in " + f + ")").orElse(""));
            restore(s.was(), s.storeListed() ? s.memory() : find(s.was()));
        }

        /** Whether the manifest still holds the entry at its path (an earlier step may have given the path away). */
        private boolean stillTracked(SyncPlan.Tracked t) {
            return Optional.ofNullable(mount.entries.get(t.path()))
                    .filter(cur -> cur.memoryId().equals(t.entry().memoryId())).isPresent();
        }

        private void deleteLocal(SyncPlan.Tracked t) {
            try {
                Path host = hostPath(mountRoot, t.path());
                unlock();
                Files.deleteIfExists(host);
                HostFiles.removeEmptyParents(host.getParent(), mountRoot);
                forget(t);
                report.pulled(slug, t.path(), Operation.DELETED, Optional.empty(), t.memoryId());
            } catch (IOException e) {
                report.failure(slug, t.path(), "io_error", "cannot delete " + t.path() + ": " + e);
            }
        }

        private void forget(SyncPlan.Tracked t) {
            if (stillTracked(t)) {
                mount.entries.remove(t.path());
                report.manifestDirty = true;
            }
        }

        /** Makes the local side equal the store's for a memory the local side gave up on (or the store deleted). */
        private void settle(SyncPlan.Tracked t, Optional<Memory> memory) {
            if (memory.isPresent()) {
                pull(Optional.of(t), memory.get());
            } else {
                forget(t);
            }
        }

        /**
         * Writes a memory's current content into the checkout at its current path; if it had another path locally,
         * removes that file. {@code was} is empty for a memory new to the checkout.
         */
        private void pull(Optional<SyncPlan.Tracked> was, Memory listed) {
            String path = listed.path();
            try {
                Memory full;
                try {
                    full = memories.get(listed.id());
                } catch (NotFoundException gone) {
                    if (was.isPresent()) {
                        forget(was.get());
                        Files.deleteIfExists(hostPath(mountRoot, was.get().path()));
                    }
                    return;
                }
                path = full.path();
                Path host = hostPath(mountRoot, path);
                unlock();
                boolean moved = was.isPresent() && !path.equals(was.get().path());
                if (local.unknown().containsKey(path) && (was.isEmpty() || moved)
                        && Files.exists(host, LinkOption.NOFOLLOW_LINKS) && !mount.entries.containsKey(path)) {
                    aside(path, host, ConflictKind.PATH_TAKEN, "another writer put a memory at " + path
                            + " where you had a new file; the store keeps theirs");
                }
                BasicFileAttributes attrs = HostFiles.writeOwned(engine.tmpDir(), host,
                        full.text().getBytes(StandardCharsets.UTF_8), readOnly, full.updatedAt(),
                        engine.clock().instant());
                if (moved && stillTracked(was.get())) {
                    mount.entries.remove(was.get().path());
                    Path old = hostPath(mountRoot, was.get().path());
                    Files.deleteIfExists(old);
                    HostFiles.removeEmptyParents(old.getParent(), mountRoot);
                }
                mount.entries.put(path, entry(full.id().value(), full.contentSha256(), attrs, seenAt));
                report.manifestDirty = true;
                report.pulled(slug, path, was.isEmpty() ? Operation.CREATED : Operation.MODIFIED,
                        moved ? Optional.of(was.get().path()) : Optional.empty(), full.id());
            } catch (IOException | InvalidPathException ex) {
                report.failure(slug, path, "io_error", "cannot write " + path + " into the checkout: " + ex);
            } catch (MemoryException ex) {
                report.failure(slug, path, ex.code(), ex.getMessage());
            }
        }

        /** Moves a local file aside to its conflict name and reports the conflict. */
        private void aside(String path, Path host, ConflictKind kind, String why) {
            try {
                Path target = HostFiles.conflictSibling(host, now);
                Files.move(host, target, StandardCopyOption.ATOMIC_MOVE);
                report.conflict(slug, path, kind, Optional.of(target), why + "; your version is kept in " + target
                        + ", which is never pushed (compare, merge into " + path + ", then delete it)");
            } catch (IOException ex) {
                report.failure(slug, path, "io_error", "cannot keep your version of " + path + " aside (" + ex
                        + "); nothing was changed, the next sync tries again");
            }
        }

        private void unlock() throws IOException {
            if (readOnly && !unlocked) {
                HostFiles.unlockTree(mountRoot);
                unlocked = true;
            }
        }

        // ------------------------------------------------------------ pushes

        private void push(List<SyncPlan.Push> ordered) {
            Batch.Builder batch = Batch.builder();
            ordered.forEach(p -> batch.add(p.change()));
            List<ChangeResult> results;
            try {
                results = memories.apply(batch.build());
            } catch (MemoryException batchFailure) {
                // Nothing was written. Apply one by one, so that each failure is reported against its own file.
                for (SyncPlan.Push p : ordered) {
                    try {
                        succeeded(p, memories.apply(Batch.builder().add(p.change()).build()).get(0));
                    } catch (MemoryException e) {
                        failed(p, e);
                    }
                }
                return;
            }
            for (int i = 0; i < ordered.size(); i++) {
                succeeded(ordered.get(i), results.get(i));
            }
        }

        private void succeeded(SyncPlan.Push p, ChangeResult result) {
            report.manifestDirty = true;
            switch (p.kind()) {
                case CREATE, RENAME -> {
                    Memory m = result.memory().orElseThrow();
                    p.was().ifPresent(t -> mount.entries.remove(t.path()));
                    mount.entries.put(m.path(), entry(m.id().value(), m.contentSha256(),
                            p.content().orElseThrow().attrs(), seenAt));
                    report.pushed(slug, m.path(), p.kind() == SyncPlan.Kind.CREATE ? Operation.CREATED
                            : Operation.MODIFIED, p.was().map(SyncPlan.Tracked::path), m.id(),
                            result.version().map(v -> v.id()));
                }
                case UPDATE -> {
                    Memory m = result.memory().orElseThrow();
                    LocalScan.Content c = p.content().orElseThrow();
                    BasicFileAttributes attrs = c.attrs();
                    report.pushed(slug, p.previous(), Operation.MODIFIED, Optional.empty(), m.id(),
                            result.version().map(v -> v.id()));
                    if (!m.path().equals(p.previous())) {
                        try { // another writer had moved it: follow them
                            Path target = hostPath(mountRoot, m.path());
                            HostFiles.createDirectories(target.getParent(), false);
                            Files.move(c.host(), target, StandardCopyOption.ATOMIC_MOVE);
                            HostFiles.removeEmptyParents(c.host().getParent(), mountRoot);
                            attrs = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                            report.pulled(slug, m.path(), Operation.MODIFIED, Optional.of(p.previous()), m.id());
                        } catch (IOException e) {
                            report.failure(slug, m.path(), "io_error", "cannot move " + p.previous() + " to "
                                    + m.path() + ", where another writer moved it: " + e);
                        }
                    }
                    p.was().ifPresent(this::forget);
                    mount.entries.put(m.path(), entry(m.id().value(), m.contentSha256(), attrs, seenAt));
                }
                case DELETE -> {
                    SyncPlan.Tracked t = p.was().orElseThrow();
                    forget(t);
                    report.pushed(slug, p.path(), Operation.DELETED, Optional.empty(), t.memoryId(),
                            result.version().map(v -> v.id()));
                }
            }
        }

        private void failed(SyncPlan.Push p, MemoryException e) {
            switch (e.kind()) {
                case PRECONDITION_FAILED, NOT_FOUND -> {
                    if (p.was().isPresent()) {
                        raced(p, p.was().get());
                    } else {
                        report.failure(slug, p.path(), e.code(), e.getMessage());
                    }
                }
                case PATH_CONFLICT -> {
                    aside(p.path(), p.content().orElseThrow().host(), ConflictKind.PATH_TAKEN, "the path " + p.path()
                            + " is taken in the store (" + e.getMessage() + ")");
                    if (p.kind() == SyncPlan.Kind.RENAME) {
                        SyncPlan.Tracked t = p.was().orElseThrow();
                        settle(t, find(t));
                    }
                }
                case READ_ONLY, ARCHIVED -> report.refused(slug, p.path(), RefusalReason.READ_ONLY, false,
                        Optional.empty(), e.getMessage() + " (the local change is kept)");
                case INVALID_ARGUMENT -> report.refused(slug, p.path(),
                        SyncDecisions.refusal(((InvalidArgumentException) e).subject()), false, Optional.empty(),
                        e.getMessage() + " (the local file is kept)");
                case LIMIT_EXCEEDED -> report.refused(slug, p.path(),
                        SyncDecisions.refusal(((LimitExceededException) e).which()), false, Optional.empty(),
                        e.getMessage() + " (the local file is kept)");
                case CONFLICT, STORAGE, SURFACE, WRITE_BLOCKED -> report.failure(slug, p.path(), e.code(),
                        e.getMessage());
            }
        }

        /** Another writer changed the memory between our look at the store and our write. */
        private void raced(SyncPlan.Push p, SyncPlan.Tracked t) {
            Optional<Memory> r = find(t);
            switch (p.kind()) {
                case UPDATE -> {
                    LocalScan.Content c = p.content().orElseThrow();
                    if (r.isEmpty()) {
                        aside(p.previous(), c.host(), ConflictKind.LOCAL_MODIFIED_REMOTE_DELETED, "you edited "
                                + p.previous() + " while another writer deleted it; the store keeps the deletion");
                        forget(t);
                        return;
                    }
                    if (!r.get().contentSha256().equals(c.sha())) {
                        aside(p.previous(), c.host(), ConflictKind.BOTH_MODIFIED, "you and another writer both"
                                + " edited " + p.previous() + "; the store keeps theirs");
                    }
                    pull(Optional.of(t), r.get());
                }
                case RENAME -> {
                    aside(p.path(), p.content().orElseThrow().host(), ConflictKind.LOCAL_MOVED_REMOTE_CHANGED,
                            "you moved " + p.previous() + " to " + p.path() + " while another writer changed it;"
                            + " the store keeps their change");
                    settle(t, r);
                }
                case DELETE -> {
                    if (r.isEmpty()) {
                        forget(t);
                    } else {
                        report.conflict(slug, p.path(), ConflictKind.LOCAL_DELETED_REMOTE_MODIFIED, Optional.empty(),
                                "you deleted " + p.path() + " while another writer edited it; their version is"
                                + " restored");
                        pull(Optional.of(t), r.get());
                    }
                }
                case CREATE -> report.failure(slug, p.path(), "internal", "unexpected race on " + p.kind());
            }
        }

        private Optional<Memory> find(SyncPlan.Tracked t) {
            try {
                return Optional.of(memories.get(t.memoryId()));
            } catch (NotFoundException gone) {
                return Optional.empty();
            }
        }

        // ------------------------------------------------------------ read-only

        @Override
        public void removeExtraDirs(SyncPlan.RemoveExtraDirs step) throws IOException {
            Set<Path> needed = neededDirs(local.dirs());
            for (int i = local.dirs().size() - 1; i >= 0; i--) { // deepest first
                Path d = local.dirs().get(i);
                if (!needed.contains(d) && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    try (var s = Files.list(d)) {
                        if (s.findAny().isPresent()) {
                            continue;
                        }
                    }
                    Files.delete(d);
                    report.refused(slug, memoryPath(d) + "/", RefusalReason.READ_ONLY, true, Optional.empty(),
                            "the mount " + slug + " is read-only; the new directory " + d + " was removed");
                }
            }
        }

        private void restore(SyncPlan.Tracked t, Optional<Memory> r) {
            String p = t.path();
            if (r.isEmpty()) {
                try {
                    Files.deleteIfExists(hostPath(mountRoot, p));
                } catch (IOException ex) {
                    report.failure(slug, p, "io_error", "cannot remove " + p + ": " + ex);
                }
                forget(t);
                return;
            }
            int before = report.pulled.size();
            // pull() rewrites the file from the store; a pull is not news for a file the user changed, so drop its
            // entry
            Manifest.Entry stale = new Manifest.Entry(t.entry().memoryId(), "", -1, -1, "-", true);
            mount.entries.put(p, stale);
            pull(Optional.of(new SyncPlan.Tracked(p, stale)), r.get());
            if (report.pulled.size() > before && r.get().contentSha256().equals(t.entry().sha())
                    && r.get().path().equals(p)) {
                report.pulled.remove(report.pulled.size() - 1);
            }
        }

        private Optional<Path> save(String path, LocalScan.Content c) {
            try {
                Path target = engine.refusedDir().resolve(HostFiles.STAMP_DIR.format(now)).resolve(slug)
                        .resolve(path.substring(1));
                Files.createDirectories(target.getParent());
                Files.write(target, c.bytes());
                return Optional.of(target);
            } catch (IOException | InvalidPathException e) {
                report.failure(slug, path, "io_error", "cannot save the refused content of " + path + ": " + e);
                return Optional.empty();
            }
        }
    }
}
