package dev.agentmemory.jdbc.internal;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.spi.StoreRecord;
import java.util.List;
import java.util.Optional;

/**
 * What the backend keeps in memory between reads: decoded content by version id (always), and on a SQLite file whole
 * heads (and the absence of one), store rows, memory counts and short scans without content, stamped with the
 * {@link ChangeCounter} value they were read under. On PostgreSQL (and SQLite
 * without a file) reads always fetch a head's row first, never from memory, so a head is never served stale, and
 * content is served from memory only for the version the fresh row names. Thread-safe.
 *
 * @param contents decoded content by version id
 * @param heads heads with content, looked up by id or by path
 * @param stores store rows (a row's sequence is the store's revision)
 * @param counts each store's memory count
 * @param probes scans without content that found at most {@link #PROBE_ROWS} heads
 */
record ReadCaches(ContentCache contents, StampedCache<HeadKey, Memory> heads,
        StampedCache<StoreId, StoreRecord> stores, StampedCache<StoreId, Long> counts,
        StampedCache<ProbeKey, List<Memory>> probes) {

    /** The most heads a scan without content may find to be kept as a probe. */
    static final int PROBE_ROWS = 4;

    /** A head looked up by id ({@code byPath} false) or by path, in one store. */
    record HeadKey(StoreId store, boolean byPath, String key) {
    }

    /**
     * A scan without content that found at most {@link #PROBE_ROWS} heads: whether anything lies under a path, or what
     * comes first there (the core asks before every create, a mount before every new name).
     */
    record ProbeKey(StoreId store, String prefix, String from, int limit) {
    }

    /**
     * Creates the caches.
     *
     * @param counter the SQLite file's change counter; empty keeps nothing stamped
     * @param cacheBytes the most content bytes (as UTF-16 chars times two) to keep decoded; 0 for none
     * @return the caches
     */
    static ReadCaches create(Optional<ChangeCounter> counter, long cacheBytes) {
        return new ReadCaches(new ContentCache(cacheBytes),
                StampedCache.weighed(counter, cacheBytes,
                        (HeadKey k, Memory m) -> 128 + 2 * (k.key().length() + (m == null ? 0 : m.text().length()))),
                // Store rows are small and read on every revision check (a live mount asks before each stat and
                // open): a count bounds them, not the content budget; a budget of 0 still turns this cache off.
                StampedCache.counted(counter, cacheBytes > 0 ? 1024 : 0),
                // a store's memory count, read before every create: one number per store
                StampedCache.counted(counter, cacheBytes > 0 ? 1024 : 0),
                // probes hold at most four heads without content: a count bounds them
                StampedCache.counted(counter, cacheBytes > 0 ? 4096 : 0));
    }

    /** Forgets all content held in memory, after a commit that erased some: no erased content stays in memory. */
    void forgetContent() {
        contents.invalidateAll();
        heads.invalidateAll();
        probes.invalidateAll();
    }
}
