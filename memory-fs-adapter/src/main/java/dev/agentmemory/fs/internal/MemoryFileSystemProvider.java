package dev.agentmemory.fs.internal;

import dev.agentmemory.Session;
import dev.agentmemory.fs.MemoryFileAttributeView;
import dev.agentmemory.fs.MemoryFileAttributes;
import dev.agentmemory.fs.MemoryFileSystemOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The thin SPI provider of the {@value #SCHEME} scheme: it checks arguments, finds the file system
 * and location of each path, and delegates to {@link MemoryFileSystem}. Registered in {@code META-INF/services} and in
 * the module descriptor. Applications use {@code dev.agentmemory.fs.MemoryFileSystems} instead, which takes its
 * constants from here. Thread-safe.
 */
public final class MemoryFileSystemProvider extends FileSystemProvider {

    /** The URI scheme. */
    public static final String SCHEME = "agentmemory";
    /** The environment key of the session a new file system serves. */
    public static final String ENV_SESSION = "session";
    /** The environment key of the file system's options. */
    public static final String ENV_OPTIONS = "options";

    private static final Map<String, MemoryFileSystem> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static volatile MemoryFileSystemProvider fallback;

    /** Creates the provider; the JDK's service loader calls this. */
    public MemoryFileSystemProvider() {
    }

    /**
     * Returns the installed provider of the scheme, or a private one if the service loader did not find it.
     *
     * @return the provider
     */
    public static MemoryFileSystemProvider instance() {
        for (FileSystemProvider p : FileSystemProvider.installedProviders()) {
            if (p instanceof MemoryFileSystemProvider) {
                return (MemoryFileSystemProvider) p;
            }
        }
        MemoryFileSystemProvider f = fallback;
        if (f == null) {
            synchronized (MemoryFileSystemProvider.class) {
                if (fallback == null) {
                    fallback = new MemoryFileSystemProvider();
                }
                f = fallback;
            }
        }
        return f;
    }

    /**
     * Builds a URI of the scheme with the multi-argument constructor, which quotes what needs quoting.
     *
     * @param key the file system's key (the URI's authority)
     * @param path the absolute path
     * @return the URI
     */
    public static URI uri(String key, String path) {
        try {
            return new URI(SCHEME, key, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make a URI of " + key + " and " + path + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Opens a file system for a session under a fresh key.
     *
     * @param session the session
     * @param options the options
     * @return the file system
     */
    public FileSystem newFileSystem(Session session, MemoryFileSystemOptions options) {
        String key = session.id().value() + "." + COUNTER.incrementAndGet();
        MemoryFileSystem fs = new MemoryFileSystem(this, key, session, options);
        OPEN.put(key, fs);
        return fs;
    }

    void closed(MemoryFileSystem fs) {
        OPEN.remove(fs.key(), fs);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        checkUri(uri);
        Object s = env.get(ENV_SESSION);
        if (!(s instanceof Session)) {
            throw new IllegalArgumentException("the environment must map '" + ENV_SESSION
                    + "' to the dev.agentmemory.Session to open");
        }
        Session session = (Session) s;
        Object o = env.get(ENV_OPTIONS);
        if (o != null && !(o instanceof MemoryFileSystemOptions)) {
            throw new IllegalArgumentException("'" + ENV_OPTIONS
                    + "' must be a MemoryFileSystemOptions");
        }
        MemoryFileSystemOptions options = o == null ? MemoryFileSystemOptions.defaults() : (MemoryFileSystemOptions) o;
        String key = uri.getAuthority();
        if (!session.id().value().equals(key)) {
            throw new IllegalArgumentException("the URI " + uri + " names another session than " + session.id()
                    + "; use MemoryFileSystems.uri(session)");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException("the URI of a file system has no path: " + uri);
        }
        MemoryFileSystem fs = new MemoryFileSystem(this, key, session, options);
        if (OPEN.putIfAbsent(key, fs) != null) {
            throw new FileSystemAlreadyExistsException(uri.toString());
        }
        return fs;
    }

    private static void checkUri(URI uri) {
        if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not an " + SCHEME + " URI: " + uri);
        }
        if (uri.getAuthority() == null) {
            throw new IllegalArgumentException("the URI " + uri + " names no file system; expected "
                    + SCHEME + "://<key>/...");
        }
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        checkUri(uri);
        MemoryFileSystem fs = OPEN.get(uri.getAuthority());
        if (fs == null) {
            throw new FileSystemNotFoundException("no open memory file system " + uri.getAuthority());
        }
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        MemoryFileSystem fs = (MemoryFileSystem) getFileSystem(uri);
        String p = uri.getPath();
        return fs.getPath(p == null || p.isEmpty() ? "/" : p);
    }

    private static MemoryFileSystem fsOf(Path p) {
        return MemoryPath.check(p).getFileSystem();
    }

    private static Loc loc(Path p) {
        return fsOf(p).locate(p);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        Loc loc = loc(path);
        OpenOptions o = OpenOptions.of(options);
        if (attrs.length > 0) {
            throw new UnsupportedOperationException("file attributes cannot be set on open: " + attrs[0].name());
        }
        return loc.path.getFileSystem().newChannel(loc, o);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        Loc loc = loc(dir);
        MemoryFileSystem fs = loc.path.getFileSystem();
        java.util.List<MemoryPath> children = fs.children(loc);
        // Entries keep the form of the path the caller gave (relative stays relative).
        MemoryPath given = MemoryPath.check(dir);
        java.util.List<MemoryPath> entries = new java.util.ArrayList<>(children.size());
        for (MemoryPath c : children) {
            entries.add(given == loc.path ? c : given.resolve(c.getFileName()));
        }
        MemoryDirectoryStream ds = new MemoryDirectoryStream(fs, entries, filter);
        fs.opened(ds);
        return ds;
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        if (attrs.length > 0) {
            throw new UnsupportedOperationException("file attributes cannot be set: " + attrs[0].name());
        }
        Loc loc = loc(dir);
        loc.path.getFileSystem().createDirectory(loc);
    }

    @Override
    public void delete(Path path) throws IOException {
        Loc loc = loc(path);
        loc.path.getFileSystem().delete(loc);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        Loc s = loc(source);
        Loc t = loc(target);
        if (s.path.getFileSystem() != t.path.getFileSystem()) {
            throw new ProviderMismatchException("copy between two memory file systems: use Files.copy with streams");
        }
        s.path.getFileSystem().copy(s, t, options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        Loc s = loc(source);
        Loc t = loc(target);
        if (s.path.getFileSystem() != t.path.getFileSystem()) {
            throw new ProviderMismatchException("move between two memory file systems");
        }
        s.path.getFileSystem().move(s, t, options);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        if (path.equals(path2)) {
            return true;
        }
        if (!(path2 instanceof MemoryPath) || fsOf(path) != fsOf(path2)) {
            return false;
        }
        Loc a = loc(path);
        Loc b = loc(path2);
        if (a.path.equals(b.path)) {
            return true;
        }
        MemoryFileSystem fs = a.path.getFileSystem();
        Node na = fs.stat(a);
        if (!na.exists()) {
            throw new NoSuchFileException(a.str());
        }
        Node nb = fs.stat(b);
        if (!nb.exists()) {
            throw new NoSuchFileException(b.str());
        }
        return na.isFile() && nb.isFile() && na.file().id().equals(nb.file().id()) && a.mount() == b.mount();
    }

    @Override
    public boolean isHidden(Path path) {
        MemoryPath p = MemoryPath.check(path);
        MemoryPath name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        Loc loc = loc(path);
        if (!loc.path.getFileSystem().stat(loc).exists()) {
            throw new NoSuchFileException(loc.str());
        }
        return loc.mountIfAny().map(MemoryFileStore::new).orElseGet(() -> new MemoryFileStore("mnt-memory", true));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        Loc loc = loc(path);
        MemoryFileSystem fs = loc.path.getFileSystem();
        if (!fs.stat(loc).exists()) {
            throw new NoSuchFileException(loc.str());
        }
        for (AccessMode m : modes) {
            if (m == AccessMode.WRITE) {
                if (loc.kind != Loc.Kind.INSIDE && loc.kind != Loc.Kind.MOUNT_ROOT) {
                    throw new AccessDeniedException(loc.str(), null, "/mnt/memory and above are read-only");
                }
                fs.requireWritable(loc);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type != BasicFileAttributeView.class && type != MemoryFileAttributeView.class) {
            return null;
        }
        MemoryPath p = MemoryPath.check(path);
        return (V) new MemoryFileAttributeView() {
            @Override
            public String name() {
                return type == BasicFileAttributeView.class ? "basic" : MemoryFileAttributeView.NAME;
            }

            @Override
            public MemoryFileAttributes readAttributes() throws IOException {
                return MemoryFileSystemProvider.this.readAttributes(p, MemoryFileAttributes.class);
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
                    throws IOException {
                throw new FileSystemException(p.toString(), null,
                        "times are the store's record of each change and cannot be set");
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type != BasicFileAttributes.class && type != MemoryFileAttributes.class) {
            throw new UnsupportedOperationException("unsupported attributes " + type.getName()
                    + "; this file system has BasicFileAttributes and MemoryFileAttributes");
        }
        Loc loc = loc(path);
        Node n = loc.path.getFileSystem().stat(loc);
        if (!n.exists()) {
            throw new NoSuchFileException(loc.str());
        }
        return (A) new Attrs(n);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        Loc loc = loc(path);
        Node n = loc.path.getFileSystem().stat(loc);
        if (!n.exists()) {
            throw new NoSuchFileException(loc.str());
        }
        return new Attrs(n).byName(attributes);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new UnsupportedOperationException("attributes of a memory file system cannot be set: " + attribute);
    }
}
