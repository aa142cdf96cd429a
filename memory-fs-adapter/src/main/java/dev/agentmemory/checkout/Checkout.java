package dev.agentmemory.checkout;

import dev.agentmemory.Session;
import dev.agentmemory.checkout.internal.CheckoutEngine;
import dev.agentmemory.model.SessionId;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * A session's mounts materialised as a real host directory: {@code <dir>/<slug>/<memory path>} for every attached
 * store, and {@link #sync()} to write local changes back as versions attributed to the session and pull in what
 * others changed. Thread-safe: syncs (explicit and background) run one at a time. Close it to stop background syncs
 * and release the directory's lock; closing does not sync.
 *
 * <pre>{@code
 * try (Checkout checkout = Checkout.create(session, Path.of("/tmp/memory"), CheckoutOptions.defaults())) {
 *     // tools edit /tmp/memory/project-notes/build.md ...
 *     SyncReport report = checkout.sync();
 *     report.conflicts().forEach(c -> System.out.println(c.message()));
 * }
 * }</pre>
 *
 * <p>What a sync does, in short (the whole story is in {@code docs/checkout.md}):
 * <ul>
 *   <li>Local creates, edits, deletes and renames (a deleted file and a new file with the same content) become
 *       versions, each update and delete conditional on the SHA-256 the checkout last saw. A sync's changes to one
 *       mount are applied as one atomic {@link dev.agentmemory.model.Batch} when they all succeed.</li>
 *   <li>Changes others made are written into files that were not changed locally.</li>
 *   <li>A true conflict loses nothing: the store keeps the other writer's version, the local content is kept beside
 *       the file as {@code <name>.conflict-<yyyyMMdd'T'HHmmss'Z'>[-n].<ext>}, which later syncs never push, and the
 *       report says so.</li>
 *   <li>Read-only mounts are checked out without write permission; any local change there is refused, reported and
 *       undone (local content that would be lost is saved under {@code <dir>/.agent-memory/refused/}).</li>
 *   <li>Symbolic links, special files and anything outside the mount directories are refused, never followed.</li>
 * </ul>
 *
 * <p>The checkout's manifest lives in {@code <dir>/.agent-memory/}, which is never synchronised. An unchanged file is
 * recognised by one {@code stat} (size, mtime, file key) against the manifest, and a mount whose store's
 * {@link dev.agentmemory.Memories#revision()} did not move is not listed at all.
 */
public final class Checkout implements AutoCloseable {

    /** The directory inside a checkout that holds its manifest and lock; never synchronised. */
    public static final String METADATA_DIRECTORY = CheckoutEngine.METADATA_DIR;

    /** The marker in the names of conflict files: {@code notes.md} is kept as {@code notes.conflict-<time>.md}. */
    public static final String CONFLICT_MARKER = ".conflict-";

    private final CheckoutEngine engine;

    private Checkout(CheckoutEngine engine) {
        this.engine = engine;
    }

    /**
     * Checks a session's mounts out into a directory that does not exist yet or is empty.
     *
     * @param session the session whose mounts to check out; writes are attributed to it
     * @param directory the checkout's root; created if missing
     * @param options background sync, executor and progress
     * @return the open checkout
     * @throws CheckoutException if the directory is not empty or cannot be written
     * @throws dev.agentmemory.error.MemoryException if the store cannot be read
     */
    public static Checkout create(Session session, Path directory, CheckoutOptions options) {
        return new Checkout(CheckoutEngine.create(session, directory, options, Clock.systemUTC()));
    }

    /**
     * Checks a session's mounts out with the default options (no background sync).
     *
     * @param session the session
     * @param directory the checkout's root; created if missing, else it must be empty
     * @return the open checkout
     * @throws CheckoutException if the directory is not empty or cannot be written
     */
    public static Checkout create(Session session, Path directory) {
        return create(session, directory, CheckoutOptions.defaults());
    }

    /**
     * Reopens an existing checkout, for example in a later process. Local changes made while it was closed are pushed
     * by the next {@link #sync()}.
     *
     * @param session the session it was checked out for (see {@link #find(Path)})
     * @param directory the checkout's root
     * @param options background sync, executor and progress
     * @return the open checkout
     * @throws CheckoutException if the directory is not a checkout, belongs to another session, or is open already
     */
    public static Checkout open(Session session, Path directory, CheckoutOptions options) {
        return new Checkout(CheckoutEngine.open(session, directory, options, Clock.systemUTC()));
    }

    /**
     * Reopens an existing checkout with the default options.
     *
     * @param session the session it was checked out for
     * @param directory the checkout's root
     * @return the open checkout
     * @throws CheckoutException if the directory is not a checkout of this session, or is open already
     */
    public static Checkout open(Session session, Path directory) {
        return open(session, directory, CheckoutOptions.defaults());
    }

    /**
     * Reads what a directory's manifest says, without opening it: the session and workspace to reopen it with.
     *
     * @param directory a directory
     * @return the checkout's description, or empty if the directory is not a checkout
     * @throws CheckoutException if the manifest exists but cannot be read
     */
    public static Optional<CheckoutInfo> find(Path directory) {
        return CheckoutEngine.find(directory);
    }

    /**
     * Tells whether a file name is a conflict file's (such files are never pushed).
     *
     * @param fileName a file name, without directories
     * @return true for names such as {@code notes.conflict-20261125T033512Z.md}
     */
    public static boolean isConflictFileName(String fileName) {
        return CheckoutEngine.isConflictFileName(fileName);
    }

    /**
     * Synchronises the checkout with the stores, in both directions. Problems with single files are reported, never
     * thrown; one mount's failure does not stop the others.
     *
     * @return what was pushed, pulled, in conflict, refused and failed
     * @throws CheckoutException if the checkout is closed or its manifest cannot be written
     */
    public SyncReport sync() {
        return engine.sync();
    }

    /**
     * Returns the checkout's root directory.
     *
     * @return the absolute root
     */
    public Path directory() {
        return engine.directory();
    }

    /**
     * Returns the host directory of one mount, {@code <dir>/<slug>}.
     *
     * @param slug the mount's slug
     * @return the directory
     * @throws IllegalArgumentException if the session has no such mount
     */
    public Path mountDirectory(String slug) {
        return engine.mountDirectory(slug);
    }

    /**
     * Returns the session the checkout belongs to.
     *
     * @return the session's id
     */
    public SessionId sessionId() {
        return engine.sessionId();
    }

    /**
     * Returns what the manifest says about this checkout.
     *
     * @return the description
     */
    public CheckoutInfo info() {
        return engine.info();
    }

    /**
     * Stops background syncs (waiting for one that is running), and releases the directory's lock. A checkout that
     * runs its own background thread (named {@code agent-memory-checkout-sync <directory name>}) waits for that
     * thread to end, unless it is closed from that thread (a background listener). Does not sync; call
     * {@link #sync()} first to push the last changes. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }
}
