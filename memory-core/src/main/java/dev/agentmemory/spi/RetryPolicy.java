package dev.agentmemory.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * How an operation that can be overtaken or refused for a moment is retried: a time budget, and between attempts a
 * randomized pause that doubles from {@code firstPause} up to {@code maxPause}. The service uses one for writes
 * overtaken by concurrent commits; a backend uses one for transient database failures (a busy SQLite file, a
 * PostgreSQL serialization failure, a lost connection). Time is read from a {@link Ticker}, which tests replace to
 * check budgets without waiting.
 *
 * <p>Immutable and thread-safe. Each operation takes its own {@link Attempts} from {@link #start()}.
 *
 * <pre>{@code
 * RetryPolicy.Attempts attempts = policy.start();
 * while (true) {
 *     try {
 *         return tryOnce();
 *     } catch (TransientFailure e) {
 *         if (!attempts.pause()) {
 *             throw new StorageException("... kept failing for " + policy.budget().toSeconds() + " s", e);
 *         }
 *     }
 * }
 * }</pre>
 */
public final class RetryPolicy {

    /** A monotonic clock and a way to wait, as the policy uses them. */
    public interface Ticker {
        /**
         * Returns the current value of a monotonic clock.
         *
         * @return nanoseconds from an arbitrary origin, as {@link System#nanoTime()}
         */
        long nanoTime();

        /**
         * Waits about {@code nanos}; may return early.
         *
         * @param nanos how long
         */
        void pause(long nanos);

        /** The system's monotonic clock and {@link LockSupport#parkNanos(long)}. */
        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void pause(long nanos) {
                LockSupport.parkNanos(nanos);
            }
        };
    }

    private final Duration budget;
    private final long firstPauseNanos;
    private final long maxPauseNanos;
    private final Ticker ticker;

    private RetryPolicy(Duration budget, long firstPauseNanos, long maxPauseNanos, Ticker ticker) {
        this.budget = budget;
        this.firstPauseNanos = firstPauseNanos;
        this.maxPauseNanos = maxPauseNanos;
        this.ticker = ticker;
    }

    /**
     * Creates a policy on the system clock.
     *
     * @param budget how long an operation keeps retrying before it gives up; zero means one attempt
     * @param firstPause the longest pause before the second attempt; at least one nanosecond
     * @param maxPause the longest pause at all; at least {@code firstPause}
     * @return the policy
     * @throws IllegalArgumentException if a duration is negative or the pauses are out of order
     */
    public static RetryPolicy of(Duration budget, Duration firstPause, Duration maxPause) {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(firstPause, "firstPause");
        Objects.requireNonNull(maxPause, "maxPause");
        if (budget.isNegative() || firstPause.isNegative() || firstPause.isZero()
                || maxPause.compareTo(firstPause) < 0) {
            throw new IllegalArgumentException("a retry policy needs budget >= 0 and 0 < firstPause <= maxPause: "
                    + budget + ", " + firstPause + ", " + maxPause);
        }
        return new RetryPolicy(budget, firstPause.toNanos(), maxPause.toNanos(), Ticker.SYSTEM);
    }

    /**
     * The service's policy for writes overtaken by concurrent commits to the same store: 30 seconds, pauses from one
     * microsecond up to one millisecond (a commit is short, so the next attempt is soon worth making).
     *
     * @return the policy
     */
    public static RetryPolicy concurrentCommits() {
        return of(Duration.ofSeconds(30), Duration.ofNanos(1_000), Duration.ofMillis(1));
    }

    /**
     * The policy for transient database failures: the given budget, pauses from 100 microseconds up to 50
     * milliseconds (a busy database or a reconnecting pool needs longer than a lost race).
     *
     * @param budget how long to keep retrying
     * @return the policy
     */
    public static RetryPolicy transientFailures(Duration budget) {
        return of(budget, Duration.ofNanos(100_000), Duration.ofMillis(50));
    }

    /**
     * Returns this policy with another budget.
     *
     * @param newBudget the budget
     * @return the policy
     */
    public RetryPolicy withBudget(Duration newBudget) {
        RetryPolicy checked = of(newBudget, Duration.ofNanos(firstPauseNanos), Duration.ofNanos(maxPauseNanos));
        return new RetryPolicy(checked.budget, firstPauseNanos, maxPauseNanos, ticker);
    }

    /**
     * Returns this policy reading time from another ticker.
     *
     * @param newTicker the ticker
     * @return the policy
     */
    public RetryPolicy withTicker(Ticker newTicker) {
        return new RetryPolicy(budget, firstPauseNanos, maxPauseNanos, Objects.requireNonNull(newTicker, "ticker"));
    }

    /**
     * Returns how long an operation keeps retrying.
     *
     * @return the budget
     */
    public Duration budget() {
        return budget;
    }

    /**
     * Starts an operation: its budget runs from now.
     *
     * @return the operation's attempts
     */
    public Attempts start() {
        return new Attempts(ticker.nanoTime() + budget.toNanos());
    }

    @Override
    public String toString() {
        return "RetryPolicy{budget " + budget + ", pauses " + Duration.ofNanos(firstPauseNanos) + " to "
                + Duration.ofNanos(maxPauseNanos) + "}";
    }

    /** The attempts of one operation. Confined to the thread running it. */
    public final class Attempts {

        private final long deadline;
        private int failed;

        private Attempts(long deadline) {
            this.deadline = deadline;
        }

        /**
         * Returns how many attempts have failed so far.
         *
         * @return the count
         */
        public int failed() {
            return failed;
        }

        /**
         * Records a failed attempt and, if the budget allows another, pauses before it.
         *
         * @return true to make another attempt; false if the budget is spent or the thread was interrupted (its
         *     interrupt flag stays set), and the caller should give up
         */
        public boolean pause() {
            failed++;
            if (ticker.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            int doublings = Math.min(failed - 1, 40);
            long ceiling = firstPauseNanos << doublings;
            if (ceiling <= 0 || ceiling > maxPauseNanos || (ceiling >> doublings) != firstPauseNanos) {
                ceiling = maxPauseNanos;
            }
            ticker.pause(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
            return true;
        }
    }
}
