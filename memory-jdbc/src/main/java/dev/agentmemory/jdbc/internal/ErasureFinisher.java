package dev.agentmemory.jdbc.internal;

import dev.agentmemory.model.ErasureStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes physical erasure in the background: after a commit that erased content, it runs the backend's
 * {@link Step} (rewrite, checkpoint, compaction) until the step says the bytes are gone, retrying on the
 * {@link ErasureBackoff} schedule while readers or locks hold it up, and logs when an erasure that had to wait is
 * finished. Callers ask for work with {@link #request()}, look with {@link #status()} and wait, bounded, with
 * {@link #await(Duration)}; none of them ever runs the step itself, so none is held up by it for longer than it
 * chooses to wait.
 *
 * <p>Erasures are counted: each request raises the requested count, and a successful attempt marks done every request
 * made before it started. When idle, it asks the step every {@code pollInterval} whether other processes left erasure
 * unfinished in the same database, and takes that work on too.
 *
 * <p>The clock stamps when an erasure became pending; the retry pauses are real time. Thread-safe; one daemon thread,
 * stopped by {@link #close()}.
 */
public final class ErasureFinisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ErasureFinisher.class);

    /** One attempt to make erased content leave storage. Runs on the finisher's thread only. */
    public interface Step {
        /**
         * Tries to finish the physical erasure of everything erased so far.
         *
         * @return empty when the bytes are gone; otherwise why they are still there (the finisher retries)
         * @throws Exception when the attempt failed; the finisher reports it and retries
         */
        Optional<String> attempt() throws Exception;

        /**
         * Tells whether the database records erasure that no one has finished (another process's, say).
         *
         * @return true if there is work
         * @throws Exception when the check failed; treated as no work
         */
        boolean unfinishedElsewhere() throws Exception;
    }

    private final String name;
    private final Step step;
    private final String doneDetail;
    private final Clock clock;
    private final ErasureBackoff backoff;
    private final Duration pollInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;

    private long requested;
    private long completed;
    private Instant pendingSince;
    private String reason = "the erasure is running";
    private boolean reportedPending;
    private boolean closed;

    /**
     * Creates the finisher and starts its thread.
     *
     * @param name names the database in logs and the thread
     * @param step the attempt
     * @param doneDetail what a finished erasure means for this storage, for {@link ErasureStatus#detail()}
     * @param clock stamps when erasures became pending
     * @param backoff the pauses between failed attempts
     * @param pollInterval how often, when idle, to check for erasure left unfinished by others
     */
    public ErasureFinisher(String name, Step step, String doneDetail, Clock clock, ErasureBackoff backoff,
            Duration pollInterval) {
        this.name = Objects.requireNonNull(name, "name");
        this.step = Objects.requireNonNull(step, "step");
        this.doneDetail = Objects.requireNonNull(doneDetail, "doneDetail");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.thread = new Thread(this::loop, "agent-memory-erasure");
        thread.setDaemon(true);
        thread.start();
    }

    /** Records that a commit erased content: the finisher makes its bytes leave storage. */
    public void request() {
        lock.lock();
        try {
            if (requested == completed) {
                pendingSince = clock.instant();
                reason = "the erasure is running";
            }
            requested++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return where physical erasure stands now */
    public ErasureStatus status() {
        lock.lock();
        try {
            return statusLocked();
        } finally {
            lock.unlock();
        }
    }

    private ErasureStatus statusLocked() {
        if (completed >= requested) {
            return ErasureStatus.done(doneDetail);
        }
        return ErasureStatus.pending(reason + (closed ? "; this backend is closed, so the next one to open the"
                + " database finishes it" : "; the backend retries by itself"), pendingSince);
    }

    /**
     * Waits, at most {@code timeout}, until every erasure requested before the call is finished.
     *
     * @param timeout the longest wait
     * @return the status then
     */
    public ErasureStatus await(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        lock.lock();
        try {
            long target = requested;
            while (completed < target && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            return statusLocked();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return statusLocked();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        int failures = 0;
        while (true) {
            long target;
            lock.lock();
            try {
                if (completed >= requested && !closed) {
                    changed.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS); // idle: woken by a request
                } else if (failures > 0 && !closed) {
                    changed.await(backoff.pause(failures).toNanos(), TimeUnit.NANOSECONDS);
                }
                if (closed) {
                    return;
                }
                target = requested;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (target == completedNow()) {
                failures = 0;
                pollOthers();
                continue;
            }
            Optional<String> left;
            try {
                left = step.attempt();
            } catch (Exception | LinkageError e) {
                left = Optional.of("the last attempt failed: " + e);
            }
            lock.lock();
            try {
                if (left.isEmpty()) {
                    completed = Math.max(completed, target);
                    failures = 0;
                    if (completed >= requested) {
                        if (reportedPending) {
                            LOG.info("erasure finished for {}: the erased content's bytes have left storage, {} after"
                                    + " it was asked for", name, Duration.between(pendingSince, clock.instant()));
                        }
                        reportedPending = false;
                        pendingSince = null;
                    }
                } else {
                    failures++;
                    reason = left.get();
                    if (!reportedPending && failures >= backoff.quietFailures()) {
                        reportedPending = true;
                        LOG.warn("erasure pending for {}: erased content is unreachable, but its bytes are still in"
                                + " storage: {}; retrying until it can be finished", name, reason);
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private long completedNow() {
        lock.lock();
        try {
            return completed;
        } finally {
            lock.unlock();
        }
    }

    private void pollOthers() {
        try {
            if (step.unfinishedElsewhere()) {
                LOG.info("{} records erasure left unfinished by an earlier or another process; finishing it", name);
                request();
            }
        } catch (Exception | LinkageError e) {
            LOG.debug("cannot check {} for unfinished erasure: {}", name, e.toString());
        }
    }

    /**
     * Stops the thread, waiting for an attempt in progress to end (at most 30 s). An unfinished erasure stays
     * recorded in the database, for the next backend that opens it.
     */
    @Override
    public void close() {
        ErasureStatus at;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            at = statusLocked();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!at.isDone()) {
            LOG.warn("closing {} with erasure unfinished: {}", name, at.detail());
        }
    }
}
