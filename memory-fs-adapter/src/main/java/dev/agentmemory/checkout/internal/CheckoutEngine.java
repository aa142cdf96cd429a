package dev.agentmemory.checkout.internal;

import dev.agentmemory.error.MemoryException;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.checkout.CheckoutException;
import dev.agentmemory.checkout.CheckoutInfo;
import dev.agentmemory.checkout.CheckoutOptions;
import dev.agentmemory.checkout.SyncReport;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.WorkspaceId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation behind {@link dev.agentmemory.checkout.Checkout}. Thread-safe: one lock serialises syncs and
 * close. Public only so that the API class can reach it; not an API.
 */
public final class CheckoutEngine implements AutoCloseable {

    /** The metadata directory's name. */
    public static final String METADATA_DIR = ".agent-memory";

    private static final Logger LOG = LoggerFactory.getLogger(CheckoutEngine.class);

    private final Session session;
    private final Path root;
    private final Path metaDir;
    private final CheckoutOptions options;
    private final Manifest manifest;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledExecutorService ownExecutor;
    private final ScheduledFuture<?> background;
    private volatile Thread ownThread;
    private boolean closed;
    private final Clock clock;

    private CheckoutEngine(Session session, Path root, CheckoutOptions options, Manifest manifest,
            FileChannel lockChannel, FileLock fileLock, Clock clock) {
        this.clock = clock;
        this.session = session;
        this.root = root;
        this.metaDir = root.resolve(METADATA_DIR);
        this.options = options;
        this.manifest = manifest;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        if (options.syncInterval().isPresent()) {
            long nanos = options.syncInterval().get().toNanos();
            ScheduledExecutorService executor;
            if (options.executor().isPresent()) {
                executor = options.executor().get();
                ownExecutor = null;
            } else {
                ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "agent-memory-checkout-sync " + root.getFileName());
                    t.setDaemon(true);
                    ownThread = t;
                    return t;
                });
                own.setRemoveOnCancelPolicy(true);
                ownExecutor = own;
                executor = own;
            }
            background = executor.scheduleWithFixedDelay(this::backgroundSync, nanos, nanos, TimeUnit.NANOSECONDS);
        } else {
            ownExecutor = null;
            background = null;
        }
    }

    /**
     * Tells whether a file name is a conflict file's.
     *
     * @param fileName the name
     * @return true for conflict files
     */
    public static boolean isConflictFileName(String fileName) {
        return HostFiles.isConflictName(fileName);
    }

    /**
     * Checks out a session into a new or empty directory.
     *
     * @param session the session
     * @param directory the directory
     * @param options the options
     * @param clock the clock the checkout reads the time from (conflict file names, the racy-file window)
     * @return the engine
     */
    public static CheckoutEngine create(Session session, Path directory, CheckoutOptions options, Clock clock) {
        Path root = directory.toAbsolutePath().normalize();
        try {
            if (Files.isSymbolicLink(root)) {
                throw new CheckoutException("cannot check out into " + root + ": it is a symbolic link; "
                        + "give the real directory");
            }
            for (Path up = root.getParent(); up != null; up = up.getParent()) {
                if (Files.isRegularFile(up.resolve(METADATA_DIR).resolve("manifest"))) {
                    throw new CheckoutException("cannot check out into " + root + ": it is inside the checkout " + up
                            + ", whose next sync would push this checkout's files; choose a directory outside it");
                }
            }
            if (Files.exists(root)) {
                if (!Files.isDirectory(root)) {
                    throw new CheckoutException("cannot check out into " + root + ": it is not a directory");
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                    if (entries.iterator().hasNext()) {
                        throw new CheckoutException("cannot check out into " + root + ": the directory is not empty;"
                                + " give a new or empty directory, or reopen an existing checkout with Checkout.open");
                    }
                }
            } else {
                Files.createDirectories(root);
            }
            Path meta = root.resolve(METADATA_DIR);
            Files.createDirectories(meta.resolve("tmp"));
        } catch (IOException e) {
            throw new CheckoutException("cannot create the checkout directory " + root + ": " + e, e);
        }
        Manifest manifest = new Manifest(session.id().value(), session.info().workspaceId().value());
        FileChannel[] channel = new FileChannel[1];
        FileLock fileLock = lockDirectory(root, channel);
        boolean done = false;
        try {
            checkoutAll(session, root, manifest, options, clock);
            manifest.write(root.resolve(METADATA_DIR).resolve("manifest"));
            done = true;
        } catch (IOException e) {
            throw new CheckoutException("cannot write the checkout " + root + ": " + e, e);
        } finally {
            if (!done) {
                release(fileLock, channel[0]);
                cleanUp(root);
            }
        }
        LOG.debug("checked out session {} into {}", session.id(), root);
        return new CheckoutEngine(session, root, options, manifest, channel[0], fileLock, clock);
    }

    /**
     * Reopens a checkout.
     *
     * @param session the session
     * @param directory the directory
     * @param options the options
     * @param clock the clock the checkout reads the time from (conflict file names, the racy-file window)
     * @return the engine
     */
    public static CheckoutEngine open(Session session, Path directory, CheckoutOptions options, Clock clock) {
        Path root = directory.toAbsolutePath().normalize();
        Manifest manifest;
        try {
            manifest = Manifest.read(root.resolve(METADATA_DIR).resolve("manifest")).orElseThrow(() ->
                    new CheckoutException(root + " is not a checkout (it has no " + METADATA_DIR
                            + "/manifest); make one with Checkout.create"));
        } catch (IOException e) {
            throw new CheckoutException("cannot read the checkout manifest in " + root + ": " + e.getMessage(), e);
        }
        if (!manifest.sessionId.equals(session.id().value())) {
            throw new CheckoutException("the checkout " + root + " belongs to session " + manifest.sessionId
                    + ", not " + session.id() + "; open it with that session");
        }
        try {
            Files.createDirectories(root.resolve(METADATA_DIR).resolve("tmp"));
        } catch (IOException e) {
            throw new CheckoutException("cannot use the checkout " + root + ": " + e, e);
        }
        FileChannel[] channel = new FileChannel[1];
        FileLock fileLock = lockDirectory(root, channel);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(root.resolve(METADATA_DIR).resolve("tmp"))) {
            for (Path p : leftovers) { // from a process that died while pulling
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot clean {}/tmp in {}", METADATA_DIR, root, e);
        }
        return new CheckoutEngine(session, root, options, manifest, channel[0], fileLock, clock);
    }

    /**
     * Reads a checkout's description.
     *
     * @param directory the directory
     * @return the description, or empty
     */
    public static Optional<CheckoutInfo> find(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        try {
            return Manifest.read(root.resolve(METADATA_DIR).resolve("manifest")).map(m -> info(root, m));
        } catch (IOException e) {
            throw new CheckoutException("cannot read the checkout manifest in " + root + ": " + e.getMessage(), e);
        }
    }

    private static CheckoutInfo info(Path root, Manifest m) {
        return new CheckoutInfo(root, SessionId.of(m.sessionId), WorkspaceId.of(m.workspaceId),
                new ArrayList<>(m.mounts.keySet()));
    }

    private static FileLock lockDirectory(Path root, FileChannel[] channelOut) {
        Path lockFile = root.resolve(METADATA_DIR).resolve("lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = channel.tryLock();
            if (l == null) {
                throw new CheckoutException("the checkout " + root + " is open in another process; close it there"
                        + " first");
            }
            channelOut[0] = channel;
            return l;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new CheckoutException("the checkout " + root + " is already open in this process; use that"
                    + " Checkout or close it first", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CheckoutException("cannot lock the checkout " + root + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    private static void release(FileLock fileLock, FileChannel channel) {
        try {
            fileLock.release();
        } catch (IOException e) {
            LOG.warn("cannot release the checkout lock", e);
        }
        closeQuietly(channel);
    }

    private static void cleanUp(Path root) {
        try {
            HostFiles.unlockTree(root);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                for (Path p : entries) {
                    HostFiles.deleteTree(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the half-made checkout {}", root, e);
        }
    }

    private static void checkoutAll(Session session, Path root, Manifest manifest, CheckoutOptions options,
            Clock clock) throws IOException {
        long done = 0;
        for (Attachment attachment : session.attachments()) {
            Memories memories = session.mount(attachment.slug());
            long revision = memories.revision();
            boolean readOnly = attachment.access() == Access.READ_ONLY;
            Manifest.MountState mount = new Manifest.MountState(attachment.slug(), attachment.storeId().value(),
                    readOnly ? "read_only" : "read_write", revision);
            manifest.mounts.put(mount.slug, mount);
            Path mountRoot = root.resolve(attachment.slug());
            Files.createDirectories(mountRoot);
            Path tmp = root.resolve(METADATA_DIR).resolve("tmp");
            ListQuery query = ListQuery.builder().limit(100).includeContent(true).build();
            while (true) {
                Page<ListEntry> page = memories.list(query);
                for (ListEntry entry : page.items()) {
                    if (entry instanceof Memory memory) {
                        try {
                            Path file = MountSync.hostPath(mountRoot, memory.path());
                            BasicFileAttributes attrs = HostFiles.writeOwned(tmp, file,
                                    memory.text().getBytes(StandardCharsets.UTF_8), readOnly, memory.updatedAt(),
                                    clock.instant());
                            mount.entries.put(memory.path(), MountSync.entry(memory.id().value(),
                                    memory.contentSha256(), attrs, HostFiles.nanos(clock.instant())));
                        } catch (IOException | InvalidPathException e) {
                            // The next sync lists the store again and reports the memory as a failed pull.
                            LOG.warn("cannot check out {}{} into {}: {}", attachment.slug(), memory.path(), root,
                                    e.toString());
                            mount.revision = -1;
                        }
                        options.progress().progress("checkout", ++done, -1);
                    }
                }
                if (page.nextCursor().isEmpty()) {
                    break;
                }
                query = query.page(page.nextCursor().get());
            }
            if (readOnly) {
                HostFiles.lockTree(mountRoot);
            }
        }
    }

    /**
     * Synchronises every mount.
     *
     * @return the report
     */
    public SyncReport sync() {
        lock.lock();
        try {
            if (closed) {
                throw new CheckoutException("the checkout " + root + " is closed; reopen it with Checkout.open");
            }
            Report report = new Report();
            checkOutside(report);
            int n = 0;
            for (Manifest.MountState mount : manifest.mounts.values()) {
                options.progress().progress("sync", n++, manifest.mounts.size());
                try {
                    Memories memories = session.mount(mount.slug);
                    new MountSync(this, memories, mount, report).run();
                } catch (MemoryException e) {
                    report.failure(mount.slug, "/", e.code(), e.getMessage());
                } catch (IOException e) {
                    report.failure(mount.slug, "/", "io_error", e.toString());
                }
            }
            options.progress().progress("sync", n, manifest.mounts.size());
            if (report.manifestDirty) {
                try {
                    manifest.write(metaDir.resolve("manifest"));
                } catch (IOException e) {
                    throw new CheckoutException("cannot write the checkout manifest in " + root + ": " + e, e);
                }
            }
            return report.build();
        } finally {
            lock.unlock();
        }
    }

    private void checkOutside(Report report) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.equals(METADATA_DIR)) {
                    continue;
                }
                Manifest.MountState mount = manifest.mounts.get(name);
                if (mount == null) {
                    report.refused("", "/" + name, SyncReport.RefusalReason.OUTSIDE_MOUNT, false,
                            Optional.empty(), root.resolve(name) + " is outside every mount directory of the"
                                    + " checkout; it is not synchronised (move it into a mount, or away)");
                } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    report.refused(name, "/", Files.isSymbolicLink(p) ? SyncReport.RefusalReason.SYMLINK
                            : SyncReport.RefusalReason.SPECIAL_FILE, false, Optional.empty(),
                            "the mount directory " + p + " is not a directory; it is not followed and the mount is"
                                    + " not synchronised until it is a directory again");
                }
            }
        } catch (IOException e) {
            report.failure("", "/", "io_error", "cannot list " + root + ": " + e);
        }
    }

    private void backgroundSync() {
        try {
            SyncReport report = sync();
            if (!report.isEmpty()) {
                LOG.debug("background sync of {}: {}", root, report);
            }
            options.backgroundListener().accept(report);
        } catch (RuntimeException e) {
            LOG.warn("background sync of {} failed", root, e);
        }
    }

    Path root() {
        return root;
    }

    /** @return the clock this checkout reads the time from */
    Clock clock() {
        return clock;
    }

    Path tmpDir() {
        return metaDir.resolve("tmp");
    }

    Path refusedDir() {
        return metaDir.resolve("refused");
    }

    /**
     * Returns the root directory.
     *
     * @return the root
     */
    public Path directory() {
        return root;
    }

    /**
     * Returns a mount's directory.
     *
     * @param slug the slug
     * @return the directory
     */
    public Path mountDirectory(String slug) {
        if (!manifest.mounts.containsKey(slug)) {
            throw new IllegalArgumentException("the checkout has no mount '" + slug + "'; it has "
                    + manifest.mounts.keySet());
        }
        return root.resolve(slug);
    }

    /**
     * Returns the session's id.
     *
     * @return the id
     */
    public SessionId sessionId() {
        return session.id();
    }

    /**
     * Returns the description.
     *
     * @return the description
     */
    public CheckoutInfo info() {
        lock.lock();
        try {
            return info(root, manifest);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (background != null) {
            background.cancel(false);
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            release(fileLock, lockChannel);
        } finally {
            lock.unlock();
        }
        if (ownExecutor != null) {
            ownExecutor.shutdown();
            if (Thread.currentThread() != ownThread) { // not from a background listener: its thread cannot end yet
                try {
                    Thread t = ownThread;
                    // The executor counts as terminated just before its worker thread returns: join the thread too,
                    // so that when close() returns no thread of this checkout is alive.
                    if (!ownExecutor.awaitTermination(10, TimeUnit.SECONDS) || (t != null && !join(t))) {
                        LOG.warn("the background sync thread of {} did not stop within 10 s", root);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static boolean join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(10));
        return !t.isAlive();
    }
}
