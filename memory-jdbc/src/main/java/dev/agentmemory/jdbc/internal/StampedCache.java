package dev.agentmemory.jdbc.internal;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntBiFunction;

/**
 * Rows of a SQLite file served from memory while the {@link ChangeCounter} still holds the value they were read
 * under: no write has committed since, in any process using this library ({@link ChangeCounter} explains why that
 * holds across processes). A value is kept only if the counter was stable and unmoved across its read. An absence
 * (the row does not exist) is kept the same way, so a name looked up and not found is not looked up again until a
 * write commits. Without a counter (PostgreSQL, SQLite without a file) nothing is kept and every lookup reads.
 * Thread-safe.
 *
 * @param <K> the key
 * @param <V> the row
 */
final class StampedCache<K, V> {

    /** A value (empty: no such row) as read while the change counter held {@code stamp}. */
    private record Stamped<V>(long stamp, Optional<V> value) {
    }


    private final Optional<ChangeCounter> counter;
    private final Cache<K, Stamped<V>> cache;

    private StampedCache(Optional<ChangeCounter> counter, Cache<K, Stamped<V>> cache) {
        this.counter = counter;
        this.cache = cache;
    }

    /**
     * A cache bounded by the weight of its entries.
     *
     * @param counter the database's change counter; empty keeps nothing
     * @param maxWeight the most weight to keep; 0 keeps nothing
     * @param weigher an entry's weight, given its key and its value, or null for a kept absence
     */
    static <K, V> StampedCache<K, V> weighed(Optional<ChangeCounter> counter, long maxWeight,
            ToIntBiFunction<K, V> weigher) {
        return new StampedCache<>(counter, CacheBuilders.inline()
                .maximumWeight(counter.isPresent() ? Math.max(maxWeight, 0) : 0)
                .weigher((K k, Stamped<V> v) -> weigher.applyAsInt(k, v.value().orElse(null)))
                .build());
    }

    /**
     * A cache bounded by a count of entries.
     *
     * @param counter the database's change counter; empty keeps nothing
     * @param maxSize the most entries to keep; 0 keeps nothing
     */
    static <K, V> StampedCache<K, V> counted(Optional<ChangeCounter> counter, long maxSize) {
        return new StampedCache<>(counter, CacheBuilders.inline().maximumSize(counter.isPresent() ? maxSize : 0)
                .build());
    }

    /**
     * Returns the value under {@code key} if it was read under the counter's current value, or else reads it, keeping
     * what was read (a value, or its absence) under {@code key}, and a value also under {@code alsoUnder} of it, when
     * the counter held still across the read.
     *
     * @param key the key
     * @param read reads the row from the database
     * @param alsoUnder another key the value answers (the key itself when there is none)
     * @return the row, if it exists
     */
    Optional<V> get(K key, Supplier<Optional<V>> read, Function<V, K> alsoUnder) {
        if (counter.isEmpty()) {
            return read.get();
        }
        ChangeCounter cc = counter.get();
        long before = cc.stamp();
        if (ChangeCounter.stable(before)) {
            Stamped<V> hit = cache.getIfPresent(key);
            if (hit != null && hit.stamp() == before) {
                return hit.value();
            }
        }
        Optional<V> fresh = read.get();
        if (ChangeCounter.stable(before) && cc.stamp() == before) {
            Stamped<V> stamped = new Stamped<>(before, fresh);
            cache.put(key, stamped);
            if (fresh.isPresent()) {
                K other = alsoUnder.apply(fresh.get());
                if (!other.equals(key)) {
                    cache.put(other, stamped);
                }
            }
        }
        return fresh;
    }

    /**
     * Returns the value under {@code key} if it was read under the counter's current value, or else reads it, keeping
     * it when the counter held still across the read and {@code keep} accepts it. For values that always exist (a
     * count, a list that may be empty).
     *
     * @param key the key
     * @param read reads the value from the database
     * @param keep whether a value read is worth keeping
     * @return the value
     */
    V get(K key, Supplier<V> read, java.util.function.Predicate<V> keep) {
        if (counter.isEmpty()) {
            return read.get();
        }
        ChangeCounter cc = counter.get();
        long before = cc.stamp();
        if (ChangeCounter.stable(before)) {
            Stamped<V> hit = cache.getIfPresent(key);
            if (hit != null && hit.stamp() == before && hit.value().isPresent()) {
                return hit.value().get();
            }
        }
        V fresh = read.get();
        if (ChangeCounter.stable(before) && cc.stamp() == before && keep.test(fresh)) {
            cache.put(key, new Stamped<>(before, Optional.of(fresh)));
        }
        return fresh;
    }

    /**
     * Returns the value last kept under a key, whatever counter value it was read under: for a caller that can tell by
     * itself which state of the row it describes (a store row, by its sequence).
     *
     * @param key the key
     * @return the value, if one is kept
     */
    Optional<V> lastValue(K key) {
        Stamped<V> hit = cache.getIfPresent(key);
        return hit == null ? Optional.empty() : hit.value();
    }

    /**
     * Keeps a value a writer knows to be the row as its own write left it, once that write's commit left the counter at
     * {@code stamp}; kept only if the counter holds exactly that value now (no write since), so it is the row as every
     * process sees it at that value.
     *
     * @param key the key
     * @param value the row as the write left it
     * @param stamp the counter value the write left (one above the odd value it held while writing)
     */
    void putWritten(K key, V value, long stamp) {
        if (counter.isPresent() && ChangeCounter.stable(stamp) && counter.get().stamp() == stamp) {
            cache.put(key, new Stamped<>(stamp, Optional.of(value)));
        }
    }

    void invalidate(K key) {
        cache.invalidate(key);
    }

    void invalidateAll() {
        cache.invalidateAll();
    }
}
