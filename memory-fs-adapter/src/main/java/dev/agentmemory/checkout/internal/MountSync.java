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
import dev.agentmemory.model.Change;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One sync of one mount: scan the host directory against the manifest, compare the store with the manifest if its
 * revision moved, push local changes (as one batch when they all succeed), pull the store's changes into untouched
 * files, and set aside local content that collides. Not thread-safe: the engine runs one at a time.
 */
final class MountSync {

    /** Files larger than this are refused without being read: no store takes them. */
    static final long MAX_READ_BYTES = 64L * 1024 * 1024;

    private final CheckoutEngine engine;
    private final Memories memories;
    private final Manifest.MountState mount;
    private final Report report;
    private final String slug;
    private final Path mountRoot;
    private final boolean readOnly;
    private final int rootLength;
    private final Instant now;
    private final long seenAt;

    private final Map<String, Local> files = new HashMap<>();
    private final List<Odd> odd = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    private final TreeMap<String, Content> modified = new TreeMap<>();
    private final TreeSet<String> deleted = new TreeSet<>();
    private final TreeMap<String, Content> created = new TreeMap<>();
    private final Map<String, String> renames = new LinkedHashMap<>();
    private Remote remote;
    private boolean unlocked;

    record Local(Path host, BasicFileAttributes attrs) {
    }

    record Odd(String path, Path host, RefusalReason reason) {
    }

    /** A local file's bytes; {@code text} is empty if they are not valid UTF-8. */
    record Content(Path host, BasicFileAttributes attrs, byte[] bytes, String sha, Optional<String> text) {
    }

    /** The store as listed (memories by id and by path), with this sync's own pushed changes folded in. */
    record Remote(Map<String, Memory> byId, Map<String, Memory> byPath) {
    }

    private enum Kind { CREATE, UPDATE, RENAME, DELETE }

    private record Push(Kind kind, String path, String previous, Manifest.Entry entry, Content content,
            Change change) {
    }

    MountSync(CheckoutEngine engine, Memories memories, Manifest.MountState mount, Report report) {
        this.engine = engine;
        this.memories = memories;
        this.mount = mount;
        this.report = report;
        this.slug = mount.slug;
        this.mountRoot = engine.root().resolve(mount.slug);
        this.readOnly = memories.access() == Access.READ_ONLY;
        this.rootLength = mountRoot.toString().length();
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

    private static boolean statEquals(Manifest.Entry e, BasicFileAttributes a) {
        return e.size() == a.size() && e.mtimeNanos() == HostFiles.mtimeNanos(a)
                && e.fileKey().equals(HostFiles.fileKey(a));
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
        scan();
        classify();
        long revision = memories.revision();
        if (revision != mount.revision) {
            remote = listRemote();
        }
        boolean local = !modified.isEmpty() || !deleted.isEmpty() || !created.isEmpty() || !odd.isEmpty();
        if (!local && remote == null && !(readOnly && hasExtraDirs())) {
            return;
        }
        try {
            if (readOnly) {
                syncReadOnly();
            } else {
                syncReadWrite();
            }
        } finally {
            if (unlocked) {
                HostFiles.lockTree(mountRoot);
            }
        }
        if (mount.revision != revision) {
            mount.revision = revision;
            report.manifestDirty = true;
        }
    }

    // ---------------------------------------------------------------- scan

    private void scan() throws IOException {
        if (!Files.isDirectory(mountRoot, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(mountRoot, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(mountRoot)) {
                    dirs.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String path = memoryPath(file);
                if (attrs.isSymbolicLink()) {
                    odd.add(new Odd(path, file, RefusalReason.SYMLINK));
                } else if (!attrs.isRegularFile()) {
                    odd.add(new Odd(path, file, RefusalReason.SPECIAL_FILE));
                } else if (readOnly || !HostFiles.isConflictName(file.getFileName().toString())) {
                    files.put(path, new Local(file, attrs));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                report.failure(slug, memoryPath(file), "io_error", "cannot read " + file + ": " + e);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The store's form of a scanned file's path (NFC); a path the store refuses stays as it is: its push says why. */
    private String memoryPath(Path file) {
        String rel = file.toString().substring(rootLength);
        try {
            return memories.normalizePath(rel);
        } catch (MemoryException refused) {
            return rel;
        }
    }

    private Optional<Content> read(String path, Local l) {
        try {
            if (l.attrs().size() > MAX_READ_BYTES) {
                report.refused(slug, path, RefusalReason.TOO_LARGE, false, Optional.empty(), l.host() + " has "
                        + l.attrs().size() + " bytes, far more than any store takes; it is not synchronised");
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(l.host());
            return Optional.of(new Content(l.host(), l.attrs(), bytes, HostFiles.sha256(bytes), HostFiles.utf8(bytes)));
        } catch (IOException e) {
            report.failure(slug, path, "io_error", "cannot read " + l.host() + ": " + e);
            return Optional.empty();
        }
    }

    private void classify() {
        for (Map.Entry<String, Manifest.Entry> me : new ArrayList<>(mount.entries.entrySet())) {
            String path = me.getKey();
            Manifest.Entry e = me.getValue();
            Local l = files.remove(path);
            if (l == null) {
                deleted.add(path);
            } else if (e.racy() || !statEquals(e, l.attrs())) {
                Optional<Content> c = read(path, l);
                if (c.isEmpty()) {
                    continue;
                }
                if (c.get().sha().equals(e.sha())) {
                    if (readOnly) { // same content, but perhaps a new file with the default permissions
                        HostFiles.setPermissions(l.host(), HostFiles.RO_FILE);
                    }
                    Manifest.Entry fresh = entry(e.memoryId(), e.sha(), l.attrs(), seenAt);
                    if (!fresh.equals(e)) {
                        mount.entries.put(path, fresh);
                        report.manifestDirty = true;
                    }
                } else {
                    modified.put(path, c.get());
                }
            }
        }
        for (Map.Entry<String, Local> f : new TreeMap<>(files).entrySet()) {
            read(f.getKey(), f.getValue()).ifPresent(c -> created.put(f.getKey(), c));
        }
        Map<String, Deque<String>> bySha = new HashMap<>();
        created.forEach((path, c) -> bySha.computeIfAbsent(c.sha(), k -> new ArrayDeque<>()).add(path));
        for (String from : deleted) {
            Deque<String> targets = bySha.get(mount.entries.get(from).sha());
            if (targets != null && !targets.isEmpty()) {
                renames.put(from, targets.poll());
            }
        }
    }

    private Remote listRemote() {
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
                return new Remote(byId, byPath);
            }
            query = query.page(page.nextCursor().get());
        }
    }

    private boolean hasExtraDirs() {
        Set<Path> needed = neededDirs();
        return dirs.stream().anyMatch(d -> !needed.contains(d));
    }

    private Set<Path> neededDirs() {
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

    // ---------------------------------------------------------------- read-write

    private Optional<Memory> remoteOf(Manifest.Entry e) {
        return remote == null ? Optional.empty() : Optional.ofNullable(remote.byId.get(e.memoryId()));
    }

    private SyncDecisions.Remote remoteState(String path, Manifest.Entry e, Optional<Memory> r) {
        return SyncDecisions.remote(path, e.sha(), remote != null, r);
    }

    private void syncReadWrite() {
        for (Odd o : odd) {
            report.refused(slug, o.path(), o.reason(), false, Optional.empty(), o.host() + " is "
                    + (o.reason() == RefusalReason.SYMLINK ? "a symbolic link" : "not a regular file")
                    + "; it is never followed or synchronised (replace it with a regular file)");
        }
        Set<String> handled = new HashSet<>();
        Set<String> renameTargets = new HashSet<>(renames.values());
        List<Push> pushes = new ArrayList<>();
        Set<String> knownIds = new HashSet<>();
        mount.entries.values().forEach(e -> knownIds.add(e.memoryId()));

        for (Map.Entry<String, Content> ce : created.entrySet()) {
            String q = ce.getKey();
            Content c = ce.getValue();
            if (renameTargets.contains(q)) {
                continue;
            }
            Optional<Memory> at = remote == null ? Optional.empty() : Optional.ofNullable(remote.byPath.get(q));
            boolean known = at.isPresent() && knownIds.contains(at.get().id().value());
            switch (SyncDecisions.created(at, c.sha(), c.text().isPresent(), known)) {
                case ASIDE_BOTH_CREATED -> aside(q, c.host(), ConflictKind.BOTH_CREATED, "another writer created " + q
                        + " with other content; the store keeps theirs");
                case ADOPT -> {
                    mount.entries.put(q, entry(at.get().id().value(), at.get().contentSha256(), c.attrs(), seenAt));
                    report.manifestDirty = true;
                    handled.add(at.get().id().value());
                }
                case KNOWN -> {
                    // the memory is the manifest's: the rest of the sync settles it
                }
                case REFUSE_CONTENT -> refuseContent(q, c);
                case PUSH -> pushes.add(new Push(Kind.CREATE, q, q, null, c, new Change.Create(q, c.text().get())));
            }
        }

        for (Map.Entry<String, String> rn : renames.entrySet()) {
            String p = rn.getKey();
            String q = rn.getValue();
            Manifest.Entry e = mount.entries.get(p);
            Optional<Memory> r = remoteOf(e);
            handled.add(e.memoryId());
            switch (SyncDecisions.renamed(remoteState(p, e, r))) {
                case ASIDE_AND_SETTLE -> {
                    aside(q, created.get(q).host(), ConflictKind.LOCAL_MOVED_REMOTE_CHANGED, "you moved " + p + " to "
                            + q + " while another writer " + (r.isEmpty() ? "deleted" : "changed") + " it; the store"
                            + " keeps their change");
                    settleRemote(p, e, r);
                }
                case PUSH -> pushes.add(new Push(Kind.RENAME, q, p, e, created.get(q), new Change.Update(id(e),
                        MemoryUpdate.path(q).ifContentSha256(e.sha()))));
            }
        }

        for (Map.Entry<String, Content> me : modified.entrySet()) {
            String p = me.getKey();
            Content c = me.getValue();
            Manifest.Entry e = mount.entries.get(p);
            Optional<Memory> r = remoteOf(e);
            handled.add(e.memoryId());
            switch (SyncDecisions.modified(remoteState(p, e, r), r.map(Memory::contentSha256), c.sha(),
                    c.text().isPresent())) {
                case ASIDE_AND_FORGET -> {
                    aside(p, c.host(), ConflictKind.LOCAL_MODIFIED_REMOTE_DELETED, "you edited " + p
                            + " while another writer deleted it; the store keeps the deletion");
                    forget(p, e);
                }
                case ASIDE_AND_PULL -> {
                    aside(p, c.host(), ConflictKind.BOTH_MODIFIED, "you and another writer both edited " + p
                            + "; the store keeps theirs");
                    pull(p, e, r.get());
                }
                case PULL -> pull(p, e, r.get());
                case REFUSE_CONTENT -> refuseContent(p, c);
                case PUSH -> pushes.add(new Push(Kind.UPDATE, r.map(Memory::path).orElse(p), p, e, c,
                        new Change.Update(id(e), MemoryUpdate.content(c.text().get()).ifContentSha256(e.sha()))));
            }
        }

        for (String p : deleted) {
            if (renames.containsKey(p)) {
                continue;
            }
            Manifest.Entry e = mount.entries.get(p);
            Optional<Memory> r = remoteOf(e);
            handled.add(e.memoryId());
            switch (SyncDecisions.deleted(remoteState(p, e, r))) {
                case FORGET -> forget(p, e);
                case CONFLICT_AND_PULL -> {
                    report.conflict(slug, p, ConflictKind.LOCAL_DELETED_REMOTE_MODIFIED, Optional.empty(),
                            "you deleted " + p + " while another writer edited it; their version is restored");
                    pull(p, e, r.get());
                }
                case PUSH -> pushes.add(new Push(Kind.DELETE, p, p, e, null,
                        new Change.Delete(id(e), Optional.of(e.sha()))));
            }
        }

        apply(pushes);
        pullUntouched(handled);
    }

    private void pullUntouched(Set<String> handled) {
        if (remote == null) {
            return;
        }
        List<Map.Entry<String, Manifest.Entry>> snapshot = new ArrayList<>(mount.entries.entrySet());
        Set<String> known = new HashSet<>();
        snapshot.forEach(me -> known.add(me.getValue().memoryId()));
        for (Map.Entry<String, Manifest.Entry> me : snapshot) { // deletions first: they free paths
            Manifest.Entry e = me.getValue();
            if (!handled.contains(e.memoryId()) && SyncDecisions.untouched(remoteState(me.getKey(), e, remoteOf(e)))
                    == SyncDecisions.Untouched.DELETE_LOCAL) {
                handled.add(e.memoryId());
                try {
                    Path host = hostPath(mountRoot, me.getKey());
                    unlockIfReadOnly();
                    Files.deleteIfExists(host);
                    HostFiles.removeEmptyParents(host.getParent(), mountRoot);
                    forget(me.getKey(), e);
                    report.pulled(slug, me.getKey(), Operation.DELETED, Optional.empty(), id(e));
                } catch (IOException e2) {
                    report.failure(slug, me.getKey(), "io_error", "cannot delete " + me.getKey() + ": " + e2);
                }
            }
        }
        for (Map.Entry<String, Manifest.Entry> me : snapshot) {
            Manifest.Entry e = me.getValue();
            Optional<Memory> r = remoteOf(e);
            if (!handled.contains(e.memoryId())
                    && SyncDecisions.untouched(remoteState(me.getKey(), e, r)) == SyncDecisions.Untouched.PULL) {
                handled.add(e.memoryId());
                pull(me.getKey(), e, r.get());
            }
        }
        for (Memory m : new TreeMap<>(remote.byPath).values()) {
            if (!known.contains(m.id().value()) && !handled.contains(m.id().value())) {
                pull(null, null, m);
            }
        }
    }

    private static MemoryId id(Manifest.Entry e) {
        return MemoryId.of(e.memoryId());
    }

    private void forget(String path, Manifest.Entry e) {
        Manifest.Entry cur = mount.entries.get(path);
        if (cur != null && cur.memoryId().equals(e.memoryId())) {
            mount.entries.remove(path);
            report.manifestDirty = true;
        }
    }

    /** Makes the local side equal the store's for a memory the local side gave up on (or deleted in the store). */
    private void settleRemote(String p, Manifest.Entry e, Optional<Memory> r) {
        if (r.isPresent()) {
            pull(p, e, r.get());
        } else {
            forget(p, e);
        }
    }

    /**
     * Writes a memory's current content into the checkout at its current path; if it had another path locally,
     * removes that file. {@code p} and {@code e} are null for a memory new to the checkout.
     */
    private void pull(String p, Manifest.Entry e, Memory listed) {
        String path = listed.path();
        try {
            Memory full;
            try {
                full = memories.get(listed.id());
            } catch (NotFoundException gone) {
                if (e != null) {
                    forget(p, e);
                    Files.deleteIfExists(hostPath(mountRoot, p));
                }
                return;
            }
            path = full.path();
            Path host = hostPath(mountRoot, path);
            unlockIfReadOnly();
            Local there = files.get(path);
            if (there != null && (e == null || !path.equals(p)) && Files.exists(host, LinkOption.NOFOLLOW_LINKS)
                    && !mount.entries.containsKey(path)) {
                aside(path, host, ConflictKind.PATH_TAKEN, "another writer put a memory at " + path
                        + " where you had a new file; the store keeps theirs");
            }
            BasicFileAttributes attrs = HostFiles.writeOwned(engine.tmpDir(), host,
                    full.text().getBytes(StandardCharsets.UTF_8), readOnly, full.updatedAt(), engine.clock().instant());
            if (e != null && !path.equals(p)) {
                Manifest.Entry cur = mount.entries.get(p);
                if (cur != null && cur.memoryId().equals(e.memoryId())) {
                    mount.entries.remove(p);
                    Path old = hostPath(mountRoot, p);
                    Files.deleteIfExists(old);
                    HostFiles.removeEmptyParents(old.getParent(), mountRoot);
                }
            }
            mount.entries.put(path, entry(full.id().value(), full.contentSha256(), attrs, seenAt));
            report.manifestDirty = true;
            report.pulled(slug, path, e == null ? Operation.CREATED : Operation.MODIFIED,
                    e == null || path.equals(p) ? Optional.empty() : Optional.of(p), full.id());
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

    private void refuseContent(String path, Content c) {
        report.refused(slug, path, RefusalReason.INVALID_CONTENT, false, Optional.empty(), c.host()
                + " is not valid UTF-8 text; memories are UTF-8 text, so it is not synchronised (the file is kept)");
    }

    private void unlockIfReadOnly() throws IOException {
        if (readOnly && !unlocked) {
            HostFiles.unlockTree(mountRoot);
            unlocked = true;
        }
    }

    // ---------------------------------------------------------------- pushes

    private void apply(List<Push> pushes) {
        if (pushes.isEmpty()) {
            return;
        }
        List<Push> ordered = new ArrayList<>();
        for (Kind k : List.of(Kind.DELETE, Kind.RENAME, Kind.UPDATE, Kind.CREATE)) {
            pushes.stream().filter(p -> p.kind() == k).forEach(ordered::add);
        }
        Batch.Builder batch = Batch.builder();
        ordered.forEach(p -> batch.add(p.change()));
        List<ChangeResult> results;
        try {
            results = memories.apply(batch.build());
        } catch (MemoryException batchFailure) {
            // Nothing was written. Apply one by one, so that each failure is reported against its own file.
            for (Push p : ordered) {
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

    private void succeeded(Push p, ChangeResult result) {
        report.manifestDirty = true;
        sawOwnWrite(result);
        switch (p.kind()) {
            case CREATE -> {
                Memory m = result.memory().orElseThrow();
                mount.entries.put(m.path(), entry(m.id().value(), m.contentSha256(), p.content().attrs(), seenAt));
                report.pushed(slug, m.path(), Operation.CREATED, Optional.empty(), m.id(),
                        result.version().map(v -> v.id()));
            }
            case RENAME -> {
                Memory m = result.memory().orElseThrow();
                mount.entries.remove(p.previous());
                mount.entries.put(m.path(), entry(m.id().value(), m.contentSha256(), p.content().attrs(), seenAt));
                report.pushed(slug, m.path(), Operation.MODIFIED, Optional.of(p.previous()), m.id(),
                        result.version().map(v -> v.id()));
            }
            case UPDATE -> {
                Memory m = result.memory().orElseThrow();
                BasicFileAttributes attrs = p.content().attrs();
                report.pushed(slug, p.previous(), Operation.MODIFIED, Optional.empty(), m.id(),
                        result.version().map(v -> v.id()));
                if (!m.path().equals(p.previous())) {
                    try { // another writer had moved it: follow them
                        Path target = hostPath(mountRoot, m.path());
                        HostFiles.createDirectories(target.getParent(), false);
                        Files.move(p.content().host(), target, StandardCopyOption.ATOMIC_MOVE);
                        HostFiles.removeEmptyParents(p.content().host().getParent(), mountRoot);
                        attrs = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        report.pulled(slug, m.path(), Operation.MODIFIED, Optional.of(p.previous()), m.id());
                    } catch (IOException e) {
                        report.failure(slug, m.path(), "io_error", "cannot move " + p.previous() + " to " + m.path()
                                + ", where another writer moved it: " + e);
                    }
                }
                forget(p.previous(), p.entry());
                mount.entries.put(m.path(), entry(m.id().value(), m.contentSha256(), attrs, seenAt));
            }
            case DELETE -> {
                forget(p.path(), p.entry());
                report.pushed(slug, p.path(), Operation.DELETED, Optional.empty(), id(p.entry()),
                        result.version().map(v -> v.id()));
            }
            default -> throw new IllegalStateException(p.kind().toString());
        }
    }

    /**
     * Folds a change this sync pushed into the store listing. The listing was taken before the push, so without this
     * the pull would take a memory created here for one another writer deleted (and delete the new file), and a
     * memory moved or deleted here for one still at its old path.
     */
    private void sawOwnWrite(ChangeResult result) {
        if (remote == null) {
            return; // the store was not listed: the pull has nothing to compare, and the next sync lists it
        }
        String id = result.memoryId().value();
        Memory was = result.memory().isPresent() ? remote.byId.put(id, result.memory().get()) : remote.byId.remove(id);
        if (was != null) {
            remote.byPath.remove(was.path(), was);
        }
        result.memory().ifPresent(m -> remote.byPath.put(m.path(), m));
    }

    private void failed(Push p, MemoryException e) {
        switch (e.kind()) {
            case PRECONDITION_FAILED, NOT_FOUND -> {
                if (p.entry() != null) {
                    raced(p);
                } else {
                    report.failure(slug, p.path(), e.code(), e.getMessage());
                }
            }
            case PATH_CONFLICT -> {
                aside(p.path(), p.content().host(), ConflictKind.PATH_TAKEN, "the path " + p.path()
                        + " is taken in the store (" + e.getMessage() + ")");
                if (p.kind() == Kind.RENAME) {
                    settleRemote(p.previous(), p.entry(), find(p.entry()));
                }
            }
            case READ_ONLY, ARCHIVED -> report.refused(slug, p.path(), RefusalReason.READ_ONLY, false,
                    Optional.empty(), e.getMessage() + " (the local change is kept)");
            case INVALID_ARGUMENT -> {
                RefusalReason reason = switch (((InvalidArgumentException) e).subject()) {
                    case PATH, PREFIX -> RefusalReason.INVALID_PATH;
                    case CONTENT, PRECONDITION, REQUEST -> RefusalReason.INVALID_CONTENT;
                };
                report.refused(slug, p.path(), reason, false, Optional.empty(), e.getMessage()
                        + " (the local file is kept)");
            }
            case LIMIT_EXCEEDED -> {
                RefusalReason reason = switch (((LimitExceededException) e).which()) {
                    case MEMORIES_PER_STORE -> RefusalReason.STORE_FULL;
                    case PATH_BYTES, PATH_SEGMENTS -> RefusalReason.INVALID_PATH;
                    case CONTENT_SIZE_BYTES, STORE_METADATA_PAIRS, ATTACHMENTS_PER_SESSION, STORE_NAME_CHARS,
                            STORE_DESCRIPTION_CHARS, STORE_METADATA_KEY_CHARS, STORE_METADATA_VALUE_CHARS,
                            ATTACHMENT_INSTRUCTIONS_CHARS -> RefusalReason.TOO_LARGE;
                };
                report.refused(slug, p.path(), reason, false, Optional.empty(), e.getMessage()
                        + " (the local file is kept)");
            }
            case CONFLICT, STORAGE, SURFACE, WRITE_BLOCKED -> report.failure(slug, p.path(), e.code(), e.getMessage());
        }
    }

    private Optional<Memory> find(Manifest.Entry e) {
        try {
            return Optional.of(memories.get(id(e)));
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    /** Another writer changed the memory between our look at the store and our write. */
    private void raced(Push p) {
        Optional<Memory> r = find(p.entry());
        switch (p.kind()) {
            case UPDATE -> {
                if (r.isEmpty()) {
                    aside(p.previous(), p.content().host(), ConflictKind.LOCAL_MODIFIED_REMOTE_DELETED, "you edited "
                            + p.previous() + " while another writer deleted it; the store keeps the deletion");
                    forget(p.previous(), p.entry());
                    return;
                }
                if (!r.get().contentSha256().equals(p.content().sha())) {
                    aside(p.previous(), p.content().host(), ConflictKind.BOTH_MODIFIED, "you and another writer both"
                            + " edited " + p.previous() + "; the store keeps theirs");
                }
                pull(p.previous(), p.entry(), r.get());
            }
            case RENAME -> {
                aside(p.path(), p.content().host(), ConflictKind.LOCAL_MOVED_REMOTE_CHANGED, "you moved "
                        + p.previous() + " to " + p.path() + " while another writer changed it; the store keeps"
                        + " their change");
                settleRemote(p.previous(), p.entry(), r);
            }
            case DELETE -> {
                if (r.isEmpty()) {
                    forget(p.path(), p.entry());
                } else {
                    report.conflict(slug, p.path(), ConflictKind.LOCAL_DELETED_REMOTE_MODIFIED, Optional.empty(),
                            "you deleted " + p.path() + " while another writer edited it; their version is restored");
                    pull(p.path(), p.entry(), r.get());
                }
            }
            default -> report.failure(slug, p.path(), "internal", "unexpected race on " + p.kind());
        }
    }

    // ---------------------------------------------------------------- read-only

    private void syncReadOnly() throws IOException {
        unlockIfReadOnly();
        Set<String> handled = new HashSet<>();
        Set<String> renamedShas = new HashSet<>();
        renames.keySet().forEach(p -> renamedShas.add(mount.entries.get(p).sha()));
        for (Odd o : odd) {
            Files.deleteIfExists(o.host());
            report.refused(slug, o.path(), o.reason(), true, Optional.empty(), "the mount " + slug + " is read-only;"
                    + " " + o.host() + " (" + (o.reason() == RefusalReason.SYMLINK ? "a symbolic link" : "a special"
                    + " file") + ") was removed");
        }
        for (Map.Entry<String, Content> ce : created.entrySet()) {
            Content c = ce.getValue();
            Optional<Path> saved = renamedShas.contains(c.sha()) ? Optional.empty() : save(ce.getKey(), c);
            Files.deleteIfExists(c.host());
            report.refused(slug, ce.getKey(), RefusalReason.READ_ONLY, true, saved, "the mount " + slug
                    + " is read-only; the new file " + c.host() + " was removed"
                    + saved.map(s -> " (its content is kept in " + s + ")").orElse(""));
        }
        for (Map.Entry<String, Content> me : modified.entrySet()) {
            String p = me.getKey();
            Manifest.Entry e = mount.entries.get(p);
            handled.add(e.memoryId());
            Optional<Path> saved = save(p, me.getValue());
            report.refused(slug, p, RefusalReason.READ_ONLY, true, saved, "the mount " + slug
                    + " is read-only; " + p + " was restored" + saved.map(s -> " (your edit is kept in " + s + ")")
                    .orElse(""));
            restore(p, e);
        }
        for (String p : deleted) {
            Manifest.Entry e = mount.entries.get(p);
            handled.add(e.memoryId());
            report.refused(slug, p, RefusalReason.READ_ONLY, true, Optional.empty(), "the mount " + slug
                    + " is read-only; " + p + " was restored");
            restore(p, e);
        }
        pullUntouched(handled);
        Set<Path> needed = neededDirs();
        for (int i = dirs.size() - 1; i >= 0; i--) { // deepest first
            Path d = dirs.get(i);
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

    private void restore(String p, Manifest.Entry e) {
        Optional<Memory> r = remote != null ? remoteOf(e) : find(e);
        if (r.isEmpty()) {
            try {
                Files.deleteIfExists(hostPath(mountRoot, p));
            } catch (IOException ex) {
                report.failure(slug, p, "io_error", "cannot remove " + p + ": " + ex);
            }
            forget(p, e);
            return;
        }
        int before = report.pulled.size();
        // pull() rewrites the file from the store; a pull is not news for a file the user changed, so drop its entry
        Manifest.Entry stale = new Manifest.Entry(e.memoryId(), "", -1, -1, "-", true);
        mount.entries.put(p, stale);
        pull(p, stale, r.get());
        if (report.pulled.size() > before && r.get().contentSha256().equals(e.sha()) && r.get().path().equals(p)) {
            report.pulled.remove(report.pulled.size() - 1);
        }
    }

    private Optional<Path> save(String path, Content c) {
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
