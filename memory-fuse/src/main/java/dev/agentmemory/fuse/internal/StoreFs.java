package dev.agentmemory.fuse.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.Page;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Errno;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.FuseConfig;
import org.cryptomator.jfuse.api.FuseConnInfo;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.Statvfs;
import org.cryptomator.jfuse.api.TimeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attachment's memories as a FUSE file system: translates each kernel request into calls on the session's
 * {@link Memories} and the core's refusals into errno ({@link Errnos}). The phases are apart: this class handles
 * requests; {@link Tree} holds what the store cannot (open files' bytes until they are closed, files created
 * exclusively until they land, the empty directories made through this mount) and the lookups, cached per store
 * revision so that nothing is ever served stale past a commit; {@link ClosePlan} decides what a close does, and
 * {@link Committer} writes to the store. Thread-safe: the FUSE loop calls it from several threads.
 */
public final class StoreFs implements FuseOperations {

    private static final Logger LOG = LoggerFactory.getLogger(StoreFs.class);
    private static final int O_ACCMODE = 3;
    private static final int O_RDWR = 2;
    private static final int O_EXCL = 0200;
    private static final int O_TRUNC = 01000;
    private static final int O_APPEND = 02000;
    private static final int RENAME_NOREPLACE = 1;
    private static final int RENAME_EXCHANGE = 2;
    private static final int NAME_MAX = Tree.NAME_MAX;
    private static final String HIDDEN_PREFIX = ".fuse_hidden";
    /** How long a file created exclusively and closed waits for the rename that usually follows (sed -i, editors). */
    static final long EXCLUSIVE_GRACE_MILLIS = 200;
    /**
     * The longest a delete of a hidden file is held back for the rename that libfuse sends right after hiding a
     * rename's open target (on the same thread, microseconds later); a lookup of the hidden file's own path, or a
     * listing of its directory, settles it sooner.
     */
    static final long HELD_DELETE_MILLIS = 100;

    /** A memory whose open file libfuse hid, not deleted yet because a rename over its name may follow. */
    private record Held(Memory memory) { }

    private final Memories memories;
    private final String slug;
    private final Errno errno;
    private final int uid;
    private final int gid;
    private final Instant mountedAt = Instant.now();
    private final AtomicLong nextFh = new AtomicLong(1);
    /** What the mount knows beyond the store: open files, files not landed yet, empty directories, lookups. */
    private final Tree tree;
    private final ConcurrentHashMap<Long, OpenFile> open;
    private final ConcurrentHashMap<String, OpenFile> pending;
    private final Set<String> emptyDirs;
    private final Set<String> unreachable;
    private final Set<String> hidden;
    /**
     * Deletes held back after libfuse hid an open file while a temporary file was pending in its directory, by the
     * path the file had. Entries are removed only with {@link #heldLock} held.
     */
    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
    /**
     * Held across the removal of a held entry together with what follows it: its delete, or its take-over by a
     * rename together with that rename's write. So a rename over a hidden file either finds the entry (and updates the
     * memory) or runs after its delete has committed (and creates a new one), never beside it.
     */
    private final Object heldLock = new Object();
    private final Committer committer;
    private final java.util.concurrent.ScheduledExecutorService landLater =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "memory-mount-land");
                t.setDaemon(true);
                return t;
            });

    /**
     * Creates the file system of one attachment.
     *
     * @param memories the session's handle on the store
     * @param slug the attachment's slug, for messages
     * @param errno the binding's errno constants
     * @param uid the owner shown for every file
     * @param gid the group shown for every file
     */
    public StoreFs(Memories memories, String slug, Errno errno, int uid, int gid) {
        this.memories = memories;
        this.slug = slug;
        this.errno = errno;
        this.uid = uid;
        this.gid = gid;
        this.tree = new Tree(memories);
        this.open = tree.open;
        this.pending = tree.pending;
        this.emptyDirs = tree.emptyDirs;
        this.unreachable = tree.unreachable;
        this.hidden = tree.hidden;
        this.committer = new Committer(memories, slug, new Committer.Outcomes() {
            @Override
            public void landed(OpenFile f, Memory m, long before) {
                pending.remove(f.path, f);
                tree.landed(m.path());
                tree.committed(before, m.path(), Optional.of(m));
            }

            @Override
            public void settled(OpenFile f) {
                pending.remove(f.path, f);
            }
        });
    }

    /**
     * Returns the store paths seen so far that no directory on Linux can show (a segment over 255 bytes).
     *
     * @return store paths, sorted
     */
    public List<String> unreachablePaths() {
        return List.copyOf(new java.util.TreeSet<>(unreachable));
    }

    // ------------------------------------------------------------------ lookups

    // ------------------------------------------------------------------ FuseOperations

    @Override
    public Errno errno() {
        return errno;
    }

    @Override
    public Set<Operation> supportedOperations() {
        return EnumSet.of(Operation.INIT, Operation.GET_ATTR, Operation.OPEN, Operation.CREATE, Operation.READ,
                Operation.WRITE, Operation.FLUSH, Operation.RELEASE, Operation.FSYNC, Operation.TRUNCATE,
                Operation.OPEN_DIR, Operation.READ_DIR, Operation.RELEASE_DIR, Operation.MKDIR, Operation.RMDIR,
                Operation.UNLINK, Operation.RENAME, Operation.SYMLINK, Operation.CHMOD, Operation.CHOWN,
                Operation.UTIMENS, Operation.STATFS);
    }

    @Override
    public void init(FuseConnInfo conn, FuseConfig cfg) {
        // O_TRUNC arrives with open, so "> file" is one version, not an empty one first.
        conn.setWant(conn.want() | (conn.capable() & FuseConnInfo.FUSE_CAP_ATOMIC_O_TRUNC));
    }

    @Override
    public int getattr(String path, Stat stat, FileInfo fi) {
        if (Tree.tooLong(path)) {
            return -Errnos.ENAMETOOLONG;
        }
        if (fi == null) {
            settleHeld(path);
        }
        try {
            OpenFile w = fi != null ? open.get(fi.getFh()) : null;
            if (w == null || !w.dirty) {
                w = tree.newestWriter(path);
            }
            if (w == null && hidden.contains(path)) {
                for (OpenFile f : open.values()) {
                    if (f.path.equals(path)) {
                        w = f; // a deleted file, still open: its descriptors see what they hold
                        break;
                    }
                }
            }
            if (w != null && (!w.detached || hidden.contains(w.path))) {
                synchronized (w) {
                    fileStat(stat, w.size, w.base.map(Memory::updatedAt).orElse(Instant.now()));
                }
                return 0;
            }
            if (hidden.contains(path)) {
                return -Errnos.ENOENT;
            }
            Optional<Memory> m = tree.file(path);
            if (m.isPresent()) {
                fileStat(stat, m.get().contentSizeBytes(), m.get().updatedAt());
                return 0;
            }
            if (tree.directory(path)) {
                dirStat(stat);
                return 0;
            }
            return -Errnos.ENOENT;
        } catch (MemoryException e) {
            return fail("stat", path, e);
        }
    }

    private void fileStat(Stat stat, long size, Instant time) {
        stat.setMode(Stat.S_IFREG | 0644);
        stat.setNLink((short) 1);
        stat.setSize(size);
        stat.setUid(uid);
        stat.setGid(gid);
        stat.mTime().set(time);
        stat.cTime().set(time);
        stat.aTime().set(time);
    }

    private void dirStat(Stat stat) {
        stat.setMode(Stat.S_IFDIR | 0755);
        stat.setNLink((short) 2);
        stat.setUid(uid);
        stat.setGid(gid);
        stat.mTime().set(mountedAt);
        stat.cTime().set(mountedAt);
        stat.aTime().set(mountedAt);
    }

    @Override
    public int opendir(String path, FileInfo fi) {
        settleHeld(path);
        try {
            return tree.directory(path) ? 0 : tree.file(path).isPresent() ? -Errnos.ENOTDIR : -Errnos.ENOENT;
        } catch (MemoryException e) {
            return fail("opendir", path, e);
        }
    }

    @Override
    public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
        String prefix = path.equals("/") ? "/" : path + "/";
        TreeMap<String, Boolean> children = new TreeMap<>(); // name -> is a directory
        settleHeldIn(path); // the listing would still show them
        try {
            long at = tree.lookupRevision();
            java.util.HashMap<String, Boolean> inStore = new java.util.HashMap<>();
            ListQuery q = ListQuery.under(prefix).depth(1).limit(100).build();
            while (true) {
                Page<ListEntry> page = memories.list(q);
                for (ListEntry e : page.items()) {
                    String p = e.path();
                    boolean dir = p.endsWith("/");
                    String name = p.substring(prefix.length(), dir ? p.length() - 1 : p.length());
                    inStore.put(name, dir);
                    if (name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
                        if (unreachable.add(p)) {
                            LOG.warn("mount {}: {} is in the store but cannot be shown: its name is longer than "
                                    + "the 255 bytes a Linux directory entry can hold", slug, p);
                        }
                        continue;
                    }
                    children.put(name, dir);
                }
                if (page.nextCursor().isEmpty()) {
                    break;
                }
                q = q.page(page.nextCursor().get());
            }
            tree.listing(at, path, inStore); // later lookups of names not among them need no query
        } catch (MemoryException e) {
            return fail("readdir", path, e);
        }
        for (String d : emptyDirs) {
            if (d.startsWith(prefix)) {
                int slash = d.indexOf('/', prefix.length());
                children.putIfAbsent(slash < 0 ? d.substring(prefix.length())
                        : d.substring(prefix.length(), slash), true);
            }
        }
        for (OpenFile f : pending.values()) {
            String p = f.path;
            if (p.startsWith(prefix)) {
                int slash = p.indexOf('/', prefix.length());
                children.putIfAbsent(slash < 0 ? p.substring(prefix.length())
                        : p.substring(prefix.length(), slash), slash >= 0);
            }
        }
        filler.fill(".", s -> s.setMode(Stat.S_IFDIR | 0755), 0, 0);
        filler.fill("..", s -> s.setMode(Stat.S_IFDIR | 0755), 0, 0);
        for (var e : children.entrySet()) {
            int mode = e.getValue() ? Stat.S_IFDIR | 0755 : Stat.S_IFREG | 0644;
            if (filler.fill(e.getKey(), s -> s.setMode(mode), 0, 0) != 0) {
                break;
            }
        }
        return 0;
    }

    @Override
    public int releasedir(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int statfs(String path, Statvfs statvfs) {
        statvfs.setBsize(4096);
        statvfs.setFrsize(4096);
        statvfs.setBlocks(1L << 20);
        statvfs.setBfree(1L << 19);
        statvfs.setBavail(1L << 19);
        statvfs.setNameMax(NAME_MAX);
        return 0;
    }

    @Override
    public int open(String path, FileInfo fi) {
        int flags = fi.getFlags();
        boolean write = (flags & O_ACCMODE) != 0;
        boolean trunc = write && (flags & O_TRUNC) != 0;
        boolean append = write && (flags & O_APPEND) != 0 && !trunc;
        settleHeld(path);
        try {
            OpenFile staged = pending.get(path);
            OpenFile f;
            if (staged != null) {
                synchronized (staged) {
                    // Still being created by another opener. A reader sees its bytes; a writer starts its own new
                    // file, which lands as a create (or, for O_APPEND, on top of whichever create landed first)
                    // or fails with EEXIST at close, never silently over the other.
                    byte[] seen = write ? new byte[0] : staged.bytes();
                    f = new OpenFile(nextFh.getAndIncrement(), path, write, false, Optional.empty(), seen, append);
                    f.dirty = write;
                }
            } else {
                Optional<Memory> m = tree.file(path);
                if (m.isEmpty()) {
                    return tree.directory(path) ? -Errnos.EISDIR : -Errnos.ENOENT;
                }
                long revision = Long.MIN_VALUE;
                if (trunc && m.get().contentSizeBytes() != 0) {
                    revision = memories.revision();
                    memories.checkWrite(path, new byte[0]); // "> file": refused at open if the store would refuse
                }
                byte[] content = trunc ? new byte[0] : m.get().text().getBytes(StandardCharsets.UTF_8);
                f = new OpenFile(nextFh.getAndIncrement(), path, write, false, m, content, append);
                f.dirty = trunc && m.get().contentSizeBytes() != 0;
                f.checkedAtRevision = revision;
            }
            open.put(f.fh, f);
            fi.setFh(f.fh);
            return 0;
        } catch (MemoryException e) {
            return fail("open", path, e);
        }
    }

    @Override
    public int create(String path, int mode, FileInfo fi) {
        if ((mode & Stat.S_IFMT) != 0 && (mode & Stat.S_IFMT) != Stat.S_IFREG) {
            return -Errnos.EPERM; // memories are regular files only
        }
        if (Tree.tooLong(path)) {
            return -Errnos.ENAMETOOLONG;
        }
        int flags = fi.getFlags();
        settleHeld(path);
        try {
            // The core's path rules, before anything is opened, with the same lookup that tells if it exists.
            if (tree.checkedFile(path).isPresent() || pending.containsKey(path)) {
                if ((flags & O_EXCL) != 0) {
                    return -Errnos.EEXIST;
                }
                return open(path, fi);
            }
            if (!tree.directory(Tree.parent(path))) {
                return -Errnos.ENOENT;
            }
            // Refused now if the store would refuse the file (full, archived, a path rule), so that the creating
            // process learns it at open; a temporary file only needs a writable store, as it is usually renamed
            // over an existing file.
            long revision = memories.revision();
            if (isMkstemp(flags)) {
                memories.checkWritable();
            } else {
                memories.checkWrite(path, new byte[0]);
            }
            OpenFile f = new OpenFile(nextFh.getAndIncrement(), path, true, isMkstemp(flags),
                    Optional.empty(), new byte[0], (flags & O_APPEND) != 0);
            if (!f.exclusive) {
                f.checkedAtRevision = revision;
            }
            f.dirty = true; // even an empty new file becomes a memory
            if (pending.putIfAbsent(path, f) != null) {
                return -Errnos.EEXIST;
            }
            open.put(f.fh, f);
            fi.setFh(f.fh);
            return 0;
        } catch (MemoryException e) {
            return fail("create", path, e);
        }
    }

    /**
     * Tells whether a create has the shape of {@code mkstemp}: {@code O_CREAT|O_EXCL|O_RDWR}, which sed -i, editors and
     * most tools use for the temporary file they rename over the target. Only such files wait for their rename;
     * {@code cp}'s new files ({@code O_WRONLY|O_EXCL}) and all others are written at close like any file.
     */
    private static boolean isMkstemp(int flags) {
        return (flags & O_EXCL) != 0 && (flags & O_ACCMODE) == O_RDWR;
    }

    @Override
    public int read(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
        OpenFile f = open.get(fi.getFh());
        if (f == null) {
            return -Errnos.EBADF;
        }
        synchronized (f) {
            if (offset >= f.size) {
                return 0;
            }
            int n = (int) Math.min(count, f.size - offset);
            buf.put(f.buf, (int) offset, n);
            return n;
        }
    }

    @Override
    public int write(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
        OpenFile f = open.get(fi.getFh());
        if (f == null || !f.write) {
            return -Errnos.EBADF;
        }
        byte[] data = new byte[(int) count];
        buf.get(data);
        synchronized (f) {
            return f.write(data, offset) ? (int) count : -Errnos.EFBIG;
        }
    }

    @Override
    public int truncate(String path, long size, FileInfo fi) {
        OpenFile f = fi != null ? open.get(fi.getFh()) : null;
        if (f == null) {
            f = pending.get(path);
        }
        if (f != null && f.write) {
            synchronized (f) {
                return f.truncate(size) ? 0 : -Errnos.EFBIG;
            }
        }
        // truncate(1) on a closed file: one version, unless another writer got there first.
        settleHeld(path);
        try {
            Optional<Memory> m = tree.file(path);
            if (m.isEmpty()) {
                return tree.directory(path) ? -Errnos.EISDIR : -Errnos.ENOENT;
            }
            OpenFile tmp = new OpenFile(-1, path, true, false, m, m.get().text().getBytes(StandardCharsets.UTF_8),
                    false);
            if (!tmp.truncate(size)) {
                return -Errnos.EFBIG;
            }
            return committer.commit(tmp);
        } catch (MemoryException e) {
            return fail("truncate", path, e);
        }
    }

    @Override
    public int flush(String path, FileInfo fi) {
        OpenFile f = open.get(fi.getFh());
        if (f == null) {
            return 0;
        }
        synchronized (f) {
            return switch (ClosePlan.atFlush(f.dirty, f.detached, f.written, f.exclusive && f.isNew())) {
                case NOTHING -> 0;
                case CHECK -> committer.check(f); // lands at the last close, or where it is renamed to
                case COMMIT -> committer.commit(f);
            };
        }
    }

    @Override
    public int fsync(String path, int datasync, FileInfo fi) {
        OpenFile f = open.get(fi.getFh());
        if (f == null) {
            return 0;
        }
        synchronized (f) {
            return f.dirty && !f.detached ? committer.commit(f) : 0;
        }
    }

    @Override
    public int release(String path, FileInfo fi) {
        OpenFile f = open.get(fi.getFh());
        if (f == null) {
            return 0;
        }
        try {
            synchronized (f) {
                f.released = true;
                switch (ClosePlan.atRelease(f.dirty, f.detached, f.exclusive && f.isNew())) {
                    // A rename usually follows at once (sed -i, editors, rsync): give it the chance to take these
                    // bytes straight to the target, so the temporary name never becomes a version. The wait must not
                    // block this request: libfuse holds the path's lock until it returns, and the rename needs it.
                    // The file stays in 'pending' until it lands.
                    case LAND_LATER -> landLater.schedule(() -> land(f), EXCLUSIVE_GRACE_MILLIS,
                            TimeUnit.MILLISECONDS);
                    case LAND_NOW, NOTHING -> committer.land(f);
                }
            }
            return 0;
        } finally {
            open.remove(fi.getFh()); // only now: awaitSettled waits for what is still being written
        }
    }

    private void land(OpenFile f) {
        synchronized (f) {
            committer.land(f);
        }
    }

    /**
     * Waits until every file closed through this mount has landed in the store (the kernel reports a last close
     * shortly after the closing process goes on).
     *
     * @param timeoutMillis the longest wait
     * @return true if nothing is open or waiting
     */
    public boolean awaitSettled(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!(open.isEmpty() && pending.isEmpty() && held.isEmpty())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Lands every file waiting for a rename now, and stops the timer. Called when unmounting. */
    public void shutdown() {
        settleHeldWhere(p -> true);
        landLater.shutdownNow();
        for (OpenFile f : List.copyOf(pending.values())) {
            if (f.released) {
                land(f);
            }
        }
    }

    @Override
    public int mkdir(String path, int mode) {
        if (Tree.tooLong(path)) {
            return -Errnos.ENAMETOOLONG;
        }
        settleHeld(path);
        try {
            long at = tree.lookupRevision();
            if (tree.checkedFile(path).isPresent() || tree.directory(path)) { // and the core's path rules
                return -Errnos.EEXIST;
            }
            if (!tree.directory(Tree.parent(path))) {
                return tree.file(Tree.parent(path)).isPresent() ? -Errnos.ENOTDIR : -Errnos.ENOENT;
            }
            emptyDirs.add(path);
            tree.listing(at, path, java.util.Map.of()); // the store holds nothing under it
            return 0;
        } catch (MemoryException e) {
            return fail("mkdir", path, e);
        }
    }

    @Override
    public int rmdir(String path) {
        settleHeldUnder(path);
        try {
            if (tree.file(path).isPresent()) {
                return -Errnos.ENOTDIR;
            }
            if (!tree.directory(path)) {
                return -Errnos.ENOENT;
            }
            if (tree.hasChildren(path)) {
                return -Errnos.ENOTEMPTY;
            }
            emptyDirs.remove(path);
            tree.left(path);
            return 0;
        } catch (MemoryException e) {
            return fail("rmdir", path, e);
        }
    }

    @Override
    public int unlink(String path) {
        if (hidden.remove(path)) {
            return 0; // the memory was deleted when libfuse hid it, or replaced by the rename that made it hide it
        }
        settleHeld(path);
        OpenFile staged = pending.get(path);
        if (staged != null) {
            synchronized (staged) {
                staged.detached = true;
                staged.dirty = false;
                staged.notifyAll();
                pending.remove(path, staged);
            }
            return 0;
        }
        try {
            Optional<Memory> m = tree.file(path);
            if (m.isEmpty()) {
                return tree.directory(path) ? -Errnos.EISDIR : -Errnos.ENOENT;
            }
            long before = tree.revision();
            memories.delete(m.get().id());
            tree.committed(before, path, Optional.empty());
            tree.left(path);
            return 0;
        } catch (MemoryException e) {
            return fail("unlink", path, e);
        }
    }

    @Override
    public int rename(String from, String to, int flags) {
        if ((flags & RENAME_EXCHANGE) != 0) {
            return -Errnos.EINVAL; // a store has no atomic exchange of two memories
        }
        boolean noReplace = (flags & RENAME_NOREPLACE) != 0;
        synchronized (heldLock) {
            if (isHiddenName(to)) {
                try {
                    return hide(from, to);
                } catch (MemoryException e) {
                    return fail("unlink", from, e);
                }
            }
            // The rename libfuse sends right after hiding its open target takes the held memory over: the target is
            // replaced (a file waiting for its rename updates that memory), not deleted and made again. The lock
            // keeps a settling lookup on another thread from deleting it between this take-over and the write.
            Held replaced = held.remove(to);
            settleHeldUnder(from);
            settleHeldUnder(to);
            int result = renameOver(from, to, noReplace);
            if (replaced != null && result != 0) {
                deleteHeld(to, replaced); // the rename failed; the target is hidden all the same, so it is deleted
            }
            return result;
        }
    }

    private static boolean isHiddenName(String path) {
        return path.substring(path.lastIndexOf('/') + 1).startsWith(HIDDEN_PREFIX);
    }

    /**
     * Tells whether a rename may follow the hiding of an open file in a directory: only a file waiting for its rename
     * (created as {@code mkstemp} creates) in that same directory is what {@code sed -i} and editors rename over it,
     * so a delete is held back only while there is one there. Otherwise ({@code rm} of an open file, above all) the
     * delete is written at once and its refusal is the caller's errno.
     */
    private boolean renameMayFollow(String dir) {
        for (OpenFile f : pending.values()) {
            if (f.exclusive && !f.detached && Tree.parent(f.path).equals(dir)) {
                return true;
            }
        }
        return false;
    }

    /** Writes the held delete of a path now, before a lookup of that path, so that the lookup never sees it. */
    private void settleHeld(String path) {
        settleHeldWhere(path::equals);
    }

    /** Writes the held deletes of a directory's files now, before it is listed. */
    private void settleHeldIn(String dir) {
        settleHeldWhere(p -> Tree.parent(p).equals(dir));
    }

    /** Writes the held deletes at or under a path now, before it is renamed or removed. */
    private void settleHeldUnder(String path) {
        String prefix = path.equals("/") ? "/" : path + "/";
        settleHeldWhere(p -> p.equals(path) || p.startsWith(prefix));
    }

    private void settleHeldWhere(java.util.function.Predicate<String> which) {
        // Without the lock when nothing matches (the usual case, also while another path is held): an entry added
        // after this check is newer than the lookup, and a lookup of another path does not wait for a rename.
        boolean any = false;
        for (String p : held.keySet()) {
            if (which.test(p)) {
                any = true;
                break;
            }
        }
        if (!any) {
            return;
        }
        synchronized (heldLock) {
            for (var e : held.entrySet()) {
                if (which.test(e.getKey()) && held.remove(e.getKey(), e.getValue())) {
                    deleteHeld(e.getKey(), e.getValue());
                }
            }
        }
    }

    /** Writes one held delete, unless a rename took it over meanwhile; the timer's end of a hold. */
    private void settleHeld(String path, Held h) {
        synchronized (heldLock) {
            if (held.remove(path, h)) {
                deleteHeld(path, h);
            }
        }
    }

    /**
     * Deletes a hidden memory if it still holds the content it was hidden with. Called with {@link #heldLock} held.
     * The {@code rm} that hid it has already returned, so a refusal can only be logged; the hold is short and only
     * taken after the store said it was writable.
     */
    private void deleteHeld(String path, Held h) {
        try {
            memories.delete(h.memory().id(), h.memory().contentSha256());
        } catch (MemoryException e) {
            switch (e.kind()) {
                case NOT_FOUND -> { } // deleted meanwhile through another surface: nothing left to do
                case PRECONDITION_FAILED -> LOG.info("mount {}: {} was removed while open, but another writer "
                        + "changed it meanwhile; their version is kept", slug, path);
                default -> LOG.error("mount {}: the delete of {} (removed while open) failed: {}", slug, path,
                        e.toString());
            }
        }
    }

    private int renameOver(String from, String to, boolean noReplace) {
        if (Tree.tooLong(to)) {
            return -Errnos.ENAMETOOLONG;
        }
        try {
            tree.checkedFile(to); // the core's path rules for the destination
            OpenFile staged = pending.get(from);
            if (staged != null) {
                return renameStaged(staged, from, to, noReplace);
            }
            Optional<Memory> src = tree.file(from);
            Optional<Memory> dst = tree.file(to);
            boolean dstDir = dst.isEmpty() && tree.directory(to);
            if (src.isPresent()) {
                if (dstDir) {
                    return -Errnos.EISDIR;
                }
                if (dst.isPresent()) {
                    if (noReplace) {
                        return -Errnos.EEXIST;
                    }
                    if (dst.get().id().equals(src.get().id())) {
                        return 0;
                    }
                    memories.apply(Batch.builder().delete(dst.get().id())
                            .update(src.get().id(), MemoryUpdate.path(to)).build());
                } else {
                    if (!tree.directory(Tree.parent(to))) {
                        return -Errnos.ENOENT;
                    }
                    memories.update(src.get().id(), MemoryUpdate.path(to));
                }
                emptyDirs.remove(to);
                tree.left(from);
                tree.landed(to);
                return 0;
            }
            if (!tree.directory(from)) {
                return -Errnos.ENOENT;
            }
            return renameDirectory(from, to, dst, dstDir, noReplace);
        } catch (MemoryException e) {
            return fail("rename", from + " -> " + to, e);
        }
    }

    /**
     * libfuse's answer to unlinking a file that is still open, or renaming another file over it: it renames it to
     * {@code .fuse_hiddenNNN} and unlinks that name at the last close. For the store this is the delete (one
     * {@code deleted} version at the file's own path, as for any {@code rm}), written at once; the open descriptors
     * keep reading the bytes they hold, and what they write is lost, as on any file system for a file that no longer
     * has a name. While a file created as {@code mkstemp} creates waits for its rename in the same directory, the
     * delete is held back instead: if the rename that follows at once is that file's, over this name, it becomes an
     * update of this memory (one {@code modified} version, id kept), as when nothing held the target open. A lookup of
     * this path or a listing of its directory before that writes the delete first ({@link #settleHeld(String)}), and a
     * timer writes it within {@link #HELD_DELETE_MILLIS} at the latest; the delete is conditional on the content
     * hidden. Called with {@link #heldLock} held.
     */
    private int hide(String from, String hiddenName) {
        OpenFile staged = pending.get(from);
        if (staged != null) {
            return unlink(from);
        }
        settleHeld(from);
        Optional<Memory> m = tree.file(from);
        if (m.isEmpty()) {
            return -Errnos.ENOENT;
        }
        if (renameMayFollow(Tree.parent(from))) {
            // libfuse hides an open file for an unlink and for a rename over it alike, and in the second case calls
            // the rename at once, on this thread. Hold the delete back until then, so that a temporary file renamed
            // over the target (sed -i whose own read descriptor libfuse still counts open) updates the same memory.
            memories.checkWritable(); // the delete would be refused: say so now, to the caller
            Held h = new Held(m.get());
            held.put(from, h);
            landLater.schedule(() -> settleHeld(from, h), HELD_DELETE_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            memories.delete(m.get().id());
        }
        for (OpenFile f : open.values()) {
            synchronized (f) {
                if (f.path.equals(from)) {
                    f.detached = true;
                    f.dirty = false;
                    f.path = hiddenName;
                }
            }
        }
        hidden.add(hiddenName);
        tree.left(from);
        return 0;
    }

    /** A file created exclusively and not landed yet goes straight to its new name: one version there. */
    private int renameStaged(OpenFile f, String from, String to, boolean noReplace) {
        synchronized (f) {
            if (f.detached || pending.get(from) != f) {
                return -Errnos.ENOENT;
            }
            Optional<Memory> dst = tree.file(to);
            if (dst.isEmpty() && tree.directory(to)) {
                return -Errnos.EISDIR;
            }
            if (dst.isPresent() && noReplace) {
                return -Errnos.EEXIST;
            }
            byte[] bytes = f.bytes();
            try {
                Memory m = dst.isPresent() ? memories.update(dst.get().id(), bytes) : memories.create(to, bytes);
                pending.remove(from, f);
                f.path = to;
                f.committed(m, bytes);
                f.notifyAll();
                emptyDirs.remove(to);
                tree.landed(to);
                return 0;
            } catch (MemoryException e) {
                return fail("rename", from + " -> " + to, e);
            }
        }
    }

    private int renameDirectory(String from, String to, Optional<Memory> dst, boolean dstDir, boolean noReplace) {
        if (from.equals("/") || to.equals("/")) {
            return -Errnos.EBUSY;
        }
        if (to.startsWith(from + "/")) {
            return -Errnos.EINVAL;
        }
        if (dst.isPresent()) {
            return -Errnos.ENOTDIR;
        }
        if (dstDir) {
            if (noReplace) {
                return -Errnos.EEXIST;
            }
            if (tree.hasChildren(to)) {
                return -Errnos.ENOTEMPTY;
            }
        } else if (!tree.directory(Tree.parent(to))) {
            return -Errnos.ENOENT;
        }
        String fromPrefix = from + "/";
        boolean hasFiles = !memories.list(ListQuery.under(fromPrefix).limit(1).build()).items().isEmpty();
        if (hasFiles) {
            memories.move(fromPrefix, to + "/");
        }
        List<String> markers = new ArrayList<>();
        for (String e : emptyDirs) {
            if (e.equals(from) || e.startsWith(fromPrefix)) {
                markers.add(e);
            }
        }
        emptyDirs.remove(to);
        for (String e : markers) {
            emptyDirs.remove(e);
            emptyDirs.add(to + e.substring(from.length()));
        }
        if (!hasFiles && markers.isEmpty()) {
            emptyDirs.add(to);
        }
        tree.left(from);
        if (hasFiles) {
            tree.landed(to + "/x");
        }
        return 0;
    }

    @Override
    public int symlink(String linkname, String target) {
        return -Errnos.EPERM; // memories are regular files only
    }

    @Override
    public int chmod(String path, int mode, FileInfo fi) {
        return exists(path); // modes are not stored: a read-only mount is read-only for the kernel
    }

    @Override
    public int chown(String path, int uid, int gid, FileInfo fi) {
        return exists(path);
    }

    @Override
    public int utimens(String path, TimeSpec atime, TimeSpec mtime, FileInfo fi) {
        return exists(path); // touch of an existing file writes no version
    }

    private int exists(String path) {
        settleHeld(path);
        try {
            return pending.containsKey(path) || tree.file(path).isPresent() || tree.directory(path) ? 0
                    : -Errnos.ENOENT;
        } catch (MemoryException e) {
            return fail("stat", path, e);
        }
    }

    private int fail(String op, String path, MemoryException e) {
        return committer.fail(op, path, e);
    }
}
