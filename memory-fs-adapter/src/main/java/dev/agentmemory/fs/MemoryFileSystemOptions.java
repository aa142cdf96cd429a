package dev.agentmemory.fs;

import java.time.Duration;
import java.util.Objects;

/**
 * How a memory file system behaves.
 *
 * @param watchPollInterval how often a {@link java.nio.file.WatchService} asks each watched store whether it changed
 *     (one cheap revision query per watched mount); at least 1 ms
 */
public record MemoryFileSystemOptions(Duration watchPollInterval) {

    /** Checks the values. */
    public MemoryFileSystemOptions {
        Objects.requireNonNull(watchPollInterval, "watchPollInterval");
        if (watchPollInterval.toMillis() < 1) {
            throw new IllegalArgumentException("watchPollInterval must be at least 1 ms, got " + watchPollInterval);
        }
    }

    /**
     * Returns the defaults: watch services poll every 200 ms.
     *
     * @return the default options
     */
    public static MemoryFileSystemOptions defaults() {
        return new MemoryFileSystemOptions(Duration.ofMillis(200));
    }

    /**
     * Returns these options with another watch poll interval.
     *
     * @param interval the interval, at least 1 ms
     * @return the new options
     */
    public MemoryFileSystemOptions withWatchPollInterval(Duration interval) {
        return new MemoryFileSystemOptions(interval);
    }
}
