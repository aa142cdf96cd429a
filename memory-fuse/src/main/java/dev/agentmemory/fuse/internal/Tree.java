package dev.agentmemory.fuse.internal;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.Memories;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one mount knows beyond the store, and its lookups: the open files, the files created through the mount that
 * the store does not hold yet, the empty directories made through it, the names libfuse gave to deleted files still
 * open, and the store paths no Linux directory can show. Lookups of the store are cached per store revision, so
 * nothing is served stale past a commit; across a commit of the mount's own that is provably the only one since, they
 * are carried over with that commit's change applied ({@link #committed}). Thread-safe: every collection is
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

    /**
     * Caches lookups for one store revision. The revision moves forward in place across a commit of the mount's own
     * that is provably the only one since ({@link #committed}), so the lookups survive it at a constant cost per
     * commit. An entry is only added while the view still describes the revision read before the lookup was made
     * ({@link #keep}), so a lookup that raced with such a commit never brings back what the commit changed.
     */
    private static final class View {
        /** The revision every entry describes; changed only with this view's lock held. */
        volatile long revision;
        final ConcurrentHashMap<String, Optional<Memory>> files = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, Boolean> dirs = new ConcurrentHashMap<>();
        /**
         * Directories whose children in the store are all known (read by a listing, or made through this mount while
         * the store held nothing under them): child name to whether it is a directory.
         */
        final ConcurrentHashMap<String, ConcurrentHashMap<String, Boolean>> listed = new ConcurrentHashMap<>();
        /** Paths the core refused by its path rules, with its error (rules do not depend on the revision). */
        final ConcurrentHashMap<String, InvalidArgumentException> invalid = new ConcurrentHashMap<>();

        View(long revision) {
            this.revision = revision;
        }

        /** Adds a lookup made after the view was seen at revision {@code at}, unless the view has moved since. */
        synchronized <V> void keep(long at, ConcurrentHashMap<String, V> map, String key, V value) {
            if (revision == at) {
                map.put(key, value);
            }
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
        long at = v.revision;
        Optional<Memory> m = v.files.get(path);
        if (m != null) {
            return m;
        }
        if (Boolean.TRUE.equals(v.dirs.get(path))) {
            return Optional.empty(); // a directory: the core keeps any memory from having a path that another's extends
        }
        InvalidArgumentException refused = v.invalid.get(path);
        if (refused != null) {
            throw refused;
        }
        try {
            Listed known = listed(v, path);
            if (known == Listed.ABSENT || known == Listed.DIRECTORY) {
                m = Optional.empty(); // not a file among its directory's known children: the core's path rules only
            } else {
                m = memories.findByPath(path);
            }
        } catch (InvalidArgumentException e) {
            v.invalid.put(path, e);
            throw e;
        }
        v.keep(at, v.files, path, m);
        return m;
    }

    /** What a directory's complete listing tells of one of its children. */
    private enum Listed {
        /** The parent's children are not known. */
        UNKNOWN,
        /** No memory has this path or a path below it. */
        ABSENT,
        /** A directory. */
        DIRECTORY,
        /** A file. */
        FILE
    }

    /**
     * Answers from the parent directory's complete listing, if the view has one. Only for a path already in the core's
     * normal form (else the store may hold it under another spelling); the core's path rules are applied, and a path
     * that breaks one is refused with the core's error, as a lookup would be.
     *
     * @throws InvalidArgumentException if the path breaks a rule
     */
    private Listed listed(View v, String path) {
        Map<String, Boolean> children = v.listed.get(parent(path));
        if (children == null || !memories.normalizePath(path).equals(path)) {
            return Listed.UNKNOWN;
        }
        Boolean dir = children.get(path.substring(path.lastIndexOf('/') + 1));
        return dir == null ? Listed.ABSENT : dir ? Listed.DIRECTORY : Listed.FILE;
    }

    /**
     * Returns the revision the cached lookups describe now, to pass to {@link #listing} once a directory's children
     * have been read.
     *
     * @return the revision
     */
    long lookupRevision() {
        return view().revision;
    }

    /**
     * Records a directory's complete children in the store, read after {@link #lookupRevision()} returned {@code at};
     * kept only if the lookups still describe that revision.
     *
     * @param at the revision returned before the children were read
     * @param dir the directory
     * @param children each child's name and whether it is a directory
     */
    void listing(long at, String dir, Map<String, Boolean> children) {
        View v = view;
        v.keep(at, v.listed, dir, new ConcurrentHashMap<>(children));
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
     * Keeps the lookups cached across one commit of the mount's own that changed a single memory, instead of reading
     * the store again for every name after each write. Done only when provably exact: the lookups describe
     * {@code before}, the path's cached lookup shows another head than {@code now} (so the mount's write did commit;
     * one that changed nothing commits nothing), and the store is now at {@code before + 1}, so the mount's commit is
     * the only one in between (every commit raises the revision by exactly one) and what it changed is known here. Then the view moves to the
     * new revision in place: the written path gets its new lookup, and the directories above it are known to exist
     * (after a write) or are forgotten (after a delete, which may have taken their last file). The cost is a few map
     * operations, whatever the number of names cached. Otherwise nothing is kept, and the next lookup reads the store.
     *
     * @param before the revision read just before the commit
     * @param path the path whose memory the commit changed
     * @param now the memory at that path after the commit, or empty if it was deleted
     */
    void committed(long before, String path, Optional<Memory> now) {
        View v = view;
        synchronized (v) {
            Optional<Memory> was = v.files.get(path);
            // The write must provably have committed: a write that changed nothing commits nothing, and then the one
            // commit since 'before' was someone else's. So the path's lookup must be cached and show another head.
            if (v.revision != before || was == null || headOf(was).equals(headOf(now))
                    || memories.revision() != before + 1) {
                return;
            }
            v.files.put(path, now);
            v.dirs.remove(path);
            v.listed.remove(path);
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (now.isPresent()) {
                Map<String, Boolean> siblings = v.listed.get(parent(path));
                if (siblings != null) {
                    siblings.put(name, false);
                }
            } else {
                Map<String, Boolean> siblings = v.listed.get(parent(path));
                if (siblings != null) {
                    siblings.remove(name);
                    if (!siblings.isEmpty()) {
                        // the directory still holds something: it and every directory above it stay as they were
                        v.revision = before + 1;
                        return;
                    }
                }
            }
            for (String p = parent(path); !p.equals("/"); p = parent(p)) {
                if (now.isPresent()) {
                    v.dirs.put(p, true);
                    v.files.put(p, Optional.empty());
                    Map<String, Boolean> above = v.listed.get(parent(p));
                    if (above != null) {
                        above.put(p.substring(p.lastIndexOf('/') + 1), true);
                    }
                } else {
                    v.dirs.remove(p);
                    v.listed.remove(parent(p)); // p may have lost its last file, and left its parent's listing
                }
            }
            v.revision = before + 1;
        }
    }

    private static String headOf(Optional<Memory> m) {
        return m.map(x -> x.headVersionId().value()).orElse("");
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
        long at = v.revision;
        Boolean d = v.dirs.get(path);
        if (d == null) {
            try {
                Listed known = listed(v, path);
                d = known == Listed.UNKNOWN
                        ? !memories.list(ListQuery.under(prefix).depth(1).limit(1).build()).items().isEmpty()
                        : known == Listed.DIRECTORY;
            } catch (InvalidArgumentException e) {
                d = false;
            }
            v.keep(at, v.dirs, path, d);
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
