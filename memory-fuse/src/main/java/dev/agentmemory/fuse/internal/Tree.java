package dev.agentmemory.fuse.internal;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.Memories;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one mount knows beyond the store, and its lookups: the open files, the files created through the mount that
 * the store does not hold yet, the empty directories made through it, the names libfuse gave to deleted files still
 * open, and the store paths no Linux directory can show. Lookups of the store are cached per store revision, so
 * nothing is served stale past a commit; across a commit of the mount's own that is provably the only one since, the
 * directories and the file it wrote are carried over ({@link #committed}). Thread-safe: every collection is
 * concurrent.
 */
final class Tree {

    /** The longest name a Linux directory entry holds, in bytes. */
    static final int NAME_MAX = 255;

    private final Memories memories;
    /** Open files by handle. */
    final ConcurrentHashMap<Long, OpenFile> open = new ConcurrentHashMap<>();
    /** Files created through this mount that the store does not hold yet, by path. */
    final ConcurrentHashMap<String, OpenFile> pending = new ConcurrentHashMap<>();
    /** Directories made through this mount that hold no memory. */
    final Set<String> emptyDirs = ConcurrentHashMap.newKeySet();
    /** Store paths seen that no directory on Linux can show (a segment over 255 bytes). */
    final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    /** Names libfuse gave to deleted files that are still open ({@code .fuse_hiddenNNN}); nothing in the store. */
    final Set<String> hidden = ConcurrentHashMap.newKeySet();
    private volatile View view = new View(Long.MIN_VALUE);

    Tree(Memories memories) {
        this.memories = memories;
    }

    /** Caches lookups for one store revision. */
    private static final class View {
        final long revision;
        final ConcurrentHashMap<String, Optional<Memory>> files = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, Boolean> dirs = new ConcurrentHashMap<>();
        /** Paths the core refused by its path rules, with its error. */
        final ConcurrentHashMap<String, InvalidArgumentException> invalid = new ConcurrentHashMap<>();

        View(long revision) {
            this.revision = revision;
        }
    }

    private View view() {
        long r = memories.revision();
        View v = view;
        if (v.revision != r) {
            v = new View(r);
            view = v;
        }
        return v;
    }

    Optional<Memory> file(String path) {
        if (path.equals("/")) {
            return Optional.empty();
        }
        try {
            return checkedFile(path);
        } catch (InvalidArgumentException e) {
            return Optional.empty(); // a path that breaks a rule cannot exist
        }
    }

    /**
     * Looks a file up like {@link #file(String)}, but a path that breaks one of the core's path rules is refused with
     * the core's own error (cached like the lookups), so that creating a name is checked with the same
     * single lookup that tells whether it exists.
     *
     * @throws InvalidArgumentException if the path breaks a rule
     */
    Optional<Memory> checkedFile(String path) {
        View v = view();
        Optional<Memory> m = v.files.get(path);
        if (m != null) {
            return m;
        }
        InvalidArgumentException refused = v.invalid.get(path);
        if (refused != null) {
            throw refused;
        }
        try {
            m = memories.findByPath(path);
        } catch (InvalidArgumentException e) {
            v.invalid.put(path, e);
            throw e;
        }
        v.files.put(path, m);
        return m;
    }

    /**
     * Returns the store's revision now, to pass to {@link #committed} after a write of the mount's own.
     *
     * @return the revision
     */
    long revision() {
        return memories.revision();
    }

    /**
     * Keeps the directory lookups cached across one commit of the mount's own that changed a single memory, instead
     * of reading the store again for every directory after each write. Done only when provably exact: the lookups were cached at
     * {@code before}, and the store is now at {@code before + 1}, so the mount's commit is the only one in between
     * (every commit raises the revision by exactly one) and what it changed is known here. Otherwise nothing is kept,
     * and the next lookup reads the store.
     *
     * @param before the revision read just before the commit
     * @param path the path whose memory the commit changed
     * @param now the memory at that path after the commit, or empty if it was deleted
     */
    void committed(long before, String path, Optional<Memory> now) {
        View v = view;
        if (v.revision != before || memories.revision() != before + 1) {
            return;
        }
        // Only the directories known to exist are carried over (few, and asked about on every create and lookup
        // below them), and the one file the commit wrote: carrying every name looked up (files, and the names found
        // to be no directory) would cost a pass over all of them per commit.
        View next = new View(before + 1);
        next.files.put(path, now);
        v.dirs.forEach((d, isDir) -> {
            // On a delete, the directories above may have lost their last file: those are read again.
            if (isDir && (now.isPresent() || !path.startsWith(d + "/"))) {
                next.dirs.put(d, true);
            }
        });
        if (now.isPresent()) {
            for (String p = parent(path); !p.equals("/"); p = parent(p)) {
                next.dirs.put(p, true);
            }
        }
        if (view == v) {
            view = next;
        }
    }

    boolean directory(String path) {
        if (path.equals("/") || emptyDirs.contains(path)) {
            return true;
        }
        String prefix = path + "/";
        for (String d : emptyDirs) {
            if (d.startsWith(prefix)) {
                return true; // an empty directory below keeps this one
            }
        }
        for (OpenFile f : pending.values()) {
            if (f.path.startsWith(prefix)) {
                return true;
            }
        }
        View v = view();
        Boolean d = v.dirs.get(path);
        if (d == null) {
            try {
                d = !memories.list(ListQuery.under(prefix).depth(1).limit(1).build()).items().isEmpty();
            } catch (InvalidArgumentException e) {
                d = false;
            }
            v.dirs.put(path, d);
        }
        return d;
    }

    boolean hasChildren(String path) {
        String prefix = path.equals("/") ? "/" : path + "/";
        for (String d : emptyDirs) {
            if (d.startsWith(prefix)) {
                return true;
            }
        }
        for (OpenFile f : pending.values()) {
            if (f.path.startsWith(prefix)) {
                return true;
            }
        }
        return !memories.list(ListQuery.under(prefix).depth(1).limit(1).build()).items().isEmpty();
    }

    /**
     * Tells whether the last segment of a path is longer than a Linux directory entry may be (NAME_MAX). FUSE itself
     * would pass names of up to 1,024 bytes, which most programs cannot handle, so the mount keeps to the limit every
     * other Linux file system has: such names are ENAMETOOLONG here, and memories that have one are not listed.
     */
    static boolean tooLong(String path) {
        int i = path.lastIndexOf('/');
        return path.length() - i - 1 > NAME_MAX / 3
                && path.substring(i + 1).getBytes(StandardCharsets.UTF_8).length > NAME_MAX;
    }

    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    /** Forgets the empty-directory markers above a path where a file landed. */
    void landed(String path) {
        for (String p = parent(path); !p.equals("/"); p = parent(p)) {
            emptyDirs.remove(p);
        }
    }

    /** Keeps a file's directory visible after the file left it. */
    void left(String path) {
        String p = parent(path);
        if (!p.equals("/")) {
            emptyDirs.add(p);
        }
    }

    OpenFile newestWriter(String path) {
        OpenFile best = pending.get(path);
        if (best != null) {
            return best;
        }
        for (OpenFile f : open.values()) {
            if (f.write && f.dirty && !f.detached && f.path.equals(path)) {
                return f;
            }
        }
        return null;
    }
}
