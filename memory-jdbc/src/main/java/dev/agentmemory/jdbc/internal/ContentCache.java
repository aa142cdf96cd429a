package dev.agentmemory.jdbc.internal;

import com.github.benmanes.caffeine.cache.Cache;
import dev.agentmemory.model.VersionId;
import java.util.Optional;

/**
 * Decoded content by version id. A version's content never changes until it is redacted or removed, and the commit
 * that does so clears it here, so an entry is never stale. Thread-safe.
 */
final class ContentCache {

    private final Cache<VersionId, String> contents;

    /** @param cacheBytes the most content bytes (as UTF-16 chars times two) to keep decoded; 0 for none */
    ContentCache(long cacheBytes) {
        this.contents = CacheBuilders.inline()
                .maximumWeight(Math.max(cacheBytes, 0))
                .weigher((VersionId k, String v) -> 64 + 2 * v.length())
                .build();
    }

    Optional<String> get(VersionId id) {
        return Optional.ofNullable(contents.getIfPresent(id));
    }

    void put(VersionId id, String text) {
        contents.put(id, text);
    }

    void invalidate(VersionId id) {
        contents.invalidate(id);
    }

    void invalidateAll() {
        contents.invalidateAll();
    }

    /** The content of a version whose stored bytes are in hand: the cached text, or the bytes decoded and cached. */
    String decode(VersionId id, byte[] bytes) {
        String cached = contents.getIfPresent(id);
        if (cached != null) {
            return cached;
        }
        String text = RowMapping.decode(bytes);
        contents.put(id, text);
        return text;
    }
}
