package dev.agentmemory.jdbc.internal;

import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The one way this package builds its caches: Caffeine with its maintenance (draining its buffers, evicting) run
 * by the thread that reads or writes the cache, under Caffeine's own try-lock, instead of a task handed to
 * {@link java.util.concurrent.ForkJoinPool#commonPool()}. A write path puts into these caches on every commit; with
 * the default executor each put could wake a pool thread, a hand-over between threads that costs more than the
 * maintenance itself on a machine with few cores. None of the caches has a removal listener or anything else that
 * must run off the caller's thread.
 */
final class CacheBuilders {

    private CacheBuilders() {
    }

    /** A builder whose cache does its maintenance on the calling thread. */
    static Caffeine<Object, Object> inline() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }
}
