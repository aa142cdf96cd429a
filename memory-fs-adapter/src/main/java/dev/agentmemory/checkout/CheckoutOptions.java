package dev.agentmemory.checkout;

import dev.agentmemory.model.ProgressListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * How a {@link Checkout} behaves: whether it synchronises in the background and how often, on which executor, and
 * whom it tells about progress and background results. Immutable; start from {@link #defaults()}.
 *
 * <pre>{@code
 * CheckoutOptions options = CheckoutOptions.defaults()
 *         .withBackgroundSync(Duration.ofSeconds(15))
 *         .withBackgroundListener(report -> log.info("synced: {}", report));
 * }</pre>
 *
 * @param syncInterval the pause between the end of one background sync and the start of the next; empty for no
 *     background sync (call {@link Checkout#sync()} yourself)
 * @param executor the executor background syncs run on; empty to let the checkout start (and stop at
 *     {@link Checkout#close()}) a daemon thread of its own. A given executor is never shut down by the checkout.
 * @param progress told how a long checkout or sync advances (phases {@code checkout}, {@code scan}, {@code push},
 *     {@code pull})
 * @param backgroundListener given the report of every background sync (not of explicit {@link Checkout#sync()}
 *     calls), on the executor's thread
 */
public record CheckoutOptions(
        Optional<Duration> syncInterval,
        Optional<ScheduledExecutorService> executor,
        ProgressListener progress,
        Consumer<SyncReport> backgroundListener) {

    /** The interval the hosted product syncs its local copy at, used by {@link #withBackgroundSync()}. */
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(15);

    private static final Consumer<SyncReport> IGNORE = report -> { };

    /**
     * Checks that every field is present and the interval positive.
     *
     * @throws IllegalArgumentException if the interval is zero or negative
     */
    public CheckoutOptions {
        Objects.requireNonNull(syncInterval, "syncInterval");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(backgroundListener, "backgroundListener");
        syncInterval.ifPresent(interval -> {
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("syncInterval must be positive, was " + interval);
            }
        });
    }

    /**
     * Returns the defaults: no background sync, no progress reporting.
     *
     * @return the options
     */
    public static CheckoutOptions defaults() {
        return new CheckoutOptions(Optional.empty(), Optional.empty(), ProgressListener.NONE, IGNORE);
    }

    /**
     * Returns these options with background sync every {@link #DEFAULT_SYNC_INTERVAL}.
     *
     * @return the options
     */
    public CheckoutOptions withBackgroundSync() {
        return withBackgroundSync(DEFAULT_SYNC_INTERVAL);
    }

    /**
     * Returns these options with background sync at an interval.
     *
     * @param interval the pause between syncs, positive
     * @return the options
     * @throws IllegalArgumentException if the interval is not positive
     */
    public CheckoutOptions withBackgroundSync(Duration interval) {
        return new CheckoutOptions(Optional.of(interval), executor, progress, backgroundListener);
    }

    /**
     * Returns these options with background syncs run on a given executor, which the checkout does not shut down.
     *
     * @param scheduler the executor
     * @return the options
     */
    public CheckoutOptions withExecutor(ScheduledExecutorService scheduler) {
        return new CheckoutOptions(syncInterval, Optional.of(scheduler), progress, backgroundListener);
    }

    /**
     * Returns these options with a progress listener.
     *
     * @param listener told how a checkout or sync advances
     * @return the options
     */
    public CheckoutOptions withProgress(ProgressListener listener) {
        return new CheckoutOptions(syncInterval, executor, listener, backgroundListener);
    }

    /**
     * Returns these options with a listener for background sync reports.
     *
     * @param listener given each background sync's report
     * @return the options
     */
    public CheckoutOptions withBackgroundListener(Consumer<SyncReport> listener) {
        return new CheckoutOptions(syncInterval, executor, progress, listener);
    }
}
