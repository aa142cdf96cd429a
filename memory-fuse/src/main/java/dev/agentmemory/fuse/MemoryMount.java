package dev.agentmemory.fuse;

import dev.agentmemory.Session;
import dev.agentmemory.fuse.internal.Guarded;
import dev.agentmemory.fuse.internal.MountTable;
import dev.agentmemory.fuse.internal.SpecialFiles;
import dev.agentmemory.fuse.internal.StoreFs;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Attachment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseBuilder;
import org.cryptomator.jfuse.api.FuseMountFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's attachments as live FUSE mounts: each at {@code <root>/<slug>}, one kernel mount per attachment, a
 * read-only attachment mounted {@code ro} so that the kernel itself answers EROFS. Every write closed through a mount
 * is one version attributed to the session; changes made by anyone else are visible at the next {@code stat} or
 * {@code open}. {@link #close()} unmounts, and so does a JVM shutdown hook; a mount left by a killed process is
 * cleared before mounting again. Thread-safe.
 *
 * <pre>{@code
 * try (MemoryMount mount = MemoryMount.mount(session, Path.of("/mnt/memory"), MountOptions.defaults())) {
 *     // bash -c 'echo "- run the tests first" >> /mnt/memory/project-notes/build.md'   (one version)
 * }
 * }</pre>
 */
public final class MemoryMount implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryMount.class);
    private static final String FS_TYPE = "agent-memory";

    private final Path root;
    private final Map<String, Mounted> mounts;
    private final Thread shutdownHook;
    private boolean closed;

    private record Mounted(Path dir, Fuse fuse, StoreFs fs) {
    }

    private MemoryMount(Path root, Map<String, Mounted> mounts) {
        this.root = root;
        this.mounts = mounts;
        this.shutdownHook = new Thread(this::unmountAll, "memory-mount-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Mounts every attachment of a session under a directory, which is created if missing and may hold nothing but
     * the attachments' directories. A directory still holding the mount of a killed process is cleared first; a live
     * mount in the way is an error. If any attachment fails to mount, none stays mounted.
     *
     * @param session the session whose attachments to mount; every write is attributed to it
     * @param root the directory under which each attachment appears as {@code <slug>}
     * @param options the mount options
     * @return the mounts, to close when done
     * @throws MountException if FUSE is unavailable or a directory is in the way
     */
    public static MemoryMount mount(Session session, Path root, MountOptions options) {
        Path r = root.toAbsolutePath().normalize();
        List<Attachment> attachments = session.attachments();
        Set<String> slugs = new TreeSet<>();
        attachments.forEach(a -> slugs.add(a.slug()));
        FuseBuilder builder;
        try {
            builder = Fuse.builder();
        } catch (UnsupportedOperationException | LinkageError e) {
            throw new MountException("FUSE is not available on this platform: " + e.getMessage(), e);
        }
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new MountException("/dev/fuse is missing: load the fuse kernel module, or give the container the "
                    + "device (--device /dev/fuse)", null);
        }
        libfuse().ifPresent(builder::setLibraryPath);
        prepareRoot(r, slugs);
        Map<String, Mounted> done = new LinkedHashMap<>();
        int uid = id("uid");
        int gid = id("gid");
        try {
            for (Attachment a : attachments) {
                Path dir = r.resolve(a.slug());
                prepareMountPoint(dir);
                StoreFs fs = new StoreFs(session.mount(a.slug()), a.slug(), builder.errno(), uid, gid);
                Fuse fuse;
                try {
                    fuse = builder.build(new Guarded(fs));
                } catch (UnsatisfiedLinkError e) {
                    throw new MountException("libfuse3 could not be loaded (install the fuse3 package): "
                            + e.getMessage(), e);
                }
                SpecialFiles.refuse(fuse);
                List<String> opts = new ArrayList<>(List.of("fsname=agent-memory:" + a.slug(), "subtype=" + FS_TYPE,
                        "attr_timeout=0", "entry_timeout=0", "negative_timeout=0"));
                if (a.access() == Access.READ_ONLY) {
                    opts.add("ro");
                }
                if (options.allowOther()) {
                    opts.add("allow_other");
                }
                try {
                    fuse.mount(FS_TYPE, dir, "-o", String.join(",", opts));
                } catch (FuseMountFailedException | IllegalArgumentException e) {
                    closeQuietly(fuse);
                    throw new MountException("mounting " + a.slug() + " at " + dir + " failed: " + e.getMessage(), e);
                }
                done.put(a.slug(), new Mounted(dir, fuse, fs));
                String type = MountTable.typeAt(dir).orElse("none");
                if (!type.equals("fuse." + FS_TYPE)) {
                    throw new MountException(dir + " is not served by this mount (the kernel shows " + type + ")",
                            null);
                }
            }
        } catch (IOException e) {
            unmount(done.values());
            throw new MountException("mounting under " + r + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            unmount(done.values());
            throw e;
        }
        LOG.info("session {}: {} mounted under {}", session.id(), done.keySet(), r);
        return new MemoryMount(r, done);
    }

    /** Finds libfuse3 where distributions install it (only the unversioned name is on java.library.path). */
    private static java.util.Optional<String> libfuse() {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64",
                "/usr/lib", "/usr/local/lib")) {
            Path lib = Path.of(dir, "libfuse3.so.3");
            if (Files.exists(lib)) {
                return java.util.Optional.of(lib.toString());
            }
        }
        return java.util.Optional.empty();
    }

    private static void prepareRoot(Path root, Set<String> slugs) {
        try {
            Files.createDirectories(root);
            try (Stream<Path> s = Files.list(root)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (!slugs.contains(p.getFileName().toString())) {
                        throw new MountException(root + " holds " + p.getFileName() + ", which is not an attachment "
                                + "of this session; mount into an empty directory", null);
                    }
                }
            }
        } catch (IOException e) {
            throw new MountException("cannot prepare " + root + ": " + e.getMessage(), e);
        }
    }

    private static void prepareMountPoint(Path dir) throws IOException {
        MountTable.State state = MountTable.state(dir);
        if (state == MountTable.State.STALE) {
            LOG.warn("{} holds the mount of a process that is gone; clearing it", dir);
            if (!MountTable.detach(dir) || MountTable.state(dir) != MountTable.State.FREE) {
                throw new MountException("the stale mount at " + dir + " could not be cleared; run "
                        + "fusermount3 -u -z " + dir, null);
            }
        } else if (state == MountTable.State.LIVE) {
            throw new MountException(dir + " is already mounted; unmount it first", null);
        }
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                // A failed mount must never leave the agent looking at plain files instead of the store.
                throw new MountException(dir + " is not empty; a mount point must be an empty directory", null);
            }
        }
    }

    private static int id(String which) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:" + which);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        }
    }

    /**
     * Returns the directory under which the attachments are mounted.
     *
     * @return the root
     */
    public Path root() {
        return root;
    }

    /**
     * Returns each attachment's mount point, by slug, in the session's order.
     *
     * @return slug to directory
     */
    public Map<String, Path> mountPoints() {
        Map<String, Path> out = new LinkedHashMap<>();
        mounts.forEach((slug, m) -> out.put(slug, m.dir()));
        return out;
    }

    /**
     * Returns the memories seen so far that no Linux directory can show because a segment of their path is longer
     * than 255 bytes (NAME_MAX). They stay in the store, reachable through every other surface; each is also logged
     * once as a warning.
     *
     * @return store paths prefixed with their slug, for example {@code project-notes:/a/...}
     */
    public List<String> unreachablePaths() {
        List<String> out = new ArrayList<>();
        mounts.forEach((slug, m) -> m.fs().unreachablePaths().forEach(p -> out.add(slug + ":" + p)));
        return out;
    }

    /**
     * Waits until every file closed through these mounts has landed in the store. The kernel reports a file's last
     * close a moment after the closing process has gone on, and a file created exclusively (as {@code mkstemp} does)
     * lands up to 200 ms later unless it is renamed first; a harness that reads the store right after a command
     * calls this first.
     *
     * @param timeout the longest wait
     * @return true if nothing is left open or waiting
     */
    public boolean awaitSettled(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Mounted m : mounts.values()) {
            if (!m.fs().awaitSettled(Math.max(0, (deadline - System.nanoTime()) / 1_000_000))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Unmounts every attachment, after writes still in flight have landed, and removes the emptied mount points.
     * Idempotent.
     */
    @Override
    public void close() {
        unmountAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void unmountAll() {
        if (closed) {
            return;
        }
        closed = true;
        unmount(mounts.values());
    }

    private static void unmount(Iterable<Mounted> ms) {
        for (Mounted m : ms) {
            m.fs().awaitSettled(2_000);
            m.fs().shutdown();
            if (!MountTable.unmount(m.dir())) {
                MountTable.detach(m.dir()); // still in use by a shell: detach now, free when it leaves
            }
            closeQuietly(m.fuse());
            removeMountPoint(m.dir());
        }
    }

    /**
     * Removes an unmounted mount point, so that a program still writing there (a container's bind mount of it) gets
     * ENOENT instead of writing plain files that no store will ever see.
     */
    private static void removeMountPoint(Path dir) {
        try {
            if (MountTable.state(dir) == MountTable.State.FREE) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            LOG.warn("{} was unmounted but could not be removed: {}", dir, e.toString());
        }
    }

    private static void closeQuietly(Fuse fuse) {
        try {
            fuse.close();
        } catch (Exception e) {
            LOG.warn("closing a FUSE session failed: {}", e.toString());
        }
    }
}
