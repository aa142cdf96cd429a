package dev.agentmemory.fs.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.Session;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.fs.ContentChangedException;
import dev.agentmemory.fs.MemoryFileSystemOptions;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.VersionId;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's mounts as a file system. Every rule is the core's: this class maps paths to mounts and memory paths,
 * keeps the empty directories created through it, tracks what it opened, and translates the core's exceptions
 * ({@link Errors}). Thread-safe.
 */
public final class MemoryFileSystem extends FileSystem {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryFileSystem.class);
    private static final int CACHE_ENTRIES = 256;
    private static final int CACHE_MAX_BYTES = 64 * 1024;

    private final MemoryFileSystemProvider provider;
    private final String key;
    private final Session session;
    private final MemoryFileSystemOptions options;
    private final Map<String, Mount> mounts = new LinkedHashMap<>();
    private final Set<Closeable> openResources = ConcurrentHashMap.newKeySet();
    private final MemoryPath root;
    private final Map<VersionId, byte[]> contentCache = Collections.synchronizedMap(
            new LinkedHashMap<>(CACHE_ENTRIES, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<VersionId, byte[]> eldest) {
                    return size() > CACHE_ENTRIES;
                }
            });
    private volatile boolean closed;

    MemoryFileSystem(MemoryFileSystemProvider provider, String key, Session session,
            MemoryFileSystemOptions options) {
        this.provider = provider;
        this.key = key;
        this.session = session;
        this.options = options;
        for (Attachment a : session.attachments()) {
            mounts.put(a.slug(), new Mount(a, session.mount(a.slug())));
        }
        this.root = new MemoryPath(this, true, new String[0]);
    }

    String key() {
        return key;
    }

    Session session() {
        return session;
    }

    MemoryFileSystemOptions options() {
        return options;
    }

    MemoryPath root() {
        return root;
    }

    Iterable<Mount> mounts() {
        return mounts.values();
    }

    // ---------------------------------------------------------------- FileSystem

    @Override
    public MemoryFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        provider.closed(this);
        for (Closeable c : List.copyOf(openResources)) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("closing {} while closing memory file system {} failed: {}", c, key, e.toString());
            }
        }
        openResources.clear();
        for (Mount m : mounts.values()) {
            m.emptyDirs.clear();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        checkOpen();
        return List.of(root);
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        checkOpen();
        List<FileStore> stores = new ArrayList<>();
        for (Mount m : mounts.values()) {
            stores.add(new MemoryFileStore(m));
        }
        return stores;
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Attrs.VIEWS;
    }

    @Override
    public MemoryPath getPath(String first, String... more) {
        return MemoryPath.parse(this, first, more);
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        // Same syntax as the default (Unix) file system; match the path's string there.
        PathMatcher delegate = FileSystems.getDefault().getPathMatcher(syntaxAndPattern);
        return p -> delegate.matches(java.nio.file.Paths.get(MemoryPath.check(p).toString()));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("a memory file system has no users or groups");
    }

    @Override
    public WatchService newWatchService() {
        checkOpen();
        MemoryWatchService ws = new MemoryWatchService(this, options.watchPollInterval());
        openResources.add(ws);
        return ws;
    }

    @Override
    public String toString() {
        return "MemoryFileSystem[" + key + "]";
    }

    // ---------------------------------------------------------------- bookkeeping

    void checkOpen() {
        if (closed) {
            throw new ClosedFileSystemException();
        }
    }

    void opened(Closeable c) {
        openResources.add(c);
        if (closed) {
            openResources.remove(c);
            throw new ClosedFileSystemException();
        }
    }

    void released(Closeable c) {
        openResources.remove(c);
    }

    int openResourceCount() {
        return openResources.size();
    }

    // ---------------------------------------------------------------- locations

    Loc locate(Path p) {
        MemoryPath path = MemoryPath.check(p);
        if (path.getFileSystem() != this) {
            throw new java.nio.file.ProviderMismatchException("path of another memory file system: " + p);
        }
        checkOpen();
        MemoryPath abs = path.toAbsolutePath().normalize();
        String[] n = abs.names();
        if (n.length == 0) {
            return Loc.outside(abs, Loc.Kind.ROOT);
        }
        if (!n[0].equals("mnt")) {
            return Loc.outside(abs, Loc.Kind.NOWHERE);
        }
        if (n.length == 1) {
            return Loc.outside(abs, Loc.Kind.MNT);
        }
        if (!n[1].equals("memory")) {
            return Loc.outside(abs, Loc.Kind.NOWHERE);
        }
        if (n.length == 2) {
            return Loc.outside(abs, Loc.Kind.MOUNTS);
        }
        Mount m = mounts.get(n[2]);
        if (m == null) {
            return Loc.outside(abs, Loc.Kind.NOWHERE);
        }
        if (n.length == 3) {
            return Loc.in(abs, Loc.Kind.MOUNT_ROOT, m, "/");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 3; i < n.length; i++) {
            sb.append('/').append(n[i]);
        }
        return Loc.in(abs, Loc.Kind.INSIDE, m, sb.toString());
    }

    /**
     * Searches the files under a path: a mount's subtree, one file, or every mount (above the mounts).
     *
     * @param dir a path of this file system
     * @param query the search; its prefix must be {@code /}
     * @return the matching lines
     * @throws IOException if nothing is at {@code dir}
     */
    public java.util.stream.Stream<dev.agentmemory.fs.FileMatch> search(Path dir, dev.agentmemory.model.SearchQuery query)
            throws IOException {
        if (!query.pathPrefix().equals("/")) {
            throw new InvalidArgumentException("search.prefix", "a file system search takes its directory from the"
                    + " path it is given; leave the query's path prefix at / (it was " + query.pathPrefix() + ")");
        }
        Loc loc = locate(dir);
        if (loc.kind == Loc.Kind.NOWHERE) {
            throw new NoSuchFileException(loc.str());
        }
        if (loc.virtual()) {
            List<Mount> all = new ArrayList<>();
            mounts().forEach(all::add);
            all.sort(java.util.Comparator.comparing(m -> m.slug));
            java.util.stream.Stream<dev.agentmemory.fs.FileMatch> out = java.util.stream.Stream.empty();
            for (Mount m : all) {
                Loc mountRoot = locate(root.resolve("mnt").resolve("memory").resolve(m.slug));
                out = java.util.stream.Stream.concat(out, java.util.stream.Stream.of(mountRoot).flatMap(
                        r -> searchIn(r, query)));
            }
            return limited(out, query);
        }
        Node node = stat(loc);
        if (node == Node.NONE) {
            throw new NoSuchFileException(loc.str());
        }
        return searchIn(loc, query);
    }

    private static java.util.stream.Stream<dev.agentmemory.fs.FileMatch> limited(
            java.util.stream.Stream<dev.agentmemory.fs.FileMatch> s, dev.agentmemory.model.SearchQuery q) {
        return q.limit() > 0 ? s.limit(q.limit()) : s;
    }

    /** Searches one mount's directory or file. */
    private java.util.stream.Stream<dev.agentmemory.fs.FileMatch> searchIn(Loc loc,
            dev.agentmemory.model.SearchQuery query) {
        MemoryPath mountRoot = root.resolve("mnt").resolve("memory").resolve(loc.mount().slug);
        boolean file = loc.kind == Loc.Kind.INSIDE && loc.mount().memories.findByPath(loc.storePath()).isPresent();
        String prefix = file ? loc.storePath().substring(0, loc.storePath().lastIndexOf('/') + 1) : loc.prefix();
        dev.agentmemory.model.SearchQuery.Builder b = query.syntax() == dev.agentmemory.model.SearchQuery.Syntax.REGEX
                ? dev.agentmemory.model.SearchQuery.regex(query.pattern())
                : dev.agentmemory.model.SearchQuery.literal(query.pattern());
        b.ignoreCase(query.ignoreCase()).pathPrefix(prefix);
        query.pathGlob().ifPresent(b::pathGlob);
        // one file: the store searches its directory, and only that file's lines are kept
        if (!file) {
            b.limit(query.limit());
        }
        java.util.stream.Stream<dev.agentmemory.model.SearchMatch> found = loc.mount().memories.search(b.build());
        if (file) {
            found = found.filter(m -> m.path().equals(loc.storePath()));
        }
        return limited(found.map(m -> new dev.agentmemory.fs.FileMatch(mountRoot.resolve(m.path().substring(1)), m)),
                query);
    }

    Loc parentLoc(Loc loc) {
        MemoryPath parent = loc.path.getParent();
        return locate(parent == null ? root : parent);
    }

    Node stat(Loc loc) throws IOException {
        switch (loc.kind) {
            case ROOT:
            case MNT:
            case MOUNTS:
            case MOUNT_ROOT:
                return Node.DIR;
            case NOWHERE:
                return Node.NONE;
            default:
                break;
        }
        Memories m = loc.mount().memories;
        try {
            Optional<Memory> mem = m.findByPath(loc.storePath());
            if (mem.isPresent()) {
                return Node.file(mem.get());
            }
            if (loc.mount().emptyDirs.contains(loc.storePath())) {
                return Node.DIR;
            }
            String below = loc.storePath() + "/";
            for (String d : loc.mount().emptyDirs) {
                if (d.startsWith(below)) {
                    return Node.DIR; // an empty directory below keeps this one
                }
            }
            Page<ListEntry> page = m.list(ListQuery.under(loc.storePath() + "/").depth(1).limit(1).build());
            return page.items().isEmpty() ? Node.NONE : Node.DIR;
        } catch (InvalidArgumentException e) {
            return Node.NONE; // a path that breaks a rule cannot exist
        } catch (MemoryException e) {
            throw Errors.map(e, loc.str());
        }
    }

    boolean existsQuietly(MemoryPath p) {
        try {
            return stat(locate(p)).exists();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    boolean isDirectoryQuietly(MemoryPath p) {
        try {
            return stat(locate(p)).directory;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Refuses a mutation at a location above the mounts (the view's own directories), or where the store would refuse
     * a write now (a read-only mount, an archived store): the session handle decides, the view only asks early.
     */
    void requireWritable(Loc loc) throws IOException {
        if (loc.mountIfAny().isEmpty()) {
            throw Errors.readOnly(loc.str(), "/mnt/memory and the directories above it are read-only");
        }
        try {
            loc.mount().memories.checkWritable();
        } catch (MemoryException e) {
            throw Errors.map(e, loc.str());
        }
    }

    /** Checks that a location's parent is an existing directory. */
    void requireParentDirectory(Loc loc) throws IOException {
        Node parent = stat(parentLoc(loc));
        if (!parent.exists()) {
            throw new NoSuchFileException(loc.str(), null, "its parent directory does not exist");
        }
        if (!parent.directory) {
            throw new FileSystemException(loc.str(), null, "Not a directory: its parent is a file");
        }
    }

    boolean hasChildren(Loc loc) throws IOException {
        if (loc.virtual()) {
            return true;
        }
        String prefix = loc.prefix();
        for (String d : loc.mount().emptyDirs) {
            if (d.startsWith(prefix)) {
                return true;
            }
        }
        try {
            return !loc.mount().memories.list(ListQuery.under(prefix).depth(1).limit(1).build()).items().isEmpty();
        } catch (MemoryException e) {
            throw Errors.map(e, loc.str());
        }
    }

    /** Lists a directory's children eagerly, page by page; no backend cursor stays open. */
    List<MemoryPath> children(Loc loc) throws IOException {
        Node n = stat(loc);
        if (!n.exists()) {
            throw new NoSuchFileException(loc.str());
        }
        if (!n.directory) {
            throw new NotDirectoryException(loc.str());
        }
        List<String> names = new ArrayList<>();
        switch (loc.kind) {
            case ROOT:
                names.add("mnt");
                break;
            case MNT:
                names.add("memory");
                break;
            case MOUNTS:
                names.addAll(mounts.keySet());
                break;
            default:
                String prefix = loc.prefix();
                try {
                    ListQuery q = ListQuery.under(prefix).depth(1).limit(100).build();
                    while (true) {
                        Page<ListEntry> page = loc.mount().memories.list(q);
                        for (ListEntry e : page.items()) {
                            String p = e.path();
                            int end = p.endsWith("/") ? p.length() - 1 : p.length();
                            names.add(p.substring(prefix.length(), end));
                        }
                        if (page.nextCursor().isEmpty()) {
                            break;
                        }
                        q = q.page(page.nextCursor().get());
                    }
                } catch (MemoryException e) {
                    throw Errors.map(e, loc.str());
                }
                TreeSet<String> empty = null;
                for (String d : loc.mount().emptyDirs) {
                    if (d.startsWith(prefix)) {
                        if (empty == null) {
                            empty = new TreeSet<>(names);
                        }
                        int slash = d.indexOf('/', prefix.length());
                        empty.add(slash < 0 ? d.substring(prefix.length()) : d.substring(prefix.length(), slash));
                    }
                }
                if (empty != null) {
                    names = new ArrayList<>(empty);
                }
                break;
        }
        List<MemoryPath> out = new ArrayList<>(names.size());
        for (String name : names) {
            out.add(loc.path.child(name));
        }
        return out;
    }

    // ---------------------------------------------------------------- content

    byte[] contentBytes(Memory memory) {
        byte[] cached = contentCache.get(memory.headVersionId());
        if (cached != null) {
            return cached;
        }
        byte[] bytes = memory.text().getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= CACHE_MAX_BYTES) {
            contentCache.put(memory.headVersionId(), bytes);
        }
        return bytes;
    }

    MemoryChannel newChannel(Loc loc, OpenOptions o) throws IOException {
        Node n = stat(loc);
        if (n.directory) {
            throw new FileSystemException(loc.str(), null, "Is a directory");
        }
        MemoryChannel ch;
        if (!n.exists()) {
            if (!o.write || !(o.create || o.createNew)) {
                throw new NoSuchFileException(loc.str());
            }
            if (o.expectedSha256.isPresent()) {
                throw new NoSuchFileException(loc.str(), null, "a conditional write needs an existing file");
            }
            requireParentDirectory(loc);
            requireWritable(loc);
            ch = new MemoryChannel(this, loc, o, null, new byte[0], 0, false);
        } else {
            Memory mem = n.file();
            if (o.write) {
                if (o.createNew) {
                    throw new FileAlreadyExistsException(loc.str());
                }
                if (o.expectedSha256.isPresent()) { // fail at open, as the write at close would
                    try {
                        loc.mount().memories.checkWritable(mem.id(), o.expectedSha256.get());
                    } catch (MemoryException e) {
                        throw Errors.map(e, loc.str());
                    }
                } else {
                    requireWritable(loc);
                }
            }
            if (o.truncate) { // the old bytes are not needed: skip encoding them
                ch = new MemoryChannel(this, loc, o, mem, new byte[0], 0, mem.contentSizeBytes() != 0);
            } else {
                byte[] bytes = contentBytes(mem);
                ch = new MemoryChannel(this, loc, o, mem, bytes, bytes.length, false);
            }
        }
        opened(ch);
        return ch;
    }

    /**
     * Writes a closed channel's content as one version: the bytes go to the core as they are, which checks them (UTF-8,
     * size) and hashes them once.
     */
    void commit(Loc loc, Memory existing, byte[] buf, int size, OpenOptions o) throws IOException {
        byte[] bytes = size == buf.length ? buf : Arrays.copyOf(buf, size);
        Memories m = loc.mount().memories;
        try {
            if (existing != null) {
                try {
                    if (o.expectedSha256.isPresent()) {
                        m.update(existing.id(), bytes, o.expectedSha256.get());
                    } else {
                        m.update(existing.id(), bytes);
                    }
                } catch (NotFoundException gone) {
                    if (o.expectedSha256.isPresent()) {
                        throw gone;
                    }
                    m.create(loc.storePath(), bytes);
                }
            } else {
                m.create(loc.storePath(), bytes);
            }
        } catch (MemoryException e) {
            throw Errors.map(e, loc.str());
        }
        loc.mount().fileLanded(loc.storePath());
    }

    // ---------------------------------------------------------------- mutations

    void createDirectory(Loc loc) throws IOException {
        if (stat(loc).exists()) {
            throw new FileAlreadyExistsException(loc.str());
        }
        requireParentDirectory(loc);
        requireWritable(loc);
        loc.mount().emptyDirs.add(loc.storePath());
    }

    void delete(Loc loc) throws IOException {
        Node n = stat(loc);
        if (!n.exists()) {
            throw new NoSuchFileException(loc.str());
        }
        if (loc.kind != Loc.Kind.INSIDE) {
            throw Errors.readOnly(loc.str(), "/mnt/memory, the mounts and the directories above them cannot be "
                    + "deleted");
        }
        if (n.isFile()) {
            requireWritable(loc);
            try {
                loc.mount().memories.delete(n.file().id());
            } catch (MemoryException e) {
                throw Errors.map(e, loc.str());
            }
            loc.mount().fileLeft(loc.storePath());
        } else {
            if (hasChildren(loc)) {
                throw new DirectoryNotEmptyException(loc.str());
            }
            requireWritable(loc);
            loc.mount().emptyDirs.remove(loc.storePath());
            loc.mount().fileLeft(loc.storePath()); // its parent stays, as on any file system
        }
    }

    void copy(Loc src, Loc dst, CopyOption... options) throws IOException {
        boolean replace = false;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.REPLACE_EXISTING) {
                replace = true;
            } else if (o != StandardCopyOption.COPY_ATTRIBUTES && o != LinkOption.NOFOLLOW_LINKS) {
                throw new UnsupportedOperationException("unsupported copy option " + o);
            }
        }
        Node s = stat(src);
        if (!s.exists()) {
            throw new NoSuchFileException(src.str());
        }
        if (src.path.equals(dst.path)) {
            return;
        }
        Node d = stat(dst);
        if (d.exists()) {
            if (!replace) {
                throw new FileAlreadyExistsException(dst.str());
            }
            if (d.directory && hasChildren(dst)) {
                throw new DirectoryNotEmptyException(dst.str());
            }
        } else {
            requireParentDirectory(dst);
        }
        requireWritable(dst);
        if (dst.kind != Loc.Kind.INSIDE) {
            throw Errors.readOnly(dst.str(), "a mount's root cannot be replaced");
        }
        Memories m = dst.mount().memories;
        try {
            if (s.isFile()) {
                if (d.isFile()) {
                    m.update(d.file().id(), MemoryUpdate.content(s.file().text()));
                } else {
                    dst.mount().emptyDirs.remove(dst.storePath());
                    m.create(dst.storePath(), s.file().text());
                }
                dst.mount().fileLanded(dst.storePath());
            } else {
                if (d.isFile()) {
                    m.delete(d.file().id());
                }
                dst.mount().emptyDirs.add(dst.storePath());
            }
        } catch (MemoryException e) {
            throw Errors.map(e, src.str(), dst.str());
        }
    }

    void move(Loc src, Loc dst, CopyOption... options) throws IOException {
        boolean replace = false;
        boolean atomic = false;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.REPLACE_EXISTING) {
                replace = true;
            } else if (o == StandardCopyOption.ATOMIC_MOVE) {
                atomic = true;
            } else if (o != StandardCopyOption.COPY_ATTRIBUTES && o != LinkOption.NOFOLLOW_LINKS) {
                throw new UnsupportedOperationException("unsupported move option " + o);
            }
        }
        Node s = stat(src);
        if (!s.exists()) {
            throw new NoSuchFileException(src.str());
        }
        if (src.kind != Loc.Kind.INSIDE) {
            throw Errors.readOnly(src.str(), "/mnt/memory, the mounts and the directories above them cannot be "
                    + "moved");
        }
        if (src.path.equals(dst.path)) {
            return;
        }
        boolean sameMount = src.mount() == dst.mount();
        if (atomic && !sameMount) {
            throw new AtomicMoveNotSupportedException(src.str(), dst.str(),
                    "an atomic move cannot cross mounts: they are different stores");
        }
        Node d = stat(dst);
        if (d.exists()) {
            if (!replace && !atomic) {
                throw new FileAlreadyExistsException(dst.str());
            }
            if (d.directory && hasChildren(dst)) {
                throw new DirectoryNotEmptyException(dst.str());
            }
        } else {
            requireParentDirectory(dst);
        }
        requireWritable(src);
        requireWritable(dst);
        if (dst.kind != Loc.Kind.INSIDE) {
            throw Errors.readOnly(dst.str(), "a mount's root cannot be replaced");
        }
        try {
            if (s.isFile()) {
                moveFile(src, dst, s, d, sameMount);
            } else {
                moveDirectory(src, dst, d, sameMount);
            }
        } catch (MemoryException e) {
            throw Errors.map(e, src.str(), dst.str());
        }
    }

    private void moveFile(Loc src, Loc dst, Node s, Node d, boolean sameMount) {
        if (sameMount) {
            Memories m = src.mount().memories;
            if (d.isFile()) {
                m.apply(Batch.builder().delete(d.file().id())
                        .update(s.file().id(), MemoryUpdate.path(dst.storePath())).build());
            } else {
                m.update(s.file().id(), MemoryUpdate.path(dst.storePath()));
            }
        } else {
            Memories to = dst.mount().memories;
            if (d.isFile()) {
                to.update(d.file().id(), MemoryUpdate.content(s.file().text()));
            } else {
                to.create(dst.storePath(), s.file().text());
            }
            src.mount().memories.delete(s.file().id(), s.file().contentSha256());
        }
        dst.mount().emptyDirs.remove(dst.storePath());
        src.mount().fileLeft(src.storePath());
        dst.mount().fileLanded(dst.storePath());
    }

    private void moveDirectory(Loc src, Loc dst, Node d, boolean sameMount) throws IOException {
        if (dst.path.startsWith(src.path)) {
            throw new FileSystemException(src.str(), dst.str(),
                    "Invalid argument: a directory cannot move into itself");
        }
        Memories m = src.mount().memories;
        boolean hasFiles = !m.list(ListQuery.under(src.prefix()).limit(1).build()).items().isEmpty();
        if (hasFiles && !sameMount) {
            throw new DirectoryNotEmptyException(src.str());
        }
        if (d.isFile()) {
            dst.mount().memories.delete(d.file().id());
        }
        dst.mount().emptyDirs.remove(dst.storePath());
        if (hasFiles) {
            m.move(src.prefix(), dst.prefix());
        }
        String from = src.storePath();
        List<String> markers = new ArrayList<>();
        for (String e : src.mount().emptyDirs) {
            if (e.equals(from) || e.startsWith(from + "/")) {
                markers.add(e);
            }
        }
        for (String e : markers) {
            src.mount().emptyDirs.remove(e);
            dst.mount().emptyDirs.add(dst.storePath() + e.substring(from.length()));
        }
        if (!hasFiles && markers.isEmpty()) {
            dst.mount().emptyDirs.add(dst.storePath());
        }
        src.mount().fileLeft(src.storePath());
        if (hasFiles) {
            dst.mount().fileLanded(dst.storePath() + "/x");
        }
    }
}
