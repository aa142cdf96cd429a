package dev.agentmemory.internal;

import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.WriteListener;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.model.WriteEvent;
import dev.agentmemory.policy.StorePolicies;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.spi.RetryPolicy;
import dev.agentmemory.spi.StoreRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service behind {@link dev.agentmemory.AgentMemory}: owns the backend, the limits, the clock and the id maker,
 * and runs every write as an optimistic transaction against the backend's {@link Commit} primitive. Thread-safe.
 */
public final class MemoryService {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryService.class);

    private final MemoryBackend backend;
    private final Limits limits;
    private final Clock clock;
    private final Ids ids;
    private final RetryPolicy retries;
    private final WriteListener listener;
    private final PolicyGate policies;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final WriteSnapshots snapshots = new WriteSnapshots();

    /**
     * Creates the service.
     *
     * @param backend the backend, owned from now on
     * @param limits the limits
     * @param clock the clock
     * @param retries how writes overtaken by concurrent commits are retried
     */
    public MemoryService(MemoryBackend backend, Limits limits, Clock clock, RetryPolicy retries) {
        this(backend, limits, clock, retries, WriteListener.NONE);
    }

    /**
     * Creates the service.
     *
     * @param backend the backend, owned from now on
     * @param limits the limits
     * @param clock the clock
     * @param retries how writes overtaken by concurrent commits are retried
     * @param listener told about every finished write
     */
    public MemoryService(MemoryBackend backend, Limits limits, Clock clock, RetryPolicy retries,
            WriteListener listener) {
        this(backend, limits, clock, retries, listener, Optional.empty());
    }

    /**
     * Creates the service.
     *
     * @param backend the backend, owned from now on
     * @param limits the limits
     * @param clock the clock
     * @param retries how writes overtaken by concurrent commits are retried
     * @param listener told about every finished write
     * @param policies the write policies of each store, if any
     */
    public MemoryService(MemoryBackend backend, Limits limits, Clock clock, RetryPolicy retries,
            WriteListener listener, Optional<StorePolicies> policies) {
        this.policies = new PolicyGate(this, policies);
        this.backend = backend;
        this.limits = limits;
        this.clock = clock;
        this.ids = new Ids(clock);
        this.retries = retries;
        this.listener = listener;
    }

    /** @return the limits */
    public Limits limits() {
        return limits;
    }

    /** @return the write policies' gate */
    PolicyGate policies() {
        return policies;
    }

    /** @return the id maker */
    Ids ids() {
        return ids;
    }

    /**
     * Returns the backend, failing if the service is closed.
     *
     * @return the backend
     */
    MemoryBackend backend() {
        if (closed.get()) {
            throw new StorageException("this AgentMemory is closed; open a new one", null);
        }
        return backend;
    }

    /**
     * Returns the current time, truncated to microseconds so that every backend stores it exactly.
     *
     * @return now
     */
    Instant now() {
        Instant t = clock.instant();
        int nanos = t.getNano();
        int micros = nanos - nanos % 1000;
        // as truncatedTo(MICROS), without a new instant when the clock's is whole microseconds already
        return micros == nanos ? t : Instant.ofEpochSecond(t.getEpochSecond(), micros);
    }

    /**
     * Returns a workspace's handle.
     *
     * @param id the workspace
     * @return the handle
     */
    /**
     * Lists the workspaces that hold a store or a session.
     *
     * @return the workspaces, in id order
     */
    /**
     * Waits, at most {@code timeout}, for the backend to finish the physical erasure of what was erased so far, and
     * logs plainly when it is not done: the content is unreachable already, but its bytes are still in storage.
     *
     * @param timeout the longest wait
     * @return the status
     */
    dev.agentmemory.model.ErasureStatus awaitErasure(Duration timeout) {
        dev.agentmemory.model.ErasureStatus status = backend().awaitErasure(timeout);
        if (!status.isDone() && !timeout.isZero()) {
            LOG.warn("erased content is unreachable, but its bytes are still in storage ({}): {}",
                    status.state().wireName(), status.detail());
        }
        return status;
    }

    public java.util.List<WorkspaceId> workspaces() {
        return backend().listWorkspaces();
    }

    public WorkspaceEngine workspace(WorkspaceId id) {
        return new WorkspaceEngine(this, id);
    }

    /** Closes the backend once. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            backend.close();
        }
    }

    /**
     * Reads a store of a workspace.
     *
     * @param workspaceId the workspace
     * @param storeId the store
     * @return the store and its sequence
     * @throws NotFoundException if it does not exist in that workspace
     */
    StoreRecord store(WorkspaceId workspaceId, StoreId storeId) {
        StoreRecord rec = backend().findStore(storeId).orElseThrow(() -> storeNotFound(workspaceId, storeId));
        if (!rec.store().workspaceId().equals(workspaceId)) {
            throw storeNotFound(workspaceId, storeId);
        }
        return rec;
    }

    static NotFoundException storeNotFound(WorkspaceId workspaceId, StoreId storeId) {
        return new NotFoundException("memory store " + storeId + " does not exist in workspace " + workspaceId
                + "; list the workspace's stores to find its id");
    }

    /** The effective content limit of a store. */
    int contentLimit(MemoryStore store) {
        return store.contentLimitBytes().orElse(limits.maxContentBytes());
    }

    /** The effective memory count limit of a store. */
    int memoryLimit(MemoryStore store) {
        return store.memoryLimit().orElse(limits.maxMemoriesPerStore());
    }

    /** A write transaction's body: reads through the transaction, stages changes in it, returns a result. */
    @FunctionalInterface
    interface Body<T> {
        T run(WriteTx tx);
    }

    /**
     * Runs a write: reads the store's sequence, runs the body against a transaction on that snapshot, and commits
     * its changes on condition that the sequence has not moved, or, for a write that changed one memory's content and
     * looked at nothing but that memory's head and the store's record, on condition that those have not moved (a
     * {@link dev.agentmemory.spi.HeadCondition}: the backend then applies it at the store's actual sequence, so
     * writers of different memories of one store do not make each other retry). If another writer overtook it,
     * everything is read again and the body runs again. A rule the body breaks is thrown only if the snapshot it was checked against was
     * still current, so that failures are linearizable too.
     *
     * @param workspaceId the workspace the store must belong to
     * @param storeId the store
     * @param what what is being done, for messages
     * @param mutation whether the body writes (archived stores refuse writes)
     * @param body the body
     * @param <T> the result type
     * @return the body's result
     */
    <T> T write(WorkspaceId workspaceId, StoreId storeId, String what, boolean mutation, Body<T> body) {
        try {
            return reported(workspaceId, storeId, what, mutation, body);
        } finally {
            Contents.forgetEncoded();
        }
    }

    /** Runs a write's attempts and tells the write listener how it ended. */
    private <T> T reported(WorkspaceId workspaceId, StoreId storeId, String what, boolean mutation, Body<T> body) {
        Outcome outcome = new Outcome();
        if (listener == WriteListener.NONE) {
            return attempt(workspaceId, storeId, what, mutation, body, outcome);
        }
        long start = System.nanoTime();
        T result;
        try {
            result = attempt(workspaceId, storeId, what, mutation, body, outcome);
        } catch (RuntimeException e) {
            report(new WriteEvent(workspaceId, storeId, what, WriteEvent.Outcome.FAILED, Optional.of(e),
                    outcome.attempts, Duration.ofNanos(System.nanoTime() - start)));
            throw e;
        }
        report(new WriteEvent(workspaceId, storeId, what,
                outcome.committed ? WriteEvent.Outcome.COMMITTED : WriteEvent.Outcome.UNCHANGED, Optional.empty(),
                outcome.attempts, Duration.ofNanos(System.nanoTime() - start)));
        return result;
    }

    /** How often a write ran its body, and whether a commit of it landed. Confined to the writing thread. */
    private static final class Outcome {
        int attempts;
        boolean committed;
    }

    private void report(WriteEvent event) {
        try {
            listener.onWrite(event);
        } catch (RuntimeException e) {
            LOG.warn("the write listener {} failed on {}; the write itself is unaffected", listener, event, e);
        }
    }

    private <T> T attempt(WorkspaceId workspaceId, StoreId storeId, String what, boolean mutation, Body<T> body,
            Outcome outcome) {
        RetryPolicy.Attempts attempts = retries.start();
        while (true) {
            outcome.attempts++;
            // The first attempt starts from what this service's last commit to the store left (no read); the
            // commit's compare-and-set checks that guess, and a failed attempt forgets it and reads afresh.
            WriteSnapshots.Snapshot last = outcome.attempts == 1 ? snapshots.getOrNull(storeId) : null;
            StoreRecord rec = last != null && last.record().store().workspaceId().equals(workspaceId)
                    ? last.record() : store(workspaceId, storeId);
            if (mutation && rec.store().isArchived()) {
                if (stillAt(rec)) {
                    throw new ArchivedException(storeId, what);
                }
                snapshots.forget(storeId);
                backoff(attempts, what);
                continue;
            }
            WriteTx tx = new WriteTx(this, rec, last != null && last.record() == rec ? last : snapshots.at(rec));
            T result;
            try {
                result = body.run(tx);
            } catch (RuntimeException e) { // a broken rule, or an edit function's own refusal
                if (stillAt(rec)) {
                    policies.refused(tx, e);
                    throw e;
                }
                snapshots.forget(storeId);
                backoff(attempts, what);
                continue;
            }
            if (tx.screeningOrNull() != null && tx.screening().quarantined()) {
                if (stillAt(rec)) {
                    policies.quarantine(tx); // keeps the write for review and throws
                }
                backoff(attempts, what);
                continue;
            }
            Commit commit = tx.toCommit();
            // A write that changes nothing (every change already current) commits nothing, so its reads must be
            // shown to belong to one state: the sequence has not moved since the first read.
            boolean applied = false;
            if (commit.isEmpty()) {
                if (stillAt(rec)) {
                    return result;
                }
            } else {
                try {
                    applied = backend().commit(commit);
                } catch (RuntimeException e) {
                    snapshots.forget(storeId);
                    throw e;
                }
                if (applied) {
                    Optional<Relinker.Landing> landed = tx.relinked();
                    if (landed.isPresent()) {
                        snapshots.relinked(rec, commit, landed.get());
                    } else {
                        snapshots.committed(rec, tx.known(), tx.readHeads(), tx.countAfter(), tx.absentPaths(), commit);
                    }
                    outcome.committed = true;
                    policies.committed(tx);
                    return result;
                }
            }
            snapshots.forget(storeId);
            backoff(attempts, what);
        }
    }

    private boolean stillAt(StoreRecord rec) {
        return backend().findStore(rec.store().id()).map(r -> r.sequence() == rec.sequence()).orElse(true);
    }

    private void backoff(RetryPolicy.Attempts attempts, String what) {
        if (!attempts.pause()) {
            throw new StorageException(what + " failed: other writers kept overtaking it for "
                    + retries.budget().toSeconds() + " s (" + attempts.failed() + " attempts); retry later", null);
        }
        if (attempts.failed() % 100 == 0) {
            LOG.debug("{}: retry {} after concurrent commits", what, attempts.failed());
        }
    }
}
