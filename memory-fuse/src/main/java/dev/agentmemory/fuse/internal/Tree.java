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
 * nothing is served stale past a commit. Thread-safe: every collection is concurrent.
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
        View v = view();
        Optional<Memory> m = v.files.get(path);
        if (m == null) {
            try {
                m = memories.findByPath(path);
            } catch (InvalidArgumentException e) {
                m = Optional.empty(); // a path that breaks a rule cannot exist
            }
            v.files.put(path, m);
        }
        return m;
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
